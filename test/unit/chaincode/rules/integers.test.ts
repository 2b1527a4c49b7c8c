import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ANY_SAFE_INTEGER,
  isIntegerIn,
  NON_NEGATIVE,
  POSITIVE,
  requireInteger,
  requireIntegerValue,
} from '../../../../chaincode/src/rules/integers';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { vppError } from '../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('rules/integers', () => {
  describe('#requireInteger', () => {
    it('should accept safe integers within the range and describe the range when refusing', () => {
      assert.equal(requireInteger({ n: 0 }, 'n', { min: 0, max: 5 }), 0);
      assert.equal(requireInteger({ n: 5 }, 'n', { min: 0, max: 5 }), 5);
      assert.equal(requireInteger({ n: -7 }, 'n', ANY_SAFE_INTEGER), -7);
      assert.equal(
        requireInteger({ n: Number.MAX_SAFE_INTEGER }, 'n', NON_NEGATIVE),
        Number.MAX_SAFE_INTEGER,
      );
      assert.throws(
        () => requireInteger({ n: 6 }, 'n', { min: 0, max: 5 }),
        invalid(/n must be an integer in 0\.\.5/),
      );
      assert.throws(
        () => requireInteger({ n: -1 }, 'n', NON_NEGATIVE),
        invalid(/n must be a non-negative integer/),
      );
      for (const n of [1.5, 2 ** 53, '3', null, undefined, NaN]) {
        assert.throws(
          () => requireInteger({ n }, 'n', ANY_SAFE_INTEGER),
          invalid(/n must be an integer/),
          String(n),
        );
      }
    });

    it('should accept safe positive integers only under POSITIVE', () => {
      assert.equal(requireInteger({ n: 3 }, 'n', POSITIVE), 3);
      for (const n of [0, -1, 1.5, 2 ** 53, '3', null]) {
        assert.throws(
          () => requireInteger({ n }, 'n', POSITIVE),
          invalid(/n must be a positive integer/),
          String(n),
        );
      }
    });
  });

  describe('#requireIntegerValue', () => {
    it('should accept zero only where it is allowed', () => {
      assert.equal(requireIntegerValue(0, 'price', NON_NEGATIVE), 0);
      assert.equal(requireIntegerValue(1, 'quantity', POSITIVE), 1);
      assert.throws(
        () => requireIntegerValue(0, 'quantity', POSITIVE),
        invalid(/quantity must be a positive integer/),
      );
      for (const value of [-1, 0.5, 2 ** 53, '1', NaN, Infinity]) {
        assert.throws(
          () => requireIntegerValue(value, 'price', NON_NEGATIVE),
          invalid(/price must be a non-negative integer/),
        );
      }
    });
  });

  describe('#isIntegerIn', () => {
    it('should hold for safe integers inside the closed range only', () => {
      assert.equal(isIntegerIn(9999, { min: 0, max: 9999 }), true);
      assert.equal(isIntegerIn(10_000, { min: 0, max: 9999 }), false);
      assert.equal(isIntegerIn(-1, NON_NEGATIVE), false);
      assert.equal(isIntegerIn(2 ** 53, ANY_SAFE_INTEGER), false);
      assert.equal(isIntegerIn('7', ANY_SAFE_INTEGER), false);
    });
  });
});
