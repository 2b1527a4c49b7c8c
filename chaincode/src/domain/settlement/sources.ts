// From ledger records to settlement inputs: which metering intervals, readings and DERs belong to a
// market interval's delivery, the VPP's award, and the statement period a request names. Pure, so
// that SettleInterval and VerifySettlement build their inputs with the very same function and anyone
// holding the same records can rebuild them.
//
// Rules (the issue left them open; the settlement contract's header repeats them):
// - Only energy products settle ('energy-up', 'energy-down': quantities in Wh, like the readings).
//   A 'reserve' award is paid for capacity held available, not for metered energy, and no rule for
//   it exists yet: INVALID_STATE.
// - Delivered energy = Σ of the VPP's accepted readings over the metering intervals (of the market
//   calendar, domain/market/calendar.ts; identified by their start) whose start lies in
//   [deliveryStart, deliveryEnd). Readings of a metering interval are accepted until the calendar's
//   reading window after its end (exclusive), so the market interval's reading window closes that long
//   after the end of the last metering interval counted; with the default calendar that is
//   deliveryEnd + 60 minutes when the delivery period ends on a 15-minute boundary. A delivery period
//   in which no metering interval starts counts no reading and its window closes one reading window
//   (of the calendar in force at deliveryEnd) after deliveryEnd.
// - A reading keeps its place: in the settlement inputs its sequence becomes
//   k × SEQUENCES_PER_METERING_INTERVAL + sequence, k being the index of its metering interval within
//   the delivery period (0, 1, ...), so sequences stay unique per DER across metering intervals and
//   the readings hash pins both the metering interval and the device's sequence.
// - The DERs settled are those registered under the VPP before the delivery ended, and every DER
//   with a reading counted (which therefore belongs to the VPP): one line each, a DER that delivered
//   nothing gets a line of 0. A DER registered after the delivery could not have delivered in it.
// - The award is the VPP's total over all its awarded bids in the interval's clearing, paid at the
//   clearing price; awardId is the clearing transaction's id (the award is the VPP's share of that
//   clearing). A VPP without a positive award in the clearing: NOT_FOUND.
// - The tolerance is SETTLEMENT_TOLERANCE_BPS of the award (the credit rulebook has no tolerance
//   field); it is recorded in every VPP line.
// - Statements: `period` is a UTC month 'YYYY-MM' or day 'YYYY-MM-DD' and selects the lines whose
//   interval starts in it; `unit` ('day' | 'month') is how the lines are totalled. A month can be
//   shown per day or as one month; a day only per day (unit 'month' with a day period is refused).

import { DAY_PATTERN, invalid, isIntegerIn, MONTH_PATTERN, requireOneOf } from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';
import type { RulebookVersion } from '../credit/rulebook';
import { awardedQuantityOfVpp } from '../market/clearing';
import { MarketProduct, type MarketInterval } from '../market/interval';
import type { ClearingRecord } from '../market/records';
import type { Der } from '../registry/der';
import type { Vpp } from '../registry/vpp';
import {
  calendarAt,
  meteringIntervalsBetween,
  readingWindowEndMillis,
  type MarketCalendarHistory,
} from '../market/calendar';
import { MAX_SEQUENCE, SEQUENCE_RULE } from '../telemetry/reading';
import {
  parseSettlementInputs,
  type DerReadings,
  type MeterReading,
  type SettlementAward,
  type SettlementInputs,
} from './inputs';
import { KNOWN_STATEMENT_UNITS, StatementUnit } from './statement';

/** Deviation from the award settled without penalty: 5 % of the award, in basis points. */
export const SETTLEMENT_TOLERANCE_BPS = 500;

/** Sequence numbers a device may use in one metering interval (0..MAX_SEQUENCE). */
export const SEQUENCES_PER_METERING_INTERVAL = MAX_SEQUENCE + 1;

type Delivery = Pick<MarketInterval, 'intervalId' | 'deliveryStart' | 'deliveryEnd'>;

/** INVALID_STATE unless the interval trades energy (see the rules above). */
export function requireEnergyProduct(interval: Pick<MarketInterval, 'intervalId' | 'product'>): void {
  if (interval.product === MarketProduct.RESERVE) {
    throw new VppError(
      ErrorCode.INVALID_STATE,
      `interval ${interval.intervalId} trades reserve capacity; only energy products are settled from readings`,
    );
  }
}

/**
 * Ids (start instants) of the metering intervals whose start lies in [deliveryStart, deliveryEnd), on
 * the grid of the market calendar in force at each of them.
 */
export function meteringIntervalsOf(delivery: Delivery, calendar: MarketCalendarHistory): string[] {
  return meteringIntervalsBetween(calendar, delivery.deliveryStart, delivery.deliveryEnd);
}

/**
 * The instant from which the interval may be settled: no reading it counts can be recorded then (the
 * reading window of its last metering interval, by the calendar in force at that interval's start).
 * A delivery in which no metering interval starts waits the reading window in force at its end.
 */
export function readingWindowEndOf(delivery: Delivery, calendar: MarketCalendarHistory): string {
  const last = meteringIntervalsOf(delivery, calendar).at(-1);
  if (last !== undefined) return new Date(readingWindowEndMillis(calendar, last)).toISOString();
  const window = calendarAt(calendar, delivery.deliveryEnd).readingWindowSeconds * 1000;
  return new Date(Date.parse(delivery.deliveryEnd) + window).toISOString();
}

/** A reading's sequence in the settlement inputs (see the rules above). */
export function settlementSequence(meteringIndex: number, sequence: number): number {
  if (!isIntegerIn(sequence, SEQUENCE_RULE)) {
    throw invalid(`reading sequence ${sequence} is outside 0..${MAX_SEQUENCE}`);
  }
  return meteringIndex * SEQUENCES_PER_METERING_INTERVAL + sequence;
}

/** The VPP's award in the clearing (see the rules above); NOT_FOUND without a positive award. */
export function awardOfVpp(clearing: ClearingRecord, intervalId: string, vppId: string): SettlementAward {
  if (clearing.intervalId !== intervalId || clearing.result.intervalId !== intervalId) {
    throw new VppError(
      ErrorCode.INTERNAL,
      `the clearing read for interval ${intervalId} belongs to ${clearing.intervalId}`,
    );
  }
  const quantityWh = awardedQuantityOfVpp(clearing.result, vppId);
  const { clearingPrice } = clearing.result;
  if (quantityWh === 0 || clearingPrice === null) {
    throw new VppError(ErrorCode.NOT_FOUND, `vpp ${vppId} has no award in interval ${intervalId}`);
  }
  return { awardId: clearing.txId, quantityWh, clearingPrice };
}

/** What settlement needs of a stored reading (telemetry's StoredReading has all of it). */
export interface LedgerReading {
  readonly vppId: string;
  readonly derId: string;
  /** The metering interval's start. */
  readonly intervalId: string;
  readonly sequence: number;
  readonly energyWh: number;
}

/** What settlement needs of a registered DER. */
export type LedgerDer = Pick<Der, 'derId' | 'vppId' | 'registeredAt'>;

/** Every record settlement reads, plus the figures fixed at settlement time. */
export interface SettlementSources {
  readonly interval: MarketInterval;
  readonly clearing: ClearingRecord;
  readonly vpp: Pick<Vpp, 'vppId' | 'feeBps'>;
  /** The DERs registered under the VPP (any order; those registered after delivery are left out). */
  readonly ders: readonly LedgerDer[];
  /** The VPP's readings in the metering intervals of the delivery (meteringIntervalsOf), any order. */
  readonly readings: readonly LedgerReading[];
  /** The market calendar history: which metering intervals the delivery has. */
  readonly calendar: MarketCalendarHistory;
  readonly toleranceBps: number;
  readonly penaltyFactorPermille: number;
  readonly ruleVersion: number;
  readonly settledAt: string;
  readonly txId: string;
}

function internal(detail: string): VppError {
  return new VppError(ErrorCode.INTERNAL, detail);
}

/**
 * The settlement inputs of (interval, VPP), validated as settleInterval validates them. Records that
 * do not belong together (a reading of another VPP or outside the delivery, a DER of another VPP)
 * are INTERNAL: the contract read the wrong keys. No award: NOT_FOUND; reserve: INVALID_STATE.
 */
export function settlementInputsOf(sources: SettlementSources): SettlementInputs {
  const { interval, vpp } = sources;
  requireEnergyProduct(interval);
  const award = awardOfVpp(sources.clearing, interval.intervalId, vpp.vppId);
  const metering = meteringIntervalsOf(interval, sources.calendar);
  const meteringIndex = new Map(metering.map((id, index) => [id, index]));
  const deliveryEnd = Date.parse(interval.deliveryEnd);

  const readingsByDer = new Map<string, MeterReading[]>();
  for (const der of sources.ders) {
    if (der.vppId !== vpp.vppId) {
      throw internal(`der ${der.derId} belongs to vpp ${der.vppId}, not to ${vpp.vppId}`);
    }
    if (Date.parse(der.registeredAt) < deliveryEnd) {
      readingsByDer.set(der.derId, []);
    }
  }
  for (const reading of sources.readings) {
    const index = meteringIndex.get(reading.intervalId);
    if (reading.vppId !== vpp.vppId || index === undefined) {
      throw internal(
        `reading ${reading.sequence} of der ${reading.derId} in ${reading.intervalId} (vpp ${reading.vppId}) ` +
          `is not part of the delivery of interval ${interval.intervalId} by vpp ${vpp.vppId}`,
      );
    }
    let list = readingsByDer.get(reading.derId);
    if (list === undefined) {
      list = [];
      readingsByDer.set(reading.derId, list);
    }
    list.push({ sequence: settlementSequence(index, reading.sequence), energyWh: reading.energyWh });
  }
  const ders: DerReadings[] = [...readingsByDer].map(([derId, readings]) => ({ derId, readings }));

  return parseSettlementInputs({
    intervalId: interval.intervalId,
    intervalStart: interval.deliveryStart,
    vppId: vpp.vppId,
    award,
    ders,
    toleranceBps: sources.toleranceBps,
    penaltyFactorPermille: sources.penaltyFactorPermille,
    feeBps: vpp.feeBps,
    ruleVersion: sources.ruleVersion,
    settledAt: sources.settledAt,
    txId: sources.txId,
  });
}

/**
 * Whether `penaltyFactorPermille` is the factor of some level of `rulebook`: what any standing under
 * that version (suspension included, which takes the worst level's) can have produced.
 */
export function isPenaltyFactorOf(rulebook: RulebookVersion, penaltyFactorPermille: number): boolean {
  return rulebook.levels.some((level) => level.penaltyFactorPermille === penaltyFactorPermille);
}

// ---- statement periods ----

export interface StatementRequest {
  /** As asked: 'YYYY-MM' or 'YYYY-MM-DD'. */
  readonly period: string;
  readonly unit: StatementUnit;
  /** 'YYYY-MM' of the period. */
  readonly month: string;
  /** 'YYYY-MM-DD' when the period is a day. */
  readonly day?: string;
}

/** Validates a statement's period and unit (see the rules above); INVALID_ARGUMENT otherwise. */
export function parseStatementRequest(period: unknown, unit: unknown): StatementRequest {
  const knownUnit = requireOneOf({ unit }, 'unit', KNOWN_STATEMENT_UNITS);
  const text = typeof period === 'string' ? period : '';
  if (MONTH_PATTERN.test(text)) {
    const mm = Number(text.slice(5, 7));
    if (mm < 1 || mm > 12) {
      throw invalid(`period ${text} is not a calendar month`);
    }
    return { period: text, unit: knownUnit, month: text };
  }
  if (!DAY_PATTERN.test(text)) {
    throw invalid('period must be a UTC month YYYY-MM or day YYYY-MM-DD');
  }
  const ms = Date.parse(`${text}T00:00:00.000Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw invalid(`period ${text} is not a calendar day`);
  }
  if (knownUnit !== StatementUnit.DAY) {
    throw invalid(`a day period (${text}) can only be totalled per day, not per ${knownUnit}`);
  }
  return { period: text, unit: knownUnit, month: text.slice(0, 7), day: text };
}
