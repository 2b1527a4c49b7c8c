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
import { ViolationReason, type BidViolation, type RevealedBid } from './reveal';
import {
  clearMarketInterval,
  parseStoredClearingResult,
  verifyClearing,
  type ClearingResult,
  type ClearingVerification,
} from './clearing';
import type { Demand } from './demand';
import { IntervalPhase, intervalPhase, requireSameInterval, type MarketInterval } from './interval';

// ---- clearing ----

export interface ClearingRecord {
  readonly intervalId: string;
  /** Exactly what clearMarketInterval returned (price, awards, inputsHash). */
  readonly result: ClearingResult;
  /** How many revealed bids the cleared book held. */
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
  /** Every revealed bid of the interval, in any order. */
  readonly bids: readonly RevealedBid[];
  readonly caller: MarketActor;
  /** Transaction timestamp, ISO-8601 UTC. */
  readonly txTime: string;
  readonly txId: string;
}

/**
 * Clears the interval. INVALID_STATE before the reveal deadline (the book is final only then). That
 * an interval is cleared once is the contract's check (it owns the key).
 */
export function buildClearingRecord(run: ClearingRun): ClearingRecord {
  const { interval, demand } = run;
  requireSameInterval(interval, demand.intervalId, 'demand');
  if (intervalPhase(interval, run.txTime) !== IntervalPhase.CLOSED) {
    throw new VppError(
      ErrorCode.INVALID_STATE,
      `interval ${interval.intervalId} can be cleared from its reveal deadline ${interval.revealDeadline}`,
    );
  }
  return {
    intervalId: interval.intervalId,
    result: clearMarketInterval(demand, run.bids),
    bidCount: run.bids.length,
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

/** Recomputes a stored clearing from the demand and revealed bids on the ledger. */
export function checkStoredClearing(
  record: ClearingRecord,
  demand: Demand,
  bids: readonly RevealedBid[],
): ClearingCheck {
  if (demand.intervalId !== record.intervalId) {
    throw new VppError(
      ErrorCode.INTERNAL,
      `demand belongs to interval ${demand.intervalId}, not to ${record.intervalId}`,
    );
  }
  const { matches, recomputed } = verifyClearing(record.result, demand, bids);
  return { matches, stored: record.result, recomputed };
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
