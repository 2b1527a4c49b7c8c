import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { deviceKeysOf } from '../../../../../chaincode/src/domain/pki/device-keys';
import { newSm2Key } from '../../../../../gateway/device-kit/sm2-key';
import { describe, it } from 'node:test';
import type { Der } from '../../../../../chaincode/src/domain/registry/der';
import {
  checkReading,
  decideWrite,
  intervalIdOf,
  parseSignedReading,
  parseStoredReading,
  readingSigningBytes,
  verifyReadingSignature,
  type UnsignedReading,
} from '../../../../../chaincode/src/domain/telemetry/reading';
import { maxEnergyWh, meteringIntervalEndMillis } from '../../../../../chaincode/src/domain/market/calendar';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { DEFAULT_CALENDAR_V1 } from '../../../../support/market-calendar';
import { isHighS, otherS, unpadded, withPadBits } from '../../../../support/signature-twins';
import { deviceAttrs, newTestCa, newTestDevice, signReading } from '../../../../support/test-pki';
import { vppError } from '../../../../support/vpp-assert';

const ca = newTestCa();
const device = newTestDevice(ca, { attrs: deviceAttrs('pv-001', 'vpp-1') });
const keys = deviceKeysOf(device.certPem);

const UNSIGNED: UnsignedReading = {
  derId: 'pv-001',
  intervalId: '2026-11-25T10:15:00.000Z',
  sequence: 0,
  energyWh: 1200,
  timestamp: '2026-11-25T10:30:00.000Z',
  scheme: 'ecdsa-p256-sha256',
};
const READING = signReading(UNSIGNED, device.privateKey);
/** A fresh signature of UNSIGNED (ECDSA signs with a random nonce) that passes `test`. */
function signedUntil(test: (reading: typeof READING) => boolean): typeof READING {
  for (let i = 0; i < 64; i += 1) {
    const reading = signReading(UNSIGNED, device.privateKey);
    if (test(reading)) return reading;
  }
  throw new Error('no such signature in 64 tries');
}
/** End of the interval: 10:30. */
const AT_END = '2026-11-25T10:30:00.000Z';

const DER: Der = {
  derId: 'pv-001',
  vppId: 'vpp-1',
  derType: 'pv',
  capacityW: 8000,
  zone: 'z1',
  status: 'active',
  certificate: { pem: device.certPem, serial: '1', notAfter: '2040-01-01T00:00:00.000Z', status: 'valid' },
  registeredAt: '2026-01-01T00:00:00.000Z',
  registeredBy: 'CvppMSP/op',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
};

const check = (overrides: Partial<Parameters<typeof checkReading>[0]> = {}) =>
  checkReading({
    reading: READING,
    der: DER,
    keys,
    at: AT_END,
    calendar: DEFAULT_CALENDAR_V1,
    ...overrides,
  });

describe('domain/telemetry/reading', () => {
  describe('#readingSigningBytes', () => {
    it('should be the documented canonical JSON, keys sorted, with the format type', () => {
      const text =
        '{"derId":"pv-001","energyWh":1200,"intervalId":"2026-11-25T10:15:00.000Z",' +
        '"scheme":"ecdsa-p256-sha256","sequence":0,"timestamp":"2026-11-25T10:30:00.000Z","type":"vpp.reading.v1"}';
      assert.equal(readingSigningBytes(UNSIGNED).toString('utf8'), text);
      assert.equal(
        createHash('sha256').update(readingSigningBytes(UNSIGNED)).digest('hex'),
        createHash('sha256').update(text, 'utf8').digest('hex'),
      );
    });

    it('should ignore the signature and any extra property', () => {
      assert.deepEqual(readingSigningBytes(READING), readingSigningBytes(UNSIGNED));
    });
  });

  describe('#verifyReadingSignature', () => {
    it('should accept the device signature and refuse a changed figure or another key', () => {
      assert.equal(verifyReadingSignature(READING, keys), true);
      assert.equal(verifyReadingSignature({ ...READING, energyWh: 1201 }, keys), false);
      assert.equal(verifyReadingSignature({ ...READING, sequence: 1 }, keys), false);
      const other = newTestDevice(ca, { attrs: deviceAttrs('pv-002', 'vpp-1') });
      assert.equal(verifyReadingSignature(READING, deviceKeysOf(other.certPem)), false);
      assert.equal(verifyReadingSignature({ ...READING, signature: 'AAAA' }, keys), false);
    });
  });

  describe('#verifyReadingSignature sm2-sm3', () => {
    const sm2Key = newSm2Key();
    const sm2Device = newTestDevice(ca, {
      attrs: { ...deviceAttrs('pv-001', 'vpp-1'), 'vpp.sm2PublicKey': sm2Key.publicKeyHex },
    });
    const sm2Keys = deviceKeysOf(sm2Device.certPem);
    const SM2_READING = signReading({ ...UNSIGNED, scheme: 'sm2-sm3' }, sm2Key);

    it('should take the SM2 key the certificate binds and verify sm2-sm3 readings with it', () => {
      assert.equal(sm2Keys.sm2, sm2Key.publicKeyHex);
      assert.equal(keys.sm2, undefined, 'a certificate without the attribute binds no SM2 key');
      assert.equal(verifyReadingSignature(SM2_READING, sm2Keys), true);
      assert.deepEqual(parseSignedReading(JSON.parse(JSON.stringify(SM2_READING))), SM2_READING);
    });

    it('should refuse a changed figure, a changed scheme, another SM2 key, or a certificate binding none', () => {
      assert.equal(verifyReadingSignature({ ...SM2_READING, energyWh: 1201 }, sm2Keys), false);
      assert.equal(
        verifyReadingSignature({ ...SM2_READING, scheme: 'ecdsa-p256-sha256' }, sm2Keys),
        false,
        'an SM2 signature is no ECDSA signature by the certificate key',
      );
      const other = deviceKeysOf(
        newTestDevice(ca, {
          attrs: { ...deviceAttrs('pv-001', 'vpp-1'), 'vpp.sm2PublicKey': newSm2Key().publicKeyHex },
        }).certPem,
      );
      assert.equal(verifyReadingSignature(SM2_READING, other), false);
      assert.equal(verifyReadingSignature(SM2_READING, keys), false);
      assert.throws(
        () =>
          checkReading({ reading: SM2_READING, der: DER, keys, at: AT_END, calendar: DEFAULT_CALENDAR_V1 }),
        vppError(ErrorCode.BAD_SIGNATURE, /binds no SM2 key/),
      );
      assert.throws(
        () =>
          checkReading({
            reading: { ...SM2_READING, energyWh: 1100 },
            der: { ...DER, certificate: { ...DER.certificate, pem: sm2Device.certPem } },
            keys: sm2Keys,
            at: AT_END,
            calendar: DEFAULT_CALENDAR_V1,
          }),
        vppError(ErrorCode.BAD_SIGNATURE, /does not verify/),
      );
    });

    it('should still verify the device ECDSA readings when its certificate also binds an SM2 key', () => {
      const reading = signReading(UNSIGNED, sm2Device.privateKey);
      assert.equal(verifyReadingSignature(reading, sm2Keys), true);
    });
  });

  describe('#parseSignedReading', () => {
    it('should accept a well-formed reading as is', () => {
      assert.deepEqual(parseSignedReading(JSON.parse(JSON.stringify(READING))), READING);
    });

    it('should refuse negative, fractional or non-numeric energy and bad fields with INVALID_ARGUMENT', () => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ energyWh: -1 }, /energyWh/],
        [{ energyWh: 1.5 }, /energyWh/],
        [{ energyWh: '12' }, /energyWh/],
        [{ sequence: -1 }, /sequence/],
        [{ sequence: 60 }, /sequence/],
        [{ intervalId: 'yesterday' }, /intervalId/],
        [{ scheme: 'sm9' }, /scheme/],
        [{ scheme: 'ECDSA-P256-SHA256' }, /scheme/],
        [{ signature: 'not base64!' }, /signature/],
        [{ derId: 'bad id' }, /derId/],
        [{ extra: 1 }, /unsupported field/],
      ];
      for (const [change, message] of cases) {
        assert.throws(
          () => parseSignedReading({ ...READING, ...change }),
          vppError(ErrorCode.INVALID_ARGUMENT, message),
          JSON.stringify(change),
        );
      }
    });
  });

  describe('#parseSignedReading signature rule', () => {
    it('should sign in low-S and take a high-S twin as the same low-S reading', () => {
      assert.equal(isHighS(READING.signature), false, 'the device kit signs in low-S');
      const twin = { ...READING, signature: otherS(READING.signature) };
      assert.equal(isHighS(twin.signature), true);
      assert.deepEqual(parseSignedReading(twin), READING);
      assert.equal(verifyReadingSignature(twin, keys), true, 'the twin verifies too');
    });

    it('should refuse loose base64 and DER with NON_CANONICAL_SIGNATURE, after the shape checks', () => {
      const padded = signedUntil((r) => r.signature.endsWith('='));
      for (const signature of [unpadded(padded.signature), withPadBits(padded.signature)]) {
        assert.throws(
          () => parseSignedReading({ ...padded, signature }),
          vppError(ErrorCode.NON_CANONICAL_SIGNATURE),
          signature,
        );
      }
      const trailing = Buffer.concat([Buffer.from(READING.signature, 'base64'), Buffer.from([0])]);
      assert.throws(
        () => parseSignedReading({ ...READING, signature: trailing.toString('base64') }),
        vppError(ErrorCode.NON_CANONICAL_SIGNATURE),
      );
      assert.throws(
        () => parseSignedReading({ ...READING, signature: unpadded(padded.signature), energyWh: -1 }),
        vppError(ErrorCode.INVALID_ARGUMENT, /energyWh/),
      );
    });

    it('should read back a stored reading with its signature as recorded, high-S or not', () => {
      const stored = {
        ...READING,
        signature: otherS(READING.signature),
        vppId: 'vpp-1',
        certificateSerial: '1',
        recordedAt: AT_END,
        txId: 'a'.repeat(64),
      };
      assert.deepEqual(parseStoredReading(JSON.parse(JSON.stringify(stored))), stored);
    });
  });

  describe('#checkReading', () => {
    it('should pass a valid reading at the end of its interval', () => {
      assert.doesNotThrow(() => check());
      assert.equal(meteringIntervalEndMillis(DEFAULT_CALENDAR_V1, READING.intervalId), Date.parse(AT_END));
    });

    it('should refuse with the code of the first failing rule', () => {
      assert.throws(() => check({ der: undefined, keys: undefined }), vppError(ErrorCode.UNKNOWN_DER));
      assert.throws(() => check({ der: { ...DER, status: 'suspended' } }), vppError(ErrorCode.DER_SUSPENDED));
      assert.throws(
        () => check({ der: { ...DER, certificate: { ...DER.certificate, status: 'revoked' } } }),
        vppError(ErrorCode.CERTIFICATE_REVOKED),
      );
      assert.throws(() => check({ reading: { ...READING, energyWh: 1 } }), vppError(ErrorCode.BAD_SIGNATURE));
    });

    it('should allow two minutes of clock skew before the end and readings until 60 minutes after it, exclusive', () => {
      assert.doesNotThrow(() => check({ at: '2026-11-25T10:28:00.000Z' }));
      assert.throws(
        () => check({ at: '2026-11-25T10:27:59.999Z' }),
        vppError(ErrorCode.OUTSIDE_WINDOW, /not ended/),
      );
      assert.doesNotThrow(() => check({ at: '2026-11-25T11:29:59.999Z' }));
      assert.throws(
        () => check({ at: '2026-11-25T11:30:00.000Z' }),
        vppError(ErrorCode.OUTSIDE_WINDOW, /closed/),
      );
    });

    it("should follow the calendar's skew, window and metering length", () => {
      // 10-second intervals, readings from 5 s before the end until 30 s after it.
      const fast = {
        ...DEFAULT_CALENDAR_V1,
        meteringIntervalSeconds: 10,
        clockSkewSeconds: 5,
        readingWindowSeconds: 30,
      };
      const unsigned = { ...UNSIGNED, intervalId: '2026-11-25T10:15:10.000Z', energyWh: 22 };
      const reading = signReading(unsigned, device.privateKey);
      const at = (iso: string) => check({ reading, at: iso, calendar: fast });
      assert.throws(() => at('2026-11-25T10:15:14.999Z'), vppError(ErrorCode.OUTSIDE_WINDOW, /not ended/));
      assert.doesNotThrow(() => at('2026-11-25T10:15:15.000Z'));
      assert.doesNotThrow(() => at('2026-11-25T10:15:49.999Z'));
      assert.throws(
        () => at('2026-11-25T10:15:50.000Z'),
        vppError(ErrorCode.OUTSIDE_WINDOW, /closed for readings 30 seconds after its end/),
      );
      // 8000 W for 10 s is 22.2 Wh: 22 passes, 23 does not.
      const above = signReading({ ...unsigned, energyWh: 23 }, device.privateKey);
      assert.throws(
        () => check({ reading: above, at: '2026-11-25T10:15:20.000Z', calendar: fast }),
        vppError(
          ErrorCode.ENERGY_ABOVE_CAPACITY,
          /23 Wh exceeds 22 Wh, what 8000 W can deliver in 10 seconds/,
        ),
      );
    });

    it('should refuse energy above capacity × 15 minutes (8000 W → 2000 Wh)', () => {
      assert.equal(maxEnergyWh(8000, DEFAULT_CALENDAR_V1), 2000);
      assert.equal(maxEnergyWh(10, DEFAULT_CALENDAR_V1), 2); // 2.5 Wh, floored
      const at2000 = signReading({ ...UNSIGNED, energyWh: 2000 }, device.privateKey);
      const at2001 = signReading({ ...UNSIGNED, energyWh: 2001 }, device.privateKey);
      assert.doesNotThrow(() => check({ reading: at2000 }));
      assert.throws(
        () => check({ reading: at2001 }),
        vppError(ErrorCode.ENERGY_ABOVE_CAPACITY, /2001 Wh exceeds 2000 Wh/),
      );
    });
  });

  describe('#decideWrite', () => {
    it('should write a new reading, count a retry as a duplicate, and refuse other content as REPLAY', () => {
      assert.equal(decideWrite(READING, undefined), 'write');
      assert.equal(decideWrite(READING, { ...READING }), 'duplicate');
      const changed = signReading({ ...UNSIGNED, energyWh: 900 }, device.privateKey);
      assert.throws(() => decideWrite(changed, READING), vppError(ErrorCode.REPLAY, /sequence 0/));
    });

    it('should judge by signed content, never by signature: another signature over it is a duplicate', () => {
      const twin = { ...READING, signature: otherS(READING.signature) };
      const resigned = signedUntil((r) => r.signature !== READING.signature);
      assert.equal(decideWrite(twin, READING), 'duplicate');
      assert.equal(decideWrite(READING, twin), 'duplicate', 'the genuine reading after its twin');
      assert.equal(decideWrite(resigned, READING), 'duplicate');
      const otherTime = signReading(
        { ...UNSIGNED, timestamp: '2026-11-25T10:30:01.000Z' },
        device.privateKey,
      );
      assert.throws(() => decideWrite(otherTime, READING), vppError(ErrorCode.REPLAY));
    });
  });

  describe('#intervalIdOf', () => {
    it('should give the start of the metering interval of the given length', () => {
      assert.equal(intervalIdOf('2026-11-25T10:29:59.999Z', 900), '2026-11-25T10:15:00.000Z');
      assert.equal(intervalIdOf('2026-11-25T10:30:00.000Z', 900), '2026-11-25T10:30:00.000Z');
      assert.equal(intervalIdOf('2026-11-25T10:30:19.999Z', 10), '2026-11-25T10:30:10.000Z');
    });
  });
});
