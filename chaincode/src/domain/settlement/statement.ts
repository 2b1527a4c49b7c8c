// Statements: the settlement lines of one DER or one VPP over many intervals, totalled per calendar
// day or month. Pure and exact: sums are integer (BigInt, then checked to fit a safe integer), the
// period totals add up to the grand total, and a line cannot be counted twice.
//
// A line belongs to the period of its interval's start (not of its settlement time), in UTC: day
// periods are 'YYYY-MM-DD', month periods 'YYYY-MM'. Periods are listed in ascending order and only
// periods with at least one line appear.

import { ENTITY_ID, invalid, requireId, requireOneOf } from '../../rules';
import type { DerSettlementLine, VppSettlementLine } from './lines';

export const StatementUnit = {
  DAY: 'day',
  MONTH: 'month',
} as const;

export type StatementUnit = (typeof StatementUnit)[keyof typeof StatementUnit];

export const KNOWN_STATEMENT_UNITS: readonly StatementUnit[] = Object.values(StatementUnit);

export interface DerStatementTotals {
  readonly intervalCount: number;
  readonly readingCount: number;
  readonly deliveredWh: number;
  readonly amountMinor: number;
}

export interface VppStatementTotals {
  readonly intervalCount: number;
  readonly readingCount: number;
  readonly awardedWh: number;
  readonly deliveredWh: number;
  readonly paidWh: number;
  readonly grossMinor: number;
  readonly penaltyMinor: number;
  readonly feeMinor: number;
  readonly netToDersMinor: number;
  readonly owedMinor: number;
}

export type StatementPeriod<T> = T & { readonly period: string };

export interface Statement<T> {
  readonly unit: StatementUnit;
  readonly periods: readonly StatementPeriod<T>[];
  readonly total: T;
}

export interface DerStatement extends Statement<DerStatementTotals> {
  readonly derId: string;
}

export interface VppStatement extends Statement<VppStatementTotals> {
  readonly vppId: string;
}

const DER_SUMMED = ['readingCount', 'deliveredWh', 'amountMinor'] as const;
const VPP_SUMMED = [
  'readingCount',
  'awardedWh',
  'deliveredWh',
  'paidWh',
  'grossMinor',
  'penaltyMinor',
  'feeMinor',
  'netToDersMinor',
  'owedMinor',
] as const;

/** The UTC period an ISO-8601 UTC timestamp falls in. */
export function periodOf(isoTimestamp: string, unit: StatementUnit): string {
  return isoTimestamp.slice(0, unit === StatementUnit.DAY ? 10 : 7);
}

type Totals<K extends string> = { readonly intervalCount: number } & { readonly [F in K]: number };

function toSafe(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw invalid(`statement total ${what} does not fit in a safe integer`);
  }
  return Number(value);
}

function summarise<
  K extends string,
  L extends { intervalId: string; intervalStart: string } & Record<K, number>,
>(
  lines: readonly L[],
  summed: readonly K[],
  unitValue: unknown,
): { unit: StatementUnit; periods: StatementPeriod<Totals<K>>[]; total: Totals<K> } {
  const unit = requireOneOf({ unit: unitValue }, 'unit', KNOWN_STATEMENT_UNITS);
  const seen = new Set<string>();
  const sums = new Map<string, { count: number; values: Map<K, bigint> }>();
  const grand = { count: 0, values: new Map<K, bigint>() };
  for (const line of lines) {
    if (seen.has(line.intervalId)) {
      throw invalid(`interval ${JSON.stringify(line.intervalId)} appears twice in the statement`);
    }
    seen.add(line.intervalId);
    const period = periodOf(line.intervalStart, unit);
    let bucket = sums.get(period);
    if (bucket === undefined) {
      bucket = { count: 0, values: new Map() };
      sums.set(period, bucket);
    }
    for (const target of [bucket, grand]) {
      target.count += 1;
      for (const field of summed) {
        target.values.set(field, (target.values.get(field) ?? 0n) + BigInt(line[field]));
      }
    }
  }
  const finish = (bucket: { count: number; values: Map<K, bigint> }): Totals<K> => {
    const totals: Record<string, number> = { intervalCount: bucket.count };
    for (const field of summed) {
      totals[field] = toSafe(bucket.values.get(field) ?? 0n, field);
    }
    return totals as Totals<K>;
  };
  const periods = [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([period, bucket]) => ({ period, ...finish(bucket) }));
  return { unit, periods, total: finish(grand) };
}

/** Totals of one DER's lines per period. Lines of another DER, or one interval twice, are refused. */
export function buildDerStatement(
  derId: string,
  lines: readonly DerSettlementLine[],
  unit: StatementUnit,
): DerStatement {
  const id = requireId({ derId }, 'derId', ENTITY_ID);
  const other = lines.find((line) => line.derId !== id);
  if (other !== undefined) {
    throw invalid(`a line of der ${JSON.stringify(other.derId)} is not part of the statement of ${id}`);
  }
  return { derId: id, ...summarise(lines, DER_SUMMED, unit) };
}

/** Totals of one VPP's lines per period. Lines of another VPP, or one interval twice, are refused. */
export function buildVppStatement(
  vppId: string,
  lines: readonly VppSettlementLine[],
  unit: StatementUnit,
): VppStatement {
  const id = requireId({ vppId }, 'vppId', ENTITY_ID);
  const other = lines.find((line) => line.vppId !== id);
  if (other !== undefined) {
    throw invalid(`a line of vpp ${JSON.stringify(other.vppId)} is not part of the statement of ${id}`);
  }
  return { vppId: id, ...summarise(lines, VPP_SUMMED, unit) };
}

/** The scope a statement was asked for: the period as asked and the unit its lines are totalled per. */
export interface StatementScope {
  readonly period: string;
  readonly unit: StatementUnit;
}

/** GetDerStatement's answer: the totals, the scope and the lines (which name their inputs). */
export type DerStatementView = DerStatement &
  StatementScope & { readonly lines: readonly DerSettlementLine[] };

/** GetVppStatement's answer. */
export type VppStatementView = VppStatement &
  StatementScope & { readonly lines: readonly VppSettlementLine[] };
