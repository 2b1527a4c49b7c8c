// The shape of client input and stored records: a plain JSON object with known fields, and fields that
// take one of a fixed set of values. Every failure of every rule in this folder is a VppError
// INVALID_ARGUMENT naming the offending field, so clients can show the message as-is.

import { ErrorCode, VppError } from '../types/errors';

export type Fields = Readonly<Record<string, unknown>>;

export function invalid(detail: string): VppError {
  return new VppError(ErrorCode.INVALID_ARGUMENT, detail);
}

/**
 * Requires a plain JSON object whose keys are all in `allowed`; unknown keys are rejected rather than
 * ignored so that a typo (or a field the server sets itself, like mspId) is reported, not dropped.
 */
export function requireObject(value: unknown, what: string, allowed: readonly string[]): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${what} must be a JSON object`);
  }
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw invalid(`${what} has unsupported field(s): ${unknown.sort().join(', ')}`);
  }
  return value as Fields;
}

export function requireOneOf<T extends string>(fields: Fields, field: string, options: readonly T[]): T {
  const raw = fields[field];
  const match = options.find((option) => option === raw);
  if (match === undefined) {
    throw invalid(`${field} must be one of ${options.join(', ')}`);
  }
  return match;
}
