// The seeded fuzz suite on the real network: requests derived from each org gateway's route table
// and its own OpenAPI document (/docs/json), sent through real sockets to all four gateways. Every
// answer must be a 4xx in the one error shape (never a 5xx), the route table must hold with real
// users of every role (roles, then organisations), over HTTPS that verifies each gateway's chain, and nothing may be written: every peer's height and latest block hash are the
// same before and after (tests run one at a time, and every request here is invalid, so the telemetry
// batcher has nothing to flush), but for the regulator gateway's scheduled checkpoints, which it
// records whenever the chain moved and which are told apart by what they call. The seed is printed;
// VPP_FUZZ_SEED=<seed> replays a run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp, type RouteEntry } from '../../../gateway/src/app';
import { newLedgerReader } from '../../../gateway/src/blocks-and-events/ledger-reader';
import { loadConfig } from '../../../gateway/src/config';
import { IdentityStore } from '../../../gateway/src/core/identity-store';
import { API_ROLES, type ApiRole } from '../../../gateway/src/core/roles';
import { gatewayTarget, loginAdmin, registerAndLogin } from '../../../platform/src/http/gateway-rest';
import { httpRequest } from '../../../platform/src/http/http-client';
import { runPaths } from '../../../platform/src/paths';
import { connectAs, topology, type Connection } from '../../support/fabric-client';
import { callsInBlocks, isScheduledCheckpoint } from '../../support/ledger-calls';
import {
  authorizationOf,
  FuzzTally,
  fuzzRequests,
  fuzzSeed,
  type FuzzRequest,
  type OpenApiDocument,
} from '../../support/fuzz-requests';
import { prng } from '../../support/prng';

const PER_CATEGORY = 250;
const REQUEST_TIMEOUT_MS = 15_000;
const seed = fuzzSeed();
const stamp = Date.now().toString(36);
const channel = topology.channel.name;

interface FuzzedGateway {
  org: string;
  mspId: string;
  routes: RouteEntry[];
  doc: OpenApiDocument;
  bodyLimit: number;
  tokens: Map<ApiRole, string>;
  secret: Buffer;
}

/** The org's gateway as the fuzzer sees it: its route table, its OpenAPI document, a user per role. */
async function fuzzedGateway(org: string, mspId: string): Promise<FuzzedGateway> {
  const config = loadConfig({ VPP_GATEWAY_ORG: org });
  const app = await buildApp(config, { logger: false });
  await app.ready();
  const routes = [...app.routeTable];
  await app.close();
  const { url, tls } = gatewayTarget(org);
  const docs = await httpRequest(url, '/docs/json', { timeoutMs: REQUEST_TIMEOUT_MS, tls });
  assert.equal(docs.status, 200, `${org} /docs/json`);
  const adminToken = await loginAdmin(org);
  const tokens = new Map<ApiRole, string>([['admin', adminToken]]);
  for (const role of API_ROLES.filter((r) => r !== 'admin')) {
    tokens.set(role, (await registerAndLogin(org, adminToken, `fz-${role}-${stamp}`, role)).token);
  }
  // The gateway's own token secret: tokens with malformed claims need a valid signature.
  const secret = new IdentityStore(runPaths.data(`gateway.${org}`)).tokenSecret();
  const doc = JSON.parse(docs.text) as OpenApiDocument;
  return { org, mspId, routes, doc, bodyLimit: config.bodyLimit, tokens, secret };
}

/** Every peer's height and latest block hash. */
async function chainState(connections: Map<string, Connection>): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  for (const [org, connection] of connections) {
    const info = await newLedgerReader(connection.gateway.getNetwork(channel), channel).chainInfo();
    state[org] = `${info.height} ${info.currentBlockHash}`;
  }
  return state;
}

/** The chain state once it has not moved for `quietMs` (a write of an earlier test may still land). */
async function settledChainState(connections: Map<string, Connection>, quietMs = 1500, maxMs = 20_000) {
  const deadline = Date.now() + maxMs;
  let last = await chainState(connections);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const now = await chainState(connections);
    if (JSON.stringify(now) === JSON.stringify(last) || Date.now() > deadline) return now;
    last = now;
  }
}

async function fuzzOne(gateway: FuzzedGateway, requests: FuzzRequest[], tally: FuzzTally): Promise<void> {
  const tokenOf = (role: ApiRole) => gateway.tokens.get(role)!;
  for (const request of requests) {
    const headers: Record<string, string> = {
      ...authorizationOf(request.auth, tokenOf, gateway.secret),
      ...request.headers,
      ...(request.contentType === undefined ? {} : { 'content-type': request.contentType }),
    };
    const { url, tls } = gatewayTarget(gateway.org);
    const answer = await httpRequest(url, request.path, {
      tls,
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      timeoutMs: REQUEST_TIMEOUT_MS,
      keepAlive: true,
    }).catch((err: unknown) => ({ status: 0, headers: {}, text: `no answer: ${String(err)}` }));
    tally.record(request, answer, answer.status === 0 ? [answer.text] : []);
  }
}

describe(`gateway fuzz through real sockets (VPP_FUZZ_SEED=${seed})`, () => {
  const connections = new Map<string, Connection>();
  const gateways: FuzzedGateway[] = [];

  before(async () => {
    for (const org of topology.orgs) {
      connections.set(org.name, connectAs(org.name, 'admin'));
      gateways.push(await fuzzedGateway(org.name, org.mspId));
    }
  });
  after(() => connections.forEach((c) => c.close()));

  it('should refuse every invalid request to all four gateways with a 4xx in the error shape and commit nothing', async (t) => {
    const before = await settledChainState(connections);
    const tallies = gateways.map(() => new FuzzTally());
    const started = Date.now();
    await Promise.all(
      gateways.map((gateway, index) =>
        fuzzOne(
          gateway,
          fuzzRequests(gateway.routes, gateway.doc, gateway.mspId, prng(seed + index), {
            perCategory: PER_CATEGORY,
            bodyLimit: gateway.bodyLimit,
            idempotencyKeys: true,
          }),
          tallies[index]!,
        ),
      ),
    );
    const elapsed = Date.now() - started;
    const afterwards = await settledChainState(connections);
    gateways.forEach((gateway, index) => {
      for (const line of tallies[index]!.countLines()) t.diagnostic(`${gateway.org} ${line}`);
    });
    t.diagnostic(`fuzzing took ${elapsed} ms`);
    const failures = gateways
      .map((gateway, index) => `${gateway.org}: ${tallies[index]!.failureSummary()}`)
      .filter((_, index) => tallies[index]!.failures.length > 0);
    // Every peer at one height and hash, and whatever was committed meanwhile only the regulator's checkpoints.
    const [first, ...others] = Object.values(afterwards);
    assert.ok(
      others.every((state) => state === first),
      JSON.stringify(afterwards),
    );
    const heightOf = (state: Record<string, string>) => Number(Object.values(state)[0]!.split(' ')[0]);
    const [org] = connections.keys();
    const committed = await callsInBlocks(
      connections.get(org!)!.gateway.getNetwork(channel),
      channel,
      heightOf(before),
      heightOf(afterwards),
    );
    assert.deepEqual(
      committed.filter((call) => !isScheduledCheckpoint(call)),
      [],
      `the chain moved during the fuzz run:\n${failures.join('\n')}`,
    );
    assert.deepEqual(failures, []);
  });
});
