// Small, dependency-free input checks shared by domain modules. Each failure is a VppError
// INVALID_ARGUMENT naming the offending field, so clients can show the message as-is.

import { ErrorCode, VppError } from '../types/errors';

export type Fields = Readonly<Record<string, unknown>>;

export function invalid(detail: string): VppError {
  return new VppError(ErrorCode.INVALID_ARGUMENT, detail);
}

/** C0 controls, DEL and C1 controls: never legitimate in names or addresses. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

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

export interface TextRule {
  readonly min: number;
  readonly max: number;
}

/** A trimmed string whose length in code points is within [min, max], without control characters. */
export function requireText(fields: Fields, field: string, rule: TextRule): string {
  const raw = fields[field];
  if (typeof raw !== 'string') {
    throw invalid(`${field} must be a string`);
  }
  const text = raw.trim();
  const length = [...text].length;
  if (length < rule.min || length > rule.max) {
    throw invalid(`${field} must be ${rule.min}..${rule.max} characters after trimming, got ${length}`);
  }
  if (CONTROL_CHARS.test(text)) {
    throw invalid(`${field} must not contain control characters`);
  }
  return text;
}

export function requireOneOf<T extends string>(fields: Fields, field: string, options: readonly T[]): T {
  const raw = fields[field];
  const match = options.find((option) => option === raw);
  if (match === undefined) {
    throw invalid(`${field} must be one of ${options.join(', ')}`);
  }
  return match;
}

// Deliberately simple: one @, a non-empty local part, a dotted domain of DNS-like labels. Real
// deliverability is the organisation's concern; this only keeps obvious garbage off the ledger.
const EMAIL_LOCAL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
export const MAX_EMAIL_LENGTH = 254;

export function requireEmail(fields: Fields, field: string): string {
  const email = requireText(fields, field, { min: 3, max: MAX_EMAIL_LENGTH });
  const at = email.indexOf('@');
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split('.');
  const ok =
    at > 0 &&
    email.indexOf('@', at + 1) === -1 &&
    EMAIL_LOCAL.test(local) &&
    !local.startsWith('.') &&
    !local.endsWith('.') &&
    !local.includes('..') &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label));
  if (!ok) {
    throw invalid(`${field} must be an e-mail address like name@example.org`);
  }
  return email;
}

export function requirePositiveInteger(fields: Fields, field: string): number {
  const raw = fields[field];
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 1) {
    throw invalid(`${field} must be a positive integer`);
  }
  return raw;
}

/** An ISO-8601 UTC timestamp as produced by Date#toISOString (the only form the chaincode writes). */
export function requireIsoTimestamp(fields: Fields, field: string): string {
  const raw = fields[field];
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(raw)) {
    throw invalid(`${field} must be an ISO-8601 UTC timestamp`);
  }
  const parsed = Date.parse(raw);
  if (Number.isNaN(parsed) || new Date(parsed).toISOString() !== raw) {
    throw invalid(`${field} must be an ISO-8601 UTC timestamp`);
  }
  return raw;
}
