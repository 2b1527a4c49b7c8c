// Identifiers, by kind. Ids become composite-key parts, are hashed into bid commitments and (VPP and
// DER ids) are written into fabric-ca certificate attributes, so they are taken verbatim: never
// trimmed (a trimmed id would name a different key, or hash differently, than the caller meant),
// ASCII only, starting with a letter or digit.
//
// - entity ids (VPPs, DERs, participants, grants, zones): no ':', which separates `:ecert` in
//   fabric-ca attribute requests;
// - market ids (intervals, bids and the other ids the market names): entity ids plus ':', because
//   interval ids carry times;
// - transaction ids: Fabric's own (hex digests), with room for the short names test stubs use.
//
// The pattern sources are exported as strings too, so that JSON schemas can use the very same rule.

import { invalid, type Fields } from './objects';

export interface IdRule {
  readonly pattern: RegExp;
  /** What a valid id looks like, as error messages say it: `<field> must be <description>`. */
  readonly description: string;
}

export const ENTITY_ID_PATTERN_SOURCE = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';
export const MARKET_ID_PATTERN_SOURCE = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$';
export const TX_ID_PATTERN_SOURCE = '^[\\x21-\\x7e]{1,128}$';

export const ENTITY_ID_PATTERN = new RegExp(ENTITY_ID_PATTERN_SOURCE);
export const MARKET_ID_PATTERN = new RegExp(MARKET_ID_PATTERN_SOURCE);
export const TX_ID_PATTERN = new RegExp(TX_ID_PATTERN_SOURCE);

export const ENTITY_ID: IdRule = {
  pattern: ENTITY_ID_PATTERN,
  description: "1..64 characters of A-Z, a-z, 0-9, '.', '_' or '-', starting alphanumeric",
};

export const MARKET_ID: IdRule = {
  pattern: MARKET_ID_PATTERN,
  description: "1..64 characters of A-Z, a-z, 0-9, '.', '_', ':', '-' starting with a letter or digit",
};

export const TX_ID: IdRule = {
  pattern: TX_ID_PATTERN,
  description: '1..128 printable ASCII characters',
};

/** `value` if it is an id of `rule`'s kind; INVALID_ARGUMENT naming `name` otherwise. */
export function requireIdValue(value: unknown, name: string, rule: IdRule): string {
  if (typeof value !== 'string' || !rule.pattern.test(value)) {
    throw invalid(`${name} must be ${rule.description}`);
  }
  return value;
}

/** The field form of requireIdValue. */
export function requireId(fields: Fields, field: string, rule: IdRule): string {
  return requireIdValue(fields[field], field, rule);
}

/** Code-unit order (byte order for the ASCII ids above); the same everywhere, unlike localeCompare. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
