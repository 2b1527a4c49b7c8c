// The market and dispatch routes with app.inject and a fake ledger: who may call, what reaches the
// chaincode (contract, transaction, arguments), what comes back, and what is refused before Fabric.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../../gateway/src/app';
import { loadConfig } from '../../../../gateway/src/config';
import { ApiError } from '../../../../gateway/src/core/api-error';
import { API_ROLES, type ApiRole } from '../../../../gateway/src/core/roles';
import { issueToken } from '../../../../gateway/src/core/token';
import type { FabricPort } from '../../../../gateway/src/plugins/app/fabric-connection';
import type { RaPort } from '../../../../gateway/src/plugins/app/ra';

interface FabricCall {
  kind: 'evaluate' | 'submit';
  contract: string;
  tx: string;
  args: string[];
}

const unused = async (): Promise<never> => {
  throw new Error('not used');
};

/** A ledger that records every call and answers with `answer` (or throws `failure`). */
class FakeLedger {
  calls: FabricCall[] = [];
  answer: unknown = { ok: true };
  failure: Error | undefined;

  readonly port: FabricPort = {
    ready: async () => true,
    network: () => {
      throw new Error('no network in unit tests');
    },
    contract: () => {
      throw new Error('no network in unit tests');
    },
    evaluate: async (_request, contract, tx, args) => this.#call({ kind: 'evaluate', contract, tx, args }),
    submit: async (_request, contract, tx, args) => ({
      result: await this.#call({ kind: 'submit', contract, tx, args }),
      txId: 'tx-1',
    }),
    service: { evaluate: unused, submit: unused },
    forget: () => undefined,
    close: () => undefined,
  };

  async #call(call: FabricCall): Promise<Uint8Array> {
    this.calls.push(call);
    if (this.failure) throw this.failure;
    return Buffer.from(JSON.stringify(this.answer));
  }
}

const fakeRa: RaPort = {
  enroll: unused,
  enrollCsr: unused,
  register: unused,
  list: async () => [],
  revoke: unused,
  caChainPem: () => '',
  crlPem: async () => '',
};

const IID = 'i-20260102-1200-up';
const SALT = 'ab'.repeat(32);
const COMMITMENT = 'cd'.repeat(32);
const INTERVAL = {
  intervalId: IID,
  product: 'energy-up',
  deliveryStart: '2026-01-02T12:00:00.000Z',
  deliveryEnd: '2026-01-02T12:15:00.000Z',
  gateClosure: '2026-01-02T10:00:00.000Z',
  revealDeadline: '2026-01-02T11:00:00.000Z',
};
const BID = {
  bidId: 'b-1',
  intervalId: IID,
  vppId: 'vpp-north',
  steps: [
    { price: 4000, quantity: 600 },
    { price: 7500, quantity: 400 },
  ],
};

interface RouteCase {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  roles: readonly ApiRole[];
  body?: unknown;
  status: number;
  call: Omit<FabricCall, 'kind'> & { kind: FabricCall['kind'] };
  /** The response for a ledger answer `answer`. */
  response: (answer: unknown) => unknown;
  /** Bodies (or URLs) the schema must refuse with 400 before any ledger call. */
  refused?: { url?: string; body?: unknown }[];
}

const RECORD = { some: 'record', nested: { kept: [1, 2] } };
const withTx = (answer: unknown) => ({ record: answer, txId: 'tx-1' });
const asIs = (answer: unknown) => answer;
const spread = (answer: unknown) => ({ ...(answer as object), txId: 'tx-1' });
const ANY = API_ROLES;

const CASES: RouteCase[] = [
  {
    method: 'POST',
    url: '/v1/market/intervals',
    roles: ['trading', 'admin'],
    body: INTERVAL,
    status: 201,
    call: { kind: 'submit', contract: 'market', tx: 'OpenInterval', args: [JSON.stringify(INTERVAL)] },
    response: withTx,
    refused: [
      { body: { ...INTERVAL, extra: 1 } },
      { body: { ...INTERVAL, product: 'heat' } },
      { body: { ...INTERVAL, gateClosure: '2026-01-02T10:00:00Z' } },
      { body: { ...INTERVAL, intervalId: ' spaced' } },
      { body: { ...INTERVAL, revealDeadline: undefined } },
    ],
  },
  {
    method: 'GET',
    url: `/v1/market/intervals/${IID}`,
    roles: ANY,
    status: 200,
    call: { kind: 'evaluate', contract: 'market', tx: 'GetInterval', args: [IID] },
    response: asIs,
    refused: [{ url: '/v1/market/intervals/bad%20id' }],
  },
  {
    method: 'POST',
    url: `/v1/market/intervals/${IID}/demand`,
    roles: ['control', 'admin'],
    body: { product: 'energy-up', quantity: 2000, priceCap: 10_000 },
    status: 201,
    call: {
      kind: 'submit',
      contract: 'market',
      tx: 'PostDemand',
      args: [JSON.stringify({ intervalId: IID, product: 'energy-up', quantity: 2000, priceCap: 10_000 })],
    },
    response: withTx,
    refused: [
      { body: { product: 'energy-up', quantity: 0, priceCap: 1 } },
      { body: { product: 'energy-up', quantity: 1.5, priceCap: 1 } },
      { body: { product: 'energy-up', quantity: 1, priceCap: -1 } },
      { body: { product: 'energy-up', quantity: 1, priceCap: 1, intervalId: IID } },
    ],
  },
  {
    method: 'POST',
    url: `/v1/market/intervals/${IID}/commitments`,
    roles: ['operator', 'admin'],
    body: { commitment: COMMITMENT, bidId: 'b-1', vppId: 'vpp-north' },
    status: 201,
    call: {
      kind: 'submit',
      contract: 'market',
      tx: 'CommitBid',
      args: [JSON.stringify({ intervalId: IID, commitment: COMMITMENT, bidId: 'b-1', vppId: 'vpp-north' })],
    },
    response: withTx,
    refused: [
      { body: { commitment: COMMITMENT.toUpperCase(), bidId: 'b-1', vppId: 'vpp-north' } },
      { body: { commitment: COMMITMENT, bidId: 'b-1', vppId: 'vpp-north', steps: [] } },
      { body: { commitment: COMMITMENT, bidId: 'b-1' } },
    ],
  },
  {
    method: 'POST',
    url: `/v1/market/intervals/${IID}/reveals`,
    roles: ['operator', 'admin'],
    body: { bid: BID, salt: SALT },
    status: 201,
    call: { kind: 'submit', contract: 'market', tx: 'RevealBid', args: [IID, JSON.stringify(BID), SALT] },
    response: withTx,
    refused: [
      { body: { bid: BID, salt: SALT.slice(2) } },
      { body: { bid: { ...BID, steps: [] }, salt: SALT } },
      { body: { bid: { ...BID, steps: [{ price: -1, quantity: 1 }] }, salt: SALT } },
      { body: { bid: { ...BID, steps: [{ price: 1, quantity: 2.5 }] }, salt: SALT } },
      { body: { bid: { ...BID, steps: Array(11).fill({ price: 1, quantity: 1 }) }, salt: SALT } },
      { body: { bid: { ...BID, note: 'x' }, salt: SALT } },
    ],
  },
  {
    method: 'POST',
    url: `/v1/market/intervals/${IID}/violations`,
    roles: ['trading', 'regulator', 'admin'],
    status: 200,
    call: { kind: 'submit', contract: 'market', tx: 'RecordUnrevealedViolations', args: [IID] },
    response: spread,
  },
  {
    method: 'POST',
    url: `/v1/market/intervals/${IID}/clearing`,
    roles: ['trading', 'admin'],
    status: 201,
    call: { kind: 'submit', contract: 'market', tx: 'ClearInterval', args: [IID] },
    response: withTx,
  },
  {
    method: 'GET',
    url: `/v1/market/intervals/${IID}/clearing`,
    roles: ANY,
    status: 200,
    call: { kind: 'evaluate', contract: 'market', tx: 'GetClearing', args: [IID] },
    response: asIs,
  },
  {
    method: 'GET',
    url: `/v1/market/intervals/${IID}/clearing/verify`,
    roles: ANY,
    status: 200,
    call: { kind: 'evaluate', contract: 'market', tx: 'VerifyClearing', args: [IID] },
    response: asIs,
  },
  {
    method: 'PUT',
    url: '/v1/market/quotas/vpp-north',
    roles: ['regulator', 'admin'],
    body: { quantity: 250_000 },
    status: 200,
    call: { kind: 'submit', contract: 'market', tx: 'SetVppQuota', args: ['vpp-north', '250000'] },
    response: withTx,
    refused: [
      { body: { quantity: -1 } },
      { body: { quantity: 0.5 } },
      { body: {} },
      { body: { quantity: 1, x: 1 } },
    ],
  },
  {
    method: 'GET',
    url: '/v1/market/quotas/vpp-north',
    roles: ANY,
    status: 200,
    call: { kind: 'evaluate', contract: 'market', tx: 'GetVppQuota', args: ['vpp-north'] },
    response: asIs,
  },
  {
    method: 'GET',
    url: '/v1/market/vpps/vpp-north/violations',
    roles: ANY,
    status: 200,
    call: { kind: 'evaluate', contract: 'market', tx: 'ListVppViolations', args: ['vpp-north'] },
    response: asIs,
  },
  {
    method: 'POST',
    url: `/v1/dispatch/${IID}/vpp-north`,
    roles: ['control', 'admin'],
    status: 201,
    call: { kind: 'submit', contract: 'dispatch', tx: 'IssueDispatch', args: [IID, 'vpp-north'] },
    response: withTx,
    refused: [{ url: `/v1/dispatch/${IID}/-vpp` }],
  },
  {
    method: 'POST',
    url: `/v1/dispatch/${IID}/vpp-north/ack`,
    roles: ['operator', 'admin'],
    status: 200,
    call: { kind: 'submit', contract: 'dispatch', tx: 'AcknowledgeDispatch', args: [IID, 'vpp-north'] },
    response: withTx,
  },
  {
    method: 'POST',
    url: `/v1/dispatch/${IID}/vpp-north/setpoints`,
    roles: ['operator', 'admin'],
    status: 201,
    call: { kind: 'submit', contract: 'dispatch', tx: 'AllocateSetpoints', args: [IID, 'vpp-north'] },
    response: spread,
  },
  {
    method: 'GET',
    url: `/v1/dispatch/${IID}/vpp-north`,
    roles: ANY,
    status: 200,
    call: { kind: 'evaluate', contract: 'dispatch', tx: 'GetDispatch', args: [IID, 'vpp-north'] },
    response: asIs,
  },
];

/** A ledger answer each route's response schema documents, so nothing is stripped. */
function answerFor(route: RouteCase): unknown {
  switch (route.call.tx) {
    case 'GetInterval':
      return { interval: RECORD, demand: null, phase: 'reveal' };
    case 'VerifyClearing':
      return { matches: true, stored: RECORD, recomputed: RECORD };
    case 'RecordUnrevealedViolations':
      return { intervalId: IID, recorded: [RECORD], alreadyRecorded: 1 };
    case 'AllocateSetpoints':
      return { intervalId: IID, vppId: 'vpp-north', requiredW: 6000, setpoints: [RECORD] };
    case 'GetDispatch':
      return { instruction: RECORD, setpoints: [RECORD, RECORD] };
    case 'ListVppViolations':
      return [RECORD];
    default:
      return RECORD;
  }
}

describe('gateway/routes market and dispatch', () => {
  let dir: string;
  let app: FastifyInstance;
  const ledger = new FakeLedger();
  const tokenFor = (role: ApiRole) =>
    issueToken({ sub: `${role}1`, role, serial: 'AB', mspId: 'CvppMSP' }, app.identities.tokenSecret(), 60)
      .token;
  const send = (route: RouteCase, role: ApiRole, override: { url?: string; body?: unknown } = {}) =>
    app.inject({
      method: route.method,
      url: override.url ?? route.url,
      headers: { authorization: `Bearer ${tokenFor(role)}` },
      ...('body' in override || route.body !== undefined
        ? { payload: (override.body ?? route.body) as object }
        : {}),
    });

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gw-market-'));
    const config = loadConfig({ VPP_GATEWAY_ORG: 'cvpp', VPP_GATEWAY_DATA: dir });
    app = await buildApp(config, { logger: false, ports: { fabric: ledger.port, ra: fakeRa } });
    await app.ready();
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    ledger.calls = [];
    ledger.failure = undefined;
  });

  it('should declare exactly the documented roles on every market and dispatch route', () => {
    const table = app.routeTable.filter((r) => /^\/v1\/(market|dispatch)\//.test(r.url));
    assert.equal(table.length, CASES.length);
    for (const route of CASES) {
      const pattern = route.url.replace(IID, ':intervalId').replace('vpp-north', ':vppId');
      const entry = table.find((r) => r.method === route.method && r.url === pattern);
      assert.ok(entry, `${route.method} ${pattern} is registered`);
      assert.deepEqual([...entry.roles].sort(), [...route.roles].sort(), `${route.method} ${pattern}`);
    }
  });

  for (const route of CASES) {
    describe(`${route.method} ${route.url}`, () => {
      it('should pass the arguments to the chaincode as the caller and return what the ledger returned', async () => {
        for (const role of route.roles) {
          ledger.calls = [];
          ledger.answer = answerFor(route);
          const res = await send(route, role);
          assert.equal(res.statusCode, route.status, `${role}: ${res.body}`);
          assert.deepEqual(res.json(), route.response(ledger.answer));
          assert.deepEqual(ledger.calls, [route.call]);
        }
      });

      const forbidden = API_ROLES.filter((role) => !route.roles.includes(role));
      if (forbidden.length > 0) {
        it(`should refuse ${forbidden.join(', ')} with 403 before the ledger is called`, async () => {
          for (const role of forbidden) {
            const res = await send(route, role);
            assert.equal(res.statusCode, 403, role);
            assert.equal(res.json().error.code, 'FORBIDDEN');
          }
          assert.deepEqual(ledger.calls, []);
        });
      }

      if (route.refused) {
        it('should refuse malformed requests with 400 VALIDATION_FAILED before the ledger is called', async () => {
          for (const override of route.refused!) {
            const res = await send(route, route.roles[0], override);
            assert.equal(res.statusCode, 400, JSON.stringify(override));
            assert.equal(res.json().error.code, 'VALIDATION_FAILED');
          }
          assert.deepEqual(ledger.calls, []);
        });
      }
    });
  }

  it('should answer 401 without a token', async () => {
    const res = await app.inject({ method: 'POST', url: `/v1/market/intervals/${IID}/clearing` });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(ledger.calls, []);
  });

  it('should pass chaincode refusals through with their status and code', async () => {
    ledger.failure = new ApiError(409, 'GATE_CLOSED', 'interval closed for bids', undefined, 'tx-9');
    const commit = CASES.find((c) => c.call.tx === 'CommitBid')!;
    const res = await send(commit, 'operator');
    assert.equal(res.statusCode, 409);
    assert.deepEqual(res.json(), {
      error: { code: 'GATE_CLOSED', message: 'interval closed for bids', txId: 'tx-9' },
    });
  });

  it('should document every route in OpenAPI under the market and dispatch tags', () => {
    const spec = app.swagger() as { paths: Record<string, Record<string, { tags?: string[] }>> };
    for (const route of CASES) {
      const pattern = route.url.replace(IID, '{intervalId}').replace('vpp-north', '{vppId}');
      const operation = spec.paths[pattern]?.[route.method.toLowerCase()];
      assert.ok(operation, `${route.method} ${pattern} documented`);
      assert.deepEqual(operation.tags, [pattern.startsWith('/v1/dispatch') ? 'dispatch' : 'market']);
    }
  });
});
