// Merkle trees over off-chain data, RFC 6962 (Certificate Transparency) style: only the root goes on
// the ledger, and an audit path proves that one item was part of the anchored batch without
// revealing the others.
//
//   leaf hash      SHA-256(0x00 ‖ item bytes)
//   interior node  SHA-256(0x01 ‖ left ‖ right)          (raw 32-byte digests, not hex)
//   MTH(D[n])      n = 1: the leaf hash itself
//                  n > 1: k = largest power of two < n; node(MTH(D[0:k]), MTH(D[k:n]))
//
// The 0x00 / 0x01 prefixes keep a leaf from ever being mistaken for an interior node (a second
// preimage on the tree). An unbalanced tree is not padded: the right subtree is just smaller, so
// every root is defined for every size ≥ 1. Hashes travel as 64 lowercase hex characters.
//
// Note: like RFC 6962 itself, the root does not commit to the tree size on its own. A proof's size
// must be compared with the size recorded next to the root (a sample anchor's `count`).

import { createHash } from 'node:crypto';
import { invalid, isIntegerIn, isLowerHex, POSITIVE, requireIntegerValue } from '../../rules';

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
/** A path longer than this would need a tree of more than 2^64 leaves. */
const MAX_PATH_LENGTH = 64;

/** An audit path: the sibling hashes from the leaf up to the root (bottom-up, hex). */
export interface MerkleProof {
  readonly index: number;
  readonly size: number;
  readonly path: string[];
}

/** Hex SHA-256(0x00 ‖ bytes). */
export function leafHash(bytes: Uint8Array): string {
  return createHash('sha256').update(LEAF_PREFIX).update(bytes).digest('hex');
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** The largest power of two strictly below n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function toDigests(leafHashes: readonly string[]): Buffer[] {
  if (!Array.isArray(leafHashes) || leafHashes.length === 0) {
    throw invalid('a Merkle tree needs at least one leaf hash');
  }
  return leafHashes.map((hash, i) => {
    if (!isLowerHex(hash, 32)) {
      throw invalid(`leaf hash ${i} must be 64 lowercase hex characters`);
    }
    return Buffer.from(hash, 'hex');
  });
}

/** MTH of digests[from, to) (non-empty range). */
function subtreeRoot(digests: readonly Buffer[], from: number, to: number): Buffer {
  const n = to - from;
  if (n === 1) return digests[from];
  const k = splitPoint(n);
  return nodeHash(subtreeRoot(digests, from, from + k), subtreeRoot(digests, from + k, to));
}

/** The tree head of the leaves, in order; INVALID_ARGUMENT for no leaves or a malformed hash. */
export function merkleRoot(leafHashes: readonly string[]): string {
  const digests = toDigests(leafHashes);
  return subtreeRoot(digests, 0, digests.length).toString('hex');
}

/** The audit path of leaf `index` (RFC 6962 PATH(m, D[n])); INVALID_ARGUMENT if out of range. */
export function merkleProof(leafHashes: readonly string[], index: number): MerkleProof {
  const digests = toDigests(leafHashes);
  const size = digests.length;
  requireIntegerValue(index, 'index', { min: 0, max: size - 1 });
  // Walk down from the root; each step records the sibling subtree, so reversing gives bottom-up.
  const topDown: string[] = [];
  let from = 0;
  let to = size;
  let m = index;
  while (to - from > 1) {
    const k = splitPoint(to - from);
    if (m < k) {
      topDown.push(subtreeRoot(digests, from + k, to).toString('hex'));
      to = from + k;
    } else {
      topDown.push(subtreeRoot(digests, from, from + k).toString('hex'));
      from += k;
      m -= k;
    }
  }
  return { index, size, path: topDown.reverse() };
}

/**
 * Whether `proof` shows that `leafHashHex` is leaf `proof.index` of a tree of `proof.size` leaves
 * with root `rootHex` (the verification algorithm of RFC 9162 §2.1.3.2). Malformed input of any
 * kind gives false, never an exception. The caller checks `proof.size` against the anchored count.
 */
export function verifyMerkleProof(leafHashHex: string, proof: MerkleProof, rootHex: string): boolean {
  try {
    if (!isLowerHex(leafHashHex, 32)) return false;
    if (!isLowerHex(rootHex, 32)) return false;
    if (typeof proof !== 'object' || proof === null) return false;
    const { index, size, path } = proof;
    if (!isIntegerIn(size, POSITIVE)) return false;
    if (!isIntegerIn(index, { min: 0, max: size - 1 })) return false;
    if (!Array.isArray(path) || path.length > MAX_PATH_LENGTH) return false;
    if (!path.every((hash) => isLowerHex(hash, 32))) return false;

    // Plain arithmetic rather than bit operators: sizes above 2^31 must not wrap.
    const isOdd = (x: number) => x % 2 === 1;
    const half = (x: number) => Math.floor(x / 2);
    let fn = index;
    let sn = size - 1;
    let r: Buffer = Buffer.from(leafHashHex, 'hex');
    for (const hex of path) {
      if (sn === 0) return false; // more path than the tree has levels
      const p = Buffer.from(hex, 'hex');
      if (isOdd(fn) || fn === sn) {
        r = nodeHash(p, r);
        if (!isOdd(fn)) {
          // The last node of a level without a right sibling is carried up unchanged.
          while (!isOdd(fn) && fn !== 0) {
            fn = half(fn);
            sn = half(sn);
          }
        }
      } else {
        r = nodeHash(r, p);
      }
      fn = half(fn);
      sn = half(sn);
    }
    return sn === 0 && r.toString('hex') === rootHex;
  } catch {
    return false;
  }
}
