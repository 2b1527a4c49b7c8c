import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import {
  bearer,
  FakeLedger,
  fakeRaPort,
  openGateway,
  tokenFor,
  type TestGateway,
} from '../../../support/route-harness';

/** Ids the CA would register but the gateway's identity store could never keep. */
const BAD_IDS = ['a..b', '.hidden', 'trailing.', 'x'.repeat(65)];

describe('routes/identities', () => {
  let gateway: TestGateway;
  let app: FastifyInstance;
  const caCalls: string[] = [];
  const admin = () => bearer(tokenFor(app, 'admin', 'CvppMSP'));

  before(async () => {
    const ra = fakeRaPort({
      register: async (input) => {
        caCalls.push(`register ${input.enrollmentId}`);
        return { enrollmentId: input.enrollmentId, role: input.role, secret: 's3cret' };
      },
      revoke: async (id, reason) => {
        caCalls.push(`revoke ${id} ${reason}`);
        // Not 'AB', the serial of the harness's tokens: the admin's own token must stay valid.
        return { serials: [`CAFE${caCalls.length}`], crlPem: '' };
      },
    });
    gateway = await openGateway('cvpp', { fabric: new FakeLedger({ txId: 'tx' }).port, ra });
    app = gateway.app;
  });
  after(() => gateway.close());
  beforeEach(() => {
    caCalls.length = 0;
  });

  describe('POST /v1/identities', () => {
    it('should refuse an id the identity store cannot keep with 400 before any CA call', async () => {
      for (const enrollmentId of BAD_IDS) {
        const res = await app.inject({
          method: 'POST',
          url: '/v1/identities',
          headers: admin(),
          payload: { enrollmentId, role: 'operator' },
        });
        assert.equal(res.statusCode, 400, enrollmentId);
        assert.equal(res.json().error.code, 'VALIDATION_FAILED');
      }
      assert.deepEqual(caCalls, []);
    });

    it('should register a valid dotted id at the CA', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/identities',
        headers: admin(),
        payload: { enrollmentId: 'op.north', role: 'operator' },
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(caCalls, ['register op.north']);
    });
  });

  describe('POST /v1/identities/:id/revoke', () => {
    it('should refuse an id the identity store cannot keep with 400 before any CA call', async () => {
      for (const id of BAD_IDS) {
        const res = await app.inject({
          method: 'POST',
          url: `/v1/identities/${id}/revoke`,
          headers: admin(),
          payload: {},
        });
        assert.equal(res.statusCode, 400, id);
        assert.equal(res.json().error.code, 'VALIDATION_FAILED');
      }
      assert.deepEqual(caCalls, []);
    });

    it('should revoke for reason unspecified when no body is sent', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/identities/op.south/revoke',
        headers: admin(),
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(caCalls, ['revoke op.south unspecified']);
    });

    it('should revoke a valid id at the CA and at once here', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/identities/op.north/revoke',
        headers: admin(),
        payload: { reason: 'superseded' },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { enrollmentId: 'op.north', revokedSerials: ['CAFE1'] });
      assert.deepEqual(caCalls, ['revoke op.north superseded']);
      assert.equal(app.identities.isRevoked('op.north'), true);
    });
  });
});
