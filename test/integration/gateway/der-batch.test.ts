// Bulk DER registration on the real network: devices enrolled through the CVPP gateway's RA, then
// registered in one transaction with POST /v1/ders/batch; each DER is judged on its own and gets its
// own outcome, and only the registered ones reach the ledger.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { DerBatchResult } from '../../../chaincode/src/api';
import { serialOf } from '../../../chaincode/src/domain/pki/certificate';
import { enrollDevice } from '../../../gateway/device-kit/device-api';
import {
  call,
  gatewayTarget,
  loginAdmin,
  registerAndLogin,
  type RestUser,
} from '../../../platform/src/http/gateway-rest';

const ORG = 'cvpp';
const stamp = Date.now().toString(36);
const VPP_ID = `vpp-bulk-${stamp}`;
type ErrorBody = { error: { code: string; message: string } };

describe('registry: bulk DER registration over REST', () => {
  let operator: RestUser;
  const certificates = new Map<string, string>();
  const derId = (name: string) => `bulk-${stamp}-${name}`;
  const registration = (name: string, overrides: Record<string, unknown> = {}) => ({
    derId: derId(name),
    vppId: VPP_ID,
    derType: 'battery',
    capacityW: 7000,
    zone: 'zone-bulk',
    certificatePem: certificates.get(name),
    ...overrides,
  });

  before(async () => {
    const admin = await loginAdmin(ORG);
    operator = await registerAndLogin(ORG, admin, `bulk-op-${stamp}`, 'operator');
    const vpp = await call(ORG, 'POST', '/v1/vpps', {
      token: operator.token,
      body: { vppId: VPP_ID, displayName: 'Bulk VPP', feeBps: 250 },
    });
    assert.equal(vpp.status, 201, JSON.stringify(vpp.body));
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      const registered = await call<{ secret: string }>(ORG, 'POST', '/v1/devices', {
        token: operator.token,
        body: { derId: derId(name), vppId: VPP_ID },
      });
      assert.equal(registered.status, 201, JSON.stringify(registered.body));
      const device = await enrollDevice(gatewayTarget(ORG), derId(name), registered.body.secret);
      certificates.set(name, device.credentials.certPem);
    }
  });

  it('should register the good DERs of a batch and refuse each bad one with its own code', async () => {
    const batch = [
      registration('a'),
      registration('a'), // the same DER again, later in the batch
      registration('x', { certificatePem: certificates.get('b') }), // b's certificate names another DER
      registration('d', { vppId: `vpp-missing-${stamp}` }),
      registration('b', { derType: 'pv', capacityW: 4000 }),
    ];
    const res = await call<DerBatchResult>(ORG, 'POST', '/v1/ders/batch', {
      token: operator.token,
      body: { ders: batch },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.match(res.body.txId, /^[0-9a-f]{64}$/);
    assert.deepEqual([res.body.registered, res.body.refused], [2, 3]);
    assert.deepEqual(
      res.body.results.map((r) => [r.index, r.status, r.derId, r.code ?? null]),
      [
        [0, 'registered', derId('a'), null],
        [1, 'refused', derId('a'), 'ALREADY_EXISTS'],
        [2, 'refused', derId('x'), 'CERTIFICATE_REJECTED'],
        [3, 'refused', derId('d'), 'NOT_FOUND'],
        [4, 'registered', derId('b'), null],
      ],
    );
    for (const name of ['a', 'b']) {
      const der = await call<{ status: string; vppId: string; certificate: { serial: string } }>(
        ORG,
        'GET',
        `/v1/ders/${derId(name)}`,
        { token: operator.token },
      );
      assert.equal(der.status, 200, JSON.stringify(der.body));
      assert.deepEqual(
        [der.body.status, der.body.vppId, der.body.certificate.serial],
        ['active', VPP_ID, serialOf(certificates.get(name) as string)],
      );
    }
    for (const name of ['d', 'x']) {
      const absent = await call<ErrorBody>(ORG, 'GET', `/v1/ders/${derId(name)}`, { token: operator.token });
      assert.equal(absent.status, 404, `${name}: ${JSON.stringify(absent.body)}`);
    }
    // The refused one can be registered afterwards, once its mistake is fixed, with one more.
    const retry = await call<DerBatchResult>(ORG, 'POST', '/v1/ders/batch', {
      token: operator.token,
      body: { ders: [registration('c'), registration('d')] },
    });
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.deepEqual([retry.body.registered, retry.body.refused], [2, 0]);
    const listed = await call<{ ders: { derId: string }[] }>(ORG, 'GET', `/v1/vpps/${VPP_ID}/ders`, {
      token: operator.token,
    });
    assert.deepEqual(
      listed.body.ders.map((der) => der.derId),
      ['a', 'b', 'c', 'd'].map(derId),
    );
  });

  it('should refuse a malformed or oversized batch, and callers who may not register, as a whole', async () => {
    const malformed: [unknown, number, string][] = [
      [{ ders: [] }, 400, 'VALIDATION_FAILED'],
      [{ ders: Array.from({ length: 501 }, () => ({})) }, 400, 'VALIDATION_FAILED'],
      [{ ders: ['not an object'] }, 400, 'VALIDATION_FAILED'],
      [[registration('a')], 400, 'VALIDATION_FAILED'],
      // One malformed item refuses the request: the good one beside it is not registered either.
      [{ ders: [registration('e'), registration('f', { capacityW: 0 })] }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of malformed) {
      const res = await call<ErrorBody>(ORG, 'POST', '/v1/ders/batch', { token: operator.token, body });
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.error.code, code);
    }
    const notRegistered = await call<ErrorBody>(ORG, 'GET', `/v1/ders/${derId('e')}`, {
      token: operator.token,
    });
    assert.equal(notRegistered.status, 404);
    const anonymous = await call<ErrorBody>(ORG, 'POST', '/v1/ders/batch', { body: { ders: [{}] } });
    assert.equal(anonymous.status, 401);
    const regulator = await loginAdmin('regulator');
    const elsewhere = await call<ErrorBody>('regulator', 'POST', '/v1/ders/batch', {
      token: regulator,
      body: { ders: [registration('e')] },
    });
    assert.deepEqual([elsewhere.status, elsewhere.body.error.code], [403, 'ORG_NOT_ALLOWED']);
  });
});
