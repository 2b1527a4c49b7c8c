// Signed telemetry end to end on the real network: device identities through the CVPP gateway's RA,
// DERs registered on chain with their device certificates, readings posted by devices, checked by the
// gateway and again by the chaincode.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { BatchResult } from '../../../chaincode/src/domain/telemetry/batch';
import { serialOf } from '../../../chaincode/src/domain/pki/certificate';
import { intervalIdOf, type SignedReading } from '../../../chaincode/src/domain/telemetry/reading';
import type { Device } from '../../../gateway/device-kit/device';
import { enrollDevice, postReadings, type ReadingsAnswer } from '../../../gateway/device-kit/device-api';
import { signReading } from '../../../gateway/device-kit/reading-signer';
import { crlSerials } from '../../../gateway/src/plugins/app/ra';
import { connectAs, utf8, type Connection } from '../../support/fabric-client';
import { otherS, unpadded, withPadBits } from '../../support/signature-twins';
import {
  blockOf,
  call,
  gatewayTarget,
  laterBlock,
  loginAdmin,
  marketCalendarNow,
  registerAndLogin,
  type RestUser,
} from '../../../platform/src/http/gateway-rest';

const ORG = 'cvpp';
const stamp = Date.now().toString(36);
const VPP_ID = `vpp-${stamp}`;
const CVPP = gatewayTarget(ORG);
type ErrorBody = { error: { code: string; message: string } };

/** The market calendar in force (the network's topology installs it): metering grid and window. */
let meteringSeconds = 0;
/** The metering interval that had ended most recently when the test began: open for readings for the
 * calendar's reading window after its end, which leaves every test here time to finish. */
let current = '';
const interval = () => current;
const intervalAt = (ms: number) => intervalIdOf(new Date(ms).toISOString(), meteringSeconds);
/** The capacity (W) whose most energy per metering interval is `capWh` (8000 W for 2000 Wh in 15 minutes). */
const capacityFor = (capWh: number) => (capWh * 3600) / meteringSeconds;
const codes = (answer: ReadingsAnswer) =>
  answer.results.map((r) => [r.status, r.code ?? null, r.checkedBy ?? null]);

describe('telemetry: DER registry and device-signed readings', () => {
  let adminToken: string;
  let operator: RestUser;
  const devices = new Map<string, Device>();
  const connections: Connection[] = [];

  async function newDevice(derId: string, capacityW: number, derType = 'pv'): Promise<Device> {
    const registered = await call<{ secret: string; enrollmentId: string }>(ORG, 'POST', '/v1/devices', {
      token: operator.token,
      body: { derId, vppId: VPP_ID },
    });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    assert.equal(registered.body.enrollmentId, `device.${derId}`);
    const device = await enrollDevice(CVPP, derId, registered.body.secret);
    const der = await call<{ record: { derId: string; status: string }; txId: string }>(
      ORG,
      'POST',
      '/v1/ders',
      {
        token: operator.token,
        body: {
          derId,
          vppId: VPP_ID,
          derType,
          capacityW,
          zone: 'zone-a',
          certificatePem: device.credentials.certPem,
        },
      },
    );
    assert.equal(der.status, 201, JSON.stringify(der.body));
    assert.deepEqual([der.body.record.derId, der.body.record.status], [derId, 'active']);
    devices.set(derId, device);
    return device;
  }

  const sign = (derId: string, energyWh: number, sequence = 0, intervalId = interval()): SignedReading =>
    devices.get(derId)!.sign({ intervalId, sequence, energyWh, timestamp: new Date().toISOString() });

  before(async () => {
    adminToken = await loginAdmin(ORG);
    operator = await registerAndLogin(ORG, adminToken, `tel-operator-${stamp}`, 'operator');
    const vpp = await call(ORG, 'POST', '/v1/vpps', {
      token: operator.token,
      body: { vppId: VPP_ID, displayName: 'Telemetry test VPP', feeBps: 250 },
    });
    assert.equal(vpp.status, 201, JSON.stringify(vpp.body));
    meteringSeconds = (await marketCalendarNow(ORG, adminToken)).meteringIntervalSeconds;
    await newDevice(`pv-${stamp}`, capacityFor(2000));
    await newDevice(`bat-${stamp}`, capacityFor(1000), 'battery');
  });

  beforeEach(() => {
    current = intervalAt(Date.now() - meteringSeconds * 1000);
  });

  after(() => {
    for (const connection of connections) connection.close();
  });

  it('should record readings signed by registered devices, one batch for one request', async () => {
    const pv = `pv-${stamp}`;
    const bat = `bat-${stamp}`;
    const answer = await postReadings(CVPP, [sign(pv, 1500), sign(bat, 600)]);
    assert.deepEqual(codes(answer), [
      ['accepted', null, null],
      ['accepted', null, null],
    ]);
    assert.equal(answer.results[0]!.txId, answer.results[1]!.txId, 'one transaction');
    const stored = await call<SignedReading[]>(
      ORG,
      'GET',
      `/v1/ders/${pv}/readings?intervalId=${interval()}`,
      {
        token: operator.token,
      },
    );
    assert.equal(stored.status, 200);
    assert.deepEqual(
      stored.body.map((r) => [r.sequence, r.energyWh]),
      [[0, 1500]],
    );
    const byVpp = await call<{ readings: SignedReading[]; bookmark: string }>(
      ORG,
      'GET',
      `/v1/vpps/${VPP_ID}/readings?intervalId=${interval()}`,
      {
        token: adminToken,
      },
    );
    assert.deepEqual(byVpp.body.readings.map((r) => r.derId).sort(), [bat, pv].sort());
    assert.equal(byVpp.body.bookmark, '');
  });

  it('should reject each bad reading with its code and record the good ones beside them', async () => {
    const pv = `pv-${stamp}`;
    const good = sign(pv, 100, 10);
    const answer = await postReadings(CVPP, [
      { ...sign(pv, 100, 11), energyWh: 101 }, // tampered after signing
      sign(pv, 2001, 12), // capacity × metering interval = 2000 Wh
      sign(pv, 10, 13, intervalAt(Date.now() - 3 * 3600_000)), // window closed
      sign(pv, 10, 14, intervalAt(Date.now() + 30 * 60_000)), // not ended
      { ...sign(pv, 10, 15), derId: `ghost-${stamp}` }, // unknown DER
      { ...sign(pv, 10, 16), energyWh: -1 }, // negative
      good,
    ] as SignedReading[]);
    assert.deepEqual(codes(answer), [
      ['rejected', 'BAD_SIGNATURE', 'gateway'],
      ['rejected', 'ENERGY_ABOVE_CAPACITY', 'gateway'],
      ['rejected', 'OUTSIDE_WINDOW', 'gateway'],
      ['rejected', 'OUTSIDE_WINDOW', 'gateway'],
      ['rejected', 'UNKNOWN_DER', 'gateway'],
      ['rejected', 'INVALID_ARGUMENT', 'gateway'],
      ['accepted', null, null],
    ]);
  });

  it('should count a retried batch once and refuse a replay with other figures', async () => {
    const bat = `bat-${stamp}`;
    const batch = [sign(bat, 300, 20), sign(bat, 310, 21)];
    assert.deepEqual([(await postReadings(CVPP, batch)).accepted], [2]);
    const retried = await postReadings(CVPP, batch);
    assert.deepEqual(codes(retried), [
      ['duplicate', null, null],
      ['duplicate', null, null],
    ]);
    const replay = await postReadings(CVPP, [sign(bat, 999, 20)]);
    assert.deepEqual(codes(replay), [['rejected', 'REPLAY', 'chaincode']]);
    const stored = await call<SignedReading[]>(
      ORG,
      'GET',
      `/v1/ders/${bat}/readings?intervalId=${interval()}`,
      {
        token: operator.token,
      },
    );
    assert.deepEqual(
      stored.body.filter((r) => r.sequence >= 20).map((r) => [r.sequence, r.energyWh]),
      [
        [20, 300],
        [21, 310],
      ],
    );
  });

  it('should refuse readings of a suspended DER until it is reinstated', async () => {
    const bat = `bat-${stamp}`;
    const suspend = await call(ORG, 'POST', `/v1/ders/${bat}/suspend`, {
      token: operator.token,
      body: { reason: 'inverter inspection' },
    });
    assert.equal(suspend.status, 200, JSON.stringify(suspend.body));
    assert.deepEqual(codes(await postReadings(CVPP, [sign(bat, 5, 30)])), [
      ['rejected', 'DER_SUSPENDED', 'gateway'],
    ]);
    const reinstate = await call(ORG, 'POST', `/v1/ders/${bat}/reinstate`, {
      token: operator.token,
      body: { reason: 'inspected' },
    });
    assert.equal(reinstate.status, 200);
    assert.deepEqual(codes(await postReadings(CVPP, [sign(bat, 5, 30)])), [['accepted', null, null]]);
  });

  it('should refuse a reading that an org admin forges and submits straight to the chaincode', async () => {
    const pv = `pv-${stamp}`;
    const admin = connectAs(ORG, 'admin');
    connections.push(admin);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = signReading(
      {
        derId: pv,
        intervalId: interval(),
        sequence: 40,
        energyWh: 2000,
        timestamp: new Date().toISOString(),
        scheme: 'ecdsa-p256-sha256',
      },
      privateKey,
    );
    const result = JSON.parse(
      utf8(await admin.contract('telemetry').submitTransaction('RecordReadings', JSON.stringify([forged]))),
    ) as BatchResult;
    assert.deepEqual(
      result.results.map((r) => [r.status, r.code]),
      [['rejected', 'BAD_SIGNATURE']],
    );
    const stored = await call<SignedReading[]>(
      ORG,
      'GET',
      `/v1/ders/${pv}/readings?intervalId=${interval()}`,
      {
        token: operator.token,
      },
    );
    assert.equal(stored.body.filter((r) => r.sequence === 40).length, 0);
  });

  it("should refuse a DER whose device certificate comes from another org's CA", async () => {
    const derId = `foreign-${stamp}`;
    const tradingAdmin = await loginAdmin('trading');
    const registered = await call<{ secret: string }>('trading', 'POST', '/v1/devices', {
      token: tradingAdmin,
      body: { derId, vppId: VPP_ID },
    });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const device = await enrollDevice(gatewayTarget('trading'), derId, registered.body.secret);
    const res = await call<ErrorBody>(ORG, 'POST', '/v1/ders', {
      token: operator.token,
      body: {
        derId,
        vppId: VPP_ID,
        derType: 'pv',
        capacityW: 1000,
        zone: 'zone-a',
        certificatePem: device.credentials.certPem,
      },
    });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'CERTIFICATE_REJECTED');
    assert.match(res.body.error.message, /not issued by the CVPP/);
  });

  it('should refuse other orgs at the gateway and again in the chaincode', async () => {
    const trading = connectAs('trading', 'admin');
    connections.push(trading);
    await assert.rejects(
      trading
        .contract('telemetry')
        .submitTransaction('RecordReadings', JSON.stringify([sign(`pv-${stamp}`, 1, 50)])),
      (err: Error & { details?: { message: string }[] }) =>
        (err.details ?? []).some((d) => d.message.includes('FORBIDDEN')),
    );
  });

  it('should revoke a device at the CA and on chain in one request, refusing its readings from then on', async () => {
    const pv = `pv-${stamp}`;
    const serial = serialOf(devices.get(pv)!.credentials.certPem);
    const revoked = await call<{ revokedSerials: string[]; txId: string }>(
      ORG,
      'POST',
      `/v1/devices/${pv}/revoke`,
      {
        token: operator.token,
        body: { reason: 'keyCompromise' },
      },
    );
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    assert.deepEqual(revoked.body.revokedSerials, [serial]);
    const crl = await call<string>(ORG, 'GET', '/v1/pki/crl');
    assert.ok(crlSerials(crl.body).includes(serial), 'the CRL lists the device certificate');
    const der = await call<{ certificate: { status: string; serial: string } }>(
      ORG,
      'GET',
      `/v1/ders/${pv}`,
      {
        token: adminToken,
      },
    );
    assert.deepEqual([der.body.certificate.status, der.body.certificate.serial], ['revoked', serial]);
    assert.deepEqual(codes(await postReadings(CVPP, [sign(pv, 1, 55)])), [
      ['rejected', 'CERTIFICATE_REVOKED', 'gateway'],
    ]);
    // Straight to the chaincode as the ingest identity: refused there too.
    const ingest = connectAs(ORG, 'ingest');
    connections.push(ingest);
    const direct = JSON.parse(
      utf8(
        await ingest
          .contract('telemetry')
          .submitTransaction('RecordReadings', JSON.stringify([sign(pv, 1, 56)])),
      ),
    ) as BatchResult;
    assert.deepEqual(
      direct.results.map((r) => r.code),
      ['CERTIFICATE_REVOKED'],
    );
    const again = await call<ErrorBody>(ORG, 'POST', `/v1/devices/${pv}/revoke`, {
      token: operator.token,
      body: { reason: 'again' },
    });
    assert.equal(again.status, 409);
  });

  describe('malleated signatures', () => {
    const derId = `mal-${stamp}`;
    const timestamp = new Date().toISOString();
    let lastBlock: bigint | undefined;
    /** A reading whose base64 signature is padded, so that its unpadded and pad-bit variants exist. */
    const signPadded = (energyWh: number, sequence: number): SignedReading => {
      for (let attempt = 0; attempt < 20; attempt += 1) {
        const reading = devices.get(derId)!.sign({ intervalId: interval(), sequence, energyWh, timestamp });
        if (unpadded(reading.signature) !== undefined) return reading;
      }
      throw new Error('no padded signature in 20 attempts');
    };
    const post = async (readings: SignedReading[]) => {
      const res = await call<ReadingsAnswer>(ORG, 'POST', '/v1/readings', { body: { readings } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      lastBlock = laterBlock(lastBlock, blockOf(res));
      return codes(res.body);
    };
    const telemetryValidity = async () => {
      const standing = await call<{ indicators: Record<string, number> }>(
        ORG,
        'GET',
        `/v1/credit/participants/der/${derId}`,
        { token: adminToken, minBlock: lastBlock },
      );
      assert.equal(standing.status, 200, JSON.stringify(standing.body));
      return standing.body.indicators.TELEMETRY_VALIDITY;
    };

    before(async () => {
      await newDevice(derId, capacityFor(2000));
    });

    it('should answer the other-S twin of an accepted reading as a duplicate and refuse loose base64, costing the DER nothing', async () => {
      const before = await telemetryValidity();
      assert.equal(typeof before, 'number');
      const genuine = signPadded(700, 0);
      assert.deepEqual(await post([genuine]), [['accepted', null, null]]);
      const twin = { ...genuine, signature: otherS(genuine.signature) };
      assert.deepEqual(
        await post([
          twin,
          { ...genuine, signature: unpadded(genuine.signature)! },
          { ...genuine, signature: withPadBits(genuine.signature)! },
        ]),
        [
          ['duplicate', null, null],
          ['rejected', 'NON_CANONICAL_SIGNATURE', 'gateway'],
          ['rejected', 'NON_CANONICAL_SIGNATURE', 'gateway'],
        ],
      );
      const fifty = await post(Array.from({ length: 50 }, () => twin));
      assert.deepEqual(
        fifty,
        Array.from({ length: 50 }, () => ['duplicate', null, null]),
      );
      assert.deepEqual(await post([genuine]), [['duplicate', null, null]], 'a retry of the genuine reading');
      assert.equal(await telemetryValidity(), before);
    });

    it('should take the genuine reading as a duplicate when its twin arrived first, and keep the low-S form', async () => {
      const before = await telemetryValidity();
      const genuine = signPadded(400, 1);
      assert.deepEqual(await post([{ ...genuine, signature: otherS(genuine.signature) }]), [
        ['accepted', null, null],
      ]);
      assert.deepEqual(await post([genuine, genuine]), [
        ['duplicate', null, null],
        ['duplicate', null, null],
      ]);
      const stored = await call<SignedReading[]>(
        ORG,
        'GET',
        `/v1/ders/${derId}/readings?intervalId=${interval()}`,
        { token: operator.token, minBlock: lastBlock },
      );
      assert.deepEqual(
        stored.body.filter((r) => r.sequence === 1).map((r) => [r.energyWh, r.signature]),
        [[400, genuine.signature]],
        'stored as the device kit signs: low-S',
      );
      assert.equal(await telemetryValidity(), before);
    });
  });
});
