import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  backedQuantity,
  buildMarketInterval,
  deliverySeconds,
  intervalPhase,
  KNOWN_MARKET_PRODUCTS,
  parseMarketIntervalInput,
  parseStoredMarketInterval,
  quantityUnitOf,
  requireQuantityUnitOf,
} from '../../../../../chaincode/src/domain/market/interval';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import {
  DELIVERY_END,
  DELIVERY_START,
  GATE_CLOSURE,
  INTERVAL_INPUT,
  msAfter,
  msBefore,
  OPENED_AT,
  openInterval,
  REVEAL_DEADLINE,
  TRADER,
} from '../../../../support/market-fixtures';
import { DEFAULT_CALENDAR_V1 } from '../../../../support/market-calendar';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('domain/market/interval', () => {
  describe('#quantityUnitOf', () => {
    it('should trade energy in Wh and reserve in W', () => {
      assert.deepEqual(KNOWN_MARKET_PRODUCTS, ['energy-up', 'energy-down', 'reserve']);
      assert.equal(quantityUnitOf('energy-up'), 'Wh');
      assert.equal(quantityUnitOf('energy-down'), 'Wh');
      assert.equal(quantityUnitOf('reserve'), 'W');
    });
  });

  describe('#requireQuantityUnitOf', () => {
    it("should accept a stored quantityUnit only if it is the product's", () => {
      assert.equal(requireQuantityUnitOf({ quantityUnit: 'Wh' }, 'energy-down'), 'Wh');
      assert.equal(requireQuantityUnitOf({ quantityUnit: 'W' }, 'reserve'), 'W');
      assert.throws(
        () => requireQuantityUnitOf({ quantityUnit: 'W' }, 'energy-up'),
        invalid(/^INVALID_ARGUMENT: quantityUnit W does not belong to product energy-up$/),
      );
      assert.throws(
        () => requireQuantityUnitOf({ quantityUnit: 'kWh' }, 'energy-up'),
        invalid(/quantityUnit/),
      );
    });
  });

  describe('#parseMarketIntervalInput', () => {
    it('should accept a well-ordered interval unchanged', () => {
      assert.deepEqual(parseMarketIntervalInput({ ...INTERVAL_INPUT }), { ...INTERVAL_INPUT });
    });

    it('should allow the reveal deadline to coincide with the delivery start', () => {
      const input = { ...INTERVAL_INPUT, revealDeadline: DELIVERY_START };
      assert.equal(parseMarketIntervalInput(input).revealDeadline, DELIVERY_START);
    });

    it('should refuse every ordering violation', () => {
      const cases: [Record<string, string>, RegExp][] = [
        [{ gateClosure: REVEAL_DEADLINE }, /gateClosure must be before revealDeadline/],
        [{ gateClosure: msAfter(REVEAL_DEADLINE) }, /gateClosure must be before revealDeadline/],
        [{ revealDeadline: msAfter(DELIVERY_START) }, /revealDeadline must not be after deliveryStart/],
        [{ deliveryEnd: DELIVERY_START }, /deliveryStart must be before deliveryEnd/],
        [{ deliveryEnd: '2025-03-01T11:45:00.000Z' }, /deliveryStart must be before deliveryEnd/],
      ];
      for (const [override, pattern] of cases) {
        assert.throws(
          () => parseMarketIntervalInput({ ...INTERVAL_INPUT, ...override }),
          invalid(pattern),
          JSON.stringify(override),
        );
      }
    });

    it('should require a delivery length of whole seconds, at most 24 hours', () => {
      assert.throws(
        () => parseMarketIntervalInput({ ...INTERVAL_INPUT, deliveryEnd: '2025-03-01T12:15:00.001Z' }),
        invalid(/whole number of seconds/),
      );
      const seconds = parseMarketIntervalInput({
        ...INTERVAL_INPUT,
        deliveryEnd: '2025-03-01T12:00:20.000Z',
      });
      assert.equal(deliverySeconds(seconds), 20);
      const day = parseMarketIntervalInput({ ...INTERVAL_INPUT, deliveryEnd: '2025-03-02T12:00:00.000Z' });
      assert.equal(deliverySeconds(day), 86_400);
      assert.throws(
        () => parseMarketIntervalInput({ ...INTERVAL_INPUT, deliveryEnd: '2025-03-02T12:00:01.000Z' }),
        invalid(/at most 1440 minutes/),
      );
      // Whole seconds of length; the start itself need not sit on a minute boundary.
      const odd = parseMarketIntervalInput({
        ...INTERVAL_INPUT,
        deliveryStart: '2025-03-01T12:00:30.000Z',
        deliveryEnd: '2025-03-01T12:05:30.000Z',
      });
      assert.equal(deliverySeconds(odd), 300);
    });

    it('should refuse bad products, ids, timestamps and unknown fields', () => {
      const bad: [Record<string, unknown>, RegExp][] = [
        [{ product: 'energy' }, /product must be one of energy-up, energy-down, reserve/],
        [{ intervalId: '' }, /intervalId/],
        [{ intervalId: ' i-1' }, /intervalId/],
        [{ intervalId: 'i 1' }, /intervalId/],
        [{ intervalId: 'x'.repeat(65) }, /intervalId/],
        [{ intervalId: 7 }, /intervalId/],
        [{ gateClosure: '2025-03-01T10:00:00Z' }, /gateClosure must be an ISO-8601 UTC timestamp/],
        [{ deliveryStart: '2025-02-30T12:00:00.000Z' }, /deliveryStart must be an ISO-8601/],
        [{ quantityUnit: 'Wh' }, /unsupported field\(s\): quantityUnit/],
      ];
      for (const [override, pattern] of bad) {
        assert.throws(
          () => parseMarketIntervalInput({ ...INTERVAL_INPUT, ...override }),
          invalid(pattern),
          JSON.stringify(override),
        );
      }
      assert.equal(
        parseMarketIntervalInput({ ...INTERVAL_INPUT, intervalId: 'x'.repeat(64) }).intervalId.length,
        64,
      );
      for (const value of [null, [], 'interval', undefined]) {
        assert.throws(() => parseMarketIntervalInput(value), invalid(/must be a JSON object/));
      }
    });
  });

  describe('#buildMarketInterval', () => {
    it('should stamp unit, opening time and author', () => {
      const reserve = buildMarketInterval({
        input: { ...INTERVAL_INPUT, product: 'reserve' },
        caller: TRADER,
        txTime: OPENED_AT,
        calendar: DEFAULT_CALENDAR_V1,
      });
      assert.deepEqual(reserve, {
        ...INTERVAL_INPUT,
        product: 'reserve',
        quantityUnit: 'W',
        openedAt: OPENED_AT,
        openedBy: { mspId: 'TradingMSP', role: 'trading' },
      });
      assert.equal(openInterval().quantityUnit, 'Wh');
    });

    it('should open only before gate closure', () => {
      const at = (txTime: string) =>
        buildMarketInterval({ input: INTERVAL_INPUT, caller: TRADER, txTime, calendar: DEFAULT_CALENDAR_V1 });
      assert.equal(at(msBefore(GATE_CLOSURE)).openedAt, msBefore(GATE_CLOSURE));
      assert.throws(() => at(GATE_CLOSURE), invalid(/gateClosure .* is not after the transaction time/));
      assert.throws(() => at(DELIVERY_END), invalid(/is not after the transaction time/));
    });

    it('should refuse delivery more than 31 days ahead', () => {
      const at = (txTime: string) =>
        buildMarketInterval({ input: INTERVAL_INPUT, caller: TRADER, txTime, calendar: DEFAULT_CALENDAR_V1 });
      // 2025-03-01T12:00 minus exactly 31 days is 2025-01-29T12:00.
      assert.equal(at('2025-01-29T12:00:00.000Z').openedAt, '2025-01-29T12:00:00.000Z');
      assert.throws(() => at('2025-01-29T11:59:59.999Z'), invalid(/at most 31 days/));
    });

    it("should hold delivery length and lead time to the market calendar's bounds", () => {
      const calendar = { ...DEFAULT_CALENDAR_V1, version: 3, maxDeliverySeconds: 600, maxLeadSeconds: 7_200 };
      const open = (input: Record<string, unknown>, txTime: string) =>
        buildMarketInterval({ input: { ...INTERVAL_INPUT, ...input }, caller: TRADER, txTime, calendar });
      // 15 minutes of delivery exceed the calendar's 10 (the structural cap is a day).
      assert.throws(
        () => open({}, '2025-03-01T09:30:00.000Z'),
        invalid(/delivery length must be at most 10 minutes \(market calendar version 3\)/),
      );
      const short = { deliveryEnd: '2025-03-01T12:10:00.000Z', gateClosure: '2025-03-01T10:30:00.000Z' };
      // Delivery at 12:00 may be opened from 10:00 on (two hours' lead), not a second earlier.
      assert.equal(open(short, '2025-03-01T10:00:00.000Z').openedAt, '2025-03-01T10:00:00.000Z');
      assert.throws(() => open(short, '2025-03-01T09:59:59.000Z'), invalid(/at most 120 minutes after/));
    });

    it('should refuse a malformed transaction time', () => {
      assert.throws(
        () =>
          buildMarketInterval({
            input: INTERVAL_INPUT,
            caller: TRADER,
            txTime: 'yesterday',
            calendar: DEFAULT_CALENDAR_V1,
          }),
        invalid(/txTime/),
      );
    });
  });

  describe('#parseStoredMarketInterval', () => {
    const stored = openInterval();

    it('should accept what buildMarketInterval produces', () => {
      assert.deepEqual(parseStoredMarketInterval(JSON.parse(JSON.stringify(stored))), stored);
    });

    it('should reject corrupted records', () => {
      const corrupt: unknown[] = [
        { ...stored, quantityUnit: 'W' },
        { ...stored, quantityUnit: 'kWh' },
        { ...stored, openedAt: GATE_CLOSURE },
        { ...stored, openedBy: { mspId: 'TradingMSP', role: 'root' } },
        { ...stored, gateClosure: REVEAL_DEADLINE },
        { ...stored, extra: 1 },
        { ...stored, openedBy: undefined },
      ];
      for (const value of corrupt) {
        assert.throws(() => parseStoredMarketInterval(value), invalid(), JSON.stringify(value));
      }
    });
  });

  describe('#intervalPhase', () => {
    const interval = openInterval();

    it('should switch phases exactly at gate closure and reveal deadline', () => {
      const cases: [string, string][] = [
        [OPENED_AT, 'open'],
        [msBefore(GATE_CLOSURE), 'open'],
        [GATE_CLOSURE, 'reveal'],
        [msBefore(REVEAL_DEADLINE), 'reveal'],
        [REVEAL_DEADLINE, 'closed'],
        [DELIVERY_END, 'closed'],
      ];
      for (const [txTime, phase] of cases) {
        assert.equal(intervalPhase(interval, txTime), phase, txTime);
      }
    });

    it('should refuse a transaction time not in toISOString form', () => {
      assert.throws(() => intervalPhase(interval, '2025-03-01T10:00:00Z'), invalid(/txTime/));
    });
  });

  describe('#backedQuantity', () => {
    it('should convert watts to watt-hours over the delivery period, rounding down', () => {
      const interval = openInterval(); // 15 minutes
      assert.equal(backedQuantity(interval, 4_000), 1_000); // 4000 W × 0.25 h
      assert.equal(backedQuantity(interval, 4_003), 1_000); // 1000.75 Wh → 1000
      assert.equal(backedQuantity(interval, 4_004), 1_001);
      assert.equal(backedQuantity(interval, 0), 0);
      const day = openInterval({ deliveryEnd: '2025-03-02T12:00:00.000Z' });
      assert.equal(backedQuantity(day, 5_000), 120_000);
      assert.equal(
        backedQuantity(day, Number.MAX_SAFE_INTEGER),
        Number.MAX_SAFE_INTEGER,
        'capped, not rounded',
      );
    });

    it('should take reserve capacity in watts as is', () => {
      assert.equal(backedQuantity(openInterval({ product: 'reserve' }), 4_003), 4_003);
    });

    it('should refuse negative or fractional capacity', () => {
      for (const capacity of [-1, 1.5, NaN]) {
        assert.throws(() => backedQuantity(openInterval(), capacity), invalid(/capacity/));
      }
    });
  });
});
