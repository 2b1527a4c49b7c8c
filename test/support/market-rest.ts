// Shared steps of the market and settlement tests over REST on the real network: one user per
// organisation with the role its market step needs, checks of HTTP answers, waiting for the real
// clock to pass an interval's instants, and a VPP with device-backed DERs and a bid quota.
import assert from 'node:assert/strict';
import type { Device } from '../../gateway/device-kit/device';
import { enrollDevice } from '../../gateway/device-kit/device-api';
import {
  blockOf,
  call,
  laterBlock,
  gatewayTarget,
  loginAdmin,
  MARKET_ROLES,
  registerAndLogin,
  type HttpResult,
  type MarketOrg,
} from '../../platform/src/http/gateway-rest';

export type ErrorBody = { error: { code: string; message: string } };
export type Org = MarketOrg;

/** How far past an instant to wait, so that the next proposal's timestamp is surely beyond it. */
const MARGIN_MS = 1_500;
const QUARTER_MS = 15 * 60_000;

export const sleepUntil = async (iso: string) => {
  const wait = Date.parse(iso) + MARGIN_MS - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
};

export function expectStatus(res: HttpResult, status: number, what: string): void {
  assert.equal(res.status, status, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
}

export function expectRefusal(res: HttpResult, status: number, code: string, what: string): void {
  expectStatus(res, status, what);
  assert.equal((res.body as ErrorBody).error.code, code, what);
}

/** A request as the test user of `org`. */
export type AsOrg = <T = unknown>(
  org: Org,
  method: string,
  url: string,
  body?: unknown,
) => Promise<HttpResult<T>>;

/**
 * Requests as the user of each organisation whose token `tokens` holds (filled in later by login),
 * as one session that reads its writes: every request carries the block of the session's latest
 * write (X-Min-Block), so whichever org's gateway serves it has committed every earlier write.
 */
export function requestsAs(tokens: Record<Org, string>): AsOrg {
  let minBlock: bigint | undefined;
  return async <T>(org: Org, method: string, url: string, body?: unknown) => {
    const res = await call<T>(org, method, url, {
      token: tokens[org],
      minBlock,
      ...(body === undefined ? {} : { body }),
    });
    minBlock = laterBlock(minBlock, blockOf(res));
    return res;
  };
}

/**
 * `url` answers 200 to the user of `org` with a body `ready` accepts, on the first read: the session
 * of `as` sends the block of its latest write, so a write through another org's gateway is visible.
 */
export async function visibleTo(
  as: AsOrg,
  org: Org,
  url: string,
  ready: (body: unknown) => boolean = () => true,
): Promise<void> {
  const res = await as(org, 'GET', url);
  if (res.status !== 200 || !ready(res.body))
    assert.fail(`${url} is not visible to ${org}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Registers and logs in one user per organisation, `<prefix>-<role>-<stamp>`, with its market role. */
export async function loginMarketUsers(prefix: string, stamp: string): Promise<Record<Org, string>> {
  const tokens = {} as Record<Org, string>;
  for (const [org, role] of Object.entries(MARKET_ROLES) as [Org, string][]) {
    const admin = await loginAdmin(org);
    tokens[org] = (await registerAndLogin(org, admin, `${prefix}-${role}-${stamp}`, role)).token;
  }
  return tokens;
}

/** One DER of a test VPP: its id, type and capacity in W. */
export type DerSpec = readonly [derId: string, derType: string, capacityW: number];

/**
 * Registers a VPP (as the CVPP operator) whose DERs are backed by devices that enroll with their own
 * keys (through the CVPP gateway's RA, as a device does), and sets its bid quota (as the regulator).
 * The DERs register concurrently: each writes only its own keys. Returns the devices by DER id, so
 * the caller can sign readings with them.
 */
export async function registerVppWithDers(
  as: AsOrg,
  vpp: { vppId: string; displayName: string },
  ders: readonly DerSpec[],
  quotaWh: number,
): Promise<Map<string, Device>> {
  const { vppId } = vpp;
  expectStatus(await as('cvpp', 'POST', '/v1/vpps', { ...vpp, feeBps: 500 }), 201, 'register VPP');
  const devices = await Promise.all(
    ders.map(async ([derId, derType, capacityW]) => {
      const registered = await as<{ enrollmentId: string; secret: string }>('cvpp', 'POST', '/v1/devices', {
        derId,
        vppId,
      });
      expectStatus(registered, 201, `register device ${derId}`);
      const device = await enrollDevice(gatewayTarget('cvpp'), derId, registered.body.secret);
      expectStatus(
        await as('cvpp', 'POST', '/v1/ders', {
          derId,
          vppId,
          derType,
          capacityW,
          zone: 'zone-it',
          certificatePem: device.credentials.certPem,
        }),
        201,
        `register DER ${derId}`,
      );
      return device;
    }),
  );
  expectStatus(
    await as('regulator', 'PUT', `/v1/market/quotas/${vppId}`, { quantity: quotaWh }),
    200,
    'set quota',
  );
  return new Map(devices.map((device) => [device.derId, device]));
}

/** The instants of an interval opened now, on the real clock. */
export interface IntervalInstants {
  gateClosure: string;
  revealDeadline: string;
  deliveryStart: string;
  deliveryEnd: string;
}

/**
 * Bids for `openForMs` from now, reveals for `revealForMs` after that, and a delivery of `deliveryMs`
 * (15 minutes unless given) that starts on the first `alignMs` boundary at least `leadMs` (a minute
 * unless given: time for clearing and dispatch) after the reveal deadline.
 */
export function intervalInstants(
  openForMs: number,
  revealForMs: number,
  alignMs: number,
  { leadMs = 60_000, deliveryMs = QUARTER_MS }: { leadMs?: number; deliveryMs?: number } = {},
): IntervalInstants {
  const now = Date.now();
  const gateClosure = new Date(now + openForMs).toISOString();
  const revealDeadline = new Date(now + openForMs + revealForMs).toISOString();
  const startMs = Math.ceil((Date.parse(revealDeadline) + leadMs) / alignMs) * alignMs;
  return {
    gateClosure,
    revealDeadline,
    deliveryStart: new Date(startMs).toISOString(),
    deliveryEnd: new Date(startMs + deliveryMs).toISOString(),
  };
}

/** The trading centre opens an energy-up interval with `instants`. */
export async function openInterval(as: AsOrg, intervalId: string, instants: IntervalInstants): Promise<void> {
  expectStatus(
    await as('trading', 'POST', '/v1/market/intervals', { intervalId, product: 'energy-up', ...instants }),
    201,
    `open interval ${intervalId}`,
  );
}

/** Posts the control centre's demand for `quantity` Wh of energy-up, with a price cap of 10,000. */
export async function postDemand(as: AsOrg, intervalUrl: string, quantity: number): Promise<void> {
  expectStatus(
    await as('control', 'POST', `${intervalUrl}/demand`, {
      product: 'energy-up',
      quantity,
      priceCap: 10_000,
    }),
    201,
    'post demand',
  );
}
