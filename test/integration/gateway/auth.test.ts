import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { toApiError } from '../../../gateway/src/core/fabric-errors';
import { ANY_ROLE, API_ROLES } from '../../../gateway/src/core/roles';
import { buildApp, type RouteEntry } from '../../../gateway/src/app';
import { loadConfig } from '../../../gateway/src/config';
import {
  connectWith,
  creatorOfTransaction,
  gatewayCredentialsOf,
  topology,
  type Connection,
} from '../../support/fabric-client';
import {
  bootstrapUserSecret,
  call,
  loginAdmin,
  registerAndLogin,
  statusOf,
  type RestUser,
} from '../../../platform/src/http/gateway-rest';

const ORG = 'cvpp';
const stamp = Date.now().toString(36);

/** The route table as the app builds it (the same code the running gateways run). */
async function routeTable(): Promise<RouteEntry[]> {
  const app = await buildApp(loadConfig({ VPP_GATEWAY_ORG: ORG }), { logger: false });
  await app.ready();
  const table = [...app.routeTable];
  await app.close();
  return table;
}

/** A concrete URL for a route pattern; the auth check runs before params are validated. */
const concrete = (url: string) => url.replace(/:mspId/g, 'CvppMSP').replace(/:[A-Za-z]+/g, 'x');

describe('gateway auth', () => {
  let adminToken: string;
  const users = new Map<string, RestUser>();
  const connections: Connection[] = [];

  before(async () => {
    adminToken = await loginAdmin(ORG);
    for (const role of API_ROLES) {
      users.set(role, await registerAndLogin(ORG, adminToken, `it-${role}-${stamp}`, role));
    }
  });
  after(() => connections.forEach((c) => c.close()));

  describe('POST /v1/auth/token', () => {
    it('should log in every org admin with role admin and its own MSP ID', async () => {
      for (const org of topology.orgs) {
        const { id, secret } = bootstrapUserSecret(org.name, 'admin');
        const res = await call<{ role: string; mspId: string; tokenType: string; expiresIn: number }>(
          org.name,
          'POST',
          '/v1/auth/token',
          { body: { enrollmentId: id, secret } },
        );
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.role, 'admin');
        assert.equal(res.body.mspId, org.mspId);
        assert.equal(res.body.tokenType, 'Bearer');
        assert.ok(res.body.expiresIn > 0 && res.body.expiresIn <= 900);
      }
    });

    it('should refuse a wrong secret with 401 INVALID_CREDENTIALS', async () => {
      const user = users.get('operator')!;
      const res = await call<{ error: { code: string } }>(ORG, 'POST', '/v1/auth/token', {
        body: { enrollmentId: user.enrollmentId, secret: 'wrong' },
      });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'INVALID_CREDENTIALS');
    });

    it('should refuse an unknown identity with 401 INVALID_CREDENTIALS', async () => {
      const res = await call<{ error: { code: string } }>(ORG, 'POST', '/v1/auth/token', {
        body: { enrollmentId: `nobody-${stamp}`, secret: 'x' },
      });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'INVALID_CREDENTIALS');
    });

    it('should lock an id out after 5 failed logins: 429 LOGIN_LOCKED with Retry-After, even with the right secret', async () => {
      const user = await registerAndLogin(ORG, adminToken, `it-locked-${stamp}`, 'operator');
      const login = (secret: string) =>
        call<{ error: { code: string } }>(ORG, 'POST', '/v1/auth/token', {
          body: { enrollmentId: user.enrollmentId, secret },
        });
      const failures = [];
      for (let attempt = 0; attempt < 5; attempt += 1) failures.push((await login('wrong')).body.error.code);
      assert.deepEqual(failures, Array(5).fill('INVALID_CREDENTIALS'));
      const locked = await login(user.secret);
      assert.equal(locked.status, 429);
      assert.equal(locked.body.error.code, 'LOGIN_LOCKED');
      const retryAfter = Number(locked.headers['retry-after']);
      // The oldest failure is seconds old: the lock lasts about the 15-minute window.
      assert.ok(
        retryAfter > 800 && retryAfter <= 900,
        `Retry-After ${String(locked.headers['retry-after'])}`,
      );
      // Another id from the same address is not locked.
      const other = users.get('trading')!;
      const fine = await call(ORG, 'POST', '/v1/auth/token', {
        body: { enrollmentId: other.enrollmentId, secret: other.secret },
      });
      assert.equal(fine.status, 200);
    });

    it('should reuse the kept key on a second login with the same secret', async () => {
      const user = users.get('trading')!;
      const first = await call<{ serial: string }>(ORG, 'GET', '/v1/auth/me', { token: user.token });
      const again = await call<{ token: string }>(ORG, 'POST', '/v1/auth/token', {
        body: { enrollmentId: user.enrollmentId, secret: user.secret },
      });
      assert.equal(again.status, 200);
      const second = await call<{ serial: string }>(ORG, 'GET', '/v1/auth/me', { token: again.body.token });
      assert.equal(second.body.serial, first.body.serial);
    });

    it('should not accept a token of one org at another org’s gateway', async () => {
      const res = await call<{ error: { code: string } }>('trading', 'GET', '/v1/orgs', {
        token: adminToken,
      });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'TOKEN_INVALID');
    });
  });

  describe('route table', () => {
    it('should answer 401 without a token and 403 for every role not declared, on every route', async () => {
      const table = await routeTable();
      const guarded = table.filter((r) => !r.public);
      assert.ok(guarded.length >= 6, `only ${guarded.length} guarded routes`);
      for (const route of guarded) {
        const url = concrete(route.url);
        const anonymous = await call<{ error: { code: string } }>(ORG, route.method, url);
        assert.equal(anonymous.status, 401, `${route.method} ${route.url} without a token`);
        assert.equal(anonymous.body.error.code, 'UNAUTHENTICATED');
        const garbage = await call<{ error: { code: string } }>(ORG, route.method, url, { token: 'v1.x.y' });
        assert.equal(garbage.status, 401, `${route.method} ${route.url} with a forged token`);
        for (const role of API_ROLES.filter((r) => !route.roles.includes(r))) {
          const res = await call<{ error: { code: string } }>(ORG, route.method, url, {
            token: users.get(role)!.token,
          });
          assert.equal(res.status, 403, `${route.method} ${route.url} as ${role}`);
          assert.equal(res.body.error.code, 'FORBIDDEN');
        }
        // Right role, wrong organisation: this gateway is cvpp's, the route is another org's.
        if (!route.orgs.includes(ORG)) {
          for (const role of route.roles) {
            const res = await call<{ error: { code: string } }>(ORG, route.method, url, {
              token: users.get(role)!.token,
            });
            assert.equal(res.status, 403, `${route.method} ${route.url} as ${role} of ${ORG}`);
            assert.equal(res.body.error.code, 'ORG_NOT_ALLOWED');
          }
        }
      }
      assert.ok(
        guarded.some((r) => !r.orgs.includes(ORG)),
        'some route is bound to another organisation',
      );
    });

    it('should let every declared role through the gateway on read routes', async () => {
      const table = await routeTable();
      for (const route of table.filter(
        (r) => !r.public && r.method === 'GET' && !r.url.includes(':') && r.orgs.includes(ORG),
      )) {
        for (const role of route.roles) {
          const status = await statusOf(ORG, 'GET', route.url, users.get(role)!.token);
          assert.ok(![401, 403].includes(status), `${route.url} as ${role}: ${status}`);
        }
      }
      assert.deepEqual(table.find((r) => r.url === '/v1/orgs' && r.method === 'GET')?.roles, ANY_ROLE);
    });
  });

  describe('per-caller signing', () => {
    it('should sign PUT /v1/orgs/self with the caller’s own certificate', async () => {
      const user = users.get('admin')!;
      const res = await call<{ txId: string; profile: { mspId: string; updatedBy: { role: string } } }>(
        ORG,
        'PUT',
        '/v1/orgs/self',
        {
          token: user.token,
          body: { displayName: `CVPP ${stamp}`, orgRole: 'cvpp', contactEmail: 'ops@cvpp.example' },
        },
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.profile.mspId, 'CvppMSP');
      const { certPem } = gatewayCredentialsOf(ORG, user.enrollmentId);
      const direct = connectWith(ORG, certPem, gatewayCredentialsOf(ORG, user.enrollmentId).keyPem);
      connections.push(direct);
      const creator = await creatorOfTransaction(direct, res.body.txId);
      assert.equal(creator.toString('utf8').trim(), certPem.trim());
      const cert = new X509Certificate(creator);
      assert.match(cert.subject, new RegExp(`CN=${user.enrollmentId}`));
      const me = await call<{ serial: string }>(ORG, 'GET', '/v1/auth/me', { token: user.token });
      assert.equal(cert.serialNumber.replace(/^0+/, '').toUpperCase(), me.body.serial);
    });

    it('should have the chaincode refuse the same operator the gateway refuses (FORBIDDEN twice)', async () => {
      const operator = users.get('operator')!;
      const viaRest = await call<{ error: { code: string } }>(ORG, 'PUT', '/v1/orgs/self', {
        token: operator.token,
        body: { displayName: 'x', orgRole: 'cvpp', contactEmail: 'ops@cvpp.example' },
      });
      assert.equal(viaRest.status, 403);
      const { certPem, keyPem } = gatewayCredentialsOf(ORG, operator.enrollmentId);
      const direct = connectWith(ORG, certPem, keyPem);
      connections.push(direct);
      const refused = await direct
        .contract('org')
        .submitTransaction(
          'PutOrgProfile',
          JSON.stringify({ displayName: 'x', orgRole: 'cvpp', contactEmail: 'ops@cvpp.example' }),
        )
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      const mapped = toApiError(refused);
      assert.equal(mapped.status, 403);
      assert.equal(mapped.code, 'FORBIDDEN');
      assert.match(mapped.message, /vpp\.role/);
    });
  });
});
