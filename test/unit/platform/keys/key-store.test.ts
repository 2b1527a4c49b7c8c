import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  keyIdentifierOf,
  KeysSchema,
  keyStoreOf,
  oneAtATime,
  publicJwkOf,
  softhsmConfText,
  uncompressedPointOf,
} from '../../../../platform/src/keys/key-store';

/** A fresh P-256 public key as its JWK and its uncompressed point (04 || X || Y). */
function p256Point(): { jwk: { x: string; y: string }; point: Buffer } {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x!, 'base64url');
  const y = Buffer.from(jwk.y!, 'base64url');
  return { jwk: { x: jwk.x!, y: jwk.y! }, point: Buffer.concat([Buffer.from([0x04]), x, y]) };
}

describe('key-store', () => {
  describe('KeysSchema', () => {
    it('should default to file keys when the topology says nothing', () => {
      assert.deepEqual(KeysSchema.parse(undefined), { store: 'file' });
    });

    it('should give a softhsm store the token label prefix vpp unless one is set', () => {
      assert.deepEqual(KeysSchema.parse({ store: 'softhsm' }), { store: 'softhsm', tokenLabel: 'vpp' });
      assert.deepEqual(KeysSchema.parse({ store: 'softhsm', tokenLabel: 'lab.1' }), {
        store: 'softhsm',
        tokenLabel: 'lab.1',
      });
    });

    it('should refuse an unknown store, a file store with token fields and a label PKCS#11 cannot hold', () => {
      assert.equal(KeysSchema.safeParse({ store: 'pkcs11' }).success, false);
      assert.equal(KeysSchema.safeParse({ store: 'file', tokenLabel: 'vpp' }).success, false);
      // 24 characters leave room for "-regulator" inside PKCS#11's 32-byte label.
      assert.equal(KeysSchema.safeParse({ store: 'softhsm', tokenLabel: 'x'.repeat(25) }).success, false);
      assert.equal(KeysSchema.safeParse({ store: 'softhsm', tokenLabel: ' vpp' }).success, false);
      assert.equal(KeysSchema.safeParse({ store: 'softhsm', tokenLabel: '' }).success, false);
    });
  });

  describe('#keyStoreOf', () => {
    it('should keep file keys for every org under the file store', () => {
      assert.deepEqual(keyStoreOf({ store: 'file' }, 'cvpp'), { kind: 'file' });
    });

    it('should give each org its own token under the softhsm store', () => {
      const keys = { store: 'softhsm', tokenLabel: 'vpp' } as const;
      assert.deepEqual(keyStoreOf(keys, 'cvpp'), { kind: 'softhsm', tokenLabel: 'vpp-cvpp' });
      assert.deepEqual(keyStoreOf(keys, 'regulator'), { kind: 'softhsm', tokenLabel: 'vpp-regulator' });
    });
  });

  describe('#softhsmConfText', () => {
    it('should point the token folder at the given directory with the file object store', () => {
      const lines = softhsmConfText('network/run/hsm/tokens').split('\n');
      assert.ok(lines.includes('directories.tokendir = network/run/hsm/tokens'));
      assert.ok(lines.includes('objectstore.backend = file'));
    });
  });

  describe('#uncompressedPointOf', () => {
    it('should unwrap the OCTET STRING PKCS#11 returns as CKA_EC_POINT', () => {
      const { point } = p256Point();
      const wrapped = Buffer.concat([Buffer.from([0x04, 0x41]), point]);
      assert.deepEqual(uncompressedPointOf(wrapped), point);
    });

    it('should take a bare uncompressed point as it is', () => {
      const { point } = p256Point();
      assert.deepEqual(uncompressedPointOf(point), point);
    });

    it('should refuse a compressed point and other lengths', () => {
      const { point } = p256Point();
      const compressed = Buffer.concat([Buffer.from([0x02]), point.subarray(1, 33)]);
      assert.throws(() => uncompressedPointOf(compressed), /not a P-256 EC point \(33 bytes\)/);
      assert.throws(() => uncompressedPointOf(point.subarray(0, 64)), /not a P-256 EC point/);
    });
  });

  describe('#keyIdentifierOf', () => {
    it('should be the SHA-256 of the uncompressed point (Fabric’s subject key identifier)', () => {
      const { point } = p256Point();
      const id = keyIdentifierOf(point);
      assert.equal(id.length, 32);
      assert.deepEqual(id, createHash('sha256').update(point).digest());
      assert.notDeepEqual(keyIdentifierOf(p256Point().point), id);
    });
  });

  describe('#publicJwkOf', () => {
    it('should give back the key’s own coordinates', () => {
      const { jwk, point } = p256Point();
      assert.deepEqual(publicJwkOf(point), { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y });
    });
  });
});

describe('#oneAtATime', () => {
  it('should start a signature only after the previous one ended, failed ones included', async () => {
    const events: string[] = [];
    let calls = 0;
    const slow = async (digest: Uint8Array) => {
      const n = ++calls;
      events.push(`start ${digest[0]}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      events.push(`end ${digest[0]}`);
      if (n === 1) throw new Error('token busy');
      return digest[0];
    };
    const sign = oneAtATime(slow);
    const results = await Promise.allSettled([1, 2, 3].map((n) => sign(Uint8Array.of(n))));
    assert.deepEqual(events, ['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    assert.equal(results[0]?.status, 'rejected');
    assert.deepEqual(
      results.slice(1).map((r) => (r.status === 'fulfilled' ? r.value : undefined)),
      [2, 3],
    );
  });
});
