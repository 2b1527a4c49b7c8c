// Verification of a Merkle audit path (RFC 9162 §2.1.3.2, the trees of RFC 6962 / Certificate
// Transparency), written independently of the chaincode's merkle.ts but to the same rules:
//
//   leaf hash      SHA-256(0x00 ‖ leaf bytes)
//   interior node  SHA-256(0x01 ‖ left ‖ right)
//
// The root does not commit to the tree size: the caller compares `size` with the anchored count.

import { sha256 } from './hashes';

const LEAF_PREFIX = Uint8Array.from([0x00]);
const NODE_PREFIX = Uint8Array.from([0x01]);

export function merkleLeafHash(leaf: Uint8Array): Buffer {
  return sha256(LEAF_PREFIX, leaf);
}

function merkleNodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(NODE_PREFIX, left, right);
}

/**
 * Whether `path` (sibling hashes, bottom-up) proves that `leafHash` is leaf `index` of a tree of
 * `size` leaves with root `root`. Index and size must be integers with 0 ≤ index < size.
 */
export function verifyAuditPath(
  leafHash: Uint8Array,
  index: number,
  size: number,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  // Plain arithmetic rather than bit operators, so that sizes above 2^31 do not wrap.
  const isOdd = (x: number) => x % 2 === 1;
  const half = (x: number) => Math.floor(x / 2);
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (const sibling of path) {
    if (sn === 0) return false; // the path is longer than the tree is high
    if (isOdd(fn) || fn === sn) {
      r = merkleNodeHash(sibling, r);
      // The last node of a level with no right sibling moves up unchanged until it is a right child.
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = merkleNodeHash(r, sibling);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}
