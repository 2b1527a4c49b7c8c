// Routes bound to organisations: the route table names them, OpenAPI says so, and on any other org's
// gateway a user with a declared role gets 403 ORG_NOT_ALLOWED before the ledger is called.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { buildApp, type RouteEntry } from '../../../../gateway/src/app';
import { loadConfig } from '../../../../gateway/src/config';
import {
  bearer,
  FakeLedger,
  fakeRaPort,
  openGateway,
  tokenFor,
  type TestGateway,
} from '../../../support/route-harness';

const MSP_OF = {
  cvpp: 'CvppMSP',
  trading: 'TradingMSP',
  control: 'ControlMSP',
  regulator: 'RegulatorMSP',
} as const;
type OrgName = keyof typeof MSP_OF;
const ORGS = Object.keys(MSP_OF) as OrgName[];

/** Every org-bound route and its organisations: the chaincode reserves its transaction to them. */
const ORG_BOUND: Record<string, readonly OrgName[]> = {
  'POST /v1/market/calendar': ['regulator'],
  'POST /v1/credit/rulebook': ['regulator'],
  'POST /v1/proofs/checkpoints': ['regulator'],
  'POST /v1/credit/participants/:type/:id/suspend': ['regulator'],
  'POST /v1/credit/participants/:type/:id/reinstate': ['regulator'],
  'PUT /v1/market/quotas/:vppId': ['regulator'],
  'GET /v1/ledger/history': ['regulator'],
  'POST /v1/market/intervals': ['trading'],
  'POST /v1/market/intervals/:intervalId/clearing': ['trading'],
  'POST /v1/market/intervals/:intervalId/violations': ['trading', 'regulator'],
  'POST /v1/market/intervals/:intervalId/demand': ['control'],
  'POST /v1/dispatch/:intervalId/:vppId': ['control'],
  'POST /v1/market/intervals/:intervalId/commitments': ['cvpp'],
  'POST /v1/market/intervals/:intervalId/reveals': ['cvpp'],
  'POST /v1/market/intervals/:intervalId/commitments/batch': ['cvpp'],
  'POST /v1/market/intervals/:intervalId/reveals/batch': ['cvpp'],
  'POST /v1/dispatch/:intervalId/:vppId/ack': ['cvpp'],
  'POST /v1/dispatch/:intervalId/:vppId/setpoints': ['cvpp'],
  'POST /v1/vpps': ['cvpp'],
  'POST /v1/ders': ['cvpp'],
  'POST /v1/ders/batch': ['cvpp'],
  'POST /v1/ders/:derId/suspend': ['cvpp', 'regulator'],
  'POST /v1/ders/:derId/reinstate': ['cvpp', 'regulator'],
  'POST /v1/devices/:derId/revoke': ['cvpp'],
  'PUT /v1/ders/:derId/owner': ['cvpp'],
  'GET /v1/ders/:derId/owner': ['cvpp', 'regulator'],
  'GET /v1/ders/:derId/consents': ['cvpp', 'regulator'],
  'POST /v1/consents': ['cvpp'],
  'POST /v1/consents/:grantId/revoke': ['cvpp'],
  'POST /v1/settlement/:intervalId/:vppId': ['trading', 'cvpp', 'regulator'],
};

/** A concrete URL for a pattern: the org check runs before params are validated. */
const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, 'x');

describe('gateway/app org-bound routes', () => {
  const gateways = new Map<OrgName, TestGateway>();
  const ledger = new FakeLedger({ txId: 'tx-1', answer: { ok: true } });
  let table: RouteEntry[];

  before(async () => {
    for (const org of ORGS)
      gateways.set(org, await openGateway(org, { fabric: ledger.port }, `gw-org-${org}-`));
    table = gateways.get('cvpp')!.app.routeTable;
  });
  after(async () => {
    for (const gateway of gateways.values()) await gateway.close();
  });
  beforeEach(() => ledger.reset());

  it('should bind exactly the routes whose transactions one set of organisations is reserved', () => {
    const bound = table.filter((r) => r.orgs.length < ORGS.length);
    const actual = Object.fromEntries(bound.map((r) => [`${r.method} ${r.url}`, [...r.orgs].sort()]));
    const expected = Object.fromEntries(Object.entries(ORG_BOUND).map(([k, v]) => [k, [...v].sort()]));
    assert.deepEqual(actual, expected);
    for (const route of table.filter((r) => r.public)) assert.deepEqual(route.orgs, ORGS, route.url);
  });

  it('should answer 403 ORG_NOT_ALLOWED to every declared role on another org’s gateway, before the ledger', async () => {
    let refusals = 0;
    for (const route of table.filter((r) => r.orgs.length < ORGS.length)) {
      for (const org of ORGS.filter((o) => !route.orgs.includes(o))) {
        const app = gateways.get(org)!.app;
        for (const role of route.roles) {
          const res = await app.inject({
            method: route.method as 'GET',
            url: concrete(route.url),
            headers: bearer(tokenFor(app, role, MSP_OF[org])),
            ...(route.method === 'GET' ? {} : { payload: {} }),
          });
          assert.equal(res.statusCode, 403, `${route.method} ${route.url} as ${role} on ${org}`);
          assert.equal(res.json().error.code, 'ORG_NOT_ALLOWED');
          refusals += 1;
        }
      }
    }
    assert.ok(refusals >= 60, `only ${refusals} refusals checked`);
    assert.deepEqual(ledger.calls, []);
  });

  it('should let a declared role of a bound org past the org check', async () => {
    const app = gateways.get('regulator')!.app;
    const res = await app.inject({
      method: 'POST',
      url: '/v1/credit/rulebook',
      headers: bearer(tokenFor(app, 'regulator', MSP_OF.regulator)),
      payload: {},
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error.code, 'VALIDATION_FAILED');
  });

  it('should refuse a wrong role with FORBIDDEN before the org check', async () => {
    const app = gateways.get('cvpp')!.app;
    const res = await app.inject({
      method: 'POST',
      url: '/v1/credit/rulebook',
      headers: bearer(tokenFor(app, 'operator', MSP_OF.cvpp)),
      payload: {},
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'FORBIDDEN');
  });

  it('should say in OpenAPI which organisations serve a bound route', () => {
    const spec = gateways.get('cvpp')!.app.swagger() as {
      paths: Record<string, Record<string, { description?: string }>>;
    };
    assert.match(spec.paths['/v1/credit/rulebook']!.post!.description!, /Organisations: regulator\b/);
    assert.doesNotMatch(spec.paths['/v1/orgs']!.get!.description!, /Organisations:/);
  });

  it('should refuse to start with an unknown organisation in config.orgs', async () => {
    const config = loadConfig({ VPP_GATEWAY_ORG: 'cvpp', VPP_GATEWAY_DATA: gateways.get('cvpp')!.dir });
    const app = await buildApp(config, { logger: false, ports: { fabric: ledger.port, ra: fakeRaPort() } });
    const bind = (orgs: unknown) => () =>
      app.get('/v1/bound-wrongly', { config: { roles: ['admin'], orgs: orgs as ['cvpp'] } }, () => 'x');
    assert.throws(bind(['nowhere']), /config\.orgs must be a non-empty list/);
    assert.throws(bind([]), /config\.orgs must be a non-empty list/);
    await app.close();
  });
});
