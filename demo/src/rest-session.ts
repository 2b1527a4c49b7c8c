// The demo's users, one per organisation with the role its steps need, and their requests to the
// running gateways. Every answer the demo does not expect stops the run with the step, the status and
// the gateway's error body, so what went wrong is on the screen.

import {
  call,
  loginAdmin,
  MARKET_ROLES,
  registerAndLogin,
  type MarketOrg as OrgName,
} from '../../platform/src/http/gateway-rest';

/** How long another organisation's peer may take to show a write (it is usually one block behind). */
const VISIBLE_WITHIN_MS = 20_000;
const POLL_MS = 250;

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

export class RestSession {
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
    return call<T>(org, method, url, { token: this.tokens[org], ...(body === undefined ? {} : { body }) });
  }

  /** One request that must succeed (2xx); its body. */
  async expect<T>(step: string, org: OrgName, method: string, url: string, body?: unknown): Promise<T> {
    const answer = await this.request<T>(org, method, url, body);
    if (answer.status < 200 || answer.status > 299) throw new DemoStepError(step, answer.status, answer.body);
    return answer.body;
  }

  /**
   * Reads `url` as `org` until it answers 200 with a body `ready` accepts: the hand-over from a write
   * through one organisation's gateway to the next organisation's peer. Bounded.
   */
  async whenVisible<T>(
    step: string,
    org: OrgName,
    url: string,
    ready: (body: T) => boolean = () => true,
  ): Promise<T> {
    const deadline = Date.now() + VISIBLE_WITHIN_MS;
    for (;;) {
      const answer = await this.request<T>(org, 'GET', url);
      if (answer.status === 200 && ready(answer.body)) return answer.body;
      if (Date.now() >= deadline)
        throw new DemoStepError(`${step} (not visible to ${org})`, answer.status, answer.body);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

/** Resolves once the wall clock is `margin` past `iso`, so the next transaction's timestamp is too. */
export async function sleepPast(iso: string, marginMs = 1_500): Promise<void> {
  const wait = Date.parse(iso) + marginMs - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
