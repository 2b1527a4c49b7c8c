// Field checks that the settlement and credit modules share and validate.ts does not (yet) offer:
// bounded integers, identifiers that are never trimmed silently, bounded lists and hex digests. Every
// failure is a VppError INVALID_ARGUMENT naming the field, like the checks in validate.ts.

import { assertKeyPart } from '../../ledger/keys';
import { invalid, requireText, type Fields } from '../validate';

/** Identifiers (DER, VPP, interval, award, transaction ids) are 1..128 code points. */
export const ID_RULE = { min: 1, max: 128 } as const;

export interface IntegerRule {
  readonly min: number;
  readonly max: number;
}

/** Any safe integer, negative ones included. */
export const ANY_SAFE_INTEGER: IntegerRule = {
  min: Number.MIN_SAFE_INTEGER,
  max: Number.MAX_SAFE_INTEGER,
};

/** 0..2^53-1. */
export const NON_NEGATIVE: IntegerRule = { min: 0, max: Number.MAX_SAFE_INTEGER };

function describeRange(rule: IntegerRule): string {
  if (rule.min === 0 && rule.max === Number.MAX_SAFE_INTEGER) return 'a non-negative integer';
  if (rule.min === Number.MIN_SAFE_INTEGER && rule.max === Number.MAX_SAFE_INTEGER) return 'an integer';
  return `an integer in ${rule.min}..${rule.max}`;
}

/** A safe integer within [rule.min, rule.max]. */
export function requireInteger(fields: Fields, field: string, rule: IntegerRule): number {
  const raw = fields[field];
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < rule.min || raw > rule.max) {
    throw invalid(`${field} must be ${describeRange(rule)}`);
  }
  return raw;
}

/**
 * An identifier that can name a ledger key: text without control characters or surrounding
 * whitespace (refused, not trimmed: a trimmed id would name a different key than the one the caller
 * meant), well-formed Unicode, free of the code points Fabric reserves in composite keys.
 */
export function requireId(fields: Fields, field: string): string {
  const text = requireText(fields, field, ID_RULE);
  if (text !== fields[field]) {
    throw invalid(`${field} must not start or end with whitespace`);
  }
  assertKeyPart(text, field);
  return text;
}

/** An array of min..max elements (elements are checked by the caller). */
export function requireList(
  fields: Fields,
  field: string,
  rule: { readonly min: number; readonly max: number },
): readonly unknown[] {
  const raw = fields[field];
  if (!Array.isArray(raw)) {
    throw invalid(`${field} must be an array`);
  }
  if (raw.length < rule.min || raw.length > rule.max) {
    throw invalid(`${field} must have ${rule.min}..${rule.max} entries, got ${raw.length}`);
  }
  return raw as readonly unknown[];
}

/** A SHA-256 digest as 64 lowercase hex digits. */
export function requireSha256Hex(fields: Fields, field: string): string {
  const raw = fields[field];
  if (typeof raw !== 'string' || !/^[0-9a-f]{64}$/.test(raw)) {
    throw invalid(`${field} must be a SHA-256 digest in lowercase hex`);
  }
  return raw;
}
