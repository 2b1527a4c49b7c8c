// Free text (names, reasons, purposes, addresses) and e-mail addresses: trimmed, bounded in code
// points, and free of control characters, which are never legitimate in them.

import { invalid, type Fields } from './objects';

/** C0 controls, DEL and C1 controls. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

export interface TextRule {
  readonly min: number;
  readonly max: number;
}

/** Display names (of organisations and VPPs). */
export const DISPLAY_NAME_RULE: TextRule = { min: 1, max: 100 };

/** Why a DER was suspended, reinstated or had its certificate revoked. */
export const REASON_RULE: TextRule = { min: 1, max: 200 };

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
