// Rate limits on the public and login routes, and the login lockout, with app.inject: small limits
// from the environment overrides, a fake ledger and RA, and an injected clock for the lockout.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { LightMyRequestResponse } from 'fastify';
import { ApiError } from '../../../../../gateway/src/core/api-error';
import { FakeLedger, fakeRaPort, openGateway, type TestGateway } from '../../../../support/route-harness';

const LIMITS = {
  VPP_RATE_LIMIT_READINGS_PER_DEVICE: '3/60',
  VPP_RATE_LIMIT_READING_REQUESTS_PER_ADDRESS: '5/60',
  VPP_RATE_LIMIT_ENROLLMENTS_PER_DER: '2/60',
  VPP_RATE_LIMIT_ENROLLMENTS_PER_ADDRESS: '4/60',
  VPP_RATE_LIMIT_LOGINS_PER_ADDRESS: '8/60',
  VPP_RATE_LIMIT_LOGINS_PER_ENROLLMENT_ID: '6/60',
  VPP_RATE_LIMIT_LOGIN_LOCKOUT: '3/900',
  VPP_RATE_LIMIT_CHECKPOINT_READS_PER_ADDRESS: '4/60',
};

/** A reading the schema lets through (the ingest judges and rejects it alone: it is not signed). */
const reading = (derId: string) => ({ derId, intervalId: '2026-11-25T10:15:00.000Z', sequence: 0 });

function assertLimited(res: LightMyRequestResponse, code: string, what: string): void {
  assert.equal(res.statusCode, 429, `${what}: ${res.body}`);
  const body = res.json<{ error: { code: string; message: string } }>();
  assert.deepEqual(Object.keys(body), ['error']);
  assert.equal(body.error.code, code);
  assert.match(body.error.message, /retry in \d+ s/);
  const retryAfter = Number(res.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After ${res.headers['retry-after']}`);
}

describe('gateway/plugins/app/rate-limits', () => {
  const ledger = new FakeLedger({ txId: 'tx-1', answer: { ok: true } });
  let now = Date.parse('2026-12-01T00:00:00.000Z');
  let gateway: TestGateway;
  let app: FastifyInstance;
  const enrollCalls: string[] = [];

  before(async () => {
    const ra = fakeRaPort({
      enrollCsr: async (id) => {
        enrollCalls.push(id);
        return '-----BEGIN CERTIFICATE-----\n';
      },
      // What the RA answers when the CA refuses the secret.
      enroll: async () => {
        throw new ApiError(401, 'INVALID_CREDENTIALS', 'unknown enrollment id or wrong secret');
      },
    });
    gateway = await openGateway('cvpp', { fabric: ledger.port, ra, clock: () => now }, 'gw-limits-', LIMITS);
    app = gateway.app;
    app.identities.put(
      { enrollmentId: 'alice', role: 'operator', serial: 'AB', certPem: 'cert', keyPem: 'key' },
      'right-secret',
    );
  });
  after(() => gateway.close());

  const postReadings = (readings: unknown[], remoteAddress = '10.0.0.1') =>
    app.inject({ method: 'POST', url: '/v1/readings', payload: { readings }, remoteAddress });
  const enroll = (derId: string, remoteAddress = '10.0.1.1') =>
    app.inject({
      method: 'POST',
      url: `/v1/devices/${derId}/enroll`,
      payload: {
        secret: 's',
        csr: '-----BEGIN CERTIFICATE REQUEST-----\nx\n-----END CERTIFICATE REQUEST-----\n',
      },
      remoteAddress,
    });
  const login = (enrollmentId: string, secret: string, remoteAddress = '10.0.2.1') =>
    app.inject({ method: 'POST', url: '/v1/auth/token', payload: { enrollmentId, secret }, remoteAddress });

  describe('POST /v1/readings', () => {
    it('should count every reading against its device and answer 429 once a device is over', async () => {
      // pv-a: 2 + 1 readings = 3 (the limit), from different addresses.
      assert.equal((await postReadings([reading('pv-a'), reading('pv-b')], '10.0.0.2')).statusCode, 200);
      assert.equal((await postReadings([reading('pv-a'), reading('pv-a')], '10.0.0.3')).statusCode, 200);
      const over = await postReadings([reading('pv-c'), reading('pv-a')], '10.0.0.4');
      assertLimited(over, 'RATE_LIMITED', 'fourth reading of pv-a');
      assert.match(over.json<{ error: { message: string } }>().error.message, /too many readings/);
      // Another device is not held back by pv-a.
      assert.equal((await postReadings([reading('pv-d')], '10.0.0.5')).statusCode, 200);
    });

    it('should count requests per client address', async () => {
      for (let i = 0; i < 5; i += 1) {
        const res = await postReadings([reading(`pv-addr-${i}`)], '10.0.0.9');
        assert.equal(res.statusCode, 200, res.body);
      }
      assertLimited(await postReadings([reading('pv-addr-5')], '10.0.0.9'), 'RATE_LIMITED', 'sixth request');
      assert.equal((await postReadings([reading('pv-addr-6')], '10.0.0.10')).statusCode, 200);
    });

    it('should count 429s in the error metric by code', async () => {
      const metrics = await app.inject({ method: 'GET', url: '/metrics' });
      assert.match(metrics.body, /vpp_gateway_errors_total\{code="RATE_LIMITED"\} [1-9]/);
    });
  });

  describe('POST /v1/devices/{derId}/enroll', () => {
    it('should limit enrollments per DER, before the CA is asked', async () => {
      enrollCalls.length = 0;
      assert.equal((await enroll('pv-e1', '10.0.1.2')).statusCode, 201);
      assert.equal((await enroll('pv-e1', '10.0.1.3')).statusCode, 201);
      assertLimited(await enroll('pv-e1', '10.0.1.4'), 'RATE_LIMITED', 'third enrollment of pv-e1');
      assert.equal(enrollCalls.length, 2);
    });

    it('should limit enrollments per client address', async () => {
      for (let i = 0; i < 4; i += 1) assert.equal((await enroll(`pv-f${i}`, '10.0.1.9')).statusCode, 201);
      assertLimited(await enroll('pv-f4', '10.0.1.9'), 'RATE_LIMITED', 'fifth enrollment from one address');
    });
  });

  describe('GET /v1/proofs/checkpoints', () => {
    it('should limit the public checkpoint list per client address', async () => {
      // The harness has no peer behind the gateway's own identity: reads within the limit reach the
      // handler and fail there (500), the one over it never does.
      const list = (remoteAddress: string) =>
        app.inject({ method: 'GET', url: '/v1/proofs/checkpoints', remoteAddress });
      for (let i = 0; i < 4; i += 1) {
        assert.equal((await list('10.0.3.1')).statusCode, 500, `read ${i + 1}`);
      }
      assertLimited(await list('10.0.3.1'), 'RATE_LIMITED', 'fifth read');
      assert.equal((await list('10.0.3.2')).statusCode, 500, 'another address is counted apart');
    });
  });

  describe('POST /v1/auth/token', () => {
    it('should limit logins per client address', async () => {
      for (let i = 0; i < 8; i += 1) {
        const res = await login(`nobody-${i}`, 'x', '10.0.2.9');
        assert.equal(res.statusCode, 401, res.body);
      }
      assertLimited(await login('nobody-8', 'x', '10.0.2.9'), 'RATE_LIMITED', 'ninth login');
    });

    it('should limit logins per enrollment id across addresses', async () => {
      for (let i = 0; i < 6; i += 1) {
        const res = await login('alice', 'right-secret', `10.0.3.${i}`);
        assert.equal(res.statusCode, 200, res.body);
      }
      assertLimited(
        await login('alice', 'right-secret', '10.0.3.9'),
        'RATE_LIMITED',
        'seventh login of alice',
      );
    });

    it('should lock an id after repeated failures, even with the right secret, until the window passes', async () => {
      app.identities.put(
        { enrollmentId: 'bob', role: 'operator', serial: 'AC', certPem: 'cert', keyPem: 'key' },
        'bob-secret',
      );
      for (let i = 0; i < 3; i += 1) {
        const res = await login('bob', 'wrong', `10.0.4.${i}`);
        assert.equal(res.json<{ error: { code: string } }>().error.code, 'INVALID_CREDENTIALS');
      }
      const locked = await login('bob', 'bob-secret', '10.0.4.9');
      assertLimited(locked, 'LOGIN_LOCKED', 'right secret while locked');
      assert.equal(Number(locked.headers['retry-after']), 900);
      now += 600_000;
      assert.equal(Number((await login('bob', 'bob-secret', '10.0.4.10')).headers['retry-after']), 300);
      now += 300_000;
      assert.equal((await login('bob', 'bob-secret', '10.0.4.11')).statusCode, 200);
    });

    it('should clear the failures of an id on a successful login', async () => {
      app.identities.put(
        { enrollmentId: 'carol', role: 'operator', serial: 'AD', certPem: 'cert', keyPem: 'key' },
        'carol-secret',
      );
      await login('carol', 'wrong', '10.0.5.1');
      await login('carol', 'wrong', '10.0.5.2');
      assert.equal((await login('carol', 'carol-secret', '10.0.5.3')).statusCode, 200);
      await login('carol', 'wrong', '10.0.5.4');
      await login('carol', 'wrong', '10.0.5.5');
      assert.equal((await login('carol', 'carol-secret', '10.0.5.6')).statusCode, 200);
    });
  });
});
