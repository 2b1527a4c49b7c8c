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
// - Keys: see services/settlement-records.ts. No key is shared between settlements.
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
import { ParticipantType } from '../domain/credit/scoring';
import {
  deliveryCreditEvent,
  requireNotSettled,
  requireReadingWindowClosed,
  settledFigures,
  settleInterval,
  standingSummary,
  type SettlementOutcome,
} from '../domain/settlement/settlement';
import { verifySettlement, type SettlementCheck } from '../domain/settlement/verification';
import { parseStoredVppSettlementLine } from '../domain/settlement/lines';
import {
  awardOfVpp,
  isPenaltyFactorOf,
  parseStatementRequest,
  readingWindowEndOf,
  requireEnergyProduct,
  settlementInputsOf,
  SETTLEMENT_TOLERANCE_BPS,
  type StatementRequest,
} from '../domain/settlement/sources';
import {
  buildDerStatement,
  buildVppStatement,
  type DerStatementView,
  type StatementScope,
  type VppStatementView,
} from '../domain/settlement/statement';
import { toCanonicalJson } from '../encoding/canonical-json';
import { settlementVppKey } from '../encoding/keys';
import { requireActor } from '../ledger/identity';
import { emitJson, readState } from '../ledger/store';
import { txTimestampIso } from '../ledger/tx-time';
import { ENTITY_ID, MARKET_ID, requireId } from '../rules';
import { MspId, REGULATOR_DESK, TRADING_DESK, VPP_OPERATOR } from '../types/consortium';
import { creditStandingOf, rulebookAt } from '../services/credit-reads';
import { applyCreditEvents } from '../services/credit-scoring';
import { requireCleared, requireClearingRecord, requireMarketInterval } from '../services/market-reads';
import { dersOfVpp, requireDer, requireOperatedVpp, requireVpp } from '../services/registry-reads';
import {
  deliveryReadings,
  derLinesIn,
  requireSettlement,
  vppLinesIn,
  writeSettlement,
} from '../services/settlement-records';
import { INTERVAL_SETTLED_EVENT, SETTLEMENT_CONTRACT_NAME } from '../types/contracts';
import { marketCalendar } from '../services/calendar-reads';
import { VppContract } from './vpp-contract';

function requireVppId(vppId: string): string {
  return requireId({ vppId }, 'vppId', ENTITY_ID);
}

function statementScope(request: StatementRequest): StatementScope {
  return { period: request.period, unit: request.unit };
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
    const calendar = await marketCalendar(ctx);
    requireReadingWindowClosed(readingWindowEndOf(interval, calendar), txTime);
    requireNotSettled(
      await readState(ctx, settlementVppKey(intervalId, vppId), parseStoredVppSettlementLine),
    );
    const clearing = await requireCleared(ctx, intervalId);
    // No award: NOT_FOUND before anything else is read (settlementInputsOf takes the award again).
    awardOfVpp(clearing, intervalId, vppId);

    const participant = { type: ParticipantType.VPP, id: vppId };
    const standing = await creditStandingOf(ctx, participant, interval.deliveryStart);
    const inputs = settlementInputsOf({
      interval,
      clearing,
      vpp,
      ders: await dersOfVpp(ctx, vppId),
      readings: await deliveryReadings(ctx, interval, vppId, calendar),
      calendar,
      toleranceBps: SETTLEMENT_TOLERANCE_BPS,
      penaltyFactorPermille: standing.penaltyFactorPermille,
      ruleVersion: standing.ruleVersion,
      settledAt: txTime,
      txId: ctx.stub.getTxID(),
    });
    const { vppLine, derLines } = settleInterval(inputs);
    const creditEvent = deliveryCreditEvent(vppLine);
    const credit = await applyCreditEvents(ctx, [creditEvent]);

    await writeSettlement(ctx, { intervalId, vppId }, vppLine, derLines);
    emitJson(ctx, INTERVAL_SETTLED_EVENT, {
      intervalId,
      vppId,
      settledBy: caller,
      ...settledFigures(vppLine),
      creditEventType: creditEvent.eventType,
    });
    return toCanonicalJson({
      vppLine,
      derLines,
      creditEvent,
      scoreRecords: credit.records,
      standing: standingSummary(standing),
    } satisfies SettlementOutcome);
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
    const calendar = await marketCalendar(ctx);
    const inputs = settlementInputsOf({
      interval,
      clearing: await requireClearingRecord(ctx, intervalId),
      vpp: await requireVpp(ctx, vppId),
      ders: await dersOfVpp(ctx, vppId),
      readings: await deliveryReadings(ctx, interval, vppId, calendar),
      calendar,
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
    } satisfies SettlementCheck);
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
    await requireDer(ctx, derId);
    const lines = await derLinesIn(ctx, derId, request);
    const statement = buildDerStatement(derId, lines, request.unit);
    return toCanonicalJson({ ...statement, ...statementScope(request), lines } satisfies DerStatementView);
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
    const lines = await vppLinesIn(ctx, vppId, request);
    const statement = buildVppStatement(vppId, lines, request.unit);
    return toCanonicalJson({ ...statement, ...statementScope(request), lines } satisfies VppStatementView);
  }
}
