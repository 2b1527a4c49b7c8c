// The settlement contract on the memory ledger: whole intervals from registration through bids,
// clearing and signed readings to settlement and the VPP's credit score; every refusal (writing
// nothing); the stored lines, their verification (and what tampering shows) and statements.
import '../../../support/quiet-logs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CreditStandingDetails } from '../../../../chaincode/src/domain/credit/standing';
import { INTERVAL_SETTLED_EVENT } from '../../../../chaincode/src/types/contracts';
import type { ScoreRecord } from '../../../../chaincode/src/domain/credit/scoring';
import {
  type DerSettlementLine,
  type VppSettlementLine,
} from '../../../../chaincode/src/domain/settlement/lines';
import { readingsHashOfDer } from '../../../../chaincode/src/domain/settlement/inputs';
import type { DerStatement, VppStatement } from '../../../../chaincode/src/domain/settlement/statement';
import {
  clearingKey,
  readingKey,
  settlementDerByPeriodKey,
  settlementDerByVppKey,
  settlementDerKey,
  settlementVppByPeriodKey,
  settlementVppKey,
} from '../../../../chaincode/src/encoding/keys';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { expectFailure, snapshot } from '../../../support/contract-harness';
import { credit, controlAdmin, regulatorAdmin } from '../../../support/credit-fixture';
import { controlOperator, market } from '../../../support/market-ledger';
import type { Caller, MemoryLedger } from '../../../support/memory-stub';
import { cvppAdmin, cvppIngest, newFixture, tradingAdmin } from '../../../support/registry-fixture';
import {
  addDer,
  addVpp,
  asJson,
  at,
  cvppOperator,
  instantsOf,
  newSettlementFixture,
  recordReadings,
  regulator,
  runMarket,
  settle,
  settlement,
  tradingOperator,
  VPP_ID,
  type IntervalPlan,
} from '../../../support/settlement-ledger';
import { vppError } from '../../../support/vpp-assert';

interface Settled {
  vppLine: VppSettlementLine;
  derLines: DerSettlementLine[];
  creditEvent: { eventType: string; participant: { type: string; id: string }; txId: string; at: string };
  scoreRecords: ScoreRecord[];
  standing: { score: number; level: string; penaltyFactorPermille: number; ruleVersion: number };
}
interface Verification {
  matches: boolean;
  stored: { vppLine: VppSettlementLine; derLines: DerSettlementLine[] };
  recomputed: { vppLine: VppSettlementLine; derLines: DerSettlementLine[] };
  differences: string[];
}
type DerStatementView = DerStatement & { period: string; lines: DerSettlementLine[] };
type VppStatementView = VppStatement & { period: string; lines: VppSettlementLine[] };

const IID = 'i-20260102-1200-up';
const START = '2026-01-02T12:00:00.000Z';
/** 12:15 + 60 minutes: the first instant settlement may run. */
const WINDOW_END = '2026-01-02T13:15:00.000Z';
/** 300,000 minor units per MWh, i.e. 300 minor units per kWh. */
const PRICE = 300_000;
const PLAN: IntervalPlan = {
  intervalId: IID,
  deliveryStart: START,
  bids: [
    {
      bidId: 'b-1',
      steps: [
        [250_000, 1200],
        [PRICE, 800],
      ],
    },
  ],
};

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const text = (ledger: MemoryLedger, key: string) => ledger.getText(key);

async function standingOf(
  ledger: MemoryLedger,
  time: string,
  vppId = VPP_ID,
): Promise<CreditStandingDetails> {
  return asJson(
    await ledger.evaluate({ caller: regulator, time }, (ctx) => credit.GetCreditStanding(ctx, 'vpp', vppId)),
  );
}

async function verify(ledger: MemoryLedger, intervalId = IID, vppId = VPP_ID): Promise<Verification> {
  return asJson(
    await ledger.evaluate({ caller: controlOperator }, (ctx) =>
      settlement.VerifySettlement(ctx, intervalId, vppId),
    ),
  );
}

/** A fixture with PLAN cleared (2000 Wh awarded to vpp-north at PRICE) and readings of 1900 Wh. */
async function clearedWithReadings(readings = { pv: [1000, 500], bat: [400] }) {
  const fixture = await newSettlementFixture();
  await runMarket(fixture.ledger, PLAN);
  await recordReadings(fixture, [
    ...readings.pv.map((energyWh, sequence) => ({
      derId: 'pv-001',
      meteringIntervalId: START,
      energyWh,
      sequence,
    })),
    ...readings.bat.map((energyWh, sequence) => ({
      derId: 'bat-002',
      meteringIntervalId: START,
      energyWh,
      sequence,
    })),
  ]);
  return fixture;
}

describe('contracts/settlement-contract', () => {
  describe('#SettleInterval', () => {
    it('should settle a whole interval: one VPP line, one line per DER, the credit event and the score', async () => {
      const fixture = await clearedWithReadings();
      const { ledger } = fixture;
      const clearingTx = asJson<{ txId: string }>(text(ledger, clearingKey(IID))!).txId;
      const before = await standingOf(ledger, at(WINDOW_END, -1));
      assert.equal(before.penaltyFactorPermille, 1200, 'level A of the default rulebook');

      const { result, tx } = await settle(ledger, IID, VPP_ID, tradingOperator, WINDOW_END);
      const settled = asJson<Settled>(result);
      const txId = tx.stub.getTxID();

      // 1900 Wh delivered of 2000 awarded: within the 5 % tolerance (100 Wh), so no penalty.
      // gross = floor(1900 × 300000 / 10^6) = 570; fee 5 % = floor(28.5) = 28; 542 to the DERs,
      // split 1500 : 400 by the largest remainder: 427.89… → 428 and 114.10… → 114.
      assert.deepEqual(settled.vppLine, {
        intervalId: IID,
        intervalStart: START,
        vppId: VPP_ID,
        awardId: clearingTx,
        awardedWh: 2000,
        clearingPrice: PRICE,
        deliveredWh: 1900,
        paidWh: 1900,
        deviationWh: -100,
        toleranceBps: 500,
        toleranceWh: 100,
        excessDeviationWh: 0,
        penaltyFactorPermille: before.penaltyFactorPermille,
        grossMinor: 570,
        penaltyMinor: 0,
        feeBps: 500,
        feeMinor: 28,
        netToDersMinor: 542,
        owedMinor: 0,
        derCount: 2,
        readingCount: 3,
        readingsHash: settled.vppLine.readingsHash,
        ruleVersion: 1,
        formulaVersion: 1,
        inputsHash: settled.vppLine.inputsHash,
        settledAt: WINDOW_END,
        txId,
      });
      assert.deepEqual(
        settled.derLines.map((line) => [line.derId, line.deliveredWh, line.readingCount, line.amountMinor]),
        [
          ['bat-002', 400, 1, 114],
          ['pv-001', 1500, 2, 428],
        ],
      );
      for (const line of settled.derLines) {
        assert.equal(line.inputsHash, settled.vppLine.inputsHash);
        assert.equal(line.awardId, clearingTx);
        assert.equal(line.clearingPrice, PRICE);
        assert.equal(line.ruleVersion, 1);
        assert.equal(line.txId, txId);
      }
      assert.equal(
        settled.derLines.find((line) => line.derId === 'pv-001')!.readingsHash,
        readingsHashOfDer(IID, {
          derId: 'pv-001',
          readings: [
            { sequence: 0, energyWh: 1000 },
            { sequence: 1, energyWh: 500 },
          ],
        }),
      );

      // Stored: the VPP line and each DER line under keys of their own, plus the index entries.
      assert.deepEqual(asJson(text(ledger, settlementVppKey(IID, VPP_ID))!), settled.vppLine);
      for (const line of settled.derLines) {
        assert.deepEqual(asJson(text(ledger, settlementDerKey(line.derId, IID))!), line);
        assert.equal(asJson(text(ledger, settlementDerByVppKey(IID, VPP_ID, line.derId))!), line.derId);
        assert.equal(
          asJson(text(ledger, settlementDerByPeriodKey(line.derId, '2026-01', '2026-01-02', IID))!),
          IID,
        );
      }
      assert.equal(
        asJson(text(ledger, settlementVppByPeriodKey(VPP_ID, '2026-01', '2026-01-02', IID))!),
        IID,
      );
      const storedLines = settled.derLines.map((line) =>
        asJson<DerSettlementLine>(text(ledger, settlementDerKey(line.derId, IID))!),
      );
      const storedVpp = asJson<VppSettlementLine>(text(ledger, settlementVppKey(IID, VPP_ID))!);
      assert.equal(sum(storedLines.map((line) => line.amountMinor)), storedVpp.netToDersMinor);

      // The delivery outcome scored in the same transaction.
      assert.deepEqual(settled.creditEvent, {
        participant: { type: 'vpp', id: VPP_ID },
        eventType: 'DELIVERY_WITHIN_TOLERANCE',
        intervalId: IID,
        txId,
        at: WINDOW_END,
      });
      assert.deepEqual(
        settled.scoreRecords.map((record) => [record.indicator, record.delta, record.reasonCode]),
        [['DELIVERY_ACCURACY', 10, 'DELIVERY_WITHIN_TOLERANCE']],
      );
      assert.deepEqual(settled.standing, {
        score: before.score,
        level: before.level,
        suspended: false,
        penaltyFactorPermille: before.penaltyFactorPermille,
        ruleVersion: 1,
      });
      const after = await standingOf(ledger, at(WINDOW_END, 1));
      assert.equal(after.indicators.DELIVERY_ACCURACY, before.indicators.DELIVERY_ACCURACY! + 10);
      assert.equal(after.score, before.score + 3, '+10 points on an indicator weighted 30 %');

      assert.equal(tx.event?.name, INTERVAL_SETTLED_EVENT);
      assert.deepEqual(JSON.parse(Buffer.from(tx.event!.payload).toString()), {
        intervalId: IID,
        vppId: VPP_ID,
        settledBy: { mspId: 'TradingMSP', role: 'trading' },
        awardedWh: 2000,
        deliveredWh: 1900,
        clearingPrice: PRICE,
        grossMinor: 570,
        penaltyMinor: 0,
        feeMinor: 28,
        netToDersMinor: 542,
        owedMinor: 0,
        derCount: 2,
        readingCount: 3,
        creditEventType: 'DELIVERY_WITHIN_TOLERANCE',
        inputsHash: settled.vppLine.inputsHash,
      });

      const read = asJson(
        await ledger.evaluate({ caller: cvppOperator }, (ctx) =>
          settlement.GetVppSettlement(ctx, IID, VPP_ID),
        ),
      );
      assert.deepEqual(read, { vppLine: settled.vppLine, derLines: settled.derLines });
    });

    it('should price an under-delivery beyond tolerance with the penalty factor and lower the score', async () => {
      // 1000 Wh of 2000: 900 Wh beyond the 100 Wh tolerance. gross = 300; penalty =
      // floor(900 × 300000 × factor / 10^9) = 324 at 1.2×; the 24 the revenue cannot cover is owed
      // by the operator, and neither the operator nor the DERs are paid.
      const { ledger } = await clearedWithReadings({ pv: [600], bat: [400] });
      const before = await standingOf(ledger, at(WINDOW_END, -1));
      const penalty = Math.floor((900 * PRICE * before.penaltyFactorPermille) / 1e9);
      const { result } = await settle(ledger, IID, VPP_ID, cvppOperator, WINDOW_END);
      const { vppLine, derLines, creditEvent } = asJson<Settled>(result);
      assert.deepEqual(
        [vppLine.deliveredWh, vppLine.excessDeviationWh, vppLine.grossMinor, vppLine.penaltyMinor],
        [1000, 900, 300, penalty],
      );
      assert.deepEqual([vppLine.feeMinor, vppLine.netToDersMinor, vppLine.owedMinor], [0, 0, penalty - 300]);
      assert.deepEqual(
        derLines.map((line) => line.amountMinor),
        [0, 0],
      );
      assert.equal(creditEvent.eventType, 'DELIVERY_DEVIATION');
      const after = await standingOf(ledger, at(WINDOW_END, 1));
      assert.equal(after.indicators.DELIVERY_ACCURACY, before.indicators.DELIVERY_ACCURACY! - 30);
      assert.equal(after.score, before.score - 9);
    });

    it('should count the metering intervals of a longer delivery and settle every DER of the VPP', async () => {
      // 12:00–12:30: metering intervals 12:00 and 12:15 count, 12:30 does not. pv-001 reports in both
      // (sequence 0 twice); bat-002 reports nothing and still gets a line (of 0); pv-003 joined during
      // the delivery and reports for 12:15; pv-late joined after the delivery ended: no line.
      const fixture = await newSettlementFixture();
      const { ledger } = fixture;
      await addDer(fixture, { derId: 'pv-003', capacityW: 4000 }, '2026-01-02T12:20:00.000Z');
      await addDer(fixture, { derId: 'pv-late', capacityW: 4000 }, '2026-01-02T12:40:00.000Z');
      const plan: IntervalPlan = {
        intervalId: 'i-30min',
        deliveryStart: START,
        minutes: 30,
        bids: [{ bidId: 'b-30', steps: [[PRICE, 3000]] }],
        demand: { quantity: 3000, priceCap: 1_000_000 },
      };
      await runMarket(ledger, plan);
      await recordReadings(fixture, [
        { derId: 'pv-001', meteringIntervalId: START, energyWh: 1200 },
        { derId: 'pv-001', meteringIntervalId: '2026-01-02T12:15:00.000Z', energyWh: 1100 },
        { derId: 'pv-001', meteringIntervalId: '2026-01-02T12:30:00.000Z', energyWh: 900 },
        { derId: 'pv-003', meteringIntervalId: '2026-01-02T12:15:00.000Z', energyWh: 500 },
      ]);
      const windowEnd = '2026-01-02T13:30:00.000Z';
      await expectFailure(
        ledger,
        { caller: tradingOperator, time: '2026-01-02T13:29:59.000Z' },
        (ctx) => settlement.SettleInterval(ctx, 'i-30min', VPP_ID),
        vppError(ErrorCode.INVALID_STATE, /reading window is open until 2026-01-02T13:30:00.000Z/),
      );
      const { result } = await settle(ledger, 'i-30min', VPP_ID, tradingOperator, windowEnd);
      const { vppLine, derLines } = asJson<Settled>(result);
      assert.deepEqual(
        derLines.map((line) => [line.derId, line.deliveredWh, line.readingCount]),
        [
          ['bat-002', 0, 0],
          ['pv-001', 2300, 2],
          ['pv-003', 500, 1],
        ],
      );
      assert.equal(vppLine.deliveredWh, 2800);
      assert.equal(vppLine.derCount, 3);
      assert.equal(derLines[0]!.amountMinor, 0);
      assert.equal(sum(derLines.map((line) => line.amountMinor)), vppLine.netToDersMinor);
      // The 12:15 reading of pv-001 keeps its metering interval: sequence 1 × 60 + 0.
      assert.equal(
        derLines[1]!.readingsHash,
        readingsHashOfDer('i-30min', {
          derId: 'pv-001',
          readings: [
            { sequence: 0, energyWh: 1200 },
            { sequence: 60, energyWh: 1100 },
          ],
        }),
      );
      assert.equal((await verify(ledger, 'i-30min')).matches, true);
    });

    it('should let the trading centre, the VPP operator and the regulator settle, with any admin of theirs', async () => {
      for (const caller of [
        tradingOperator,
        tradingAdmin,
        cvppOperator,
        cvppAdmin,
        regulator,
        regulatorAdmin,
      ]) {
        const { ledger } = await clearedWithReadings();
        const { result } = await settle(ledger, IID, VPP_ID, caller, WINDOW_END);
        assert.equal(asJson<Settled>(result).vppLine.netToDersMinor, 542, caller.mspId);
      }
    });

    describe('refusals, each writing nothing', () => {
      it('should refuse before the reading window closes (INVALID_STATE) and settle at its end', async () => {
        const { ledger } = await clearedWithReadings();
        for (const time of [instantsOf(PLAN).end, at(WINDOW_END, -1), '2026-01-02T13:14:59.000Z']) {
          await expectFailure(
            ledger,
            { caller: tradingOperator, time },
            (ctx) => settlement.SettleInterval(ctx, IID, VPP_ID),
            vppError(ErrorCode.INVALID_STATE, /reading window is open until 2026-01-02T13:15:00.000Z/),
          );
        }
        await settle(ledger, IID, VPP_ID, tradingOperator, WINDOW_END);
      });

      it('should settle once (ALREADY_SETTLED naming the settling transaction)', async () => {
        const { ledger } = await clearedWithReadings();
        const { tx } = await settle(ledger, IID, VPP_ID, tradingOperator, WINDOW_END);
        for (const caller of [tradingOperator, cvppOperator, regulator]) {
          await expectFailure(
            ledger,
            { caller, time: at(WINDOW_END, 60) },
            (ctx) => settlement.SettleInterval(ctx, IID, VPP_ID),
            vppError(ErrorCode.ALREADY_SETTLED, new RegExp(`by transaction ${tx.stub.getTxID()}`)),
          );
        }
      });

      it('should refuse a VPP without an award (NOT_FOUND), whether it lost or never bid', async () => {
        const fixture = await newSettlementFixture();
        await addVpp(fixture, 'vpp-south', [{ derId: 'pv-s1', capacityW: 8000 }]);
        await addVpp(fixture, 'vpp-east', [{ derId: 'pv-e1', capacityW: 8000 }]);
        await runMarket(fixture.ledger, {
          ...PLAN,
          bids: [...PLAN.bids!, { bidId: 'b-south', vppId: 'vpp-south', steps: [[900_000, 2000]] }],
        });
        for (const vppId of ['vpp-south', 'vpp-east']) {
          await expectFailure(
            fixture.ledger,
            { caller: tradingOperator, time: WINDOW_END },
            (ctx) => settlement.SettleInterval(ctx, IID, vppId),
            vppError(ErrorCode.NOT_FOUND, new RegExp(`vpp ${vppId} has no award in interval ${IID}`)),
          );
        }
      });

      it('should refuse callers other than trading, the VPP operator and the regulator (FORBIDDEN)', async () => {
        const { ledger } = await clearedWithReadings();
        const strangers: Caller[] = [
          controlOperator,
          controlAdmin,
          cvppIngest,
          { mspId: 'TradingMSP', attributes: { 'vpp.role': 'operator' } },
          { mspId: 'RegulatorMSP', attributes: {} },
          { mspId: 'OtherMSP', attributes: { 'vpp.role': 'admin' } },
        ];
        for (const caller of strangers) {
          await expectFailure(
            ledger,
            { caller, time: WINDOW_END },
            (ctx) => settlement.SettleInterval(ctx, IID, VPP_ID),
            vppError(ErrorCode.FORBIDDEN),
          );
        }
      });

      it('should refuse an interval not yet cleared or trading reserve (INVALID_STATE)', async () => {
        const fixture = await newSettlementFixture();
        await runMarket(fixture.ledger, { ...PLAN, clear: false });
        await runMarket(fixture.ledger, {
          intervalId: 'i-reserve',
          deliveryStart: START,
          product: 'reserve',
          demand: { quantity: 5000, priceCap: 1000 },
        });
        await expectFailure(
          fixture.ledger,
          { caller: tradingOperator, time: WINDOW_END },
          (ctx) => settlement.SettleInterval(ctx, IID, VPP_ID),
          vppError(ErrorCode.INVALID_STATE, /has not been cleared yet/),
        );
        await expectFailure(
          fixture.ledger,
          { caller: tradingOperator, time: WINDOW_END },
          (ctx) => settlement.SettleInterval(ctx, 'i-reserve', VPP_ID),
          vppError(ErrorCode.INVALID_STATE, /reserve/),
        );
      });

      it('should refuse unknown intervals and VPPs (NOT_FOUND) and malformed ids (INVALID_ARGUMENT)', async () => {
        const { ledger } = await clearedWithReadings();
        const cases: [string, string, ReturnType<typeof vppError>][] = [
          ['i-unknown', VPP_ID, vppError(ErrorCode.NOT_FOUND, /market interval i-unknown/)],
          [IID, 'vpp-unknown', vppError(ErrorCode.NOT_FOUND, /vpp vpp-unknown/)],
          [IID, 'bad id', vppError(ErrorCode.INVALID_ARGUMENT, /vppId/)],
          ['bad id', VPP_ID, vppError(ErrorCode.INVALID_ARGUMENT, /intervalId/)],
        ];
        for (const [intervalId, vppId, expected] of cases) {
          for (const caller of [tradingOperator, cvppOperator]) {
            await expectFailure(
              ledger,
              { caller, time: WINDOW_END },
              (ctx) => settlement.SettleInterval(ctx, intervalId, vppId),
              expected,
            );
          }
        }
      });

      it('should refuse when no credit rulebook was in force at the delivery start (NOT_FOUND)', async () => {
        const fixture = await newFixture([{ derId: 'pv-001', capacityW: 8000 }]);
        // A quota, but no rulebook.
        await fixture.ledger.submit({ caller: regulator, time: '2026-01-01T05:00:00.000Z' }, (ctx) =>
          market.SetVppQuota(ctx, VPP_ID, '1000000'),
        );
        await runMarket(fixture.ledger, { ...PLAN, bids: [{ bidId: 'b-1', steps: [[PRICE, 1500]] }] });
        await recordReadings(fixture, [{ derId: 'pv-001', meteringIntervalId: START, energyWh: 1500 }]);
        await expectFailure(
          fixture.ledger,
          { caller: tradingOperator, time: WINDOW_END },
          (ctx) => settlement.SettleInterval(ctx, IID, VPP_ID),
          vppError(ErrorCode.NOT_FOUND, /rulebook/),
        );
      });
    });
  });

  describe('#GetVppSettlement', () => {
    it('should answer NOT_FOUND before settlement, for every organisation', async () => {
      const { ledger } = await clearedWithReadings();
      for (const caller of [tradingOperator, controlOperator, cvppOperator, regulator]) {
        await assert.rejects(
          ledger.evaluate({ caller }, (ctx) => settlement.GetVppSettlement(ctx, IID, VPP_ID)),
          vppError(ErrorCode.NOT_FOUND, /has not been settled/),
        );
      }
    });
  });

  describe('#VerifySettlement', () => {
    async function settled() {
      const fixture = await clearedWithReadings();
      await settle(fixture.ledger, IID, VPP_ID, tradingOperator, WINDOW_END);
      return fixture;
    }

    it('should recompute the stored settlement from the ledger and find it equal, for every organisation', async () => {
      const { ledger } = await settled();
      for (const caller of [tradingOperator, controlOperator, cvppOperator, regulator]) {
        const check = asJson<Verification>(
          await ledger.evaluate({ caller }, (ctx) => settlement.VerifySettlement(ctx, IID, VPP_ID)),
        );
        assert.equal(check.matches, true);
        assert.deepEqual(check.differences, []);
        assert.deepEqual(check.recomputed, check.stored);
      }
    });

    it('should report a tampered DER line', async () => {
      const { ledger } = await settled();
      // Move one minor unit from pv-001 to bat-002: each line still decodes, their sum still holds.
      for (const [derId, change] of [
        ['pv-001', -1],
        ['bat-002', 1],
      ] as const) {
        const key = settlementDerKey(derId, IID);
        const line = asJson<DerSettlementLine>(text(ledger, key)!);
        ledger.seed(key, JSON.stringify({ ...line, amountMinor: line.amountMinor + change }));
      }
      const check = await verify(ledger);
      assert.equal(check.matches, false);
      assert.deepEqual(check.differences, ['derLines[bat-002].amountMinor', 'derLines[pv-001].amountMinor']);
      assert.deepEqual(
        check.recomputed.derLines.map((line) => line.amountMinor),
        [114, 428],
      );
    });

    it('should report a tampered VPP line, including a parameter the line names', async () => {
      const { ledger } = await settled();
      const key = settlementVppKey(IID, VPP_ID);
      const line = asJson<VppSettlementLine>(text(ledger, key)!);
      ledger.seed(
        key,
        JSON.stringify({ ...line, feeMinor: line.feeMinor + 5, netToDersMinor: line.netToDersMinor - 5 }),
      );
      assert.deepEqual((await verify(ledger)).differences, ['vppLine.feeMinor', 'vppLine.netToDersMinor']);

      // A penalty factor no level has, with an inputsHash to match: caught by the rulebook check.
      ledger.seed(key, JSON.stringify({ ...line, penaltyFactorPermille: 1234 }));
      const check = await verify(ledger);
      assert.equal(check.matches, false);
      assert.ok(check.differences.includes('vppLine.inputsHash'));
      assert.ok(
        check.differences.some((d) => /penaltyFactorPermille: 1234 is the factor of no level/.test(d)),
      );
    });

    it('should report a reading changed after settlement', async () => {
      const { ledger } = await settled();
      const key = readingKey(VPP_ID, START, 'bat-002', 0);
      const reading = asJson<Record<string, unknown>>(text(ledger, key)!);
      ledger.seed(key, JSON.stringify({ ...reading, energyWh: 300 }));
      const check = await verify(ledger);
      assert.equal(check.matches, false);
      assert.equal(check.recomputed.vppLine.deliveredWh, 1800);
      assert.ok(check.differences.includes('vppLine.deliveredWh'));
      assert.ok(check.differences.includes('derLines[bat-002].readingsHash'));
    });

    it('should refuse to trust a stored line that no longer decodes (INTERNAL)', async () => {
      const { ledger } = await settled();
      const key = settlementDerKey('pv-001', IID);
      const line = asJson<DerSettlementLine>(text(ledger, key)!);
      ledger.seed(key, JSON.stringify({ ...line, amountMinor: line.netToDersMinor + 1 }));
      await assert.rejects(
        verify(ledger),
        vppError(ErrorCode.INTERNAL, /amountMinor exceeds netToDersMinor/),
      );
      await assert.rejects(
        ledger.evaluate({ caller: regulator }, (ctx) =>
          settlement.GetDerStatement(ctx, 'pv-001', '2026-01', 'day'),
        ),
        vppError(ErrorCode.INTERNAL),
      );
    });

    it('should answer NOT_FOUND for an interval not settled', async () => {
      const { ledger } = await clearedWithReadings();
      await assert.rejects(verify(ledger), vppError(ErrorCode.NOT_FOUND, /has not been settled/));
    });
  });

  describe('statements', () => {
    // Five intervals: two on 2 January, one on 15 January, one starting 31 January 23:45 (January by
    // its start, though it ends in February) and one on 1 February.
    const INTERVALS = [
      {
        intervalId: 'i-0102-1200',
        deliveryStart: '2026-01-02T12:00:00.000Z',
        price: 300_000,
        pv: 1500,
        bat: 400,
      },
      {
        intervalId: 'i-0102-1800',
        deliveryStart: '2026-01-02T18:00:00.000Z',
        price: 310_001,
        pv: 1999,
        bat: 1,
      },
      {
        intervalId: 'i-0115-0800',
        deliveryStart: '2026-01-15T08:00:00.000Z',
        price: 123_457,
        pv: 700,
        bat: 900,
      },
      {
        intervalId: 'i-0131-2345',
        deliveryStart: '2026-01-31T23:45:00.000Z',
        price: 299_999,
        pv: 1234,
        bat: 777,
      },
      {
        intervalId: 'i-0201-0000',
        deliveryStart: '2026-02-01T00:00:00.000Z',
        price: 400_000,
        pv: 2000,
        bat: 0,
      },
    ];

    async function month() {
      const fixture = await newSettlementFixture();
      await addVpp(fixture, 'vpp-idle', [{ derId: 'pv-idle', capacityW: 8000 }]);
      const settled: Settled[] = [];
      for (const plan of INTERVALS) {
        await runMarket(fixture.ledger, {
          intervalId: plan.intervalId,
          deliveryStart: plan.deliveryStart,
          bids: [{ bidId: `b-${plan.intervalId}`, steps: [[plan.price, 2000]] }],
        });
        await recordReadings(fixture, [
          { derId: 'pv-001', meteringIntervalId: plan.deliveryStart, energyWh: plan.pv },
          { derId: 'bat-002', meteringIntervalId: plan.deliveryStart, energyWh: plan.bat },
        ]);
        const { result } = await settle(
          fixture.ledger,
          plan.intervalId,
          VPP_ID,
          regulator,
          at(plan.deliveryStart, 75),
        );
        settled.push(asJson<Settled>(result));
      }
      return { ...fixture, settled };
    }

    const derStatement = async (ledger: MemoryLedger, derId: string, period: string, unit: string) =>
      asJson<DerStatementView>(
        await ledger.evaluate({ caller: controlOperator }, (ctx) =>
          settlement.GetDerStatement(ctx, derId, period, unit),
        ),
      );
    const vppStatement = async (ledger: MemoryLedger, vppId: string, period: string, unit: string) =>
      asJson<VppStatementView>(
        await ledger.evaluate({ caller: tradingOperator }, (ctx) =>
          settlement.GetVppStatement(ctx, vppId, period, unit),
        ),
      );

    it('should total a DER month per day and per month, exactly, from the stored lines', async () => {
      const { ledger, settled } = await month();
      const january = settled.slice(0, 4);
      for (const derId of ['pv-001', 'bat-002']) {
        const lines = january.map((s) => s.derLines.find((line) => line.derId === derId)!);
        const byDay = await derStatement(ledger, derId, '2026-01', 'day');
        assert.equal(byDay.derId, derId);
        assert.deepEqual([byDay.period, byDay.unit], ['2026-01', 'day']);
        assert.deepEqual(
          byDay.periods.map((p) => [p.period, p.intervalCount]),
          [
            ['2026-01-02', 2],
            ['2026-01-15', 1],
            ['2026-01-31', 1],
          ],
        );
        assert.deepEqual(byDay.total, {
          intervalCount: 4,
          readingCount: 4,
          deliveredWh: sum(lines.map((line) => line.deliveredWh)),
          amountMinor: sum(lines.map((line) => line.amountMinor)),
        });
        for (const field of ['readingCount', 'deliveredWh', 'amountMinor'] as const) {
          assert.equal(sum(byDay.periods.map((p) => p[field])), byDay.total[field], field);
        }
        assert.deepEqual(
          byDay.lines.map((line) => line.intervalId),
          january.map((s) => s.vppLine.intervalId),
        );
        const byMonth = await derStatement(ledger, derId, '2026-01', 'month');
        assert.deepEqual(byMonth.periods, [{ period: '2026-01', ...byDay.total }]);
        assert.deepEqual(byMonth.total, byDay.total);
      }
      // The DERs' month totals add up to what the VPP passed on to them.
      const pv = await derStatement(ledger, 'pv-001', '2026-01', 'month');
      const bat = await derStatement(ledger, 'bat-002', '2026-01', 'month');
      const vpp = await vppStatement(ledger, VPP_ID, '2026-01', 'month');
      assert.equal(pv.total.amountMinor + bat.total.amountMinor, vpp.total.netToDersMinor);
    });

    it('should total a VPP month and select single days and other months by the interval start', async () => {
      const { ledger, settled } = await month();
      const january = settled.slice(0, 4).map((s) => s.vppLine);
      const byDay = await vppStatement(ledger, VPP_ID, '2026-01', 'day');
      const fields = [
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
      for (const field of fields) {
        assert.equal(byDay.total[field], sum(january.map((line) => line[field])), field);
        assert.equal(sum(byDay.periods.map((p) => p[field])), byDay.total[field], field);
      }
      assert.equal(byDay.total.intervalCount, 4);
      assert.equal(
        byDay.total.grossMinor - byDay.total.penaltyMinor - byDay.total.feeMinor,
        byDay.total.netToDersMinor - byDay.total.owedMinor,
      );

      const day = await vppStatement(ledger, VPP_ID, '2026-01-02', 'day');
      assert.deepEqual(
        day.lines.map((line) => line.intervalId),
        ['i-0102-1200', 'i-0102-1800'],
      );
      assert.deepEqual(day.periods, [{ period: '2026-01-02', ...day.total }]);
      const february = await vppStatement(ledger, VPP_ID, '2026-02', 'month');
      assert.deepEqual(
        february.lines.map((line) => line.intervalId),
        ['i-0201-0000'],
      );
      const pvFebruary = await derStatement(ledger, 'pv-001', '2026-02-01', 'day');
      assert.deepEqual(pvFebruary.lines, [settled[4]!.derLines.find((line) => line.derId === 'pv-001')]);
    });

    it('should give an empty statement to a DER or VPP without settlements, and refuse unknown ones', async () => {
      const { ledger } = await month();
      const empty = await derStatement(ledger, 'pv-idle', '2026-01', 'day');
      assert.deepEqual(empty, {
        derId: 'pv-idle',
        period: '2026-01',
        unit: 'day',
        periods: [],
        total: { intervalCount: 0, readingCount: 0, deliveredWh: 0, amountMinor: 0 },
        lines: [],
      });
      const idle = await vppStatement(ledger, 'vpp-idle', '2026-01', 'month');
      assert.deepEqual([idle.periods, idle.lines, idle.total.intervalCount], [[], [], 0]);
      assert.equal((await derStatement(ledger, 'pv-001', '2025-12', 'day')).lines.length, 0);
      await assert.rejects(
        derStatement(ledger, 'der-unknown', '2026-01', 'day'),
        vppError(ErrorCode.NOT_FOUND),
      );
      await assert.rejects(
        vppStatement(ledger, 'vpp-unknown', '2026-01', 'day'),
        vppError(ErrorCode.NOT_FOUND),
      );
    });

    it('should refuse malformed periods and units (INVALID_ARGUMENT)', async () => {
      const { ledger } = await newSettlementFixture();
      const before = snapshot(ledger);
      for (const [period, unit] of [
        ['2026-01', 'week'],
        ['2026-01-02', 'month'],
        ['2026-13', 'month'],
        ['2026-02-30', 'day'],
        ['2026', 'month'],
        ['2026-1', 'day'],
        ['', 'day'],
      ]) {
        await assert.rejects(
          derStatement(ledger, 'pv-001', period!, unit!),
          vppError(ErrorCode.INVALID_ARGUMENT),
          `${period} ${unit}`,
        );
        await assert.rejects(
          vppStatement(ledger, VPP_ID, period!, unit!),
          vppError(ErrorCode.INVALID_ARGUMENT),
          `${period} ${unit}`,
        );
      }
      assert.deepEqual(snapshot(ledger), before);
    });
  });
});
