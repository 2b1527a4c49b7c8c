import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildMarketCalendarVersion,
  calendarAt,
  calendarHistory,
  DEFAULT_MARKET_CALENDAR,
  describeSeconds,
  maxEnergyWh,
  meteringIntervalIdAt,
  meteringIntervalsBetween,
  parseMarketCalendarInput,
  parseStoredMarketCalendarVersion,
  readingWindowEndMillis,
  requireMeteringInterval,
} from '../../../../../chaincode/src/domain/market/calendar';
import { MspId, Role } from '../../../../../chaincode/src/types/consortium';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { DEFAULT_CALENDAR, DEFAULT_CALENDAR_V1 } from '../../../../support/market-calendar';
import { vppError } from '../../../../support/vpp-assert';

const REGULATOR = { mspId: MspId.REGULATOR, role: Role.REGULATOR };
const FAST = {
  ...DEFAULT_MARKET_CALENDAR,
  description: 'fast',
  meteringIntervalSeconds: 10,
  readingWindowSeconds: 30,
  clockSkewSeconds: 5,
};
const invalid = (message: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, message);
const iso = (hhmmss: string) => `2026-01-02T${hhmmss}.000Z`;

describe('domain/market/calendar', () => {
  describe('#parseMarketCalendarInput', () => {
    it('should accept the default calendar and refuse figures out of their rules', () => {
      assert.deepEqual(parseMarketCalendarInput(DEFAULT_MARKET_CALENDAR), DEFAULT_MARKET_CALENDAR);
      const bad: [object, RegExp][] = [
        [{ meteringIntervalSeconds: 0 }, /meteringIntervalSeconds/],
        [{ meteringIntervalSeconds: 3_601 }, /meteringIntervalSeconds/],
        [{ meteringIntervalSeconds: 7 }, /must divide a day/],
        [{ meteringIntervalSeconds: 900.5 }, /meteringIntervalSeconds/],
        [{ readingWindowSeconds: 0 }, /readingWindowSeconds/],
        [{ clockSkewSeconds: 900 }, /clockSkewSeconds must be shorter than the metering interval/],
        [{ maxDeliverySeconds: 600 }, /at least one metering interval/],
        [{ maxDeliverySeconds: 86_401 }, /maxDeliverySeconds/],
        [{ maxLeadSeconds: 59 }, /maxLeadSeconds/],
        [{ description: '' }, /description/],
        [{ version: 2 }, /unsupported field/],
      ];
      for (const [change, message] of bad) {
        assert.throws(
          () => parseMarketCalendarInput({ ...DEFAULT_MARKET_CALENDAR, ...change }),
          invalid(message),
        );
      }
    });
  });

  describe('#buildMarketCalendarVersion', () => {
    it('should start the history at the epoch and refuse a first version with another effectiveFrom', () => {
      assert.equal(DEFAULT_CALENDAR_V1.effectiveFrom, '1970-01-01T00:00:00.000Z');
      assert.throws(
        () =>
          buildMarketCalendarVersion(
            { ...FAST, effectiveFrom: iso('12:00:00') },
            undefined,
            iso('11:00:00'),
            REGULATOR,
          ),
        invalid(/leave effectiveFrom out/),
      );
      assert.throws(
        () =>
          buildMarketCalendarVersion(FAST, undefined, iso('11:00:00'), {
            mspId: MspId.TRADING,
            role: Role.ADMIN,
          }),
        vppError(ErrorCode.FORBIDDEN),
      );
    });

    it('should take effect at the transaction time when that lies on both grids', () => {
      const next = buildMarketCalendarVersion(FAST, DEFAULT_CALENDAR_V1, iso('12:15:00'), REGULATOR);
      assert.deepEqual(
        [next.version, next.effectiveFrom, next.createdAt],
        [2, iso('12:15:00'), iso('12:15:00')],
      );
      assert.deepEqual(parseStoredMarketCalendarVersion(JSON.parse(JSON.stringify(next))), next);
      assert.throws(
        () => buildMarketCalendarVersion(FAST, DEFAULT_CALENDAR_V1, iso('12:16:00'), REGULATOR),
        invalid(/version 1's 15-minute grid/),
      );
    });
  });

  describe('the metering grid', () => {
    const fast = buildMarketCalendarVersion(
      { ...FAST, effectiveFrom: iso('12:30:00') },
      DEFAULT_CALENDAR_V1,
      iso('12:00:00'),
      REGULATOR,
    );
    const history = calendarHistory([fast, DEFAULT_CALENDAR_V1]);

    it('should take each instant by the version in force then', () => {
      assert.equal(calendarAt(history, iso('12:29:59')).version, 1);
      assert.equal(calendarAt(history, iso('12:30:00')).version, 2);
      assert.equal(meteringIntervalIdAt(history, iso('12:29:59')), iso('12:15:00'));
      assert.equal(meteringIntervalIdAt(history, iso('12:30:19')), iso('12:30:10'));
      assert.throws(() => calendarAt(calendarHistory([]), iso('12:00:00')), vppError(ErrorCode.NOT_FOUND));
    });

    it('should accept interval ids on the grid in force and name its length otherwise', () => {
      assert.equal(requireMeteringInterval(history, iso('12:15:00')).version, 1);
      assert.equal(requireMeteringInterval(history, iso('12:30:10')).version, 2);
      assert.throws(
        () => requireMeteringInterval(DEFAULT_CALENDAR, '2026-11-25T10:16:00.000Z'),
        invalid(/intervalId must start on a 15-minute boundary \(market calendar version 1\)/),
      );
      assert.throws(
        () => requireMeteringInterval(history, iso('12:30:05')),
        invalid(/10-second boundary \(market calendar version 2\)/),
      );
    });

    it('should list metering intervals across a change and close each one by its own window', () => {
      assert.deepEqual(meteringIntervalsBetween(history, iso('12:10:00'), iso('12:30:25')), [
        iso('12:15:00'),
        iso('12:30:00'),
        iso('12:30:10'),
        iso('12:30:20'),
      ]);
      assert.equal(readingWindowEndMillis(history, iso('12:15:00')), Date.parse(iso('13:30:00')));
      assert.equal(readingWindowEndMillis(history, iso('12:30:20')), Date.parse(iso('12:31:00')));
    });

    it('should give the most energy per metering interval, floored', () => {
      assert.equal(maxEnergyWh(8000, DEFAULT_CALENDAR_V1), 2000);
      assert.equal(maxEnergyWh(8000, fast), 22);
      assert.deepEqual(
        [describeSeconds(900), describeSeconds(10), describeSeconds(7_200)],
        ['15-minute', '10-second', '2-hour'],
      );
    });
  });
});
