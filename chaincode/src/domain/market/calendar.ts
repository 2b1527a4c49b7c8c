// The market calendar: the regulator's versioned record of the market's clock. It fixes how long a
// metering interval lasts, how long after its end readings are accepted (the reading window, after
// which settlement may run), how far device clocks may run ahead, and the bounds of the instants the
// trading centre chooses when it opens a market interval. Real markets differ (5- or 15-minute
// metering, reading windows of minutes to days), and a test or pilot network needs seconds.
//
// Versioned like the credit rulebook (shared/versions.ts): never edited, each version in force from
// its effectiveFrom. Every rule reads the version in force at the instant it concerns: a metering
// interval the version in force at its start, the opening of a market interval the version in force
// at the transaction time. As a version only takes effect at or after its publication, no instant
// that has passed is read differently after a new version (past readings, settlements and statements
// stay as they are).
//
// The metering grid: metering intervals of a version start on multiples of its length counted from
// the Unix epoch (so 15-minute intervals start at :00, :15, :30, :45 UTC). A version's effectiveFrom
// must lie on the grid of the previous version and on its own, so no metering interval straddles a
// change of version. The first version is installed at network setup and is in force from the epoch
// on: nothing that depends on the calendar can be recorded before a calendar exists.
//
// Pure rules only; the contract supplies caller identity, transaction time and the stored versions.

import {
  type Fields,
  type IntegerRule,
  invalid,
  POSITIVE,
  requireInteger,
  requireIsoTimestamp,
  requireObject,
  requireOneOf,
  requireText,
} from '../../rules';
import { KNOWN_MSP_IDS, KNOWN_ROLES, MspId, type Role } from '../../types/consortium';
import { ErrorCode, VppError } from '../../types/errors';
import { nextVersionNumber, orderedHistory, versionInForce, type VersionNames } from '../shared/versions';

const DAY_SECONDS = 86_400;

/** A metering interval lasts 1 s to 1 h and divides a day, so every UTC day starts on the grid. */
export const METERING_INTERVAL_SECONDS_RULE: IntegerRule = { min: 1, max: 3_600 };
/** Readings may be accepted from 1 s up to 30 days after their interval's end. */
export const READING_WINDOW_SECONDS_RULE: IntegerRule = { min: 1, max: 30 * DAY_SECONDS };
/** Device clocks may run ahead by less than one metering interval (checked against the length). */
export const CLOCK_SKEW_SECONDS_RULE: IntegerRule = { min: 0, max: 3_599 };
/** A market interval's delivery lasts at most a day; longer products are several intervals. */
export const MAX_DELIVERY_SECONDS = DAY_SECONDS;
export const MAX_DELIVERY_SECONDS_RULE: IntegerRule = { min: 1, max: MAX_DELIVERY_SECONDS };
/** How long before its delivery an interval may be opened: 1 minute to a year. */
export const MAX_LEAD_SECONDS_RULE: IntegerRule = { min: 60, max: 366 * DAY_SECONDS };
export const CALENDAR_DESCRIPTION_RULE = { min: 1, max: 500 } as const;

/** The figures of one calendar version, all in whole seconds. */
export interface MarketCalendarRules {
  /** Length of a metering interval (a reading covers one). */
  readonly meteringIntervalSeconds: number;
  /** Readings of a metering interval are accepted until this long after its end (exclusive). */
  readonly readingWindowSeconds: number;
  /** Readings are accepted from this long before their interval's end (device clocks run ahead). */
  readonly clockSkewSeconds: number;
  /** Longest delivery period of a market interval. */
  readonly maxDeliverySeconds: number;
  /** Longest time between opening a market interval and the start of its delivery. */
  readonly maxLeadSeconds: number;
}

export interface MarketCalendarInput extends MarketCalendarRules {
  /** ISO-8601 UTC; default: the transaction time (which must then lie on both grids). */
  readonly effectiveFrom?: string;
  readonly description: string;
}

export interface MarketCalendarAuthor {
  readonly mspId: MspId;
  readonly role: Role;
}

export interface MarketCalendarVersion extends MarketCalendarRules {
  readonly version: number;
  readonly effectiveFrom: string;
  readonly description: string;
  readonly createdAt: string;
  readonly createdBy: MarketCalendarAuthor;
}

/** What a deployment installs unless its topology names another calendar. */
export const DEFAULT_MARKET_CALENDAR: MarketCalendarRules & { readonly description: string } = {
  description: 'Default market calendar: 15-minute metering intervals, readings accepted for 60 minutes',
  meteringIntervalSeconds: 15 * 60,
  readingWindowSeconds: 60 * 60,
  clockSkewSeconds: 2 * 60,
  maxDeliverySeconds: DAY_SECONDS,
  maxLeadSeconds: 31 * DAY_SECONDS,
};

/** The first version is in force from here: nothing calendar-dependent exists before it. */
export const CALENDAR_EPOCH = '1970-01-01T00:00:00.000Z';

const RULE_FIELDS = [
  'meteringIntervalSeconds',
  'readingWindowSeconds',
  'clockSkewSeconds',
  'maxDeliverySeconds',
  'maxLeadSeconds',
] as const;
export const CALENDAR_INPUT_FIELDS = ['effectiveFrom', 'description', ...RULE_FIELDS] as const;
const VERSION_FIELDS = [...CALENDAR_INPUT_FIELDS, 'version', 'createdAt', 'createdBy'] as const;
const NAMES: VersionNames = { history: 'market calendar', record: 'market calendar' };

/** Only the calendar figures of a record that has more. */
export function rulesOf(calendar: MarketCalendarRules): MarketCalendarRules {
  return {
    meteringIntervalSeconds: calendar.meteringIntervalSeconds,
    readingWindowSeconds: calendar.readingWindowSeconds,
    clockSkewSeconds: calendar.clockSkewSeconds,
    maxDeliverySeconds: calendar.maxDeliverySeconds,
    maxLeadSeconds: calendar.maxLeadSeconds,
  };
}

/** "60 minutes", "30 seconds": a duration as the messages name it. */
export function durationText(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} minutes` : `${seconds} seconds`;
}

/** "15-minute", "10-second", "2-hour": a length as the messages name it. */
export function describeSeconds(seconds: number): string {
  if (seconds % 3_600 === 0) return `${seconds / 3_600}-hour`;
  if (seconds % 60 === 0) return `${seconds / 60}-minute`;
  return `${seconds}-second`;
}

function parseRules(fields: Fields): MarketCalendarRules {
  const meteringIntervalSeconds = requireInteger(
    fields,
    'meteringIntervalSeconds',
    METERING_INTERVAL_SECONDS_RULE,
  );
  if (DAY_SECONDS % meteringIntervalSeconds !== 0) {
    throw invalid(`meteringIntervalSeconds must divide a day (86400 s), got ${meteringIntervalSeconds}`);
  }
  const clockSkewSeconds = requireInteger(fields, 'clockSkewSeconds', CLOCK_SKEW_SECONDS_RULE);
  if (clockSkewSeconds >= meteringIntervalSeconds) {
    throw invalid('clockSkewSeconds must be shorter than the metering interval');
  }
  const maxDeliverySeconds = requireInteger(fields, 'maxDeliverySeconds', MAX_DELIVERY_SECONDS_RULE);
  if (maxDeliverySeconds < meteringIntervalSeconds) {
    throw invalid('maxDeliverySeconds must be at least one metering interval');
  }
  return {
    meteringIntervalSeconds,
    readingWindowSeconds: requireInteger(fields, 'readingWindowSeconds', READING_WINDOW_SECONDS_RULE),
    clockSkewSeconds,
    maxDeliverySeconds,
    maxLeadSeconds: requireInteger(fields, 'maxLeadSeconds', MAX_LEAD_SECONDS_RULE),
  };
}

/** Validates client input (every figure; effectiveFrom optional). */
export function parseMarketCalendarInput(value: unknown): MarketCalendarInput {
  const fields = requireObject(value, 'market calendar', CALENDAR_INPUT_FIELDS);
  return {
    ...(fields.effectiveFrom === undefined
      ? {}
      : { effectiveFrom: requireIsoTimestamp(fields, 'effectiveFrom') }),
    description: requireText(fields, 'description', CALENDAR_DESCRIPTION_RULE),
    ...parseRules(fields),
  };
}

function onGrid(ms: number, seconds: number): boolean {
  return ms % (seconds * 1000) === 0;
}

/**
 * The next calendar version: `previous` must be the latest stored version (undefined for the first,
 * which is in force from CALENDAR_EPOCH whatever the input says). A later version's effectiveFrom
 * (default: txTime) must not lie before txTime, must lie after the previous version's, and must lie on
 * the metering grid of both. Only the regulator may publish (FORBIDDEN otherwise).
 */
export function buildMarketCalendarVersion(
  input: unknown,
  previous: MarketCalendarVersion | undefined,
  txTime: string,
  author: MarketCalendarAuthor,
): MarketCalendarVersion {
  if (author.mspId !== MspId.REGULATOR) {
    throw new VppError(
      ErrorCode.FORBIDDEN,
      `only ${MspId.REGULATOR} may publish the market calendar, not ${author.mspId}`,
    );
  }
  const now = requireIsoTimestamp({ txTime }, 'txTime');
  const parsed = parseMarketCalendarInput(input);
  let effectiveFrom = CALENDAR_EPOCH;
  if (
    previous === undefined &&
    parsed.effectiveFrom !== undefined &&
    parsed.effectiveFrom !== CALENDAR_EPOCH
  ) {
    throw invalid(`the first market calendar is in force from ${CALENDAR_EPOCH}; leave effectiveFrom out`);
  }
  if (previous !== undefined) {
    effectiveFrom = parsed.effectiveFrom ?? now;
    for (const [whose, seconds] of [
      [`version ${previous.version}'s`, previous.meteringIntervalSeconds],
      ['its own', parsed.meteringIntervalSeconds],
    ] as const) {
      if (!onGrid(Date.parse(effectiveFrom), seconds)) {
        throw invalid(
          `effectiveFrom ${effectiveFrom} must start a metering interval on ${whose} ${describeSeconds(seconds)} grid, ` +
            'so that no metering interval spans two calendar versions',
        );
      }
    }
  }
  const version = nextVersionNumber(previous, effectiveFrom, previous === undefined ? CALENDAR_EPOCH : now);
  return {
    description: parsed.description,
    ...rulesOf(parsed),
    version,
    effectiveFrom,
    createdAt: now,
    createdBy: { mspId: author.mspId, role: author.role },
  };
}

/** Decoder for stored versions: re-validates every field so corrupted state is never trusted. */
export function parseStoredMarketCalendarVersion(value: unknown): MarketCalendarVersion {
  const fields = requireObject(value, 'stored market calendar version', VERSION_FIELDS);
  const author = requireObject(fields.createdBy, 'createdBy', ['mspId', 'role']);
  return {
    ...parseRules(fields),
    version: requireInteger(fields, 'version', POSITIVE),
    effectiveFrom: requireIsoTimestamp(fields, 'effectiveFrom'),
    description: requireText(fields, 'description', CALENDAR_DESCRIPTION_RULE),
    createdAt: requireIsoTimestamp(fields, 'createdAt'),
    createdBy: {
      mspId: requireOneOf(author, 'mspId', KNOWN_MSP_IDS),
      role: requireOneOf(author, 'role', KNOWN_ROLES),
    },
  };
}

/** A checked calendar history: every stored version in version order (see calendarHistory). */
export interface MarketCalendarHistory {
  readonly versions: readonly MarketCalendarVersion[];
}

/** The stored versions (any order) as one history; INTERNAL if they do not form one. */
export function calendarHistory(versions: readonly MarketCalendarVersion[]): MarketCalendarHistory {
  return { versions: orderedHistory(versions, NAMES) };
}

/** The version in force at `iso`; NOT_FOUND before the first (i.e. when none is installed). */
export function calendarAt(history: MarketCalendarHistory, iso: string): MarketCalendarVersion {
  return versionInForce(history.versions, Date.parse(iso), iso, NAMES);
}

function calendarAtMillis(history: MarketCalendarHistory, ms: number): MarketCalendarVersion {
  return calendarAt(history, new Date(ms).toISOString());
}

/** Start (id) of the metering interval containing `iso`, on the grid of the version then in force. */
export function meteringIntervalIdAt(history: MarketCalendarHistory, iso: string): string {
  const ms = Date.parse(iso);
  return new Date(meteringStartOf(ms, calendarAtMillis(history, ms).meteringIntervalSeconds)).toISOString();
}

/** Start of the metering interval of `seconds` containing `ms` (epoch grid; negative instants too). */
export function meteringStartOf(ms: number, seconds: number): number {
  const length = seconds * 1000;
  return ms - (((ms % length) + length) % length);
}

/**
 * The calendar version of metering interval `intervalId` (an ISO instant): INVALID_ARGUMENT unless it
 * starts a metering interval on the grid of the version in force then.
 */
export function requireMeteringInterval(
  history: MarketCalendarHistory,
  intervalId: string,
): MarketCalendarVersion {
  const calendar = calendarAt(history, intervalId);
  if (!onGrid(Date.parse(intervalId), calendar.meteringIntervalSeconds)) {
    throw invalid(
      `intervalId must start on a ${describeSeconds(calendar.meteringIntervalSeconds)} boundary ` +
        `(market calendar version ${calendar.version})`,
    );
  }
  return calendar;
}

/** End (exclusive) of the metering interval starting at `intervalId`, in ms. */
export function meteringIntervalEndMillis(
  calendar: Pick<MarketCalendarRules, 'meteringIntervalSeconds'>,
  intervalId: string,
): number {
  return Date.parse(intervalId) + calendar.meteringIntervalSeconds * 1000;
}

/** Ids (starts) of the metering intervals whose start lies in [startIso, endIso), in order. */
export function meteringIntervalsBetween(
  history: MarketCalendarHistory,
  startIso: string,
  endIso: string,
): string[] {
  const end = Date.parse(endIso);
  const start = Date.parse(startIso);
  const first = calendarAtMillis(history, start).meteringIntervalSeconds * 1000;
  const ids: string[] = [];
  // Version changes lie on both grids, so stepping by the length in force lands on every start.
  for (let t = Math.ceil(start / first) * first; t < end;) {
    ids.push(new Date(t).toISOString());
    t += calendarAtMillis(history, t).meteringIntervalSeconds * 1000;
  }
  return ids;
}

/** The instant (ms) from which no reading of metering interval `intervalId` is accepted. */
export function readingWindowEndMillis(history: MarketCalendarHistory, intervalId: string): number {
  const calendar = calendarAt(history, intervalId);
  return meteringIntervalEndMillis(calendar, intervalId) + calendar.readingWindowSeconds * 1000;
}

/** Most energy a DER of `capacityW` can deliver in one metering interval (floor, in Wh). */
export function maxEnergyWh(
  capacityW: number,
  calendar: Pick<MarketCalendarRules, 'meteringIntervalSeconds'>,
): number {
  return Math.floor((capacityW * calendar.meteringIntervalSeconds) / 3_600);
}
