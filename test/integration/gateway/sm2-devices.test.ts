// Devices that sign with SM2 and SM3 (scheme sm2-sm3), on the real network: the operator registers a
// device with an SM2 key made by the OpenSSL command line, the device proves it holds that key when it
// enrolls, its certificate from the CVPP CA binds the key, and readings signed by OpenSSL itself and
// by the device kit are accepted, while tampered ones are refused with BAD_SIGNATURE by the gateway
// and, sent straight to the chaincode, by the chaincode.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fabricAttrsOf } from '../../../chaincode/src/domain/pki/certificate';
import type { BatchResult } from '../../../chaincode/src/domain/telemetry/batch';
import {
  intervalIdOf,
  readingSigningBytes,
  type SignedReading,
  type UnsignedReading,
} from '../../../chaincode/src/domain/telemetry/reading';
import { Device, newDeviceKey } from '../../../gateway/device-kit/device';
import { enrollDevice, postReadings, type ReadingsAnswer } from '../../../gateway/device-kit/device-api';
import { newSm2Key, signSm2Sm3, sm2KeyFromPem } from '../../../gateway/device-kit/sm2-key';
import { connectAs, utf8, type Connection } from '../../support/fabric-client';
import {
  call,
  gatewayTarget,
  loginAdmin,
  marketCalendarNow,
  registerAndLogin,
  type RestUser,
} from '../../../platform/src/http/gateway-rest';

const ORG = 'cvpp';
const stamp = Date.now().toString(36);
const VPP_ID = `vpp-sm2-${stamp}`;
const CVPP = gatewayTarget(ORG);
const dir = mkdtempSync(path.join(os.tmpdir(), 'sm2-device-'));
const file = (name: string) => path.join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' });
const codes = (answer: ReadingsAnswer) =>
  answer.results.map((r) => [r.status, r.code ?? null, r.checkedBy ?? null]);
type ErrorBody = { error: { code: string; message: string } };

/** OpenSSL's SM2-with-SM3 signature (default ID) of `bytes` with the key it made, base64 DER. */
function opensslSign(bytes: Buffer): string {
  writeFileSync(file('message'), bytes);
  openssl(
    'pkeyutl',
    '-sign',
    '-inkey',
    file('openssl-sm2.pem'),
    '-rawin',
    '-digest',
    'sm3',
    '-in',
    file('message'),
    '-out',
    file('signature'),
    '-pkeyopt',
    'distid:1234567812345678',
  );
  return readFileSync(file('signature')).toString('base64');
}

describe('SM2/SM3 devices: enrolled through the RA, readings checked by the gateway and the chaincode', () => {
  let operator: RestUser;
  let meteringSeconds = 0;
  let sm2Device: Device;
  let ecdsaDevice: Device;
  const sm2Der = `pv-sm2-${stamp}`;
  const ecdsaDer = `pv-ecdsa-${stamp}`;
  const connections: Connection[] = [];

  async function registerDer(derId: string, certificatePem: string): Promise<void> {
    const der = await call(ORG, 'POST', '/v1/ders', {
      token: operator.token,
      body: { derId, vppId: VPP_ID, derType: 'pv', capacityW: 1_000_000, zone: 'zone-a', certificatePem },
    });
    assert.equal(der.status, 201, JSON.stringify(der.body));
  }

  /** The metering interval that has just ended, open for readings for the calendar's window. */
  const lastInterval = () =>
    intervalIdOf(new Date(Date.now() - meteringSeconds * 1000).toISOString(), meteringSeconds);
  const unsigned = (
    derId: string,
    intervalId: string,
    sequence: number,
    energyWh: number,
  ): UnsignedReading => ({
    derId,
    intervalId,
    sequence,
    energyWh,
    timestamp: new Date().toISOString(),
    scheme: 'sm2-sm3',
  });

  before(async () => {
    openssl('genpkey', '-algorithm', 'SM2', '-out', file('openssl-sm2.pem'));
    const adminToken = await loginAdmin(ORG);
    operator = await registerAndLogin(ORG, adminToken, `sm2-operator-${stamp}`, 'operator');
    const vpp = await call(ORG, 'POST', '/v1/vpps', {
      token: operator.token,
      body: { vppId: VPP_ID, displayName: 'SM2 test VPP', feeBps: 250 },
    });
    assert.equal(vpp.status, 201, JSON.stringify(vpp.body));
    meteringSeconds = (await marketCalendarNow(ORG, adminToken)).meteringIntervalSeconds;
  });

  after(() => {
    for (const connection of connections) connection.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should register a device with an OpenSSL SM2 key and enroll it only with a proof by that key', async () => {
    const publicKeyPem = openssl('pkey', '-in', file('openssl-sm2.pem'), '-pubout');
    const sm2Key = sm2KeyFromPem(readFileSync(file('openssl-sm2.pem'), 'utf8'));

    const badKey = await call<ErrorBody>(ORG, 'POST', '/v1/devices', {
      token: operator.token,
      body: {
        derId: sm2Der,
        vppId: VPP_ID,
        sm2PublicKey: openssl('ecparam', '-name', 'prime256v1', '-genkey'),
      },
    });
    assert.deepEqual([badKey.status, badKey.body.error.code], [400, 'INVALID_SM2_KEY']);

    const registered = await call<{ secret: string; sm2PublicKey: string }>(ORG, 'POST', '/v1/devices', {
      token: operator.token,
      body: { derId: sm2Der, vppId: VPP_ID, sm2PublicKey: publicKeyPem },
    });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    assert.equal(registered.body.sm2PublicKey, sm2Key.publicKeyHex);

    // Refused before the CA sees the one-time secret: no proof, then a proof by another SM2 key.
    const { csrPem } = newDeviceKey(sm2Der);
    const enroll = (body: Record<string, string>) =>
      call<ErrorBody>(ORG, 'POST', `/v1/devices/${sm2Der}/enroll`, {
        body: { secret: registered.body.secret, csr: csrPem, ...body },
      });
    const noProof = await enroll({});
    assert.deepEqual([noProof.status, noProof.body.error.code], [400, 'SM2_PROOF_REQUIRED']);
    const otherKeyProof = signSm2Sm3(Buffer.from(csrPem, 'utf8'), newSm2Key()).toString('base64');
    const wrongProof = await enroll({ sm2Proof: otherKeyProof });
    assert.deepEqual([wrongProof.status, wrongProof.body.error.code], [400, 'BAD_SIGNATURE']);
    const proofOfOtherCsr = opensslSign(Buffer.from(newDeviceKey(sm2Der).csrPem, 'utf8'));
    const replayed = await enroll({ sm2Proof: proofOfOtherCsr });
    assert.deepEqual([replayed.status, replayed.body.error.code], [400, 'BAD_SIGNATURE']);

    // The secret is still good: the device kit enrolls, proving the key with a signature of its CSR.
    sm2Device = await enrollDevice(CVPP, sm2Der, registered.body.secret, sm2Key);
    assert.equal(sm2Device.scheme, 'sm2-sm3');
    const attrs = fabricAttrsOf(sm2Device.credentials.certPem);
    assert.deepEqual(
      [attrs['vpp.role'], attrs['vpp.derId'], attrs['vpp.vppId'], attrs['vpp.sm2PublicKey']],
      ['device', sm2Der, VPP_ID, sm2Key.publicKeyHex],
    );
    await registerDer(sm2Der, sm2Device.credentials.certPem);

    // A device registered without an SM2 key enrolls as before and may not send a proof.
    const plain = await call<{ secret: string }>(ORG, 'POST', '/v1/devices', {
      token: operator.token,
      body: { derId: ecdsaDer, vppId: VPP_ID },
    });
    assert.equal(plain.status, 201);
    const plainCsr = newDeviceKey(ecdsaDer).csrPem;
    const stray = await call<ErrorBody>(ORG, 'POST', `/v1/devices/${ecdsaDer}/enroll`, {
      body: { secret: plain.body.secret, csr: plainCsr, sm2Proof: otherKeyProof },
    });
    assert.deepEqual([stray.status, stray.body.error.code], [400, 'INVALID_ARGUMENT']);
    ecdsaDevice = await enrollDevice(CVPP, ecdsaDer, plain.body.secret);
    assert.equal(fabricAttrsOf(ecdsaDevice.credentials.certPem)['vpp.sm2PublicKey'], undefined);
    await registerDer(ecdsaDer, ecdsaDevice.credentials.certPem);
  });

  it('should accept a reading signed by the OpenSSL command line and one signed by the device kit', async () => {
    const intervalId = lastInterval();
    const byOpenssl = unsigned(sm2Der, intervalId, 0, 1200);
    const fromOpenssl: SignedReading = {
      ...byOpenssl,
      signature: opensslSign(readingSigningBytes(byOpenssl)),
    };
    const fromKit = sm2Device.sign({
      intervalId,
      sequence: 1,
      energyWh: 800,
      timestamp: new Date().toISOString(),
    });
    const answer = await postReadings(CVPP, [fromOpenssl, fromKit]);
    assert.deepEqual(codes(answer), [
      ['accepted', null, null],
      ['accepted', null, null],
    ]);
    const stored = await call<SignedReading[]>(
      ORG,
      'GET',
      `/v1/ders/${sm2Der}/readings?intervalId=${fromOpenssl.intervalId}`,
      { token: operator.token },
    );
    assert.deepEqual(
      stored.body.map((r) => [r.sequence, r.energyWh, r.scheme, r.signature]),
      [
        [0, 1200, 'sm2-sm3', fromOpenssl.signature],
        [1, 800, 'sm2-sm3', fromKit.signature],
      ],
    );
  });

  it('should refuse tampered SM2 readings with BAD_SIGNATURE at the gateway', async () => {
    const good = sm2Device.sign({
      intervalId: lastInterval(),
      sequence: 2,
      energyWh: 500,
      timestamp: new Date().toISOString(),
    });
    const signature = Buffer.from(good.signature, 'base64');
    signature[signature.length - 1] = (signature[signature.length - 1] as number) ^ 0x01;
    const answer = await postReadings(CVPP, [
      { ...good, energyWh: 501 },
      { ...good, signature: signature.toString('base64') },
      // An SM2 signature from a device whose certificate binds no SM2 key.
      { ...good, derId: ecdsaDer, signature: opensslSign(readingSigningBytes({ ...good, derId: ecdsaDer })) },
    ]);
    assert.deepEqual(codes(answer), [
      ['rejected', 'BAD_SIGNATURE', 'gateway'],
      ['rejected', 'BAD_SIGNATURE', 'gateway'],
      ['rejected', 'BAD_SIGNATURE', 'gateway'],
    ]);
    assert.match(answer.results[2]!.message ?? '', /binds no SM2 key/);
  });

  it('should refuse tampered SM2 readings with BAD_SIGNATURE in the chaincode too', async () => {
    // As the gateway's own ingest identity, past the gateway's checks.
    const ingest = connectAs(ORG, 'ingest');
    connections.push(ingest);
    const good = sm2Device.sign({
      intervalId: lastInterval(),
      sequence: 3,
      energyWh: 300,
      timestamp: new Date().toISOString(),
    });
    const forged = [
      { ...good, energyWh: 3000 },
      { ...good, derId: ecdsaDer, signature: opensslSign(readingSigningBytes({ ...good, derId: ecdsaDer })) },
      good,
    ];
    const result = JSON.parse(
      utf8(await ingest.contract('telemetry').submitTransaction('RecordReadings', JSON.stringify(forged))),
    ) as BatchResult;
    assert.deepEqual(
      result.results.map((r) => [r.status, r.code ?? null]),
      [
        ['rejected', 'BAD_SIGNATURE'],
        ['rejected', 'BAD_SIGNATURE'],
        ['accepted', null],
      ],
    );
    const stored = await call<SignedReading[]>(
      ORG,
      'GET',
      `/v1/ders/${sm2Der}/readings?intervalId=${good.intervalId}`,
      { token: operator.token },
    );
    assert.deepEqual(
      stored.body.filter((r) => r.sequence === 3).map((r) => r.energyWh),
      [300],
      'only the genuine reading is on the ledger',
    );
  });
});
