// Ids for the tests of the id kinds (chaincode/src/rules/ids.ts). Settlement, credit and the privacy
// records used to take any 1..128 code points as a VPP, DER, interval, participant or transaction
// id; they now take the rule of the id's kind. The narrowing is safe only because the refused ids
// could never name anything: a VPP or DER is registered under the entity rule, an interval opened
// under the market rule, and Fabric's transaction ids are hex. These lists let each module's tests
// show both halves: every id the registry or market accepts still passes, the others are refused.

import { prng, randomInt } from './prng';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomIds(seed: number, count: number, rest: string): string[] {
  const random = prng(seed);
  const pick = (alphabet: string) => alphabet[randomInt(random, 0, alphabet.length - 1)];
  const ids = ['a', '0', 'x'.repeat(64), `${pick(ALNUM)}${rest}`.slice(0, 64)];
  while (ids.length < count) {
    const length = randomInt(random, 1, 64);
    let id = pick(ALNUM);
    while (id.length < length) id += pick(rest);
    ids.push(id);
  }
  return ids;
}

/** Ids the registry accepts for a VPP or DER (boundaries first, then random ones). */
export function entityIds(seed: number, count = 50): string[] {
  return randomIds(seed, count, `${ALNUM}._-`);
}

/** Ids the market accepts for an interval. */
export function marketIds(seed: number, count = 50): string[] {
  return [...randomIds(seed, count - 1, `${ALNUM}._:-`), 'I:2025-03-01T10:00'];
}

/** Transaction ids: Fabric's 64 hex digits and the short names of the in-memory stub. */
export const TX_IDS = ['f'.repeat(64), 'tx0001', 'x'.repeat(128), '!~'];

/** 1..128 code points the old rule took, but no registered VPP, DER or participant can have. */
export const NARROWED_ENTITY_IDS = [
  'der a',
  'dér',
  'vpp:1',
  '-vpp',
  '.vpp',
  'vpp/1',
  'x'.repeat(65),
  '\u{1F600}',
];

/** Likewise for interval ids: the market never opened an interval under one of these. */
export const NARROWED_MARKET_IDS = ['I 1', 'intervallé', '-I:1', 'x'.repeat(65), 'I/1'];

/** Likewise for transaction ids. */
export const NARROWED_TX_IDS = ['tx 1', 'tx-é', 'x'.repeat(129)];
