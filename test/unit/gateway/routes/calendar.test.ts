// The market calendar routes with app.inject and a fake ledger: who may call, what reaches the
// chaincode (contract, transaction, arguments), what comes back, and what is refused before Fabric.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DEFAULT_MARKET_CALENDAR } from '../../../../chaincode/src/domain/market/calendar';
import { API_ROLES, type ApiRole } from '../../../../gateway/src/core/roles';
import { bearer, FakeLedger, openGateway, routeCaseTests, tokenFor } from '../../../support/route-harness';
import type { FabricCall, TestGateway } from '../../../support/route-harness';

const VERSION = { ...DEFAULT_MARKET_CALENDAR, version: 2, effectiveFrom: '2026-03-01T00:00:00.000Z' };
const BODY = {
  ...DEFAULT_MARKET_CALENDAR,
  meteringIntervalSeconds: 300,
  effectiveFrom: '2026-03-01T00:00:00.000Z',
};
const REGULATOR: readonly ApiRole[] = ['regulator', 'admin'];

interface RouteCase {
  method: 'GET' | 'POST';
  url: string;
  pattern: string;
  roles: readonly ApiRole[];
  body?: unknown;
  status: number;
  call: FabricCall;
  /** What the ledger answers; one version unless said otherwise. */
  answer?: unknown;
  response: unknown;
  refused?: { url?: string; body?: unknown }[];
}

const evaluate = (tx: string, args: string[]): FabricCall => ({
  kind: 'evaluate',
  contract: 'calendar',
  tx,
  args,
});

const CASES: RouteCase[] = [
  {
    method: 'GET',
    url: '/v1/market/calendar?at=2026-03-01T00:00:00.000Z',
    pattern: '/v1/market/calendar',
    roles: API_ROLES,
    status: 200,
    call: evaluate('GetMarketCalendarInForce', ['2026-03-01T00:00:00.000Z']),
    response: VERSION,
    refused: [{ url: '/v1/market/calendar?at=tomorrow' }, { url: '/v1/market/calendar?when=now' }],
  },
  {
    method: 'GET',
    url: '/v1/market/calendar/versions',
    pattern: '/v1/market/calendar/versions',
    roles: API_ROLES,
    status: 200,
    call: evaluate('ListMarketCalendarVersions', []),
    answer: [VERSION, VERSION],
    response: [VERSION, VERSION],
  },
  {
    method: 'GET',
    url: '/v1/market/calendar/versions/2',
    pattern: '/v1/market/calendar/versions/:version',
    roles: API_ROLES,
    status: 200,
    call: evaluate('GetMarketCalendar', ['2']),
    response: VERSION,
    refused: [{ url: '/v1/market/calendar/versions/0' }, { url: '/v1/market/calendar/versions/two' }],
  },
  {
    method: 'POST',
    url: '/v1/market/calendar',
    pattern: '/v1/market/calendar',
    roles: REGULATOR,
    body: BODY,
    status: 201,
    call: { kind: 'submit', contract: 'calendar', tx: 'PublishMarketCalendar', args: [JSON.stringify(BODY)] },
    response: { record: VERSION, txId: 'tx-calendar-1' },
    refused: [
      { body: { ...BODY, version: 3 } },
      { body: { ...BODY, meteringIntervalSeconds: 0 } },
      { body: { ...BODY, meteringIntervalSeconds: 3_601 } },
      { body: { ...BODY, readingWindowSeconds: 2.5 } },
      { body: { ...BODY, effectiveFrom: '2026-03-01' } },
      { body: { ...BODY, description: '' } },
    ],
  },
];

describe('gateway/routes calendar', () => {
  const ledger = new FakeLedger({ txId: 'tx-calendar-1' });
  let gateway: TestGateway;

  before(async () => {
    gateway = await openGateway('regulator', { fabric: ledger.port }, 'gw-calendar-');
  });
  after(() => gateway.close());
  beforeEach(() => ledger.reset());

  it('should declare exactly the documented roles on every calendar route', () => {
    const table = gateway.app.routeTable.filter((r) => r.url.startsWith('/v1/market/calendar'));
    assert.deepEqual(
      table.map((r) => [r.method, r.url, [...r.roles].sort()]).sort(),
      CASES.map((c) => [c.method, c.pattern, [...c.roles].sort()]).sort(),
    );
  });

  for (const route of CASES) {
    describe(`${route.method} ${route.url}`, () => {
      routeCaseTests({
        ledger,
        roles: route.roles,
        status: route.status,
        call: route.call,
        answer: route.answer ?? VERSION,
        response: route.response,
        send: (role, malformed?: { url?: string; body?: unknown }) =>
          gateway.app.inject({
            method: route.method,
            url: malformed?.url ?? route.url,
            headers: bearer(tokenFor(gateway.app, role, 'RegulatorMSP')),
            ...((malformed?.body ?? route.body) === undefined
              ? {}
              : { payload: (malformed?.body ?? route.body) as object }),
          }),
        refused: route.refused,
      });
    });
  }
});
