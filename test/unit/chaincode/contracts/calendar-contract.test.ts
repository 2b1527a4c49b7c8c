// The calendar contract on the memory ledger: installing the first calendar, publishing later versions
// (who may, and which effective times are refused, writing nothing), reading the version in force,
// and that a later version leaves earlier intervals' readings, settlements and statements as they were.
import '../../../support/quiet-logs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_MARKET_CALENDAR,
  type MarketCalendarVersion,
} from '../../../../chaincode/src/domain/market/calendar';
import { MARKET_CALENDAR_PUBLISHED_EVENT } from '../../../../chaincode/src/types/contracts';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { expectFailure } from '../../../support/contract-harness';
import { calendarAdmin, calendarContract } from '../../../support/market-calendar';
import { MemoryLedger } from '../../../support/memory-stub';
import { cvppIngest, regulator, tradingOperator } from '../../../support/registry-fixture';
import {
  asJson,
  newSettlementFixture,
  recordReadings,
  runMarket,
  settle,
  settlement,
  telemetry,
  VPP_ID,
} from '../../../support/settlement-ledger';
import { vppError } from '../../../support/vpp-assert';

/** A test network's calendar: 10-second metering intervals, readings accepted for 30 seconds. */
const FAST = {
  description: 'fast',
  meteringIntervalSeconds: 10,
  readingWindowSeconds: 30,
  clockSkewSeconds: 5,
  maxDeliverySeconds: 3_600,
  maxLeadSeconds: 86_400,
};

async function install(ledger: MemoryLedger, time: string): Promise<MarketCalendarVersion> {
  const { result } = await ledger.submit({ caller: calendarAdmin, time }, (ctx) =>
    calendarContract.InstallMarketCalendar(ctx, JSON.stringify(DEFAULT_MARKET_CALENDAR)),
  );
  return asJson(result);
}

async function publish(ledger: MemoryLedger, input: object, time: string): Promise<MarketCalendarVersion> {
  const { result } = await ledger.submit({ caller: regulator, time }, (ctx) =>
    calendarContract.PublishMarketCalendar(ctx, JSON.stringify(input)),
  );
  return asJson(result);
}

async function inForce(ledger: MemoryLedger, at: string): Promise<MarketCalendarVersion> {
  return asJson(
    await ledger.evaluate({ caller: tradingOperator }, (ctx) =>
      calendarContract.GetMarketCalendarInForce(ctx, at),
    ),
  );
}

describe('contracts/calendar-contract', () => {
  describe('#InstallMarketCalendar / #PublishMarketCalendar', () => {
    it('should install the first calendar once, from the epoch, as the regulator admin only', async () => {
      const ledger = new MemoryLedger();
      const input = JSON.stringify(DEFAULT_MARKET_CALENDAR);
      await expectFailure(
        ledger,
        { caller: regulator, time: '2026-01-01T00:00:00.000Z' },
        (ctx) => calendarContract.PublishMarketCalendar(ctx, input),
        vppError(ErrorCode.INVALID_STATE, /no market calendar is installed yet/),
      );
      await expectFailure(
        ledger,
        { caller: regulator, time: '2026-01-01T00:00:00.000Z' },
        (ctx) => calendarContract.InstallMarketCalendar(ctx, input),
        vppError(ErrorCode.FORBIDDEN),
      );
      const tx = ledger.begin({ caller: calendarAdmin, time: '2026-01-01T00:00:07.000Z' });
      const first = asJson<MarketCalendarVersion>(
        await calendarContract.InstallMarketCalendar(tx.ctx, input),
      );
      tx.commit();
      assert.deepEqual(first, {
        ...DEFAULT_MARKET_CALENDAR,
        version: 1,
        effectiveFrom: '1970-01-01T00:00:00.000Z',
        createdAt: '2026-01-01T00:00:07.000Z',
        createdBy: { mspId: 'RegulatorMSP', role: 'admin' },
      });
      assert.deepEqual(
        tx.stub.events.map((e) => e.name),
        [MARKET_CALENDAR_PUBLISHED_EVENT],
      );
      await expectFailure(
        ledger,
        { caller: calendarAdmin, time: '2026-01-01T00:01:00.000Z' },
        (ctx) => calendarContract.InstallMarketCalendar(ctx, input),
        vppError(ErrorCode.ALREADY_EXISTS),
      );
      assert.deepEqual(await inForce(ledger, '2026-06-01T00:00:00.000Z'), first);
    });

    it('should publish later versions only on both metering grids, after the previous, never in the past', async () => {
      const ledger = new MemoryLedger();
      await install(ledger, '2026-01-01T00:00:00.000Z');
      const now = '2026-01-02T10:00:00.000Z';
      const refusals: [object, RegExp][] = [
        [{ ...FAST, effectiveFrom: '2026-01-02T10:05:00.000Z' }, /version 1's 15-minute grid/],
        [{ ...FAST, meteringIntervalSeconds: 7, effectiveFrom: '2026-01-02T10:15:00.000Z' }, /divide a day/],
        [
          { ...FAST, meteringIntervalSeconds: 40, effectiveFrom: '2026-01-02T10:15:00.000Z' },
          /its own 40-second grid/,
        ],
        [{ ...FAST, effectiveFrom: '2026-01-02T09:45:00.000Z' }, /past rules cannot be changed/],
        [{ ...FAST, clockSkewSeconds: 10, effectiveFrom: '2026-01-02T10:15:00.000Z' }, /clockSkewSeconds/],
        [
          { ...FAST, readingWindowSeconds: 0, effectiveFrom: '2026-01-02T10:15:00.000Z' },
          /readingWindowSeconds/,
        ],
      ];
      for (const [input, message] of refusals) {
        await expectFailure(
          ledger,
          { caller: regulator, time: now },
          (ctx) => calendarContract.PublishMarketCalendar(ctx, JSON.stringify(input)),
          vppError(ErrorCode.INVALID_ARGUMENT, message),
        );
      }
      await expectFailure(
        ledger,
        { caller: tradingOperator, time: now },
        (ctx) =>
          calendarContract.PublishMarketCalendar(
            ctx,
            JSON.stringify({ ...FAST, effectiveFrom: '2026-01-02T10:15:00.000Z' }),
          ),
        vppError(ErrorCode.FORBIDDEN),
      );
      const second = await publish(ledger, { ...FAST, effectiveFrom: '2026-01-02T10:15:00.000Z' }, now);
      assert.deepEqual([second.version, second.effectiveFrom], [2, '2026-01-02T10:15:00.000Z']);
      assert.equal((await inForce(ledger, '2026-01-02T10:14:59.999Z')).version, 1);
      assert.equal((await inForce(ledger, '2026-01-02T10:15:00.000Z')).version, 2);
      const versions = asJson<MarketCalendarVersion[]>(
        await ledger.evaluate({ caller: cvppIngest }, (ctx) =>
          calendarContract.ListMarketCalendarVersions(ctx),
        ),
      );
      assert.deepEqual(
        versions.map((v) => [v.version, v.meteringIntervalSeconds, v.readingWindowSeconds]),
        [
          [1, 900, 3600],
          [2, 10, 30],
        ],
      );
      assert.deepEqual(
        asJson(
          await ledger.evaluate({ caller: regulator }, (ctx) => calendarContract.GetMarketCalendar(ctx, '2')),
        ),
        second,
      );
    });
  });

  describe('a later version', () => {
    it("should leave earlier intervals' readings, settlement and statements as they were", async () => {
      // PLAN: 2000 Wh awarded for 12:00-12:15 on 2 January under the default calendar (version 1).
      const fixture = await newSettlementFixture();
      const { ledger } = fixture;
      const IID = 'i-20260102-1200-up';
      await runMarket(ledger, {
        intervalId: IID,
        deliveryStart: '2026-01-02T12:00:00.000Z',
        bids: [{ bidId: 'b-1', steps: [[300_000, 2000]] }],
      });
      // During the delivery the regulator switches to 10-second intervals from 12:15 on.
      await publish(
        ledger,
        { ...FAST, effectiveFrom: '2026-01-02T12:15:00.000Z' },
        '2026-01-02T12:05:00.000Z',
      );

      // The 12:00 metering interval keeps version 1's 60-minute window: a reading 20 minutes after
      // its end is accepted (version 2's 30 seconds would refuse it).
      await recordReadings(
        fixture,
        [
          { derId: 'pv-001', meteringIntervalId: '2026-01-02T12:00:00.000Z', energyWh: 1500 },
          { derId: 'bat-002', meteringIntervalId: '2026-01-02T12:00:00.000Z', energyWh: 400 },
        ],
        '2026-01-02T12:35:00.000Z',
      );
      // After 12:15 the grid is 10 seconds: 12:15:10 is an interval, 12:15:03 is not.
      await recordReadings(
        fixture,
        [{ derId: 'pv-001', meteringIntervalId: '2026-01-02T12:15:10.000Z', energyWh: 20 }],
        '2026-01-02T12:15:25.000Z',
      );
      await assert.rejects(
        recordReadings(
          fixture,
          [{ derId: 'pv-001', meteringIntervalId: '2026-01-02T12:15:03.000Z', energyWh: 1 }],
          '2026-01-02T12:15:25.000Z',
        ),
        /INVALID_ARGUMENT.*intervalId must start on a 10-second boundary \(market calendar version 2\)/,
      );

      // Settlement waits for version 1's window (13:15), and counts only the delivery's metering interval.
      await assert.rejects(
        settle(ledger, IID, VPP_ID, tradingOperator, '2026-01-02T13:14:59.000Z'),
        vppError(ErrorCode.INVALID_STATE, /reading window is open until 2026-01-02T13:15:00.000Z/),
      );
      const { result } = await settle(ledger, IID, VPP_ID, tradingOperator, '2026-01-02T13:15:00.000Z');
      const settled = asJson<{ vppLine: { deliveredWh: number; grossMinor: number } }>(result);
      // 1900 Wh of 2000 at 300,000 per MWh: 570 gross (as under the default calendar alone).
      assert.deepEqual([settled.vppLine.deliveredWh, settled.vppLine.grossMinor], [1900, 570]);

      const views = async () => ({
        settlement: await ledger.evaluate({ caller: regulator }, (ctx) =>
          settlement.GetVppSettlement(ctx, IID, VPP_ID),
        ),
        verification: asJson<{ matches: boolean }>(
          await ledger.evaluate({ caller: regulator }, (ctx) =>
            settlement.VerifySettlement(ctx, IID, VPP_ID),
          ),
        ).matches,
        statement: await ledger.evaluate({ caller: regulator }, (ctx) =>
          settlement.GetDerStatement(ctx, 'pv-001', '2026-01-02', 'day'),
        ),
        readings: await ledger.evaluate({ caller: regulator }, (ctx) =>
          telemetry.GetDerReadings(ctx, 'pv-001', '2026-01-02T12:00:00.000Z'),
        ),
      });
      const before = await views();
      assert.equal(before.verification, true);
      // A third version, with another window and grid, from 14:00 on: nothing earlier changes.
      await publish(
        ledger,
        {
          ...FAST,
          meteringIntervalSeconds: 300,
          readingWindowSeconds: 7_200,
          effectiveFrom: '2026-01-02T14:00:00.000Z',
        },
        '2026-01-02T13:30:00.000Z',
      );
      assert.deepEqual(await views(), before);
    });
  });
});
