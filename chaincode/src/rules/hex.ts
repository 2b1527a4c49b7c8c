// Lowercase hex: SHA-256 digests (commitments, hashes, Merkle roots) and salts. Lowercase only, so a
// digest has exactly one text form and two records holding the same digest hold the same string.

import { invalid, type Fields } from './objects';

const LOWER_HEX = /^[0-9a-f]*$/;

/** A SHA-256 digest (or any 32 bytes: salts, Fabric transaction ids) in lowercase hex, for JSON schemas. */
export const SHA256_HEX_PATTERN_SOURCE = '^[0-9a-f]{64}$';

/** Whether `value` is the lowercase hex of exactly `bytes` bytes. */
export function isLowerHex(value: unknown, bytes: number): value is string {
  return typeof value === 'string' && value.length === bytes * 2 && LOWER_HEX.test(value);
}

/** Lowercase hex of exactly `bytes` bytes (digests, salts). */
export function requireLowerHex(fields: Fields, field: string, bytes: number): string {
  const raw = fields[field];
  if (!isLowerHex(raw, bytes)) {
    throw invalid(`${field} must be ${bytes * 2} lowercase hex characters`);
  }
  return raw;
}

/** A SHA-256 digest as 64 lowercase hex digits. */
export function requireSha256Hex(fields: Fields, field: string): string {
  const raw = fields[field];
  if (!isLowerHex(raw, 32)) {
    throw invalid(`${field} must be a SHA-256 digest in lowercase hex`);
  }
  return raw;
}
