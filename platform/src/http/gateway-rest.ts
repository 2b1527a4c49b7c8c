/**
 * REST calls to the running org gateways, by org name, for the integration tests and the benches;
 * knows the login secrets of the identities the bring-up enrolled (derived from each CA's bootstrap
 * secret, as ca/ derives them when it registers them).
 */
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import type { MarketCalendarVersion } from '../../../chaincode/src/api';
import { bootstrapSecretFile, caNames, derivedSecret, enrollmentIdsOf } from '../ca-layout';
import { cryptoPaths } from '../paths';
import { loadTopology, orgByName, type Org, type Topology } from '../topology';
import { bodyOf, httpRequest, type HttpsTrust } from './http-client';

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  headers: IncomingHttpHeaders;
}

/** A user registered through an org gateway's RA and logged in. */
export interface RestUser {
  enrollmentId: string;
  secret: string;
  token: string;
}

let topology: Topology | undefined;
const orgNamed = (name: string): Org => orgByName((topology ??= loadTopology()), name);

/** The org gateway's origin: always HTTPS (plain HTTP is a loopback debugging switch of the gateway). */
export function gatewayUrl(orgName: string): string {
  const org = orgNamed(orgName);
  return `https://${org.gateway.host}:${org.gateway.port}`;
}

/** Read once per bundle path (VPP_RUN_DIR may move it) and process: many requests, one file. */
const tlsRoots = new Map<string, Buffer>();

/**
 * The consortium's TLS CA roots, which every gateway certificate chains to: the bundle the bring-up
 * writes (cryptoPaths.tlsRoots). The one place tests, benches and the demo take their trust from.
 */
export function gatewayTrust(): HttpsTrust {
  const file = cryptoPaths.tlsRoots();
  let ca = tlsRoots.get(file);
  if (ca === undefined) {
    try {
      ca = readFileSync(file);
    } catch (err) {
      throw new Error(`no TLS roots bundle at ${file}: start the network first (npm start)`, { cause: err });
    }
    tlsRoots.set(file, ca);
  }
  return { ca };
}

/** An org gateway as the device kit dials it: its origin and the roots to verify it against. */
export function gatewayTarget(orgName: string): { url: string; tls: HttpsTrust } {
  return { url: gatewayUrl(orgName), tls: gatewayTrust() };
}

/** The enrollment secret the bring-up registered `<org>admin` / `appuser` with. */
export function bootstrapUserSecret(
  orgName: string,
  user: 'admin' | 'appuser',
): { id: string; secret: string } {
  const org = orgNamed(orgName);
  const id = enrollmentIdsOf(org.name)[user];
  const bootstrap = readFileSync(bootstrapSecretFile(org.name), 'utf8').trim();
  return { id, secret: derivedSecret(bootstrap, caNames(org.name).identity, id) };
}

/** The block a write committed in (its X-Block-Number), or undefined for an answer that names none. */
export function blockOf(res: HttpResult): bigint | undefined {
  const header = res.headers['x-block-number'];
  return typeof header === 'string' && /^[0-9]+$/.test(header) ? BigInt(header) : undefined;
}

/** The later of two blocks, either possibly unknown. */
export function laterBlock(a: bigint | undefined, b: bigint | undefined): bigint | undefined {
  if (a === undefined) return b;
  return b === undefined || a > b ? a : b;
}

/**
 * One request to the org's gateway; the body comes back parsed when it is JSON. With `minBlock` the
 * gateway answers only once its peer has committed that block (X-Min-Block): a write's
 * X-Block-Number (`blockOf`) makes the write visible through any org's gateway.
 */
export async function call<T = unknown>(
  orgName: string,
  method: string,
  url: string,
  options: {
    token?: string;
    body?: unknown;
    rawBody?: string;
    contentType?: string;
    headers?: Record<string, string>;
    minBlock?: bigint | undefined;
  } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.minBlock !== undefined) headers['x-min-block'] = String(options.minBlock);
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const answer = await httpRequest(gatewayUrl(orgName), url, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
    timeoutMs: 120_000,
    tls: gatewayTrust(),
  });
  return { status: answer.status, body: bodyOf<T>(answer), headers: answer.headers };
}

/** Only the status of a request: resolves on the response head and drops the rest (streams included). */
export async function statusOf(
  orgName: string,
  method: string,
  url: string,
  token?: string,
): Promise<number> {
  const answer = await httpRequest(gatewayUrl(orgName), url, {
    method,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    timeoutMs: 60_000,
    headOnly: true,
    tls: gatewayTrust(),
  });
  return answer.status;
}

/** The market calendar in force now (GET /v1/market/calendar), as any member reads it. */
export async function marketCalendarNow(orgName: string, token: string): Promise<MarketCalendarVersion> {
  const answer = await call<MarketCalendarVersion>(orgName, 'GET', '/v1/market/calendar', { token });
  if (answer.status !== 200) {
    throw new Error(`GET /v1/market/calendar on ${orgName}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

/**
 * The role a user of each organisation needs for its steps of a market interval: the operator commits,
 * reveals, acknowledges and sets setpoints; the trading centre opens, clears and settles; the control
 * centre posts demand and dispatches; the regulator sets quotas and verifies.
 */
export const MARKET_ROLES = {
  cvpp: 'operator',
  trading: 'trading',
  control: 'control',
  regulator: 'regulator',
} as const;
export type MarketOrg = keyof typeof MARKET_ROLES;

export async function login(orgName: string, enrollmentId: string, secret: string): Promise<string> {
  const res = await call<{ token: string }>(orgName, 'POST', '/v1/auth/token', {
    body: { enrollmentId, secret },
  });
  if (res.status !== 200)
    throw new Error(`login ${enrollmentId}@${orgName}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

export async function loginAdmin(orgName: string): Promise<string> {
  const { id, secret } = bootstrapUserSecret(orgName, 'admin');
  return login(orgName, id, secret);
}

/** Registers `enrollmentId` with `role` through the org gateway's RA, as its admin, and logs it in. */
export async function registerAndLogin(
  orgName: string,
  adminToken: string,
  enrollmentId: string,
  role: string,
): Promise<RestUser> {
  const res = await call<{ secret: string }>(orgName, 'POST', '/v1/identities', {
    token: adminToken,
    body: { enrollmentId, role },
  });
  if (res.status !== 201)
    throw new Error(`register ${enrollmentId}: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    enrollmentId,
    secret: res.body.secret,
    token: await login(orgName, enrollmentId, res.body.secret),
  };
}
