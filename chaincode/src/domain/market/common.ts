// Checks and small helpers shared by the market modules (intervals, demand, bids, clearing,
// dispatch). Everything is pure: times arrive as ISO-8601 UTC strings (the transaction timestamp)
// and are only ever compared with each other, never with a clock.

import { createHash } from 'node:crypto';
import { KNOWN_MSP_IDS, KNOWN_ROLES, type MspId, type Role } from '../../types/consortium';
import { requireIsoTimestamp, requireObject, requireOneOf, invalid, type Fields } from '../validate';

/**
 * Identifiers chosen by clients (interval, bid, VPP and DER ids). They become composite-key parts
 * and are hashed into bid commitments, so they are taken verbatim: no trimming (a trimmed id would
 * hash differently from what the client committed to), ASCII only, starting with a letter or digit.
 */
export const MARKET_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export function requireMarketId(fields: Fields, field: string): string {
  const raw = fields[field];
  if (typeof raw !== 'string' || !MARKET_ID_PATTERN.test(raw)) {
    throw invalid(
      `${field} must be 1..64 characters of A-Z, a-z, 0-9, '.', '_', ':', '-' starting with a letter or digit`,
    );
  }
  return raw;
}

/** Zero is a legitimate price (and a legitimate price cap); negative prices are not supported. */
export function requireNonNegativeInteger(fields: Fields, field: string): number {
  return nonNegativeInteger(fields[field], field);
}

/** The value form of requireNonNegativeInteger, for values not held in a field of their own name. */
export function nonNegativeInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(`${name} must be a non-negative integer`);
  }
  return value;
}

/** The value form of validate's requirePositiveInteger (same message). */
export function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw invalid(`${name} must be a positive integer`);
  }
  return value;
}

/** Fabric transaction ids are hex digests, but test stubs use short names; accept printable ASCII. */
const TX_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

export function requireTxId(fields: Fields, field: string): string {
  const raw = fields[field];
  if (typeof raw !== 'string' || !TX_ID_PATTERN.test(raw)) {
    throw invalid(`${field} must be 1..128 printable ASCII characters`);
  }
  return raw;
}

/** Lowercase hex of exactly `bytes` bytes (SHA-256 digests, salts). */
export function requireLowerHex(fields: Fields, field: string, bytes: number): string {
  const raw = fields[field];
  if (typeof raw !== 'string' || raw.length !== bytes * 2 || !/^[0-9a-f]*$/.test(raw)) {
    throw invalid(`${field} must be ${bytes * 2} lowercase hex characters`);
  }
  return raw;
}

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

/** Code-unit order (equals byte order for the ASCII ids above); the same everywhere, unlike localeCompare. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Decodes the array `fields[field]` item by item (`<field>[i]`) and checks that its items are sorted
 * by `idOf` (compareIds) without duplicates; `idName` names that id in the message.
 */
export function requireSortedList<T>(
  fields: Fields,
  field: string,
  parse: (raw: unknown, what: string) => T,
  idOf: (item: T) => string,
  idName: string,
): T[] {
  const raw = fields[field];
  if (!Array.isArray(raw)) {
    throw invalid(`${field} must be an array`);
  }
  const items = raw.map((item: unknown, i) => parse(item, `${field}[${i}]`));
  for (let i = 1; i < items.length; i++) {
    if (compareIds(idOf(items[i - 1]), idOf(items[i])) >= 0) {
      throw invalid(`${field} must be sorted by ${idName} without duplicates`);
    }
  }
  return items;
}
