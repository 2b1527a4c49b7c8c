// Instants and calendar periods. The chaincode writes instants in exactly one form, Date#toISOString
// (UTC, milliseconds), so they compare correctly as text and round-trip through Date.parse; it reads
// only that form back. Statement periods are UTC months and days.

import { invalid, type Fields } from './objects';

export const ISO_INSTANT_PATTERN_SOURCE = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$';
const ISO_INSTANT_PATTERN = new RegExp(ISO_INSTANT_PATTERN_SOURCE);

/** A UTC month `YYYY-MM` and day `YYYY-MM-DD`, as statement periods and their keys are written. */
export const MONTH_PATTERN = /^\d{4}-\d{2}$/;
export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO-8601 UTC timestamp as produced by Date#toISOString (the only form the chaincode writes). */
export function requireIsoTimestamp(fields: Fields, field: string): string {
  const raw = fields[field];
  if (typeof raw !== 'string' || !ISO_INSTANT_PATTERN.test(raw)) {
    throw invalid(`${field} must be an ISO-8601 UTC timestamp`);
  }
  const parsed = Date.parse(raw);
  if (Number.isNaN(parsed) || new Date(parsed).toISOString() !== raw) {
    throw invalid(`${field} must be an ISO-8601 UTC timestamp`);
  }
  return raw;
}
