import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildDemand,
  parseDemandInput,
  parseStoredDemand,
} from '../../../../../chaincode/src/domain/market/demand';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import {
  CONTROLLER,
  GATE_CLOSURE,
  INTERVAL_ID,
  msBefore,
  openInterval,
  postDemand,
} from '../../../../support/market-fixtures';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

const INPUT = { intervalId: INTERVAL_ID, product: 'energy-up', quantity: 2_000, priceCap: 10_000 };

describe('domain/market/demand', () => {
  describe('#parseDemandInput', () => {
    it('should accept a valid demand unchanged, including a zero price cap', () => {
      assert.deepEqual(parseDemandInput(INPUT), INPUT);
      assert.equal(parseDemandInput({ ...INPUT, priceCap: 0 }).priceCap, 0);
    });

    it('should refuse non-integer, non-positive and unknown values', () => {
      const bad: [Record<string, unknown>, RegExp][] = [
        [{ quantity: 0 }, /quantity must be a positive integer/],
        [{ quantity: -5 }, /quantity must be a positive integer/],
        [{ quantity: 1.5 }, /quantity must be a positive integer/],
        [{ quantity: '100' }, /quantity must be a positive integer/],
        [{ quantity: 2 ** 53 }, /quantity must be a positive integer/],
        [{ priceCap: -1 }, /priceCap must be a non-negative integer/],
        [{ priceCap: 99.9 }, /priceCap must be a non-negative integer/],
        [{ product: 'gas' }, /product must be one of/],
        [{ intervalId: 'a/b' }, /intervalId/],
        [{ unit: 'Wh' }, /unsupported field\(s\): unit/],
      ];
      for (const [override, pattern] of bad) {
        assert.throws(
          () => parseDemandInput({ ...INPUT, ...override }),
          invalid(pattern),
          JSON.stringify(override),
        );
      }
    });
  });

  describe('#buildDemand', () => {
    const interval = openInterval();

    it('should stamp unit, posting time and author', () => {
      const txTime = msBefore(GATE_CLOSURE);
      assert.deepEqual(buildDemand({ input: INPUT, interval, caller: CONTROLLER, txTime }), {
        ...INPUT,
        quantityUnit: 'Wh',
        postedAt: txTime,
        postedBy: { mspId: 'ControlMSP', role: 'control' },
      });
      const reserve = openInterval({ product: 'reserve' });
      assert.equal(postDemand(reserve).quantityUnit, 'W');
    });

    it('should refuse a demand posted at or after gate closure with GATE_CLOSED', () => {
      assert.throws(
        () => buildDemand({ input: INPUT, interval, caller: CONTROLLER, txTime: GATE_CLOSURE }),
        vppError(ErrorCode.GATE_CLOSED, /before gate closure 2025-03-01T10:00:00.000Z/),
      );
    });

    it('should refuse a demand for another interval or product', () => {
      const txTime = msBefore(GATE_CLOSURE);
      assert.throws(
        () => buildDemand({ input: { ...INPUT, intervalId: 'other' }, interval, caller: CONTROLLER, txTime }),
        invalid(/names interval other/),
      );
      assert.throws(
        () => buildDemand({ input: { ...INPUT, product: 'reserve' }, interval, caller: CONTROLLER, txTime }),
        invalid(/product reserve does not match interval product energy-up/),
      );
    });
  });

  describe('#parseStoredDemand', () => {
    const stored = postDemand(openInterval());

    it('should accept what buildDemand produces', () => {
      assert.deepEqual(parseStoredDemand(JSON.parse(JSON.stringify(stored))), stored);
    });

    it('should reject corrupted records', () => {
      const corrupt: unknown[] = [
        { ...stored, quantityUnit: 'W' },
        { ...stored, quantity: 0 },
        { ...stored, priceCap: -1 },
        { ...stored, postedAt: 'now' },
        { ...stored, postedBy: { mspId: 'ControlMSP' } },
        { ...stored, extra: true },
        'demand',
      ];
      for (const value of corrupt) {
        assert.throws(() => parseStoredDemand(value), invalid(), JSON.stringify(value));
      }
    });
  });
});
