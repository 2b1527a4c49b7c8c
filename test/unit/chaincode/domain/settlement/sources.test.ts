import assert from 'node:assert/strict';
import { DEFAULT_CALENDAR, DEFAULT_CALENDAR_V1 } from '../../../../support/market-calendar';
import {
  buildMarketCalendarVersion,
  calendarHistory,
} from '../../../../../chaincode/src/domain/market/calendar';
import { MspId, Role } from '../../../../../chaincode/src/types/consortium';
import { describe, it } from 'node:test';
import { type RulebookVersion } from '../../../../../chaincode/src/domain/credit/rulebook';
import { DEFAULT_RULEBOOK } from '../../../../../chaincode/src/domain/credit/default-rulebook';
import type { MarketInterval } from '../../../../../chaincode/src/domain/market/interval';
import type { ClearingRecord } from '../../../../../chaincode/src/domain/market/records';
import { settleInterval } from '../../../../../chaincode/src/domain/settlement/settlement';
import {
  awardOfVpp,
  isPenaltyFactorOf,
  meteringIntervalsOf,
  parseStatementRequest,
  readingWindowEndOf,
  requireEnergyProduct,
  settlementInputsOf,
  settlementSequence,
  SETTLEMENT_TOLERANCE_BPS,
  type LedgerReading,
  type SettlementSources,
} from '../../../../../chaincode/src/domain/settlement/sources';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);
const internal = (pattern?: RegExp) => vppError(ErrorCode.INTERNAL, pattern);

const delivery = (deliveryStart: string, deliveryEnd: string) => ({
  intervalId: 'i-1',
  deliveryStart,
  deliveryEnd,
});

const INTERVAL: MarketInterval = {
  intervalId: 'i-1',
  product: 'energy-up',
  deliveryStart: '2026-01-02T12:00:00.000Z',
  deliveryEnd: '2026-01-02T12:30:00.000Z',
  gateClosure: '2026-01-02T10:00:00.000Z',
  revealDeadline: '2026-01-02T11:00:00.000Z',
  quantityUnit: 'Wh',
  openedAt: '2026-01-02T08:00:00.000Z',
  openedBy: { mspId: 'TradingMSP', role: 'trading' },
};

const step = (quantity: number) => [{ stepIndex: 0, price: 1000, quantity }];
const CLEARING: ClearingRecord = {
  intervalId: 'i-1',
  result: {
    intervalId: 'i-1',
    clearingPrice: 300_000,
    totalAwarded: 3000,
    awards: [
      { bidId: 'b-1', vppId: 'vpp-1', quantity: 1200, acceptedSteps: step(1200) },
      { bidId: 'b-2', vppId: 'vpp-2', quantity: 1000, acceptedSteps: step(1000) },
      { bidId: 'b-3', vppId: 'vpp-1', quantity: 800, acceptedSteps: step(800) },
    ],
    inputsHash: 'ab'.repeat(32),
  },
  bidCount: 4,
  clearedAt: '2026-01-02T11:30:00.000Z',
  clearedBy: { mspId: 'TradingMSP', role: 'trading' },
  txId: 'tx-clear',
};

const EARLY = '2026-01-01T00:00:00.000Z';
const reading = (
  derId: string,
  intervalId: string,
  sequence: number,
  energyWh: number,
  vppId = 'vpp-1',
): LedgerReading => ({ vppId, derId, intervalId, sequence, energyWh });

const SOURCES: SettlementSources = {
  interval: INTERVAL,
  clearing: CLEARING,
  vpp: { vppId: 'vpp-1', feeBps: 500 },
  ders: [
    { derId: 'der-a', vppId: 'vpp-1', registeredAt: EARLY },
    { derId: 'der-b', vppId: 'vpp-1', registeredAt: EARLY },
    { derId: 'der-late', vppId: 'vpp-1', registeredAt: '2026-01-02T12:30:00.000Z' },
  ],
  readings: [
    reading('der-a', '2026-01-02T12:15:00.000Z', 0, 700),
    reading('der-a', '2026-01-02T12:00:00.000Z', 0, 900),
    reading('der-a', '2026-01-02T12:00:00.000Z', 1, 100),
  ],
  calendar: DEFAULT_CALENDAR,
  toleranceBps: SETTLEMENT_TOLERANCE_BPS,
  penaltyFactorPermille: 1200,
  ruleVersion: 1,
  settledAt: '2026-01-02T13:30:00.000Z',
  txId: 'tx-settle',
};

const FAST_RULES = {
  meteringIntervalSeconds: 10,
  readingWindowSeconds: 30,
  clockSkewSeconds: 5,
  maxDeliverySeconds: 3_600,
  maxLeadSeconds: 86_400,
};

describe('domain/settlement/sources', () => {
  describe('#meteringIntervalsOf / #readingWindowEndOf', () => {
    it('should count the metering intervals starting within the delivery, and close the window 60 minutes after the last ends', () => {
      const cases: [string, string, string[], string][] = [
        ['12:00', '12:15', ['12:00'], '13:15'],
        ['12:00', '13:00', ['12:00', '12:15', '12:30', '12:45'], '14:00'],
        // Not on 15-minute boundaries: counted by start; the window follows the last one counted.
        ['12:05', '12:20', ['12:15'], '13:30'],
        ['12:15', '12:31', ['12:15', '12:30'], '13:45'],
        ['12:01', '12:10', [], '13:10'],
      ];
      const iso = (hhmm: string) => `2026-01-02T${hhmm}:00.000Z`;
      for (const [start, end, ids, windowEnd] of cases) {
        const interval = delivery(iso(start), iso(end));
        assert.deepEqual(meteringIntervalsOf(interval, DEFAULT_CALENDAR), ids.map(iso), `${start}-${end}`);
        assert.equal(readingWindowEndOf(interval, DEFAULT_CALENDAR), iso(windowEnd), `${start}-${end}`);
      }
    });

    it('should follow a calendar change inside the delivery, each metering interval by its own version', () => {
      // From 12:30 on, 10-second metering intervals with a 30-second reading window.
      const fast = buildMarketCalendarVersion(
        { ...FAST_RULES, effectiveFrom: '2026-01-02T12:30:00.000Z', description: 'fast' },
        DEFAULT_CALENDAR_V1,
        '2026-01-02T12:00:00.000Z',
        { mspId: MspId.REGULATOR, role: Role.REGULATOR },
      );
      const history = calendarHistory([fast, DEFAULT_CALENDAR_V1]);
      const interval = delivery('2026-01-02T12:15:00.000Z', '2026-01-02T12:30:30.000Z');
      assert.deepEqual(meteringIntervalsOf(interval, history), [
        '2026-01-02T12:15:00.000Z',
        '2026-01-02T12:30:00.000Z',
        '2026-01-02T12:30:10.000Z',
        '2026-01-02T12:30:20.000Z',
      ]);
      assert.equal(readingWindowEndOf(interval, history), '2026-01-02T12:31:00.000Z');
      // The same delivery before the change is read as before.
      const before = delivery('2026-01-02T12:00:00.000Z', '2026-01-02T12:30:00.000Z');
      assert.deepEqual(meteringIntervalsOf(before, history), meteringIntervalsOf(before, DEFAULT_CALENDAR));
      assert.equal(readingWindowEndOf(before, history), '2026-01-02T13:30:00.000Z');
    });

    it('should give a full day 96 metering intervals', () => {
      const ids = meteringIntervalsOf(
        delivery('2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z'),
        DEFAULT_CALENDAR,
      );
      assert.equal(ids.length, 96);
      assert.equal(ids.at(-1), '2026-01-02T23:45:00.000Z');
    });
  });

  describe('#settlementSequence', () => {
    it('should keep the metering interval in the sequence and refuse device sequences out of range', () => {
      assert.equal(settlementSequence(0, 0), 0);
      assert.equal(settlementSequence(0, 59), 59);
      assert.equal(settlementSequence(1, 0), 60);
      assert.equal(settlementSequence(95, 59), 5759);
      assert.throws(() => settlementSequence(0, 60), invalid(/sequence 60/));
      assert.throws(() => settlementSequence(0, -1), invalid());
    });
  });

  describe('#requireEnergyProduct', () => {
    it('should pass energy products and refuse reserve with INVALID_STATE', () => {
      requireEnergyProduct({ intervalId: 'i-1', product: 'energy-up' });
      requireEnergyProduct({ intervalId: 'i-1', product: 'energy-down' });
      assert.throws(
        () => requireEnergyProduct({ intervalId: 'i-1', product: 'reserve' }),
        vppError(ErrorCode.INVALID_STATE, /reserve/),
      );
    });
  });

  describe('#awardOfVpp', () => {
    it("should sum the VPP's awarded bids at the clearing price, named by the clearing transaction", () => {
      assert.deepEqual(awardOfVpp(CLEARING, 'i-1', 'vpp-1'), {
        awardId: 'tx-clear',
        quantityWh: 2000,
        clearingPrice: 300_000,
      });
      assert.deepEqual(awardOfVpp(CLEARING, 'i-1', 'vpp-2').quantityWh, 1000);
    });

    it('should answer NOT_FOUND without an award and INTERNAL for a clearing of another interval', () => {
      assert.throws(
        () => awardOfVpp(CLEARING, 'i-1', 'vpp-3'),
        vppError(ErrorCode.NOT_FOUND, /vpp vpp-3 has no award in interval i-1/),
      );
      const empty: ClearingRecord = {
        ...CLEARING,
        result: { ...CLEARING.result, clearingPrice: null, totalAwarded: 0, awards: [] },
      };
      assert.throws(() => awardOfVpp(empty, 'i-1', 'vpp-1'), vppError(ErrorCode.NOT_FOUND));
      assert.throws(() => awardOfVpp(CLEARING, 'i-2', 'vpp-1'), internal());
    });
  });

  describe('#settlementInputsOf', () => {
    it('should settle the DERs registered before the delivery ended, with their readings in place', () => {
      const inputs = settlementInputsOf(SOURCES);
      assert.deepEqual(inputs, {
        intervalId: 'i-1',
        intervalStart: '2026-01-02T12:00:00.000Z',
        vppId: 'vpp-1',
        award: { awardId: 'tx-clear', quantityWh: 2000, clearingPrice: 300_000 },
        ders: [
          {
            derId: 'der-a',
            readings: [
              { sequence: 0, energyWh: 900 },
              { sequence: 1, energyWh: 100 },
              { sequence: 60, energyWh: 700 },
            ],
          },
          { derId: 'der-b', readings: [] },
        ],
        toleranceBps: 500,
        penaltyFactorPermille: 1200,
        feeBps: 500,
        ruleVersion: 1,
        settledAt: '2026-01-02T13:30:00.000Z',
        txId: 'tx-settle',
      });
      assert.equal(settleInterval(inputs).vppLine.deliveredWh, 1700);
    });

    it('should include a DER registered late if it has readings, and not depend on the order of the records', () => {
      const sources: SettlementSources = {
        ...SOURCES,
        ders: [...SOURCES.ders].reverse(),
        readings: [...SOURCES.readings, reading('der-late', '2026-01-02T12:15:00.000Z', 3, 50)].reverse(),
      };
      const inputs = settlementInputsOf(sources);
      assert.deepEqual(
        inputs.ders.map((der) => [der.derId, der.readings.map((r) => r.sequence)]),
        [
          ['der-a', [0, 1, 60]],
          ['der-b', []],
          ['der-late', [63]],
        ],
      );
      const reordered = settlementInputsOf({ ...sources, readings: [...sources.readings].reverse() });
      assert.deepEqual(reordered, inputs);
    });

    it('should treat records that do not belong to the delivery as INTERNAL', () => {
      const cases: [Partial<SettlementSources>, RegExp][] = [
        [{ readings: [reading('der-a', '2026-01-02T12:30:00.000Z', 0, 1)] }, /not part of the delivery/],
        [{ readings: [reading('der-x', '2026-01-02T12:00:00.000Z', 0, 1, 'vpp-2')] }, /not part of/],
        [{ ders: [{ derId: 'der-x', vppId: 'vpp-2', registeredAt: EARLY }] }, /belongs to vpp vpp-2/],
      ];
      for (const [change, pattern] of cases) {
        assert.throws(() => settlementInputsOf({ ...SOURCES, ...change }), internal(pattern));
      }
    });

    it('should refuse reserve, a VPP without an award, and inputs settlement refuses', () => {
      assert.throws(
        () => settlementInputsOf({ ...SOURCES, interval: { ...INTERVAL, product: 'reserve' } }),
        vppError(ErrorCode.INVALID_STATE),
      );
      assert.throws(
        () => settlementInputsOf({ ...SOURCES, vpp: { vppId: 'vpp-3', feeBps: 0 } }),
        vppError(ErrorCode.NOT_FOUND),
      );
      assert.throws(() => settlementInputsOf({ ...SOURCES, toleranceBps: 10_001 }), invalid(/toleranceBps/));
    });
  });

  describe('#isPenaltyFactorOf', () => {
    it("should accept exactly the factors of the rulebook's levels", () => {
      const rulebook = { ...DEFAULT_RULEBOOK, version: 1 } as unknown as RulebookVersion;
      for (const factor of [1000, 1200, 1500, 2000]) assert.equal(isPenaltyFactorOf(rulebook, factor), true);
      for (const factor of [0, 999, 1234, 10_000]) assert.equal(isPenaltyFactorOf(rulebook, factor), false);
    });
  });

  describe('#parseStatementRequest', () => {
    it('should accept a month per day or per month, and a day per day', () => {
      assert.deepEqual(parseStatementRequest('2026-01', 'day'), {
        period: '2026-01',
        unit: 'day',
        month: '2026-01',
      });
      assert.deepEqual(parseStatementRequest('2026-12', 'month'), {
        period: '2026-12',
        unit: 'month',
        month: '2026-12',
      });
      assert.deepEqual(parseStatementRequest('2024-02-29', 'day'), {
        period: '2024-02-29',
        unit: 'day',
        month: '2024-02',
        day: '2024-02-29',
      });
    });

    it('should refuse anything else with INVALID_ARGUMENT', () => {
      const cases: [unknown, unknown, RegExp][] = [
        ['2026-01', 'week', /unit must be one of day, month/],
        ['2026-01', undefined, /unit/],
        ['2026-01-02', 'month', /only be totalled per day/],
        ['2026-00', 'month', /not a calendar month/],
        ['2026-13', 'day', /not a calendar month/],
        ['2026-02-29', 'day', /not a calendar day/],
        ['2026-04-31', 'day', /not a calendar day/],
        ['2026', 'month', /YYYY-MM or day YYYY-MM-DD/],
        ['2026-01-02T00:00:00.000Z', 'day', /YYYY-MM/],
        [' 2026-01', 'day', /YYYY-MM/],
        [202601, 'day', /YYYY-MM/],
      ];
      for (const [period, unit, pattern] of cases) {
        assert.throws(
          () => parseStatementRequest(period, unit),
          invalid(pattern),
          `${String(period)} ${String(unit)}`,
        );
      }
    });
  });
});
