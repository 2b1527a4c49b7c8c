import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  leafHash,
  merkleProof,
  merkleRoot,
  verifyMerkleProof,
  type MerkleProof,
} from '../../../../../chaincode/src/domain/privacy/merkle';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { prng, randomInt, type Random } from '../../../../support/prng';
import { vppError } from '../../../../support/vpp-assert';

// Written out independently of the module: plain SHA-256 over the prefixed raw digests.
const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const leaf = (bytes: Buffer) => sha256(Buffer.from([0]), bytes);
const node = (left: Buffer, right: Buffer) => sha256(Buffer.from([1]), left, right);
const hex = (digest: Buffer) => digest.toString('hex');

/** Leaves d0..d(n-1) with distinct content. */
const items = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`item-${i}`, 'utf8'));

function randomHashes(random: Random, n: number): string[] {
  return Array.from({ length: n }, () =>
    hex(sha256(Buffer.from(String(random()), 'utf8'), Buffer.from(String(random()), 'utf8'))),
  );
}

/** Flips one hex digit of a hash. */
function flip(hash: string, at = 0): string {
  const digit = hash[at] === '0' ? '1' : '0';
  return hash.slice(0, at) + digit + hash.slice(at + 1);
}

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('domain/privacy/merkle', () => {
  describe('#leafHash', () => {
    it('should be SHA-256 of 0x00 followed by the bytes', () => {
      assert.equal(
        leafHash(new Uint8Array()),
        // SHA-256 of the single byte 0x00
        '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      );
      const bytes = Buffer.from('{"derId":"pv-001"}', 'utf8');
      assert.equal(leafHash(bytes), hex(leaf(bytes)));
      assert.equal(leafHash(new Uint8Array(bytes)), hex(leaf(bytes)));
      assert.notEqual(leafHash(bytes), createHash('sha256').update(bytes).digest('hex'));
    });
  });

  describe('#merkleRoot', () => {
    it('should match roots built by hand for 1, 2, 3, 5 and 8 leaves', () => {
      const d = items(8).map(leaf);
      const [d0, d1, d2, d3, d4, d5, d6, d7] = d as [
        Buffer,
        Buffer,
        Buffer,
        Buffer,
        Buffer,
        Buffer,
        Buffer,
        Buffer,
      ];
      const hashes = d.map(hex);
      assert.equal(merkleRoot(hashes.slice(0, 1)), hex(d0));
      assert.equal(merkleRoot(hashes.slice(0, 2)), hex(node(d0, d1)));
      // 3 leaves: split at 2; the third leaf is carried up, not duplicated.
      assert.equal(merkleRoot(hashes.slice(0, 3)), hex(node(node(d0, d1), d2)));
      // 5 leaves: split at 4.
      assert.equal(merkleRoot(hashes.slice(0, 5)), hex(node(node(node(d0, d1), node(d2, d3)), d4)));
      assert.equal(
        merkleRoot(hashes),
        hex(node(node(node(d0, d1), node(d2, d3)), node(node(d4, d5), node(d6, d7)))),
      );
    });

    it('should match the RFC 6962 reference roots of the Certificate Transparency test vectors', () => {
      const inputs = [
        '',
        '00',
        '10',
        '2021',
        '3031',
        '40414243',
        '5051525354555657',
        '606162636465666768696a6b6c6d6e6f',
      ];
      const expected = [
        '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
        'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
        'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
        '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
        '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
        'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
        '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
      ];
      const hashes = inputs.map((input) => leafHash(Buffer.from(input, 'hex')));
      expected.forEach((root, i) =>
        assert.equal(merkleRoot(hashes.slice(0, i + 1)), root, `${i + 1} leaves`),
      );
      assert.deepEqual(merkleProof(hashes, 5).path, [
        'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
        'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      ]);
    });

    it('should depend on the order of the leaves', () => {
      const hashes = items(4).map(leaf).map(hex);
      assert.notEqual(merkleRoot(hashes), merkleRoot([...hashes].reverse()));
    });

    it('should refuse an empty list and malformed hashes', () => {
      assert.throws(() => merkleRoot([]), invalid(/at least one leaf/));
      const good = hex(leaf(Buffer.from('x')));
      for (const bad of [good.toUpperCase(), good.slice(1), `${good}0`, 'zz'.repeat(32), 42]) {
        assert.throws(
          () => merkleRoot([good, bad as string]),
          invalid(/leaf hash 1 must be 64 lowercase hex/),
        );
      }
    });
  });

  describe('#merkleProof', () => {
    it('should give the audit paths written out by hand, bottom-up', () => {
      const d = items(5).map(leaf);
      const [d0, d1, d2, d3, d4] = d as [Buffer, Buffer, Buffer, Buffer, Buffer];
      const hashes = d.map(hex);
      assert.deepEqual(merkleProof(hashes.slice(0, 1), 0), { index: 0, size: 1, path: [] });
      assert.deepEqual(merkleProof(hashes.slice(0, 3), 2), {
        index: 2,
        size: 3,
        path: [hex(node(d0, d1))],
      });
      assert.deepEqual(merkleProof(hashes, 1), {
        index: 1,
        size: 5,
        path: [hex(d0), hex(node(d2, d3)), hex(d4)],
      });
      assert.deepEqual(merkleProof(hashes, 4), {
        index: 4,
        size: 5,
        path: [hex(node(node(d0, d1), node(d2, d3)))],
      });
    });

    it('should refuse an index outside the tree', () => {
      const hashes = items(3).map(leaf).map(hex);
      for (const index of [-1, 3, 1.5, NaN]) {
        assert.throws(() => merkleProof(hashes, index), invalid(/index must be an integer in 0\.\.2/));
      }
      assert.throws(() => merkleProof([], 0), invalid(/at least one leaf/));
    });
  });

  describe('#verifyMerkleProof', () => {
    it('should verify every index of every tree of 1..40 leaves, and no other leaf there', () => {
      const all = items(40).map(leaf).map(hex);
      for (let size = 1; size <= 40; size += 1) {
        const hashes = all.slice(0, size);
        const root = merkleRoot(hashes);
        for (let index = 0; index < size; index += 1) {
          const proof = merkleProof(hashes, index);
          assert.equal(verifyMerkleProof(hashes[index]!, proof, root), true, `${index} of ${size}`);
          const other = hashes[(index + 1) % size]!;
          if (size > 1) assert.equal(verifyMerkleProof(other, proof, root), false, `${index} of ${size}`);
        }
      }
    });

    it('should fail a tampered leaf, path element, index, path length or root', () => {
      const hashes = items(13).map(leaf).map(hex);
      const root = merkleRoot(hashes);
      for (let index = 0; index < 13; index += 1) {
        const proof = merkleProof(hashes, index);
        const leafHex = hashes[index]!;
        assert.equal(verifyMerkleProof(flip(leafHex), proof, root), false);
        assert.equal(verifyMerkleProof(flip(leafHex, 63), proof, root), false);
        assert.equal(verifyMerkleProof(leafHex, proof, flip(root)), false);
        proof.path.forEach((_, i) => {
          const path = proof.path.map((h, j) => (i === j ? flip(h, 10) : h));
          assert.equal(verifyMerkleProof(leafHex, { ...proof, path }, root), false, `element ${i}`);
        });
        for (let other = 0; other < 13; other += 1) {
          if (other === index) continue;
          assert.equal(verifyMerkleProof(leafHex, { ...proof, index: other }, root), false);
        }
        assert.equal(verifyMerkleProof(leafHex, { ...proof, path: proof.path.slice(1) }, root), false);
        assert.equal(verifyMerkleProof(leafHex, { ...proof, path: proof.path.slice(0, -1) }, root), false);
        assert.equal(verifyMerkleProof(leafHex, { ...proof, path: [...proof.path, root] }, root), false);
        assert.equal(
          verifyMerkleProof(leafHex, { ...proof, path: [...proof.path].reverse() }, root),
          proof.path.length < 2,
        );
      }
    });

    it('should fail a tampered size that moves the leaf in the tree', () => {
      const hashes = items(8).map(leaf).map(hex);
      const root5 = merkleRoot(hashes.slice(0, 5));
      const proof = merkleProof(hashes.slice(0, 5), 4); // the lone right leaf of 5
      assert.equal(verifyMerkleProof(hashes[4]!, proof, root5), true);
      for (const size of [4, 6, 7, 8, 9, 16, 17]) {
        assert.equal(verifyMerkleProof(hashes[4]!, { ...proof, size }, root5), false, `size ${size}`);
      }
      const root3 = merkleRoot(hashes.slice(0, 3));
      const proof2 = merkleProof(hashes.slice(0, 3), 2);
      for (const size of [2, 4, 5]) {
        assert.equal(verifyMerkleProof(hashes[2]!, { ...proof2, size }, root3), false, `size ${size}`);
      }
      // Every tree: a size that leaves the index outside the tree, or adds a level, fails.
      for (let size = 1; size <= 40; size += 1) {
        const tree = items(size).map(leaf).map(hex);
        const root = merkleRoot(tree);
        for (let index = 0; index < size; index += 1) {
          const p = merkleProof(tree, index);
          assert.equal(verifyMerkleProof(tree[index]!, { ...p, size: index }, root), false);
          assert.equal(verifyMerkleProof(tree[index]!, { ...p, size: size * 2 + 1 }, root), false);
        }
      }
    });

    it('should not bind the size on its own, so the caller compares it with the anchored count', () => {
      // Leaf 0 of 3 and leaf 0 of 4 hash up the same way: RFC 6962 trees authenticate their size
      // through the signed (here: anchored) tree head, never through the path.
      const hashes = items(3).map(leaf).map(hex);
      const proof = merkleProof(hashes, 0);
      assert.equal(verifyMerkleProof(hashes[0]!, { ...proof, size: 4 }, merkleRoot(hashes)), true);
    });

    it('should return false, never throw, on malformed input', () => {
      const hashes = items(4).map(leaf).map(hex);
      const root = merkleRoot(hashes);
      const proof = merkleProof(hashes, 1);
      const leafHex = hashes[1]!;
      const cases: [unknown, unknown, unknown][] = [
        [leafHex.toUpperCase(), proof, root],
        [leafHex, proof, root.toUpperCase()],
        [leafHex.slice(2), proof, root],
        [undefined, proof, root],
        [leafHex, undefined, root],
        [leafHex, null, root],
        [leafHex, 'proof', root],
        [leafHex, proof, 42],
        [leafHex, { ...proof, index: -1 }, root],
        [leafHex, { ...proof, index: 4 }, root],
        [leafHex, { ...proof, index: 1.5 }, root],
        [leafHex, { ...proof, index: '1' }, root],
        [leafHex, { ...proof, size: 0 }, root],
        [leafHex, { ...proof, size: -4 }, root],
        [leafHex, { ...proof, size: Infinity }, root],
        [leafHex, { ...proof, size: 2 ** 53 }, root],
        [leafHex, { ...proof, path: 'abc' }, root],
        [leafHex, { ...proof, path: [42, proof.path[1]] }, root],
        [leafHex, { ...proof, path: [proof.path[0], 'xyz'] }, root],
        [leafHex, { ...proof, path: Array.from({ length: 65 }, () => root) }, root],
        [leafHex, { index: 1, size: 4 }, root],
      ];
      for (const [l, p, r] of cases) {
        assert.equal(
          verifyMerkleProof(l as string, p as MerkleProof, r as string),
          false,
          JSON.stringify([l, p, r]),
        );
      }
    });

    it('should handle sizes beyond 2^31 without wrapping', () => {
      // A proof for the last leaf of a (virtual) huge tree: only the structure matters to verify.
      const size = 2 ** 33 + 1;
      const leafHex = hex(leaf(Buffer.from('last')));
      const left = hex(leaf(Buffer.from('left subtree')));
      const root = hex(node(Buffer.from(left, 'hex'), Buffer.from(leafHex, 'hex')));
      assert.equal(verifyMerkleProof(leafHex, { index: size - 1, size, path: [left] }, root), true);
      assert.equal(verifyMerkleProof(leafHex, { index: size - 2, size, path: [left] }, root), false);
    });

    it('property: random trees verify at random indexes and fail for random wrong claims', () => {
      const random = prng(0x5eed_1234);
      for (let round = 0; round < 200; round += 1) {
        const size = randomInt(random, 1, 300);
        const hashes = randomHashes(random, size);
        const root = merkleRoot(hashes);
        const index = randomInt(random, 0, size - 1);
        const proof = merkleProof(hashes, index);
        // No leaf is more than ceil(log2 n) levels below the root (in a full tree: exactly log2 n).
        assert.ok(proof.path.length <= Math.ceil(Math.log2(size)), `round ${round}`);
        if (Number.isInteger(Math.log2(size))) assert.equal(proof.path.length, Math.log2(size));
        assert.equal(verifyMerkleProof(hashes[index]!, proof, root), true, `round ${round}`);
        // The proof round-trips through JSON (it is what a verifier receives).
        assert.equal(
          verifyMerkleProof(hashes[index]!, JSON.parse(JSON.stringify(proof)) as MerkleProof, root),
          true,
        );
        const wrong = randomInt(random, 0, size - 1);
        if (wrong !== index) {
          assert.equal(verifyMerkleProof(hashes[wrong]!, proof, root), false, `round ${round}`);
          assert.equal(verifyMerkleProof(hashes[index]!, { ...proof, index: wrong }, root), false);
        }
        const changed = [...hashes];
        changed[randomInt(random, 0, size - 1)] = randomHashes(random, 1)[0]!;
        assert.equal(verifyMerkleProof(hashes[index]!, proof, merkleRoot(changed)), false, `round ${round}`);
      }
    });
  });
});
