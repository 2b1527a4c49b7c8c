// Records the market contract stores around the pure rules: the clearing of an interval (with who
// cleared it and when) and the violations recorded for unrevealed commitments; and the answers of
// the market's queries that combine records.

import {
  invalid,
  ENTITY_ID,
  MARKET_ID,
  NON_NEGATIVE,
  requireId,
  requireInteger,
  requireIsoTimestamp,
  requireObject,
  requireOneOf,
  TX_ID,
} from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';
import { copyActor, parseActor, type MarketActor } from './common';
import { ViolationReason, type BidViolation } from './reveal';
import { toCanonicalJson } from '../../encoding/canonical-json';
import { parseStoredClearingResult, type ClearingResult, type ClearingVerification } from './clearing';
import type { MeritClearing } from './merit-order';
import type { Demand } from './demand';
import { IntervalPhase, intervalPhase, requireSameInterval, type MarketInterval } from './interval';

// ---- clearing ----

export interface ClearingRecord {
  readonly intervalId: string;
  /** Exactly what the merit-order clearing returned (price, awards, inputsHash: merit-order.ts). */
  readonly result: ClearingResult;
  /**
   * How many distinct bids the clearing read: those with an offer at or below the marginal one (all
   * revealed bids with a step within the cap when demand is not met). Not the size of the book.
   */
  readonly bidCount: number;
  /** Transaction time of the clearing, ISO-8601 UTC. */
  readonly clearedAt: string;
  readonly clearedBy: MarketActor;
  readonly txId: string;
}

const CLEARING_FIELDS = ['intervalId', 'result', 'bidCount', 'clearedAt', 'clearedBy', 'txId'] as const;

export interface ClearingRun {
  readonly interval: MarketInterval;
  readonly demand: Demand;
  /** The clearing of the interval's merit-ordered offers (merit-order.ts). */
  readonly clearing: MeritClearing;
  readonly caller: MarketActor;
  /** Transaction timestamp, ISO-8601 UTC. */
  readonly txTime: string;
  readonly txId: string;
}

/**
 * INVALID_STATE before the reveal deadline (the book is final only then); the contract checks this
 * before it reads any offer.
 */
export function requireClearable(interval: MarketInterval, demand: Demand, txTime: string): void {
  requireSameInterval(interval, demand.intervalId, 'demand');
  if (intervalPhase(interval, txTime) !== IntervalPhase.CLOSED) {
    throw new VppError(
      ErrorCode.INVALID_STATE,
      `interval ${interval.intervalId} can be cleared from its reveal deadline ${interval.revealDeadline}`,
    );
  }
}

/**
 * The clearing record of the interval (requireClearable first). That an interval is cleared once is
 * the contract's check (it owns the key).
 */
export function buildClearingRecord(run: ClearingRun): ClearingRecord {
  const { interval, demand, clearing } = run;
  requireClearable(interval, demand, run.txTime);
  if (clearing.result.intervalId !== interval.intervalId) {
    throw new VppError(ErrorCode.INTERNAL, `clearing belongs to interval ${clearing.result.intervalId}`);
  }
  return {
    intervalId: interval.intervalId,
    result: clearing.result,
    bidCount: clearing.bidCount,
    clearedAt: run.txTime,
    clearedBy: copyActor(run.caller),
    txId: requireId({ txId: run.txId }, 'txId', TX_ID),
  };
}

export function parseStoredClearingRecord(value: unknown): ClearingRecord {
  const fields = requireObject(value, 'stored clearing', CLEARING_FIELDS);
  const intervalId = requireId(fields, 'intervalId', MARKET_ID);
  const result = parseStoredClearingResult(fields.result);
  if (result.intervalId !== intervalId) {
    throw invalid(`result belongs to interval ${result.intervalId}, not ${intervalId}`);
  }
  return {
    intervalId,
    result,
    bidCount: requireInteger(fields, 'bidCount', NON_NEGATIVE),
    clearedAt: requireIsoTimestamp(fields, 'clearedAt'),
    clearedBy: parseActor(fields.clearedBy, 'clearedBy'),
    txId: requireId(fields, 'txId', TX_ID),
  };
}

export interface ClearingCheck extends ClearingVerification {
  /** The stored result that was checked. */
  readonly stored: ClearingResult;
}

/**
 * Compares a stored clearing with one recomputed from the same merit-ordered offers: the results by
 * canonical JSON (a changed award, price, hash or an extra field is a mismatch) and the bid counts.
 */
export function checkStoredClearing(
  record: ClearingRecord,
  demand: Demand,
  recomputed: MeritClearing,
): ClearingCheck {
  if (demand.intervalId !== record.intervalId) {
    throw new VppError(
      ErrorCode.INTERNAL,
      `demand belongs to interval ${demand.intervalId}, not to ${record.intervalId}`,
    );
  }
  let matches: boolean;
  try {
    matches =
      toCanonicalJson(record.result) === toCanonicalJson(recomputed.result) &&
      record.bidCount === recomputed.bidCount;
  } catch {
    matches = false; // a stored value JSON cannot even represent cannot be the right result
  }
  return { matches, stored: record.result, recomputed: recomputed.result };
}

// ---- violations ----

const VIOLATION_FIELDS = ['intervalId', 'bidId', 'vppId', 'reason', 'detectedAt'] as const;
const KNOWN_REASONS: readonly ViolationReason[] = Object.values(ViolationReason);

export function parseStoredViolation(value: unknown): BidViolation {
  const fields = requireObject(value, 'stored violation', VIOLATION_FIELDS);
  return {
    intervalId: requireId(fields, 'intervalId', MARKET_ID),
    bidId: requireId(fields, 'bidId', MARKET_ID),
    vppId: requireId(fields, 'vppId', ENTITY_ID),
    reason: requireOneOf(fields, 'reason', KNOWN_REASONS),
    detectedAt: requireIsoTimestamp(fields, 'detectedAt'),
  };
}

// ---- query and batch answers ----

/** An interval with its demand (null until posted) and its phase at the query's time (GetInterval). */
export interface IntervalView {
  readonly interval: MarketInterval;
  readonly demand: Demand | null;
  readonly phase: IntervalPhase;
}

/** One page of the market intervals in id order, each with its phase at the query's time (ListIntervals). */
export interface IntervalPage {
  readonly intervals: readonly { readonly interval: MarketInterval; readonly phase: IntervalPhase }[];
  readonly bookmark: string;
}

/** One page of a VPP's violations by interval then bid id (ListVppViolations); bookmark '' at the end. */
export interface ViolationPage {
  readonly violations: readonly BidViolation[];
  readonly bookmark: string;
}

/** What RecordUnrevealedViolations wrote now, and how many it found already recorded. */
export interface ViolationsRecorded {
  readonly intervalId: string;
  readonly recorded: readonly BidViolation[];
  readonly alreadyRecorded: number;
}
