// Free text (names, reasons, purposes, addresses) and e-mail addresses: trimmed, bounded in code
// points, and made only of characters that display as what they are. One rule for every free-text
// field, here and in the gateway's body schemas (which use FREE_TEXT_PATTERN_SOURCE), so both refuse
// the same strings:
//
// - C0 controls (U+0000–U+001F, tab and newline included: no free-text field is multi-line), DEL and
//   C1 controls (U+007F–U+009F);
// - the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder the
//   text after them up to a terminator the string need not contain ("Trojan Source"), so what a
//   reader sees is not what was stored;
// - unpaired UTF-16 surrogates: they have no UTF-8 form (Fabric stores bytes, so they would be
//   replaced by U+FFFD and the stored value would differ from the endorsed one).
//
// The implicit direction marks U+200E, U+200F and U+061C are allowed: they reorder nothing beyond the
// neutral characters next to them, and right-to-left names with digits or Latin parts need them to
// display correctly.

import { invalid, type Fields } from './objects';

/**
 * The characters free text must not contain, as the body of a regular-expression class (unicode
 * mode: \u{D800}-\u{DFFF} matches a surrogate only when it is unpaired).
 */
export const FREE_TEXT_EXCLUDED_CLASS =
  '\\u{0}-\\u{1F}\\u{7F}-\\u{9F}\\u{202A}-\\u{202E}\\u{2066}-\\u{2069}\\u{D800}-\\u{DFFF}';

/** A whole string of free text (any length), for JSON schemas: compile with the `u` flag (Ajv does). */
export const FREE_TEXT_PATTERN_SOURCE = `^[^${FREE_TEXT_EXCLUDED_CLASS}]*$`;

const FREE_TEXT = new RegExp(FREE_TEXT_PATTERN_SOURCE, 'u');

/** Whether `text` has none of the characters free text refuses (the length is the caller's rule). */
export function isFreeText(text: string): boolean {
  return FREE_TEXT.test(text);
}

export interface TextRule {
  readonly min: number;
  readonly max: number;
}

/** Display names (of organisations and VPPs). */
export const DISPLAY_NAME_RULE: TextRule = { min: 1, max: 100 };

/** Why a DER was suspended, reinstated or had its certificate revoked. */
export const REASON_RULE: TextRule = { min: 1, max: 200 };

/** A trimmed string whose length in code points is within [min, max], and free text (see above). */
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
  if (!isFreeText(text)) {
    throw invalid(
      `${field} must not contain control characters, bidi embeddings, overrides or isolates, or unpaired surrogates`,
    );
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
