// The device routes' own decisions, over fake CA and ledger ports: an SM2 key registered only when it
// is one, enrollment of an SM2 device only with a proof by that key (checked before the CA spends the
// one-time secret), and a repeated revocation regenerating the CRL.
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sm2PublicKeyPem } from '../../../../chaincode/src/api';
import { newDeviceKey } from '../../../../gateway/device-kit/device';
import { newSm2Key, signSm2Sm3 } from '../../../../gateway/device-kit/sm2-key';
import { ApiError } from '../../../../gateway/src/core/api-error';
import type { RegistrableRole } from '../../../../gateway/src/plugins/app/ra';
import {
  bearer,
  FakeLedger,
  fakeRaPort,
  openGateway,
  tokenFor,
  type TestGateway,
} from '../../../support/route-harness';

const SM2_KEY = newSm2Key();
const CSR = newDeviceKey('pv-1').csrPem;
type ErrorBody = { error: { code: string } };

describe('gateway/routes/devices', () => {
  const ledger = new FakeLedger({
    txId: 'tx-devices',
    answer: { certificate: { status: 'valid', serial: '1A' } },
  });
  let gateway: TestGateway;
  let registered: { enrollmentId: string; role: RegistrableRole; attrs: Record<string, string> }[];
  let enrolled: string[];
  let boundAttrs: Record<string, Record<string, string>>;
  let crlReads: number;
  let token: string;

  before(async () => {
    const ra = fakeRaPort({
      register: async (input) => {
        registered.push(input);
        return { enrollmentId: input.enrollmentId, role: input.role, secret: 'one-time' };
      },
      attributesOf: async (id) => boundAttrs[id],
      enrollCsr: async (id) => {
        enrolled.push(id);
        return '-----BEGIN CERTIFICATE-----\n';
      },
      revoke: async () => {
        throw new ApiError(409, 'ALREADY_REVOKED', 'the identity is already revoked');
      },
      crlPem: async () => {
        crlReads += 1;
        return '';
      },
    });
    gateway = await openGateway('cvpp', { fabric: ledger.port, ra }, 'gw-devices-');
    token = tokenFor(gateway.app, 'operator', 'CvppMSP');
  });
  after(() => gateway.close());
  beforeEach(() => {
    ledger.reset();
    registered = [];
    enrolled = [];
    boundAttrs = {};
    crlReads = 0;
  });

  const post = (url: string, payload: object, withToken = true) =>
    gateway.app.inject({ method: 'POST', url, payload, ...(withToken ? { headers: bearer(token) } : {}) });

  it('should register an SM2 device with its key as the certificate attribute, and refuse what is no SM2 key', async () => {
    const ok = await post('/v1/devices', {
      derId: 'pv-1',
      vppId: 'vpp-1',
      sm2PublicKey: sm2PublicKeyPem(SM2_KEY.publicKeyHex),
    });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json<{ sm2PublicKey: string }>().sm2PublicKey, SM2_KEY.publicKeyHex);
    assert.deepEqual(registered[0]?.attrs, {
      'vpp.derId': 'pv-1',
      'vpp.vppId': 'vpp-1',
      'vpp.sm2PublicKey': SM2_KEY.publicKeyHex,
    });

    const offCurve = sm2PublicKeyPem(`04${'11'.repeat(64)}`);
    const p256 = createPublicKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)
      .export({ type: 'spki', format: 'pem' })
      .toString();
    for (const sm2PublicKey of [
      offCurve,
      p256,
      '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n',
    ]) {
      const refused = await post('/v1/devices', { derId: 'pv-2', vppId: 'vpp-1', sm2PublicKey });
      assert.deepEqual([refused.statusCode, refused.json<ErrorBody>().error.code], [400, 'INVALID_SM2_KEY']);
    }
    assert.equal(registered.length, 1, 'nothing registered for a refused key');
  });

  it('should enroll an SM2 device only with its proof over the CSR, before the CA sees the secret', async () => {
    boundAttrs['device.pv-1'] = { 'vpp.sm2PublicKey': SM2_KEY.publicKeyHex };
    const enroll = (body: object) =>
      post('/v1/devices/pv-1/enroll', { secret: 'one-time', csr: CSR, ...body }, false);
    const cases: [object, string][] = [
      [{}, 'SM2_PROOF_REQUIRED'],
      [{ sm2Proof: signSm2Sm3(Buffer.from(CSR), newSm2Key()).toString('base64') }, 'BAD_SIGNATURE'],
      [{ sm2Proof: signSm2Sm3(Buffer.from(`${CSR}\n`), SM2_KEY).toString('base64') }, 'BAD_SIGNATURE'],
      [{ sm2Proof: 'AAAA' }, 'NON_CANONICAL_SIGNATURE'],
    ];
    for (const [body, code] of cases) {
      const refused = await enroll(body);
      assert.deepEqual(
        [refused.statusCode, refused.json<ErrorBody>().error.code],
        [400, code],
        JSON.stringify(body),
      );
    }
    assert.deepEqual(enrolled, [], 'the CA was not asked');
    const ok = await enroll({ sm2Proof: signSm2Sm3(Buffer.from(CSR), SM2_KEY).toString('base64') });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.deepEqual(enrolled, ['device.pv-1']);
  });

  it('should refuse a proof from a device registered without an SM2 key', async () => {
    boundAttrs['device.pv-1'] = { 'vpp.derId': 'pv-1' };
    const sm2Proof = signSm2Sm3(Buffer.from(CSR), SM2_KEY).toString('base64');
    const refused = await post('/v1/devices/pv-1/enroll', { secret: 'one-time', csr: CSR, sm2Proof }, false);
    assert.deepEqual([refused.statusCode, refused.json<ErrorBody>().error.code], [400, 'INVALID_ARGUMENT']);
    const ok = await post('/v1/devices/pv-1/enroll', { secret: 'one-time', csr: CSR }, false);
    assert.equal(ok.statusCode, 201, ok.body);
    assert.deepEqual(enrolled, ['device.pv-1']);
  });

  it('should regenerate the CRL when the CA had already revoked the device, and revoke it on chain', async () => {
    const answer = await post('/v1/devices/pv-1/revoke', { reason: 'key lost' });
    assert.equal(answer.statusCode, 200, answer.body);
    assert.deepEqual(answer.json<{ revokedSerials: string[] }>().revokedSerials, []);
    assert.equal(crlReads, 1);
    assert.deepEqual(
      ledger.calls.map((c) => [c.kind, c.tx, c.args]),
      [
        ['evaluate', 'GetDer', ['pv-1']],
        ['submit', 'RevokeDerCertificate', ['pv-1', '1A', 'key lost']],
      ],
    );
  });
});
