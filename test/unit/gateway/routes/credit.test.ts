// The credit routes with app.inject and a fake ledger: who may call, what reaches the chaincode
// (contract, transaction, arguments), what comes back, and what is refused before Fabric.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_RULEBOOK } from '../../../../chaincode/src/domain/credit/default-rulebook';
import { ApiError } from '../../../../gateway/src/core/api-error';
import { API_ROLES, type ApiRole } from '../../../../gateway/src/core/roles';
import { bearer, FakeLedger, openGateway, routeCaseTests, tokenFor } from '../../../support/route-harness';
import type { FabricCall, TestGateway } from '../../../support/route-harness';

type Org = 'regulator' | 'control' | 'trading' | 'cvpp';
const MSP_OF: Record<Org, string> = {
  regulator: 'RegulatorMSP',
  control: 'ControlMSP',
  trading: 'TradingMSP',
  cvpp: 'CvppMSP',
};

const VERSION = { version: 2, effectiveFrom: '2026-03-01T00:00:00.000Z', levels: [{ level: 'A' }] };
const STANDING = {
  participant: { type: 'vpp', id: 'vpp-north' },
  score: 745,
  level: 'A',
  suspended: false,
  bidQuotaWh: 20_000_000,
  penaltyFactorPermille: 1200,
  ruleVersion: 1,
  at: '2026-03-01T00:00:00.000Z',
  indicators: { VIOLATIONS: 1000, DELIVERY_ACCURACY: 700 },
  suspension: null,
};
const SUSPENSION = {
  participant: { type: 'der', id: 'pv-001' },
  status: 'suspended',
  reason: 'meter tampering',
  by: { mspId: 'RegulatorMSP', role: 'regulator' },
  at: '2026-03-01T00:00:00.000Z',
  txId: 'tx-credit-1',
};
const RULEBOOK_BODY = { ...DEFAULT_RULEBOOK, effectiveFrom: '2026-03-01T00:00:00.000Z' };
const VIOLATION_BODY = { participant: { type: 'der', id: 'pv-001' }, eventType: 'VIOLATION' };

interface RouteCase {
  method: 'GET' | 'POST';
  url: string;
  /** The route pattern as registered. */
  pattern: string;
  roles: readonly ApiRole[];
  body?: unknown;
  status: number;
  answer: unknown;
  call: FabricCall;
  /** The reply for the ledger answer. */
  reply: (answer: unknown) => unknown;
  /** Requests the schema must refuse with 400 VALIDATION_FAILED before any ledger call. */
  refused?: { url?: string; body?: unknown }[];
}

const asIs = (answer: unknown) => answer;
const withTx = (answer: unknown) => ({ record: answer, txId: 'tx-credit-1' });
const ANY = API_ROLES;
const REGULATOR: readonly ApiRole[] = ['regulator', 'admin'];

const CASES: RouteCase[] = [
  {
    method: 'GET',
    url: '/v1/credit/rulebook',
    pattern: '/v1/credit/rulebook',
    roles: ANY,
    status: 200,
    answer: VERSION,
    call: { kind: 'evaluate', contract: 'credit', tx: 'GetRulebookInForce', args: [''] },
    reply: asIs,
    refused: [{ url: '/v1/credit/rulebook?at=yesterday' }, { url: '/v1/credit/rulebook?when=now' }],
  },
  {
    method: 'GET',
    url: '/v1/credit/rulebook?at=2026-02-01T00:00:00.000Z',
    pattern: '/v1/credit/rulebook',
    roles: ANY,
    status: 200,
    answer: VERSION,
    call: {
      kind: 'evaluate',
      contract: 'credit',
      tx: 'GetRulebookInForce',
      args: ['2026-02-01T00:00:00.000Z'],
    },
    reply: asIs,
  },
  {
    method: 'GET',
    url: '/v1/credit/rulebook/versions',
    pattern: '/v1/credit/rulebook/versions',
    roles: ANY,
    status: 200,
    answer: [VERSION, VERSION],
    call: { kind: 'evaluate', contract: 'credit', tx: 'ListRulebookVersions', args: [] },
    reply: asIs,
  },
  {
    method: 'GET',
    url: '/v1/credit/rulebook/versions/2',
    pattern: '/v1/credit/rulebook/versions/:version',
    roles: ANY,
    status: 200,
    answer: VERSION,
    call: { kind: 'evaluate', contract: 'credit', tx: 'GetRulebook', args: ['2'] },
    reply: asIs,
    refused: [{ url: '/v1/credit/rulebook/versions/0' }, { url: '/v1/credit/rulebook/versions/two' }],
  },
  {
    method: 'POST',
    url: '/v1/credit/rulebook',
    pattern: '/v1/credit/rulebook',
    roles: REGULATOR,
    body: RULEBOOK_BODY,
    status: 201,
    answer: VERSION,
    call: {
      kind: 'submit',
      contract: 'credit',
      tx: 'PublishRulebook',
      args: [JSON.stringify(RULEBOOK_BODY)],
    },
    reply: withTx,
    refused: [
      { body: { ...RULEBOOK_BODY, version: 3 } },
      { body: { ...RULEBOOK_BODY, description: undefined } },
      { body: { ...RULEBOOK_BODY, effectiveFrom: '2026-03-01' } },
      { body: { ...RULEBOOK_BODY, indicators: [] } },
      { body: { ...RULEBOOK_BODY, indicators: [{ id: 'lower_case', weight: 100, initialScore: 500 }] } },
      { body: { ...RULEBOOK_BODY, events: [{ eventType: 'BRIBERY', effects: [] }] } },
      { body: { ...RULEBOOK_BODY, levels: [RULEBOOK_BODY.levels[0]] } },
      {
        body: {
          ...RULEBOOK_BODY,
          levels: [{ ...RULEBOOK_BODY.levels[0], bidQuotaWh: 0 }, RULEBOOK_BODY.levels[1]],
        },
      },
    ],
  },
  {
    method: 'GET',
    url: '/v1/credit/participants/vpp/vpp-north',
    pattern: '/v1/credit/participants/:type/:id',
    roles: ANY,
    status: 200,
    answer: STANDING,
    call: { kind: 'evaluate', contract: 'credit', tx: 'GetCreditStanding', args: ['vpp', 'vpp-north'] },
    reply: asIs,
    refused: [
      { url: '/v1/credit/participants/site/vpp-north' },
      { url: '/v1/credit/participants/vpp/bad%20id' },
    ],
  },
  {
    method: 'GET',
    url: '/v1/credit/participants/der/pv-001/records?pageSize=25&bookmark=next-key',
    pattern: '/v1/credit/participants/:type/:id/records',
    roles: ANY,
    status: 200,
    answer: {
      records: [{ indicator: 'VIOLATIONS', delta: -200 }],
      keys: [['der', 'pv-001', '2026-01-01T00:00:00.000Z', 'tx-1', '000000', 'VIOLATIONS']],
      bookmark: 'more',
    },
    call: {
      kind: 'evaluate',
      contract: 'credit',
      tx: 'ListScoreRecords',
      args: ['der', 'pv-001', '25', 'next-key'],
    },
    reply: asIs,
    refused: [
      { url: '/v1/credit/participants/der/pv-001/records?pageSize=0' },
      { url: '/v1/credit/participants/der/pv-001/records?pageSize=1001' },
      { url: '/v1/credit/participants/der/pv-001/records?page=2' },
    ],
  },
  {
    method: 'GET',
    url: '/v1/credit/participants/der/pv-001/records',
    pattern: '/v1/credit/participants/:type/:id/records',
    roles: ANY,
    status: 200,
    answer: { records: [], keys: [], bookmark: '' },
    call: {
      kind: 'evaluate',
      contract: 'credit',
      tx: 'ListScoreRecords',
      args: ['der', 'pv-001', '100', ''],
    },
    reply: asIs,
  },
  {
    method: 'GET',
    url: '/v1/credit/ranking/der',
    pattern: '/v1/credit/ranking/:type',
    roles: ANY,
    status: 200,
    answer: {
      participantType: 'der',
      at: '2026-03-01T00:00:00.000Z',
      ruleVersion: 1,
      ranking: [
        { rank: 1, participant: { type: 'der', id: 'pv-001' }, score: 746, level: 'A', suspended: false },
      ],
    },
    call: { kind: 'evaluate', contract: 'credit', tx: 'RankParticipants', args: ['der'] },
    reply: asIs,
    refused: [{ url: '/v1/credit/ranking/everyone' }],
  },
  {
    method: 'POST',
    url: '/v1/credit/participants/der/pv-001/suspend',
    pattern: '/v1/credit/participants/:type/:id/suspend',
    roles: REGULATOR,
    body: { reason: 'meter tampering' },
    status: 200,
    answer: SUSPENSION,
    call: {
      kind: 'submit',
      contract: 'credit',
      tx: 'SuspendParticipant',
      args: [JSON.stringify({ type: 'der', id: 'pv-001' }), 'meter tampering'],
    },
    reply: withTx,
    refused: [
      { body: {} },
      { body: { reason: '' } },
      { body: { reason: 'x'.repeat(501) } },
      { body: { reason: 'ok', until: 'tomorrow' } },
      { url: '/v1/credit/participants/org/pv-001/suspend' },
    ],
  },
  {
    method: 'POST',
    url: '/v1/credit/participants/vpp/vpp-north/reinstate',
    pattern: '/v1/credit/participants/:type/:id/reinstate',
    roles: REGULATOR,
    body: { reason: 'audit passed' },
    status: 200,
    answer: { ...SUSPENSION, status: 'reinstated' },
    call: {
      kind: 'submit',
      contract: 'credit',
      tx: 'ReinstateParticipant',
      args: [JSON.stringify({ type: 'vpp', id: 'vpp-north' }), 'audit passed'],
    },
    reply: withTx,
    refused: [{ body: { reason: { text: 'audit passed' } } }, { body: { note: 'audit passed' } }],
  },
  {
    // In the regulator's gateway only the regulator's staff and admins get through (see below).
    method: 'POST',
    url: '/v1/credit/events',
    pattern: '/v1/credit/events',
    roles: ['control', 'trading', 'regulator', 'admin'],
    body: VIOLATION_BODY,
    status: 201,
    answer: { event: VIOLATION_BODY, records: [] },
    call: {
      kind: 'submit',
      contract: 'credit',
      tx: 'RecordCreditEvent',
      args: [JSON.stringify(VIOLATION_BODY)],
    },
    reply: withTx,
    refused: [
      { body: { ...VIOLATION_BODY, txId: 'forged' } },
      { body: { ...VIOLATION_BODY, eventType: 'BRIBERY' } },
      { body: { ...VIOLATION_BODY, participant: { type: 'der' } } },
      { body: { ...VIOLATION_BODY, participant: { type: 'der', id: 'pv-001', extra: 1 } } },
      { body: { ...VIOLATION_BODY, intervalId: ' padded ' } },
    ],
  },
];

describe('gateway/routes credit', () => {
  const ledger = new FakeLedger({ txId: 'tx-credit-1' });
  const gateways = new Map<Org, TestGateway>();

  const appOf = (org: Org): FastifyInstance => {
    const gateway = gateways.get(org);
    assert.ok(gateway, `app of ${org}`);
    return gateway.app;
  };
  const send = (org: Org, role: ApiRole, request: { method: 'GET' | 'POST'; url: string; body?: unknown }) =>
    appOf(org).inject({
      method: request.method,
      url: request.url,
      headers: bearer(tokenFor(appOf(org), role, MSP_OF[org])),
      ...(request.body === undefined ? {} : { payload: request.body as object }),
    });

  before(async () => {
    for (const org of ['regulator', 'control', 'trading', 'cvpp'] as const) {
      gateways.set(org, await openGateway(org, { fabric: ledger.port }, `gw-credit-${org}-`));
    }
  });
  after(async () => {
    for (const gateway of gateways.values()) await gateway.close();
  });
  beforeEach(() => ledger.reset());

  it('should declare exactly the documented roles on every credit route', () => {
    const table = appOf('regulator').routeTable.filter((r) => r.url.startsWith('/v1/credit/'));
    const expected = new Map(CASES.map((c) => [`${c.method} ${c.pattern}`, c.roles]));
    assert.equal(table.length, expected.size);
    for (const entry of table) {
      const roles = expected.get(`${entry.method} ${entry.url}`);
      assert.ok(roles, `${entry.method} ${entry.url} is a documented route`);
      assert.deepEqual([...entry.roles].sort(), [...roles].sort(), `${entry.method} ${entry.url}`);
    }
  });

  for (const route of CASES) {
    describe(`${route.method} ${route.url}`, () => {
      const passing = route.pattern === '/v1/credit/events' ? (['regulator', 'admin'] as const) : route.roles;
      routeCaseTests({
        ledger,
        roles: route.roles,
        passing,
        status: route.status,
        call: route.call,
        answer: route.answer,
        response: route.reply(route.answer),
        send: (role, malformed?: { url?: string; body?: unknown }) =>
          send('regulator', role, { ...route, ...malformed }),
        refused: route.refused,
      });
    });
  }

  describe('POST /v1/credit/events in each organisation', () => {
    const post = (org: Org, role: ApiRole, body: unknown) =>
      send(org, role, { method: 'POST', url: '/v1/credit/events', body });
    const missedAck = {
      participant: { type: 'vpp', id: 'vpp-north' },
      eventType: 'DISPATCH_NOT_ACKNOWLEDGED',
      intervalId: 'i-20260301-1200-up',
    };
    const unrevealed = { ...missedAck, eventType: 'BID_NOT_REVEALED' };

    it('should pass what the organisation supervises to the chaincode', async () => {
      for (const [org, role, body] of [
        ['control', 'control', missedAck],
        ['control', 'admin', missedAck],
        ['regulator', 'regulator', VIOLATION_BODY],
      ] as const) {
        ledger.calls = [];
        const res = await post(org, role, body);
        assert.equal(res.statusCode, 201, `${org}/${role}: ${res.body}`);
        assert.deepEqual(ledger.calls, [
          { kind: 'submit', contract: 'credit', tx: 'RecordCreditEvent', args: [JSON.stringify(body)] },
        ]);
      }
    });

    it('should refuse other event types and organisations with 403, and wrong participants with 422, before Fabric', async () => {
      const cases: [Org, ApiRole, unknown, number, RegExp][] = [
        ['regulator', 'control', VIOLATION_BODY, 403, /RegulatorMSP \(role control\)/],
        ['regulator', 'regulator', missedAck, 403, /may record VIOLATION/],
        ['control', 'control', VIOLATION_BODY, 403, /may record DISPATCH_NOT_ACKNOWLEDGED/],
        [
          'control',
          'control',
          { ...missedAck, eventType: 'DISPATCH_ACKNOWLEDGED' },
          403,
          /DISPATCH_ACKNOWLEDGED/,
        ],
        // The market records unrevealed bids itself; the trading centre is told so, not only refused.
        ['trading', 'trading', unrevealed, 403, /the market records it itself/],
        ['trading', 'admin', unrevealed, 403, /the market records it itself/],
        ['regulator', 'regulator', unrevealed, 403, /the market records it itself/],
        ['trading', 'admin', missedAck, 403, /may record no event type/],
        ['cvpp', 'admin', VIOLATION_BODY, 403, /may record no event type/],
        ['cvpp', 'operator', VIOLATION_BODY, 403, /role operator may not call this route/],
        ['control', 'control', { ...missedAck, participant: { type: 'der', id: 'pv-001' } }, 422, /type vpp/],
        ['control', 'control', { ...missedAck, intervalId: undefined }, 422, /intervalId/],
      ];
      for (const [org, role, body, status, message] of cases) {
        const res = await post(org, role, body);
        assert.equal(res.statusCode, status, `${org}/${role}: ${res.body}`);
        assert.match(res.json().error.message, message);
      }
      assert.deepEqual(ledger.calls, []);
    });
  });

  it('should answer 401 without a token', async () => {
    const res = await appOf('cvpp').inject({ method: 'GET', url: '/v1/credit/rulebook' });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(ledger.calls, []);
  });

  it('should pass chaincode refusals through with their status and code', async () => {
    ledger.failure = new ApiError(
      422,
      'INVALID_STATE',
      'der "pv-001" is already suspended',
      undefined,
      'tx-9',
    );
    const res = await send('regulator', 'regulator', {
      method: 'POST',
      url: '/v1/credit/participants/der/pv-001/suspend',
      body: { reason: 'again' },
    });
    assert.equal(res.statusCode, 422);
    assert.deepEqual(res.json(), {
      error: { code: 'INVALID_STATE', message: 'der "pv-001" is already suspended', txId: 'tx-9' },
    });
  });

  it('should document every route in OpenAPI under the credit tag', () => {
    const spec = appOf('cvpp').swagger() as { paths: Record<string, Record<string, { tags?: string[] }>> };
    for (const route of CASES) {
      const openApiPath = route.pattern.replace(/:(\w+)/g, '{$1}');
      const operation = spec.paths[openApiPath]?.[route.method.toLowerCase()];
      assert.ok(operation, `${route.method} ${openApiPath} documented`);
      assert.deepEqual(operation.tags, ['credit']);
    }
  });
});
