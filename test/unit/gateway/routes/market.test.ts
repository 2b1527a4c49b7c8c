// The market and dispatch routes with app.inject and a fake ledger: who may call, what reaches the
// chaincode (contract, transaction, arguments), what comes back, and what is refused before Fabric.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../../../gateway/src/core/api-error';
import { API_ROLES, type ApiRole } from '../../../../gateway/src/core/roles';
import { bearer, FakeLedger, openGateway, routeCaseTests, tokenFor } from '../../../support/route-harness';
import type { FabricCall, TestGateway } from '../../../support/route-harness';

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
  /** The org whose gateway serves the route (cvpp unless said). */
  org?: OrgName;
  body?: unknown;
  status: number;
  call: Omit<FabricCall, 'kind'> & { kind: FabricCall['kind'] };
  /** The response for a ledger answer `answer`. */
  response: (answer: unknown) => unknown;
  /** Bodies (or URLs) the schema must refuse with 400 before any ledger call. */
  refused?: { url?: string; body?: unknown }[];
}

const RECORD = { some: 'record', nested: { kept: [1, 2] } };
const PORTFOLIO_OUTCOME = {
  intervalIds: [IID],
  txId: 'tx-1',
  accepted: 1,
  refused: 1,
  results: [
    { index: 0, bidId: 'b-1', status: 'accepted' },
    { index: 1, bidId: null, status: 'refused', code: 'COMMITMENT_MISMATCH', message: 'bid does not match' },
  ],
};
const COMMITMENT_ITEM = { commitment: COMMITMENT, bidId: 'b-1', vppId: 'vpp-north' };
const withTx = (answer: unknown) => ({ record: answer, txId: 'tx-1' });
const asIs = (answer: unknown) => answer;
const spread = (answer: unknown) => ({ ...(answer as object), txId: 'tx-1' });
const ANY = API_ROLES;

const CASES: RouteCase[] = [
  {
    method: 'POST',
    url: '/v1/market/intervals',
    roles: ['trading', 'admin'],
    org: 'trading',
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
    org: 'control',
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
    url: `/v1/market/intervals/${IID}/commitments/batch`,
    roles: ['operator', 'admin'],
    body: { commitments: [COMMITMENT_ITEM, { ...COMMITMENT_ITEM, bidId: 'b-2' }] },
    status: 200,
    call: {
      kind: 'submit',
      contract: 'market',
      tx: 'CommitBids',
      args: [
        JSON.stringify([
          { intervalId: IID, ...COMMITMENT_ITEM },
          { intervalId: IID, ...COMMITMENT_ITEM, bidId: 'b-2' },
        ]),
      ],
    },
    response: asIs,
    refused: [
      { body: { commitments: [] } },
      { body: { commitments: Array(501).fill(COMMITMENT_ITEM) } },
      { body: { commitments: [{ ...COMMITMENT_ITEM, intervalId: 'other' }] } },
      { body: { commitments: [COMMITMENT_ITEM], extra: 1 } },
      { body: [COMMITMENT_ITEM] },
    ],
  },
  {
    method: 'POST',
    url: `/v1/market/intervals/${IID}/reveals/batch`,
    roles: ['operator', 'admin'],
    body: { reveals: [{ bid: BID, salt: SALT }] },
    status: 200,
    call: {
      kind: 'submit',
      contract: 'market',
      tx: 'RevealBids',
      args: [IID, JSON.stringify([{ bid: BID, salt: SALT }])],
    },
    response: asIs,
    refused: [
      { body: { reveals: [] } },
      { body: { reveals: Array(501).fill({ bid: BID, salt: SALT }) } },
      { body: { reveals: [{ bid: BID, salt: SALT.slice(2) }] } },
      { body: { reveals: [{ bid: { ...BID, note: 'x' }, salt: SALT }] } },
    ],
  },
  {
    method: 'POST',
    url: `/v1/market/intervals/${IID}/violations`,
    roles: ['trading', 'regulator', 'admin'],
    org: 'trading',
    status: 200,
    call: { kind: 'submit', contract: 'market', tx: 'RecordUnrevealedViolations', args: [IID] },
    response: spread,
  },
  {
    method: 'POST',
    url: `/v1/market/intervals/${IID}/clearing`,
    roles: ['trading', 'admin'],
    org: 'trading',
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
    org: 'regulator',
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
    url: '/v1/market/intervals?pageSize=20&bookmark=k1',
    roles: ANY,
    status: 200,
    call: { kind: 'evaluate', contract: 'market', tx: 'ListIntervals', args: ['20', 'k1'] },
    response: asIs,
    refused: [
      { url: '/v1/market/intervals?pageSize=1001' },
      { url: '/v1/market/intervals?pageSize=0' },
      { url: '/v1/market/intervals?phase=open' },
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
    call: { kind: 'evaluate', contract: 'market', tx: 'ListVppViolations', args: ['vpp-north', '100', ''] },
    response: asIs,
  },
  {
    method: 'GET',
    url: '/v1/market/vpps/vpp-north/violations?pageSize=1000&bookmark=k2',
    roles: ANY,
    status: 200,
    call: {
      kind: 'evaluate',
      contract: 'market',
      tx: 'ListVppViolations',
      args: ['vpp-north', '1000', 'k2'],
    },
    response: asIs,
    refused: [
      { url: '/v1/market/vpps/vpp-north/violations?pageSize=1001' },
      { url: '/v1/market/vpps/vpp-north/violations?pageSize=0' },
      { url: '/v1/market/vpps/vpp-north/violations?offset=5' },
    ],
  },
  {
    method: 'POST',
    url: `/v1/dispatch/${IID}/vpp-north`,
    roles: ['control', 'admin'],
    org: 'control',
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
    case 'CommitBids':
    case 'RevealBids':
      return PORTFOLIO_OUTCOME;
    case 'ListVppViolations':
      return { violations: [RECORD], bookmark: 'k3' };
    case 'ListIntervals':
      return { intervals: [{ interval: RECORD, phase: 'closed' }], bookmark: 'k2' };
    default:
      return RECORD;
  }
}

type OrgName = 'cvpp' | 'trading' | 'control' | 'regulator';
const MSP_OF: Record<OrgName, string> = {
  cvpp: 'CvppMSP',
  trading: 'TradingMSP',
  control: 'ControlMSP',
  regulator: 'RegulatorMSP',
};

describe('gateway/routes market and dispatch', () => {
  const gateways = new Map<OrgName, TestGateway>();
  let app: FastifyInstance;
  const appOf = (org: OrgName) => gateways.get(org)!.app;
  const ledger = new FakeLedger({ txId: 'tx-1', answer: { ok: true } });
  const send = (route: RouteCase, role: ApiRole, override: { url?: string; body?: unknown } = {}) =>
    appOf(route.org ?? 'cvpp').inject({
      method: route.method,
      url: override.url ?? route.url,
      headers: bearer(tokenFor(appOf(route.org ?? 'cvpp'), role, MSP_OF[route.org ?? 'cvpp'])),
      ...('body' in override || route.body !== undefined
        ? { payload: (override.body ?? route.body) as object }
        : {}),
    });

  before(async () => {
    for (const org of Object.keys(MSP_OF) as OrgName[])
      gateways.set(org, await openGateway(org, { fabric: ledger.port }, `gw-market-${org}-`));
    app = appOf('cvpp');
  });
  after(async () => {
    for (const gateway of gateways.values()) await gateway.close();
  });
  beforeEach(() => ledger.reset());

  it('should declare exactly the documented roles on every market and dispatch route', () => {
    // The market calendar's routes have their own test (calendar.test.ts).
    const table = app.routeTable.filter((r) => /^\/v1\/(market\/(?!calendar)|dispatch\/)/.test(r.url));
    const patternOf = (route: RouteCase) =>
      route.url.split('?')[0]!.replace(IID, ':intervalId').replace('vpp-north', ':vppId');
    assert.equal(table.length, new Set(CASES.map((c) => `${c.method} ${patternOf(c)}`)).size);
    for (const route of CASES) {
      const pattern = patternOf(route);
      const entry = table.find((r) => r.method === route.method && r.url === pattern);
      assert.ok(entry, `${route.method} ${pattern} is registered`);
      assert.deepEqual([...entry.roles].sort(), [...route.roles].sort(), `${route.method} ${pattern}`);
    }
  });

  for (const route of CASES) {
    describe(`${route.method} ${route.url}`, () => {
      const answer = answerFor(route);
      routeCaseTests({
        ledger,
        roles: route.roles,
        status: route.status,
        call: route.call,
        answer,
        response: route.response(answer),
        send: (role, malformed?: { url?: string; body?: unknown }) => send(route, role, malformed),
        refused: route.refused,
      });
    });
  }

  it('should take a full portfolio of 500 reveals, larger than the default body limit', async () => {
    ledger.answer = PORTFOLIO_OUTCOME;
    const reveals = Array.from({ length: 500 }, (_, i) => ({ bid: { ...BID, bidId: `b-${i}` }, salt: SALT }));
    assert.ok(JSON.stringify({ reveals }).length > 64 * 1024);
    const res = await app.inject({
      method: 'POST',
      url: `/v1/market/intervals/${IID}/reveals/batch`,
      headers: bearer(tokenFor(app, 'operator', MSP_OF.cvpp)),
      payload: { reveals },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), PORTFOLIO_OUTCOME);
    assert.deepEqual(ledger.calls, [
      { kind: 'submit', contract: 'market', tx: 'RevealBids', args: [IID, JSON.stringify(reveals)] },
    ]);
  });

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
      const pattern = route.url.split('?')[0]!.replace(IID, '{intervalId}').replace('vpp-north', '{vppId}');
      const operation = spec.paths[pattern]?.[route.method.toLowerCase()];
      assert.ok(operation, `${route.method} ${pattern} documented`);
      assert.deepEqual(operation.tags, [pattern.startsWith('/v1/dispatch') ? 'dispatch' : 'market']);
    }
  });
});
