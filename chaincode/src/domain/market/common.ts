// Helpers shared by the market modules (intervals, demand, bids, clearing, dispatch). Everything is
// pure: times arrive as ISO-8601 UTC strings (the transaction timestamp) and are only ever compared
// with each other, never with a clock. Field rules (market ids, integers, hex) live in rules/.

import { createHash } from 'node:crypto';
import { requireIsoTimestamp, requireObject, requireOneOf } from '../../rules';
import { KNOWN_MSP_IDS, KNOWN_ROLES, type MspId, type Role } from '../../types/consortium';

/**
 * Milliseconds since the epoch of a timestamp the caller promises is in Date#toISOString form. The
 * transaction time is validated as well (not trusted) because a malformed one would silently make
 * every comparison false.
 */
export function txMillis(txTime: string): number {
  return Date.parse(requireIsoTimestamp({ txTime }, 'txTime'));
}

export function isoMillis(iso: string): number {
  return Date.parse(iso);
}

/** Who performed a market write; the contract takes both from the caller's certificate. */
export interface MarketActor {
  readonly mspId: MspId;
  readonly role: Role;
}

const ACTOR_FIELDS = ['mspId', 'role'] as const;

export function parseActor(value: unknown, what: string): MarketActor {
  const fields = requireObject(value, what, ACTOR_FIELDS);
  return {
    mspId: requireOneOf(fields, 'mspId', KNOWN_MSP_IDS),
    role: requireOneOf(fields, 'role', KNOWN_ROLES),
  };
}

/** A copy, so a record never shares (and so never aliases) the caller's object. */
export function copyActor(actor: MarketActor): MarketActor {
  return parseActor({ mspId: actor.mspId, role: actor.role }, 'caller');
}

export function sha256Hex(...parts: readonly (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(part);
  }
  return hash.digest('hex');
}
