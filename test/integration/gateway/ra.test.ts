import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { crlSerials } from '../../../gateway/src/plugins/app/ra';
import { topology } from '../../support/fabric-client';
import { call, loginAdmin, registerAndLogin } from '../../../platform/src/http/gateway-rest';

const ORG = 'cvpp';
const stamp = Date.now().toString(36);
type ErrorBody = { error: { code: string; message: string } };

describe('gateway registration authority', () => {
  let adminToken: string;
  before(async () => {
    adminToken = await loginAdmin(ORG);
  });

  describe('POST /v1/identities', () => {
    it('should register a user whose first login carries the registered role', async () => {
      const user = await registerAndLogin(ORG, adminToken, `ra-control-${stamp}`, 'control');
      const me = await call<{ role: string; enrollmentId: string }>(ORG, 'GET', '/v1/auth/me', {
        token: user.token,
      });
      assert.equal(me.status, 200);
      assert.deepEqual([me.body.enrollmentId, me.body.role], [user.enrollmentId, 'control']);
    });

    it('should refuse registering the same enrollment id twice with 409 IDENTITY_EXISTS', async () => {
      const body = { enrollmentId: `ra-dup-${stamp}`, role: 'operator' };
      assert.equal((await call(ORG, 'POST', '/v1/identities', { token: adminToken, body })).status, 201);
      const again = await call<ErrorBody>(ORG, 'POST', '/v1/identities', { token: adminToken, body });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'IDENTITY_EXISTS');
    });

    it('should refuse an unknown role and unknown fields with 400 VALIDATION_FAILED', async () => {
      for (const body of [
        { enrollmentId: `ra-bad-${stamp}`, role: 'superuser' },
        { enrollmentId: `ra-bad-${stamp}`, role: 'operator', extra: true },
        { enrollmentId: '../etc', role: 'operator' },
        { enrollmentId: `ra-bad-${stamp}`, role: 'operator', attrs: { 'vpp.role': 'admin' } },
      ]) {
        const res = await call<ErrorBody>(ORG, 'POST', '/v1/identities', { token: adminToken, body });
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.error.code, 'VALIDATION_FAILED');
      }
    });
  });

  describe('GET /v1/identities', () => {
    it('should list the org CA identities with their roles', async () => {
      const res = await call<{ enrollmentId: string; role: string | null }[]>(ORG, 'GET', '/v1/identities', {
        token: adminToken,
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.find((i) => i.enrollmentId === 'cvppadmin')?.role, 'admin');
      assert.equal(res.body.find((i) => i.enrollmentId === 'appuser')?.role, 'operator');
    });
  });

  describe('POST /v1/identities/{id}/revoke', () => {
    it('should stop a revoked user at once and list the certificate in the CRL', async () => {
      const user = await registerAndLogin(ORG, adminToken, `ra-revoked-${stamp}`, 'operator');
      assert.equal((await call(ORG, 'GET', '/v1/orgs', { token: user.token })).status, 200);
      const me = await call<{ serial: string }>(ORG, 'GET', '/v1/auth/me', { token: user.token });

      const revoked = await call<{ revokedSerials: string[] }>(
        ORG,
        'POST',
        `/v1/identities/${user.enrollmentId}/revoke`,
        {
          token: adminToken,
          body: { reason: 'keycompromise' },
        },
      );
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      assert.ok(revoked.body.revokedSerials.includes(me.body.serial));

      const after = await call<ErrorBody>(ORG, 'GET', '/v1/orgs', { token: user.token });
      assert.equal(after.status, 401);
      assert.equal(after.body.error.code, 'IDENTITY_REVOKED');
      const relogin = await call<ErrorBody>(ORG, 'POST', '/v1/auth/token', {
        body: { enrollmentId: user.enrollmentId, secret: user.secret },
      });
      assert.equal(relogin.status, 401);

      const crl = await call<string>(ORG, 'GET', '/v1/pki/crl');
      assert.equal(crl.status, 200);
      assert.match(crl.body, /^-----BEGIN X509 CRL-----/);
      assert.ok(crlSerials(crl.body).includes(me.body.serial));
    });

    it('should refuse to revoke the network’s own identities with 422 PROTECTED_IDENTITY', async () => {
      const res = await call<ErrorBody>(ORG, 'POST', '/v1/identities/peer.cvpp/revoke', {
        token: adminToken,
        body: {},
      });
      assert.equal(res.status, 422);
      assert.equal(res.body.error.code, 'PROTECTED_IDENTITY');
    });
  });

  describe('GET /v1/pki/ca-chain', () => {
    it('should serve the identity CA certificate to anyone', async () => {
      const res = await call<string>(ORG, 'GET', '/v1/pki/ca-chain');
      assert.equal(res.status, 200);
      assert.match(res.body, /^-----BEGIN CERTIFICATE-----/);
    });
  });
});

describe('gateway errors and operations', () => {
  let adminToken: string;
  before(async () => {
    adminToken = await loginAdmin(ORG);
  });
  const put = (options: Parameters<typeof call>[3]) =>
    call<ErrorBody>(ORG, 'PUT', '/v1/orgs/self', { token: adminToken, ...options });

  it('should answer bad bodies with 4xx and a stable code', async () => {
    const cases: [Parameters<typeof call>[3], number, string][] = [
      [{ rawBody: '{"displayName":' }, 400, 'MALFORMED_BODY'],
      [{ body: { displayName: 'x', orgRole: 'cvpp' } }, 400, 'VALIDATION_FAILED'],
      [
        { body: { displayName: 'x', orgRole: 'cvpp', contactEmail: 'a@b.c', mspId: 'TradingMSP' } },
        400,
        'VALIDATION_FAILED',
      ],
      [{ rawBody: JSON.stringify({ displayName: 'x'.repeat(70_000) }) }, 413, 'BODY_TOO_LARGE'],
      [{ rawBody: 'displayName=x', contentType: 'text/plain' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [
        { body: { displayName: 'x', orgRole: 'trading', contactEmail: 'ops@cvpp.example' } },
        422,
        'INVALID_ARGUMENT',
      ],
      [
        { body: { displayName: 'x', orgRole: 'cvpp', contactEmail: 'not-an-email' } },
        422,
        'INVALID_ARGUMENT',
      ],
    ];
    for (const [options, status, code] of cases) {
      const res = await put(options);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.error.code, code);
    }
  });

  it('should answer an unknown route and an unknown org with 404 NOT_FOUND', async () => {
    const route = await call<ErrorBody>(ORG, 'GET', '/v1/nothing-here');
    assert.equal(route.status, 404);
    assert.equal(route.body.error.code, 'NOT_FOUND');
    const org = await call<ErrorBody>(ORG, 'GET', '/v1/orgs/NobodyMSP', { token: adminToken });
    assert.equal(org.status, 404);
    assert.equal(org.body.error.code, 'NOT_FOUND');
  });

  it('should report every gateway healthy with its peer', async () => {
    for (const org of topology.orgs) {
      const res = await call<{ status: string }>(org.name, 'GET', '/healthz');
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'ok');
    }
  });

  it('should expose request, Fabric latency and error metrics', async () => {
    const res = await call<string>(ORG, 'GET', '/metrics');
    assert.equal(res.status, 200);
    for (const name of [
      'vpp_gateway_http_requests_total{method="PUT",route="/v1/orgs/self"',
      'vpp_gateway_http_request_duration_seconds_bucket',
      'vpp_gateway_fabric_evaluate_duration_seconds_count',
      'vpp_gateway_errors_total{code="VALIDATION_FAILED"}',
    ]) {
      assert.ok(res.body.includes(name), `missing ${name}`);
    }
  });

  it('should serve the OpenAPI document with every /v1 route and the bearer scheme', async () => {
    const res = await call<{ paths: Record<string, unknown>; components: { securitySchemes: object } }>(
      ORG,
      'GET',
      '/docs/json',
    );
    assert.equal(res.status, 200);
    for (const path of [
      '/v1/auth/token',
      '/v1/orgs',
      '/v1/orgs/{mspId}',
      '/v1/orgs/self',
      '/v1/identities',
    ]) {
      assert.ok(path in res.body.paths, `missing ${path}`);
    }
    assert.ok('bearerAuth' in res.body.components.securitySchemes);
  });
});
