import assert from 'node:assert/strict';
import { createPublicKey, sign, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  canonicalSignature,
  decodeCanonicalBase64,
  decodeDerSignature,
  encodeDerSignature,
  P256_ORDER,
} from '../../../../../chaincode/src/domain/telemetry/signature';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { derOf, isHighS, otherS, rsOf, unpadded, withPadBits } from '../../../../support/signature-twins';
import { deviceAttrs, newTestCa, newTestDevice } from '../../../../support/test-pki';
import { vppError } from '../../../../support/vpp-assert';

const device = newTestDevice(newTestCa(), { attrs: deviceAttrs('pv-001', 'vpp-1') });
const publicKey = createPublicKey(device.certPem);
const MESSAGE = Buffer.from('{"derId":"pv-001","type":"vpp.reading.v1"}', 'utf8');

/** A raw node:crypto (OpenSSL) signature of MESSAGE: high-S about half of the time. */
const opensslSignature = () => sign('sha256', MESSAGE, { key: device.privateKey, dsaEncoding: 'der' });

/** Signatures until one of each S half turned up (64 tries: a miss has odds 2^-63). */
function oneOfEachHalf(): { low: string; high: string } {
  let low: string | undefined;
  let high: string | undefined;
  for (let i = 0; i < 64 && (low === undefined || high === undefined); i += 1) {
    const base64 = opensslSignature().toString('base64');
    if (isHighS(base64)) high ??= base64;
    else low ??= base64;
  }
  assert.ok(low !== undefined && high !== undefined, 'OpenSSL gave both halves of S');
  return { low, high };
}

/** A low-S signature whose base64 has padding, and so loose variants. */
/** A padded low-S signature; with `urlUnsafe`, one with a `+` or `/` (its base64url form differs). */
function paddedLowS(urlUnsafe = false): string {
  for (let i = 0; i < 256; i += 1) {
    const canonical = canonicalSignature(opensslSignature().toString('base64'));
    if (canonical.endsWith('=') && (!urlUnsafe || /[+/]/.test(canonical))) return canonical;
  }
  throw new Error('no such signature in 256 tries');
}

const verifies = (base64: string) =>
  verify('sha256', MESSAGE, { key: publicKey, dsaEncoding: 'der' }, Buffer.from(base64, 'base64'));
const refused = vppError(ErrorCode.NON_CANONICAL_SIGNATURE, /canonical base64/);

describe('domain/telemetry/signature', () => {
  describe('#canonicalSignature', () => {
    it('should keep a low-S OpenSSL signature as it is, and give its high-S twin the same form', () => {
      const { low, high } = oneOfEachHalf();
      assert.equal(canonicalSignature(low), low);
      assert.equal(canonicalSignature(otherS(low)), low, 'the twin of a low-S signature');
      const normalised = canonicalSignature(high);
      assert.equal(normalised, otherS(high));
      assert.equal(isHighS(normalised), false);
      assert.equal(canonicalSignature(normalised), normalised, 'idempotent');
      for (const base64 of [low, high, normalised]) assert.equal(verifies(base64), true, base64);
    });

    it('should refuse base64 without padding, with non-zero pad bits, in another alphabet or with spaces', () => {
      const good = paddedLowS(true);
      const loose = [
        unpadded(good),
        withPadBits(good),
        good.replaceAll('+', '-').replaceAll('/', '_'),
        ` ${good}`,
        `${good.slice(0, 8)}\n${good.slice(8)}`,
        `${good}=`,
        '',
      ];
      for (const base64 of loose) {
        assert.ok(base64 !== undefined);
        assert.throws(() => canonicalSignature(base64), refused, JSON.stringify(base64));
      }
      assert.equal(verifies(withPadBits(good)!), true, 'a lenient verifier takes the pad-bit variant');
      assert.equal(Buffer.from(unpadded(good)!, 'base64').equals(Buffer.from(good, 'base64')), true);
    });

    it('should refuse DER that is not strict: lengths, trailing bytes, non-minimal or out-of-range integers', () => {
      const { r, s } = rsOf(paddedLowS());
      const good = derOf(r, s);
      const body = good.subarray(2);
      const rInt = good.subarray(2, 4 + (good[3] as number));
      const sInt = good.subarray(2 + rInt.length);
      const seq = (...parts: Buffer[]) => {
        const inner = Buffer.concat(parts);
        return Buffer.concat([Buffer.from([0x30, inner.length]), inner]);
      };
      const int = (bytes: number[] | Buffer) => {
        const value = Buffer.from(bytes);
        return Buffer.concat([Buffer.from([0x02, value.length]), value]);
      };
      const rBytes = rInt.subarray(2);
      const cases: [string, Buffer][] = [
        ['trailing byte', Buffer.concat([good, Buffer.from([0])])],
        ['sequence length one short', Buffer.concat([Buffer.from([0x30, good.length - 3]), body])],
        ['long-form sequence length', Buffer.concat([Buffer.from([0x30, 0x81, body.length]), body])],
        ['not a sequence', Buffer.concat([Buffer.from([0x31, body.length]), body])],
        ['integer with a needless leading zero', seq(int(Buffer.concat([Buffer.from([0]), rBytes])), sInt)],
        ['negative r', seq(int([0x80, ...rBytes.subarray(rBytes.length - 31)]), sInt)],
        ['r zero', seq(int([0]), sInt)],
        ['s equal to n', seq(rInt, derOf(1n, P256_ORDER).subarray(5))],
        ['a third integer', seq(rInt, sInt, int([1]))],
        ['s missing', seq(rInt)],
        ['empty', Buffer.alloc(0)],
        ['integer length past the end', seq(rInt, Buffer.from([0x02, 0x21, 1, 2, 3]))],
      ];
      for (const [name, der] of cases) {
        assert.equal(decodeDerSignature(der), undefined, name);
        assert.throws(() => canonicalSignature(der.toString('base64')), refused, name);
      }
      assert.deepEqual(decodeDerSignature(good), { r, s });
    });
  });

  describe('#decodeCanonicalBase64', () => {
    it('should give the bytes of canonical base64 only', () => {
      assert.deepEqual(decodeCanonicalBase64('AAE='), Buffer.from([0, 1]));
      assert.equal(decodeCanonicalBase64('AAF='), undefined, 'pad bits set');
      assert.equal(decodeCanonicalBase64('AAE'), undefined, 'padding left off');
      assert.equal(decodeCanonicalBase64('AA-_'), undefined, 'URL alphabet');
    });
  });

  describe('#encodeDerSignature', () => {
    it('should round-trip through decodeDerSignature, adding a zero byte only before a set top bit', () => {
      for (const signature of [
        { r: 1n, s: P256_ORDER - 1n },
        { r: 0x80n, s: 0x7fn },
        { r: P256_ORDER >> 1n, s: 0xff00n },
      ]) {
        const der = encodeDerSignature(signature);
        assert.deepEqual(decodeDerSignature(der), signature);
        assert.deepEqual(der, derOf(signature.r, signature.s));
      }
      assert.deepEqual(
        encodeDerSignature({ r: 0x80n, s: 0x7fn }),
        Buffer.from([0x30, 7, 2, 2, 0, 0x80, 2, 1, 0x7f]),
      );
    });
  });
});
