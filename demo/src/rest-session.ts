// The demo's users, one per organisation with the role its steps need, and their requests to the
// running gateways. Every answer the demo does not expect stops the run with the step, the status and
// the gateway's error body, so what went wrong is on the screen.

import {
  blockOf,
  call,
  laterBlock,
  loginAdmin,
  MARKET_ROLES,
  registerAndLogin,
  type MarketOrg as OrgName,
} from '../../platform/src/http/gateway-rest';

export class DemoStepError extends Error {
  constructor(
    readonly step: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${step}: HTTP ${status} ${JSON.stringify(body)}`);
    this.name = 'DemoStepError';
  }
}

/**
 * The demo's requests as one session that reads its writes: each carries the block of the session's
 * latest write (X-Min-Block), so the gateway of whichever organisation serves it has committed it.
 */
export class RestSession {
  #minBlock: bigint | undefined;

  private constructor(private readonly tokens: Record<OrgName, string>) {}

  /** Registers a fresh user per organisation (`demo-<role>-<runTag>`) through its RA and logs it in. */
  static async open(runTag: string): Promise<RestSession> {
    const entries = await Promise.all(
      (Object.entries(MARKET_ROLES) as [OrgName, string][]).map(async ([org, role]) => {
        const admin = await loginAdmin(org);
        const user = await registerAndLogin(org, admin, `demo-${role}-${runTag}`, role);
        return [org, user.token] as const;
      }),
    );
    return new RestSession(Object.fromEntries(entries) as Record<OrgName, string>);
  }

  /** The status and body of one request as `org`'s demo user, whatever the status. */
  async request<T>(org: OrgName, method: string, url: string, body?: unknown) {
    const answer = await call<T>(org, method, url, {
      token: this.tokens[org],
      minBlock: this.#minBlock,
      ...(body === undefined ? {} : { body }),
    });
    this.#minBlock = laterBlock(this.#minBlock, blockOf(answer));
    return answer;
  }

  /** One request that must succeed (2xx); its body. */
  async expect<T>(step: string, org: OrgName, method: string, url: string, body?: unknown): Promise<T> {
    const answer = await this.request<T>(org, method, url, body);
    if (answer.status < 200 || answer.status > 299) throw new DemoStepError(step, answer.status, answer.body);
    return answer.body;
  }

  /**
   * Reads `url` as `org`, which must answer 200 with a body `ready` accepts: the hand-over from a
   * write through one organisation's gateway to the next, visible at once (see `request`).
   */
  async whenVisible<T>(
    step: string,
    org: OrgName,
    url: string,
    ready: (body: T) => boolean = () => true,
  ): Promise<T> {
    const answer = await this.request<T>(org, 'GET', url);
    if (answer.status === 200 && ready(answer.body)) return answer.body;
    throw new DemoStepError(`${step} (not visible to ${org})`, answer.status, answer.body);
  }
}

/** Resolves once the wall clock is `margin` past `iso`, so the next transaction's timestamp is too. */
export async function sleepPast(iso: string, marginMs = 1_500): Promise<void> {
  const wait = Date.parse(iso) + marginMs - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
