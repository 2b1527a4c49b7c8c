import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../../gateway/src/app';
import { loadConfig } from '../../../../gateway/src/config';
import { OrgProfileBodySchema } from '../../../../gateway/src/schemas/orgs';
import {
  bearer,
  fakeFabricPort,
  fakeRaPort,
  openGateway,
  type TestGateway,
  tokenFor as roleToken,
} from '../../../support/route-harness';

const PROFILE = {
  mspId: 'CvppMSP',
  displayName: 'C',
  orgRole: 'cvpp',
  contactEmail: 'a@b.c',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: { mspId: 'CvppMSP', role: 'admin' },
  version: 1,
};

const fakeFabric = fakeFabricPort({
  evaluate: async () => Buffer.from(JSON.stringify([PROFILE])),
  submit: async () => ({ result: Buffer.from(JSON.stringify(PROFILE)), txId: 'tx-1', blockNumber: 5n }),
});

const fakeRa = fakeRaPort({
  register: async (input) => ({ ...input, secret: 's3cret' }),
  revoke: async () => ({ serials: ['AB'], crlPem: '' }),
  caChainPem: () => '-----BEGIN CERTIFICATE-----\n',
  crlPem: async () => '-----BEGIN X509 CRL-----\n',
});

describe('gateway/app', () => {
  let gateway: TestGateway;
  let app: FastifyInstance;
  const tokenFor = (role: 'admin' | 'operator', sub = `${role}1`) => roleToken(app, role, 'CvppMSP', sub);

  before(async () => {
    gateway = await openGateway('cvpp', { fabric: fakeFabric, ra: fakeRa }, 'gw-unit-');
    app = gateway.app;
  });
  after(() => gateway.close());

  describe('#buildApp', () => {
    it('should refuse to start with a route that declares no roles', async () => {
      const other = await buildApp(loadConfig({ VPP_GATEWAY_ORG: 'cvpp', VPP_GATEWAY_DATA: gateway.dir }), {
        logger: false,
        ports: { fabric: fakeFabric, ra: fakeRa },
      });
      assert.throws(() => other.get('/v1/unguarded', async () => 'x'), /must declare config\.roles/);
      await other.close();
    });

    it('should refuse to start with a POST, PUT or PATCH route that declares no body schema', async () => {
      const other = await buildApp(loadConfig({ VPP_GATEWAY_ORG: 'cvpp', VPP_GATEWAY_DATA: gateway.dir }), {
        logger: false,
        ports: { fabric: fakeFabric, ra: fakeRa },
      });
      for (const method of ['POST', 'PUT', 'PATCH'] as const) {
        assert.throws(
          () =>
            other.route({ method, url: '/v1/lax', config: { roles: ['admin'] }, handler: async () => 'x' }),
          /must declare schema\.body/,
          method,
        );
      }
      await other.close();
    });

    it('should list every route with its roles in the route table', () => {
      const put = app.routeTable.find((r) => r.method === 'PUT' && r.url === '/v1/orgs/self');
      assert.deepEqual(put, {
        method: 'PUT',
        url: '/v1/orgs/self',
        roles: ['admin'],
        orgs: ['cvpp', 'trading', 'control', 'regulator'],
        public: false,
        body: OrgProfileBodySchema,
      });
      assert.equal(app.routeTable.find((r) => r.url === '/healthz')?.public, true);
    });
  });

  describe('auth hook', () => {
    it('should answer 401 without a token, 403 for a wrong role and 200 for a declared role', async () => {
      const body = { displayName: 'C', orgRole: 'cvpp', contactEmail: 'a@b.c' };
      const none = await app.inject({ method: 'PUT', url: '/v1/orgs/self', payload: body });
      assert.equal(none.statusCode, 401);
      assert.equal(none.json().error.code, 'UNAUTHENTICATED');
      const operator = await app.inject({
        method: 'PUT',
        url: '/v1/orgs/self',
        payload: body,
        headers: bearer(tokenFor('operator')),
      });
      assert.equal(operator.statusCode, 403);
      assert.equal(operator.json().error.code, 'FORBIDDEN');
      const admin = await app.inject({
        method: 'PUT',
        url: '/v1/orgs/self',
        payload: body,
        headers: bearer(tokenFor('admin')),
      });
      assert.equal(admin.statusCode, 200);
      assert.deepEqual(admin.json(), { profile: PROFILE, txId: 'tx-1' });
    });

    it('should refuse the token of a revoked identity with 401 IDENTITY_REVOKED', async () => {
      const token = tokenFor('operator', 'mallory');
      assert.equal((await app.inject({ url: '/v1/orgs', headers: bearer(token) })).statusCode, 200);
      app.identities.revoke('mallory', []);
      const res = await app.inject({ url: '/v1/orgs', headers: bearer(token) });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error.code, 'IDENTITY_REVOKED');
    });
  });

  describe('error handler', () => {
    it('should answer malformed JSON, unknown fields and unknown routes with stable codes', async () => {
      const headers = { ...bearer(tokenFor('admin')), 'content-type': 'application/json' };
      const malformed = await app.inject({ method: 'PUT', url: '/v1/orgs/self', payload: '{', headers });
      assert.deepEqual([malformed.statusCode, malformed.json().error.code], [400, 'MALFORMED_BODY']);
      const unknown = await app.inject({
        method: 'PUT',
        url: '/v1/orgs/self',
        payload: JSON.stringify({ displayName: 'C', orgRole: 'cvpp', contactEmail: 'a@b.c', x: 1 }),
        headers,
      });
      assert.deepEqual([unknown.statusCode, unknown.json().error.code], [400, 'VALIDATION_FAILED']);
      const missing = await app.inject({ url: '/v1/missing' });
      assert.deepEqual([missing.statusCode, missing.json().error.code], [404, 'NOT_FOUND']);
    });
  });
});
