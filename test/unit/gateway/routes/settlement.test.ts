// The settlement routes with app.inject and a fake ledger: who may call, what reaches the chaincode
// (contract, transaction, arguments), what comes back, and what is refused before Fabric.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../../../gateway/src/core/api-error';
import { API_ROLES, type ApiRole } from '../../../../gateway/src/core/roles';
import { bearer, FakeLedger, openGateway, routeCaseTests, tokenFor } from '../../../support/route-harness';
import type { FabricCall, TestGateway } from '../../../support/route-harness';

const IID = 'i-20260102-1200-up';
const VPP = 'vpp-north';
const DER = 'pv-001';
const ANY = API_ROLES;
const SETTLERS: readonly ApiRole[] = ['trading', 'operator', 'regulator', 'admin'];

// Ledger answers shaped as the chaincode returns them (fields abbreviated; the schemas keep extras).
const VPP_LINE = {
  intervalId: IID,
  intervalStart: '2026-01-02T12:00:00.000Z',
  vppId: VPP,
  awardId: 'tx-clear',
  awardedWh: 2000,
  clearingPrice: 300_000,
  deliveredWh: 1900,
  netToDersMinor: 542,
  ruleVersion: 1,
  inputsHash: 'ab'.repeat(32),
  someFutureField: { kept: true },
};
const DER_LINE = { intervalId: IID, vppId: VPP, derId: DER, deliveredWh: 1500, amountMinor: 428 };
const SETTLEMENT = { vppLine: VPP_LINE, derLines: [DER_LINE] };
const DER_TOTALS = { intervalCount: 1, readingCount: 2, deliveredWh: 1500, amountMinor: 428 };

interface RouteCase {
  method: 'GET' | 'POST';
  url: string;
  /** The registered route pattern. */
  pattern: string;
  roles: readonly ApiRole[];
  status: number;
  call: FabricCall;
  answer: unknown;
  /** The response for the ledger's answer. */
  response: unknown;
  /** URLs the schema must refuse with 400 before any ledger call. */
  refused?: string[];
}

const SETTLE_ANSWER = {
  ...SETTLEMENT,
  creditEvent: { eventType: 'DELIVERY_WITHIN_TOLERANCE' },
  scoreRecords: [{ indicator: 'DELIVERY_ACCURACY', delta: 10 }],
  standing: { level: 'A', penaltyFactorPermille: 1200 },
};
const DER_STATEMENT = {
  derId: DER,
  period: '2026-01',
  unit: 'month',
  periods: [{ period: '2026-01', ...DER_TOTALS }],
  total: DER_TOTALS,
  lines: [DER_LINE],
};
const VPP_STATEMENT = {
  vppId: VPP,
  period: '2026-01-02',
  unit: 'day',
  periods: [],
  total: { intervalCount: 0, readingCount: 0, deliveredWh: 0 },
  lines: [],
};

const CASES: RouteCase[] = [
  {
    method: 'POST',
    url: `/v1/settlement/${IID}/${VPP}`,
    pattern: '/v1/settlement/:intervalId/:vppId',
    roles: SETTLERS,
    status: 201,
    call: { kind: 'submit', contract: 'settlement', tx: 'SettleInterval', args: [IID, VPP] },
    answer: SETTLE_ANSWER,
    response: { ...SETTLE_ANSWER, txId: 'tx-settle-1' },
    refused: [`/v1/settlement/${IID}/-vpp`, `/v1/settlement/bad%20id/${VPP}`, `/v1/settlement/${IID}/a:b`],
  },
  {
    method: 'GET',
    url: `/v1/settlement/${IID}/${VPP}`,
    pattern: '/v1/settlement/:intervalId/:vppId',
    roles: ANY,
    status: 200,
    call: { kind: 'evaluate', contract: 'settlement', tx: 'GetVppSettlement', args: [IID, VPP] },
    answer: SETTLEMENT,
    response: SETTLEMENT,
    refused: [`/v1/settlement/${IID}/vpp%20north`],
  },
  {
    method: 'GET',
    url: `/v1/settlement/${IID}/${VPP}/verify`,
    pattern: '/v1/settlement/:intervalId/:vppId/verify',
    roles: ANY,
    status: 200,
    call: { kind: 'evaluate', contract: 'settlement', tx: 'VerifySettlement', args: [IID, VPP] },
    answer: { matches: false, stored: SETTLEMENT, recomputed: SETTLEMENT, differences: ['vppLine.feeMinor'] },
    response: {
      matches: false,
      stored: SETTLEMENT,
      recomputed: SETTLEMENT,
      differences: ['vppLine.feeMinor'],
    },
  },
  {
    method: 'GET',
    url: `/v1/ders/${DER}/statement?period=2026-01&unit=month`,
    pattern: '/v1/ders/:derId/statement',
    roles: ANY,
    status: 200,
    call: {
      kind: 'evaluate',
      contract: 'settlement',
      tx: 'GetDerStatement',
      args: [DER, '2026-01', 'month'],
    },
    answer: DER_STATEMENT,
    response: DER_STATEMENT,
    refused: [
      `/v1/ders/${DER}/statement`,
      `/v1/ders/${DER}/statement?period=2026-13`,
      `/v1/ders/${DER}/statement?period=2026-1-02`,
      `/v1/ders/${DER}/statement?period=2026-01&unit=week`,
      `/v1/ders/${DER}/statement?period=2026-01&extra=1`,
      `/v1/ders/-der/statement?period=2026-01`,
    ],
  },
  {
    method: 'GET',
    url: `/v1/vpps/${VPP}/statement?period=2026-01-02`,
    pattern: '/v1/vpps/:vppId/statement',
    roles: ANY,
    status: 200,
    call: {
      kind: 'evaluate',
      contract: 'settlement',
      tx: 'GetVppStatement',
      args: [VPP, '2026-01-02', 'day'],
    },
    answer: VPP_STATEMENT,
    response: VPP_STATEMENT,
    refused: [`/v1/vpps/${VPP}/statement?period=January`, `/v1/vpps/${VPP}/statement?unit=day`],
  },
];

describe('gateway/routes settlement', () => {
  let gateway: TestGateway;
  let app: FastifyInstance;
  const ledger = new FakeLedger({ txId: 'tx-settle-1' });
  const send = (route: RouteCase, role: ApiRole, url = route.url) =>
    app.inject({ method: route.method, url, headers: bearer(tokenFor(app, role, 'TradingMSP')) });

  before(async () => {
    gateway = await openGateway('trading', { fabric: ledger.port }, 'gw-settlement-');
    app = gateway.app;
  });
  after(() => gateway.close());
  beforeEach(() => ledger.reset());

  it('should declare exactly the documented roles on every settlement route', () => {
    const table = app.routeTable.filter(
      (r) => r.url.startsWith('/v1/settlement/') || r.url.endsWith('/statement'),
    );
    assert.equal(table.length, CASES.length);
    for (const route of CASES) {
      const entry = table.find((r) => r.method === route.method && r.url === route.pattern);
      assert.ok(entry, `${route.method} ${route.pattern} is registered`);
      assert.deepEqual([...entry.roles].sort(), [...route.roles].sort(), `${route.method} ${route.pattern}`);
    }
  });

  for (const route of CASES) {
    describe(`${route.method} ${route.url}`, () => {
      routeCaseTests({
        ledger,
        roles: route.roles,
        status: route.status,
        call: route.call,
        answer: route.answer,
        response: route.response,
        send: (role, url?: string) => send(route, role, url),
        refused: route.refused,
      });
    });
  }

  it('should answer 401 without a token', async () => {
    const res = await app.inject({ method: 'POST', url: `/v1/settlement/${IID}/${VPP}` });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(ledger.calls, []);
  });

  it('should pass chaincode refusals through with their status and code', async () => {
    const settle = CASES[0]!;
    for (const [status, code] of [
      [422, 'INVALID_STATE'],
      [409, 'ALREADY_SETTLED'],
      [404, 'NOT_FOUND'],
    ] as const) {
      ledger.failure = new ApiError(status, code, `refused: ${code}`, undefined, 'tx-9');
      const res = await send(settle, 'trading');
      assert.equal(res.statusCode, status);
      assert.deepEqual(res.json(), { error: { code, message: `refused: ${code}`, txId: 'tx-9' } });
    }
  });

  it('should document every route in OpenAPI under the settlement tag', () => {
    const spec = app.swagger() as {
      paths: Record<string, Record<string, { tags?: string[]; parameters?: { name: string; in: string }[] }>>;
    };
    for (const route of CASES) {
      const pattern = route.pattern.replace(/:(\w+)/g, '{$1}');
      const operation = spec.paths[pattern]?.[route.method.toLowerCase()];
      assert.ok(operation, `${route.method} ${pattern} documented`);
      assert.deepEqual(operation.tags, ['settlement']);
    }
    const statement = spec.paths['/v1/ders/{derId}/statement']!.get!;
    assert.deepEqual(
      statement.parameters!.filter((p) => p.in === 'query').map((p) => p.name),
      ['period', 'unit'],
    );
  });
});
