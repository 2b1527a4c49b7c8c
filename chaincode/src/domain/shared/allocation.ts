// Splitting an integer amount (Wh, W, minor currency units) into integer shares proportional to
// weights, so that the shares always sum exactly to the amount. Used wherever one figure is divided
// among many parties: dispatch setpoints among DERs, a VPP's revenue among its DERs.
//
// Rule (Hamilton / largest remainder): every party first gets floor(amount × weight / Σweights); the
// units left over go one each to the parties with the largest remainders. Ties between equal
// remainders are broken by SHA-256(seed, id) and then id, so that the same party does not win every
// tie merely because of its name or its place in the input, yet every endorser computes the same split.
// Arithmetic is in BigInt: amount × weight can exceed 2^53 for realistic figures.

import { createHash } from 'node:crypto';
import { invalid, isIntegerIn, NON_NEGATIVE } from '../../rules';

export interface Weighted {
  /** Unique identifier of the party (e.g. a DER id). */
  readonly id: string;
  /** Non-negative safe integer. A zero weight gets a zero share. */
  readonly weight: number;
}

export interface Share {
  readonly id: string;
  readonly amount: number;
}

function tieKey(seed: string, id: string): string {
  return createHash('sha256').update(seed).update('\u0000').update(id).digest('hex');
}

/**
 * Shares of `amount` proportional to the weights, in the order of `parties`. `amount` must be a
 * non-negative safe integer; if every weight is zero the amount cannot be split and this throws.
 * `tieSeed` should name the occasion (e.g. the interval id) so that ties fall differently each time.
 */
export function allocateProportionally(
  amount: number,
  parties: readonly Weighted[],
  tieSeed: string,
): Share[] {
  if (!isIntegerIn(amount, NON_NEGATIVE)) {
    throw invalid(`amount to allocate must be a non-negative safe integer, got ${amount}`);
  }
  const ids = new Set<string>();
  let totalWeight = 0n;
  for (const party of parties) {
    if (ids.has(party.id)) {
      throw invalid(`party ${JSON.stringify(party.id)} appears twice in an allocation`);
    }
    ids.add(party.id);
    if (!isIntegerIn(party.weight, NON_NEGATIVE)) {
      throw invalid(`weight of ${JSON.stringify(party.id)} must be a non-negative safe integer`);
    }
    totalWeight += BigInt(party.weight);
  }
  if (amount === 0) {
    return parties.map((party) => ({ id: party.id, amount: 0 }));
  }
  if (totalWeight === 0n) {
    throw invalid('cannot allocate a non-zero amount when every weight is zero');
  }
  const total = BigInt(amount);
  const base = parties.map((party) => {
    const exact = total * BigInt(party.weight);
    return { id: party.id, floor: exact / totalWeight, remainder: exact % totalWeight, weight: party.weight };
  });
  let left = total - base.reduce((sum, share) => sum + share.floor, 0n);
  const byRemainder = base
    .filter((share) => share.weight > 0)
    .map((share) => ({ share, tie: tieKey(tieSeed, share.id) }))
    .sort((a, b) => {
      if (a.share.remainder !== b.share.remainder) return a.share.remainder > b.share.remainder ? -1 : 1;
      if (a.tie !== b.tie) return a.tie < b.tie ? -1 : 1;
      return a.share.id < b.share.id ? -1 : a.share.id > b.share.id ? 1 : 0;
    });
  const extra = new Set<string>();
  // left < number of parties with a positive weight, since each remainder is < 1 unit.
  for (const { share } of byRemainder) {
    if (left === 0n) break;
    extra.add(share.id);
    left -= 1n;
  }
  return base.map((share) => ({ id: share.id, amount: Number(share.floor) + (extra.has(share.id) ? 1 : 0) }));
}
