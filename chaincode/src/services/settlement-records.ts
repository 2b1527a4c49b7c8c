// Settlement records on the ledger: the lines of one settlement, the readings it counts, the lines a
// statement lists, and the writes of a settlement. Every read checks that what an index names is
// there and is what the index says it is; a broken index is INTERNAL, never a wrong answer.
//
// Keys (encoding/keys/settlement-keys.ts): the VPP line under vpp.settlementVpp [intervalId, vppId];
// each DER line under vpp.settlementDer [derId, intervalId]; index entries vpp.settlementDerByVpp
// [intervalId, vppId, derId] (the DER lines of one settlement), vpp.settlementDerByPeriod and
// vpp.settlementVppByPeriod [id, month, day, intervalId] (a statement of a month or a day is one
// prefix scan, plus one read per line). No key is shared between settlements.

import type { Context } from 'fabric-contract-api';
import type { MarketCalendarHistory } from '../domain/market/calendar';
import type { MarketInterval } from '../domain/market/interval';
import {
  parseStoredDerSettlementLine,
  parseStoredVppSettlementLine,
  type DerSettlementLine,
  type StoredSettlement,
  type VppSettlementLine,
} from '../domain/settlement/lines';
import { meteringIntervalsOf, type LedgerReading, type StatementRequest } from '../domain/settlement/sources';
import { periodOf, StatementUnit } from '../domain/settlement/statement';
import { parseStoredReading } from '../domain/telemetry/reading';
import {
  printableKey,
  readingPrefix,
  settlementDerByPeriodKey,
  settlementDerByPeriodPrefix,
  settlementDerByVppKey,
  settlementDerByVppPrefix,
  settlementDerKey,
  settlementVppByPeriodKey,
  settlementVppByPeriodPrefix,
  settlementVppKey,
  type KeyPrefix,
} from '../encoding/keys';
import { indexEntry, readState, requireStates, scanPrefix, writeState, type Decoder } from '../ledger/store';
import { ErrorCode, VppError } from '../types/errors';

/** Index entries of settlements hold one id (a DER id, or an interval id). */
const parseIndexedId = indexEntry('an id');

/** A record an index entry points to; its absence means the ledger is inconsistent (INTERNAL). */
async function readIndexed<T>(ctx: Context, key: string, decoder: Decoder<T>): Promise<T> {
  const value = await readState(ctx, key, decoder);
  if (value === undefined) {
    throw new VppError(ErrorCode.INTERNAL, `an index names ${printableKey(key)}, which does not exist`);
  }
  return value;
}

function internal(detail: string): VppError {
  return new VppError(ErrorCode.INTERNAL, detail);
}

/** INTERNAL unless a DER line read under `derId`'s key is that DER's. */
function requireLineOf(line: DerSettlementLine, derId: string): void {
  if (line.derId !== derId) {
    throw internal(`the settlement line of der ${line.derId} is stored under der ${derId}`);
  }
}

/** The stored VPP line and DER lines of (interval, VPP), or undefined if it was not settled. */
export async function readSettlement(
  ctx: Context,
  intervalId: string,
  vppId: string,
): Promise<StoredSettlement | undefined> {
  const vppLine = await readState(ctx, settlementVppKey(intervalId, vppId), parseStoredVppSettlementLine);
  if (vppLine === undefined) return undefined;
  const entries = await scanPrefix(ctx, settlementDerByVppPrefix(intervalId, vppId), parseIndexedId);
  // The DER lines in batched reads (state-batching.ts), each checked as readIndexed checks one.
  const derIds = entries.map((entry) => entry.value);
  const keys = derIds.map((derId) => settlementDerKey(derId, intervalId));
  const derLines: DerSettlementLine[] = await requireStates(ctx, keys, parseStoredDerSettlementLine, (i) =>
    internal(`an index names ${printableKey(keys[i] as string)}, which does not exist`),
  );
  derLines.forEach((line, i) => requireLineOf(line, derIds[i] as string));
  for (const line of [vppLine, ...derLines]) {
    if (line.intervalId !== intervalId || line.vppId !== vppId) {
      throw internal(
        `a settlement line of interval ${line.intervalId} and vpp ${line.vppId} is stored for ${intervalId}, ${vppId}`,
      );
    }
  }
  return { vppLine, derLines };
}

export async function requireSettlement(
  ctx: Context,
  intervalId: string,
  vppId: string,
): Promise<StoredSettlement> {
  const stored = await readSettlement(ctx, intervalId, vppId);
  if (stored === undefined) {
    throw new VppError(ErrorCode.NOT_FOUND, `interval ${intervalId} has not been settled for vpp ${vppId}`);
  }
  return stored;
}

/** The VPP's readings in every metering interval of the delivery: one prefix scan per metering interval. */
export async function deliveryReadings(
  ctx: Context,
  interval: MarketInterval,
  vppId: string,
  calendar: MarketCalendarHistory,
): Promise<LedgerReading[]> {
  const readings: LedgerReading[] = [];
  for (const meteringIntervalId of meteringIntervalsOf(interval, calendar)) {
    const entries = await scanPrefix(ctx, readingPrefix(vppId, meteringIntervalId), parseStoredReading);
    readings.push(...entries.map((entry) => entry.value));
  }
  return readings;
}

/** The id entries of a by-period index, checked against the period their key claims. */
async function scanPeriod(ctx: Context, prefix: KeyPrefix): Promise<{ intervalId: string; day: string }[]> {
  const entries = await scanPrefix(ctx, prefix, parseIndexedId);
  return entries.map((entry) => {
    const [, , day, intervalId] = entry.attributes;
    if (day === undefined || intervalId !== entry.value) {
      throw internal(`settlement index entry ${printableKey(entry.key)} is malformed`);
    }
    return { intervalId, day };
  });
}

/** INTERNAL unless the line's interval starts on the day its index entry was filed under. */
function requireFiledOn(line: { intervalId: string; intervalStart: string }, day: string): void {
  if (periodOf(line.intervalStart, StatementUnit.DAY) !== day) {
    throw internal(
      `the line of interval ${line.intervalId} (start ${line.intervalStart}) is indexed under ${day}`,
    );
  }
}

/** Writes a settlement: the VPP line, each DER line, and the index entries that find them. */
export async function writeSettlement(
  ctx: Context,
  { intervalId, vppId }: { readonly intervalId: string; readonly vppId: string },
  vppLine: VppSettlementLine,
  derLines: readonly DerSettlementLine[],
): Promise<void> {
  const month = periodOf(vppLine.intervalStart, StatementUnit.MONTH);
  const day = periodOf(vppLine.intervalStart, StatementUnit.DAY);
  await writeState(ctx, settlementVppKey(intervalId, vppId), vppLine);
  await writeState(ctx, settlementVppByPeriodKey(vppId, month, day, intervalId), intervalId);
  for (const line of derLines) {
    await writeState(ctx, settlementDerKey(line.derId, intervalId), line);
    await writeState(ctx, settlementDerByVppKey(intervalId, vppId, line.derId), line.derId);
    await writeState(ctx, settlementDerByPeriodKey(line.derId, month, day, intervalId), intervalId);
  }
}

/** The DER's settlement lines whose interval starts in the requested period, in day order. */
export async function derLinesIn(
  ctx: Context,
  derId: string,
  request: StatementRequest,
): Promise<DerSettlementLine[]> {
  const entries = await scanPeriod(ctx, settlementDerByPeriodPrefix(derId, request.month, request.day));
  const lines: DerSettlementLine[] = [];
  for (const entry of entries) {
    const line = await readIndexed(
      ctx,
      settlementDerKey(derId, entry.intervalId),
      parseStoredDerSettlementLine,
    );
    requireLineOf(line, derId);
    requireFiledOn(line, entry.day);
    lines.push(line);
  }
  return lines;
}

/** The VPP's settlement lines whose interval starts in the requested period, in day order. */
export async function vppLinesIn(
  ctx: Context,
  vppId: string,
  request: StatementRequest,
): Promise<VppSettlementLine[]> {
  const entries = await scanPeriod(ctx, settlementVppByPeriodPrefix(vppId, request.month, request.day));
  const lines: VppSettlementLine[] = [];
  for (const entry of entries) {
    const line = await readIndexed(
      ctx,
      settlementVppKey(entry.intervalId, vppId),
      parseStoredVppSettlementLine,
    );
    requireFiledOn(line, entry.day);
    lines.push(line);
  }
  return lines;
}
