import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MARKET_ID, requireId } from '../../../../chaincode/src/rules/ids';
import { requireList, requireSortedList } from '../../../../chaincode/src/rules/lists';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { vppError } from '../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('rules/lists', () => {
  describe('#requireList', () => {
    it('should bound the number of entries', () => {
      assert.deepEqual(requireList({ l: [1, 2] }, 'l', { min: 0, max: 2 }), [1, 2]);
      assert.throws(
        () => requireList({ l: [1, 2, 3] }, 'l', { min: 0, max: 2 }),
        invalid(/l must have 0\.\.2 entries, got 3/),
      );
      assert.throws(() => requireList({ l: {} }, 'l', { min: 0, max: 2 }), invalid(/l must be an array/));
    });
  });

  describe('#requireSortedList', () => {
    const parseItem = (raw: unknown, what: string) => requireId({ [what]: raw }, what, MARKET_ID);
    const list = (items: unknown) => requireSortedList({ ids: items }, 'ids', parseItem, (id) => id, 'id');

    it('should decode each item under its index and keep the order', () => {
      assert.deepEqual(list([]), []);
      assert.deepEqual(list(['A', 'a', 'b']), ['A', 'a', 'b']);
      assert.throws(() => list(['a', ' b']), invalid(/^INVALID_ARGUMENT: ids\[1\] must be 1\.\.64/));
    });

    it('should refuse a non-array, unsorted items and duplicates', () => {
      assert.throws(() => list({ 0: 'a' }), invalid(/^INVALID_ARGUMENT: ids must be an array$/));
      for (const items of [
        ['b', 'a'],
        ['a', 'a'],
      ]) {
        assert.throws(
          () => list(items),
          invalid(/^INVALID_ARGUMENT: ids must be sorted by id without duplicates$/),
        );
      }
    });
  });
});
