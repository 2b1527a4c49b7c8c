// Settlement of a market interval per VPP and down to each of its DERs, its verification by
// recomputation, and statements per DER and per VPP. Thin transactions: authorise, read the records
// settlement depends on, call the pure rules (domain/settlement), write the lines, report the
// delivery outcome to credit scoring in the same transaction, emit one event.
//
// Choices the issue left open (domain/settlement/sources.ts documents how ledger records become the
// settlement inputs: metering intervals, reading window, DER set, award, tolerance, periods):
// - Who may settle: the trading centre (trading, admin), the CVPP operator (operator, admin) for the
//   VPPs its organisation runs, and the regulator (regulator, admin). The control centre dispatches
//   but does not settle. Whoever runs it, the outcome is the same: it depends only on the ledger.
// - Settlement may run from the interval's reading window end on (INVALID_STATE before), after the
//   interval was cleared (INVALID_STATE before), once per interval and VPP (ALREADY_SETTLED after).
//   A VPP without an award in the clearing: NOT_FOUND (the award to settle does not exist). Reserve
//   intervals: INVALID_STATE.
// - Checks run in this order: caller, arguments, VPP, interval, product, reading window, already
//   settled, clearing, award; a refused settlement writes nothing.
// - The credit standing used is the VPP's at the delivery start: its indicators as they stand when
//   settlement runs, scored under the rulebook in force at the delivery start (creditStandingOf), so
//   its penalty factor and rule version are those of the delivery's rules. No rulebook in force then:
//   NOT_FOUND. The delivery credit event is applied in the same transaction, at the settlement time.
// - Keys (encoding/keys/settlement-keys.ts): the VPP line under vpp.settlementVpp [intervalId, vppId]; each DER line
//   under vpp.settlementDer [derId, intervalId]; index entries vpp.settlementDerByVpp [intervalId,
//   vppId, derId] (the DER lines of one settlement), vpp.settlementDerByPeriod and
//   vpp.settlementVppByPeriod [id, month, day, intervalId] (a statement of a month or a day is one
//   prefix scan, plus one read per line). No key is shared between settlements.
// - VerifySettlement rebuilds the inputs from the ledger: interval, clearing (award, price), VPP (fee,
//   which never changes), DERs and readings (whose window closed before settlement, so they are
//   final), and the rulebook version in force at the delivery start. The penalty factor and the
//   tolerance cannot be read back as they were (the standing moves on, settlement itself moves it),
//   so they are taken from the stored VPP line; a changed one still shows, because the stored
//   inputsHash covers them, and a factor that no level of that rulebook version has is reported as a
//   difference of its own. A stored line that no longer decodes is INTERNAL, as for every read.
// - Statements: period 'YYYY-MM' or 'YYYY-MM-DD' (UTC) selects the lines whose interval starts in it,
//   unit 'day' or 'month' is how they are totalled; each statement lists its lines, which name their
//   inputs. The DER or VPP must be registered (NOT_FOUND); without settlements the statement is
//   empty. Every organisation may read settlements, verify them and read statements.

import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { ParticipantType, type CreditStanding } from '../domain/credit/scoring';
import { parseStoredClearingRecord } from '../domain/market/records';
import { parseStoredDer } from '../domain/registry/der';
import { parseStoredVpp, type Vpp } from '../domain/registry/vpp';
import {
  deliveryCreditEvent,
  parseStoredDerSettlementLine,
  parseStoredVppSettlementLine,
  requireNotSettled,
  requireReadingWindowClosed,
  settleInterval,
  verifySettlement,
  type DerSettlementLine,
  type VppSettlementLine,
} from '../domain/settlement/settlement';
import {
  awardOfVpp,
  isPenaltyFactorOf,
  meteringIntervalsOf,
  parseStatementRequest,
  readingWindowEndOf,
  requireEnergyProduct,
  settlementInputsOf,
  SETTLEMENT_TOLERANCE_BPS,
  type LedgerReading,
  type StatementRequest,
} from '../domain/settlement/sources';
import {
  buildDerStatement,
  buildVppStatement,
  periodOf,
  StatementUnit,
} from '../domain/settlement/statement';
import { parseStoredReading } from '../domain/telemetry/reading';
import type { MarketInterval } from '../domain/market/interval';
import type { ClearingRecord } from '../domain/market/records';
import { toCanonicalJson } from '../encoding/canonical-json';
import {
  clearingKey,
  derKey,
  readingPrefix,
  settlementDerByPeriodKey,
  settlementDerByPeriodPrefix,
  settlementDerByVppKey,
  settlementDerByVppPrefix,
  settlementDerKey,
  settlementVppByPeriodKey,
  settlementVppByPeriodPrefix,
  settlementVppKey,
  printableKey,
  vppKey,
  type KeyPrefix,
} from '../encoding/keys';
import { emitEvent, readState, requireState, scanPrefix, writeState, type Decoder } from '../ledger/store';
import { txTimestampIso } from '../ledger/tx-time';
import { ENTITY_ID, MARKET_ID, requireId } from '../rules';
import { MspId } from '../types/consortium';
import { ErrorCode, VppError } from '../types/errors';
import { applyCreditEvents, creditStandingOf, rulebookAt } from './credit-effects';
import {
  dersOfVpp,
  REGULATOR_DESK,
  requireActor,
  requireClearingRecord,
  requireMarketInterval,
  requireOperatedVpp,
  TRADING_DESK,
  VPP_OPERATOR,
} from './market-ledger';
import { VppContract } from './vpp-contract';

export const SETTLEMENT_CONTRACT_NAME = 'settlement';
export const INTERVAL_SETTLED_EVENT = 'IntervalSettled';

export { SETTLEMENT_TOLERANCE_BPS };

interface StoredSettlement {
  readonly vppLine: VppSettlementLine;
  /** In DER id order. */
  readonly derLines: DerSettlementLine[];
}

/** Index entries hold one id. */
const parseIndexedId: Decoder<string> = (value) => {
  if (typeof value !== 'string') {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, 'index entry must be an id');
  }
  return value;
};

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
async function readSettlement(
  ctx: Context,
  intervalId: string,
  vppId: string,
): Promise<StoredSettlement | undefined> {
  const vppLine = await readState(ctx, settlementVppKey(intervalId, vppId), parseStoredVppSettlementLine);
  if (vppLine === undefined) return undefined;
  const entries = await scanPrefix(ctx, settlementDerByVppPrefix(intervalId, vppId), parseIndexedId);
  const derLines: DerSettlementLine[] = [];
  for (const entry of entries) {
    const line = await readIndexed(
      ctx,
      settlementDerKey(entry.value, intervalId),
      parseStoredDerSettlementLine,
    );
    requireLineOf(line, entry.value);
    derLines.push(line);
  }
  for (const line of [vppLine, ...derLines]) {
    if (line.intervalId !== intervalId || line.vppId !== vppId) {
      throw internal(
        `a settlement line of interval ${line.intervalId} and vpp ${line.vppId} is stored for ${intervalId}, ${vppId}`,
      );
    }
  }
  return { vppLine, derLines };
}

async function requireSettlement(ctx: Context, intervalId: string, vppId: string): Promise<StoredSettlement> {
  const stored = await readSettlement(ctx, intervalId, vppId);
  if (stored === undefined) {
    throw new VppError(ErrorCode.NOT_FOUND, `interval ${intervalId} has not been settled for vpp ${vppId}`);
  }
  return stored;
}

/** The VPP's readings in every metering interval of the delivery: one prefix scan per metering interval. */
async function deliveryReadings(
  ctx: Context,
  interval: MarketInterval,
  vppId: string,
): Promise<LedgerReading[]> {
  const readings: LedgerReading[] = [];
  for (const meteringIntervalId of meteringIntervalsOf(interval)) {
    const entries = await scanPrefix(ctx, readingPrefix(vppId, meteringIntervalId), parseStoredReading);
    readings.push(...entries.map((entry) => entry.value));
  }
  return readings;
}

async function requireClearing(ctx: Context, intervalId: string): Promise<ClearingRecord> {
  const clearing = await readState(ctx, clearingKey(intervalId), parseStoredClearingRecord);
  if (clearing === undefined) {
    throw new VppError(ErrorCode.INVALID_STATE, `interval ${intervalId} has not been cleared yet`);
  }
  return clearing;
}

function requireVppId(vppId: string): string {
  return requireId({ vppId }, 'vppId', ENTITY_ID);
}

async function requireVpp(ctx: Context, vppId: string): Promise<Vpp> {
  return requireState(ctx, vppKey(requireVppId(vppId)), parseStoredVpp, `vpp ${vppId}`);
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

function statementScope(request: StatementRequest) {
  return { period: request.period, unit: request.unit };
}

function standingSummary(standing: CreditStanding) {
  return {
    score: standing.score,
    level: standing.level,
    suspended: standing.suspended,
    penaltyFactorPermille: standing.penaltyFactorPermille,
    ruleVersion: standing.ruleVersion,
  };
}

@Info({ title: 'SettlementContract', description: 'Settlement per interval, VPP and DER; statements' })
export class SettlementContract extends VppContract {
  constructor() {
    super(SETTLEMENT_CONTRACT_NAME);
  }

  /**
   * Settles the VPP's award in the interval, once, from its reading window end on: one line for the
   * VPP, one per DER, and the delivery credit event. Returns `{ vppLine, derLines, creditEvent,
   * scoreRecords, standing }` (standing: the VPP's credit standing the penalty factor came from).
   */
  @Transaction()
  @Returns('string')
  async SettleInterval(ctx: Context, intervalId: string, vppId: string): Promise<string> {
    const caller = requireActor(ctx, TRADING_DESK, VPP_OPERATOR, REGULATOR_DESK);
    requireVppId(vppId);
    const vpp =
      caller.mspId === MspId.CVPP
        ? await requireOperatedVpp(ctx, vppId, caller)
        : await requireVpp(ctx, vppId);
    const interval = await requireMarketInterval(ctx, intervalId);
    requireEnergyProduct(interval);
    const txTime = txTimestampIso(ctx);
    requireReadingWindowClosed(readingWindowEndOf(interval), txTime);
    requireNotSettled(
      await readState(ctx, settlementVppKey(intervalId, vppId), parseStoredVppSettlementLine),
    );
    const clearing = await requireClearing(ctx, intervalId);
    // No award: NOT_FOUND before anything else is read (settlementInputsOf takes the award again).
    awardOfVpp(clearing, intervalId, vppId);

    const participant = { type: ParticipantType.VPP, id: vppId };
    const standing = await creditStandingOf(ctx, participant, interval.deliveryStart);
    const inputs = settlementInputsOf({
      interval,
      clearing,
      vpp,
      ders: await dersOfVpp(ctx, vppId),
      readings: await deliveryReadings(ctx, interval, vppId),
      toleranceBps: SETTLEMENT_TOLERANCE_BPS,
      penaltyFactorPermille: standing.penaltyFactorPermille,
      ruleVersion: standing.ruleVersion,
      settledAt: txTime,
      txId: ctx.stub.getTxID(),
    });
    const { vppLine, derLines } = settleInterval(inputs);
    const creditEvent = deliveryCreditEvent(vppLine);
    const credit = await applyCreditEvents(ctx, [creditEvent]);

    const month = periodOf(vppLine.intervalStart, StatementUnit.MONTH);
    const day = periodOf(vppLine.intervalStart, StatementUnit.DAY);
    await writeState(ctx, settlementVppKey(intervalId, vppId), vppLine);
    await writeState(ctx, settlementVppByPeriodKey(vppId, month, day, intervalId), intervalId);
    for (const line of derLines) {
      await writeState(ctx, settlementDerKey(line.derId, intervalId), line);
      await writeState(ctx, settlementDerByVppKey(intervalId, vppId, line.derId), line.derId);
      await writeState(ctx, settlementDerByPeriodKey(line.derId, month, day, intervalId), intervalId);
    }
    emitEvent(
      ctx,
      INTERVAL_SETTLED_EVENT,
      Buffer.from(
        toCanonicalJson({
          intervalId,
          vppId,
          settledBy: caller,
          awardedWh: vppLine.awardedWh,
          deliveredWh: vppLine.deliveredWh,
          clearingPrice: vppLine.clearingPrice,
          grossMinor: vppLine.grossMinor,
          penaltyMinor: vppLine.penaltyMinor,
          feeMinor: vppLine.feeMinor,
          netToDersMinor: vppLine.netToDersMinor,
          owedMinor: vppLine.owedMinor,
          derCount: vppLine.derCount,
          readingCount: vppLine.readingCount,
          creditEventType: creditEvent.eventType,
          inputsHash: vppLine.inputsHash,
        }),
      ),
    );
    return toCanonicalJson({
      vppLine,
      derLines,
      creditEvent,
      scoreRecords: credit.records,
      standing: standingSummary(standing),
    });
  }

  /** The settlement of (interval, VPP): `{ vppLine, derLines }` (DER lines in DER id order). */
  @Transaction(false)
  @Returns('string')
  async GetVppSettlement(ctx: Context, intervalId: string, vppId: string): Promise<string> {
    requireId({ intervalId }, 'intervalId', MARKET_ID);
    requireVppId(vppId);
    return toCanonicalJson(await requireSettlement(ctx, intervalId, vppId));
  }

  /**
   * Recomputes the settlement from the records on the ledger and compares it with the stored lines:
   * `{ matches, stored, recomputed, differences }` (differences: paths such as `vppLine.feeMinor`).
   */
  @Transaction(false)
  @Returns('string')
  async VerifySettlement(ctx: Context, intervalId: string, vppId: string): Promise<string> {
    requireVppId(vppId);
    const interval = await requireMarketInterval(ctx, intervalId);
    const stored = await requireSettlement(ctx, intervalId, vppId);
    const { vppLine } = stored;
    const rulebook = await rulebookAt(ctx, interval.deliveryStart);
    const inputs = settlementInputsOf({
      interval,
      clearing: await requireClearingRecord(ctx, intervalId),
      vpp: await requireVpp(ctx, vppId),
      ders: await dersOfVpp(ctx, vppId),
      readings: await deliveryReadings(ctx, interval, vppId),
      toleranceBps: vppLine.toleranceBps,
      penaltyFactorPermille: vppLine.penaltyFactorPermille,
      ruleVersion: rulebook.version,
      settledAt: vppLine.settledAt,
      txId: vppLine.txId,
    });
    const check = verifySettlement(stored, inputs);
    const differences = [...check.differences];
    if (!isPenaltyFactorOf(rulebook, vppLine.penaltyFactorPermille)) {
      differences.push(
        `vppLine.penaltyFactorPermille: ${vppLine.penaltyFactorPermille} is the factor of no level ` +
          `of rulebook version ${rulebook.version}`,
      );
    }
    return toCanonicalJson({
      matches: differences.length === 0,
      stored,
      recomputed: { vppLine: check.recomputed.vppLine, derLines: check.recomputed.derLines },
      differences,
    });
  }

  /**
   * A DER's settlement lines whose interval starts in `period` ('YYYY-MM' or 'YYYY-MM-DD', UTC),
   * totalled per `unit` ('day' | 'month'): `{ derId, period, unit, periods, total, lines }`.
   */
  @Transaction(false)
  @Returns('string')
  async GetDerStatement(ctx: Context, derId: string, period: string, unit: string): Promise<string> {
    requireId({ derId }, 'derId', ENTITY_ID);
    const request = parseStatementRequest(period, unit);
    await requireState(ctx, derKey(derId), parseStoredDer, `der ${derId}`);
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
    const statement = buildDerStatement(derId, lines, request.unit);
    return toCanonicalJson({ ...statement, ...statementScope(request), lines });
  }

  /**
   * A VPP's settlement lines whose interval starts in `period`, totalled per `unit`:
   * `{ vppId, period, unit, periods, total, lines }`.
   */
  @Transaction(false)
  @Returns('string')
  async GetVppStatement(ctx: Context, vppId: string, period: string, unit: string): Promise<string> {
    requireVppId(vppId);
    const request = parseStatementRequest(period, unit);
    await requireVpp(ctx, vppId);
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
    const statement = buildVppStatement(vppId, lines, request.unit);
    return toCanonicalJson({ ...statement, ...statementScope(request), lines });
  }
}
