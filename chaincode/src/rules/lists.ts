// Lists: bounded in length, and, where a record keeps a list by id, sorted by that id without
// duplicates, so the list has exactly one stored form.

import { compareIds } from './ids';
import { invalid, type Fields } from './objects';

/**
 * Largest page a list query may ask for; bounds the work one evaluate does and the answer's size,
 * which must fit one gRPC message (4 MiB by default in clients). Records of at most ~1 KB (a stored
 * reading is ~450 bytes, ~700 with every field at its longest) keep a full page under 1 MiB.
 */
export const MAX_PAGE_SIZE = 1000;

/**
 * Largest page of DER records: each carries its device certificate, up to 8192 characters of PEM
 * (~1.5 KB typical, ~9.5 KB at the longest), so 200 of the largest stay under 2 MiB.
 */
export const MAX_DER_PAGE_SIZE = 200;

/**
 * Largest page of a key's history: each entry carries a whole stored value of any record type (a DER
 * with its certificate, a clearing with its bids), so pages stay short; a page that is still too large
 * for one gRPC message is answered RESULT_TOO_LARGE by the gateway, and a smaller page gets it.
 */
export const MAX_HISTORY_PAGE_SIZE = 100;

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
