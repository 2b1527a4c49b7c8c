// GET /v1/auth/me/routes: the gateway's own route table, filtered as the auth hook would filter a
// call, so the console can offer exactly what the gateway will serve.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { routesOpenTo } from '../../../../gateway/src/core/route-access';
import type { RouteEntry } from '../../../../gateway/src/app';
import { KNOWN_ORG_ROLES } from '../../../../chaincode/src/api';
import { bearer, FakeLedger, openGateway, tokenFor, type TestGateway } from '../../../support/route-harness';

const entry = (
  method: string,
  url: string,
  roles: RouteEntry['roles'],
  orgs = KNOWN_ORG_ROLES,
  isPublic = false,
) => ({ method, url, roles, orgs, public: isPublic }) as RouteEntry;

describe('core/route-access routesOpenTo', () => {
  const table = [
    entry('GET', '/v1/b', ['operator', 'regulator']),
    entry('POST', '/v1/b', ['operator'], ['cvpp']),
    entry('GET', '/healthz', [], KNOWN_ORG_ROLES, true),
    entry('GET', '/v1/a', ['regulator']),
  ];

  it('should keep public routes and those listing the role on a gateway of a listed org, sorted', () => {
    assert.deepEqual(routesOpenTo(table, 'operator', 'cvpp'), [
      { method: 'GET', url: '/healthz' },
      { method: 'GET', url: '/v1/b' },
      { method: 'POST', url: '/v1/b' },
    ]);
    assert.deepEqual(routesOpenTo(table, 'operator', 'trading'), [
      { method: 'GET', url: '/healthz' },
      { method: 'GET', url: '/v1/b' },
    ]);
    assert.deepEqual(routesOpenTo(table, 'regulator', 'regulator'), [
      { method: 'GET', url: '/healthz' },
      { method: 'GET', url: '/v1/a' },
      { method: 'GET', url: '/v1/b' },
    ]);
  });
});

describe('routes/auth GET /v1/auth/me/routes', () => {
  let gateway: TestGateway;
  let app: FastifyInstance;

  before(async () => {
    gateway = await openGateway('cvpp', { fabric: new FakeLedger({ txId: 'tx' }).port });
    app = gateway.app;
  });
  after(() => gateway.close());

  const routesOf = async (role: 'operator' | 'regulator' | 'trading') => {
    const res = await app.inject({
      method: 'GET',
      url: '/v1/auth/me/routes',
      headers: bearer(tokenFor(app, role, 'CvppMSP')),
    });
    assert.equal(res.statusCode, 200, res.body);
    return new Set(
      (res.json() as { routes: { method: string; url: string }[] }).routes.map((r) => `${r.method} ${r.url}`),
    );
  };

  it('should list what the caller may call here and nothing the auth hook would refuse', async () => {
    const operator = await routesOf('operator');
    assert.ok(
      operator.has('POST /v1/market/intervals/:intervalId/commitments'),
      'an operator commits bids on the CVPP gateway',
    );
    assert.ok(operator.has('GET /v1/network/nodes'));
    assert.ok(operator.has('GET /healthz'), 'public routes are open to everyone');
    assert.ok(!operator.has('GET /v1/ledger/info'), 'the regulator-only ledger views are not offered');
    assert.ok(!operator.has('POST /v1/identities'), 'admin-only');
    // The regulator role on the CVPP's gateway: the ledger views (any org) yes, the regulator-org-only history no.
    const regulator = await routesOf('regulator');
    assert.ok(regulator.has('GET /v1/ledger/info'));
    assert.ok(!regulator.has('GET /v1/ledger/history'));
    // Every route offered is one the gateway then serves past the auth hook (no 401/403).
    const token = tokenFor(app, 'trading', 'CvppMSP');
    for (const route of await routesOf('trading')) {
      const [method, url] = route.split(' ') as [string, string];
      if (
        method !== 'GET' ||
        url.includes(':') ||
        url.startsWith('/docs') ||
        url.startsWith('/console') ||
        url === '/v1/events'
      )
        continue;
      const res = await app.inject({ method: 'GET', url, headers: bearer(token) });
      assert.ok(res.statusCode !== 401 && res.statusCode !== 403, `${route}: ${res.statusCode} ${res.body}`);
    }
  });

  it('should need a token', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/auth/me/routes' });
    assert.equal(res.statusCode, 401);
    assert.equal((res.json() as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
  });
});
