import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  compareIds,
  copyActor,
  nonNegativeInteger,
  parseActor,
  positiveInteger,
  requireLowerHex,
  requireMarketId,
  requireSortedList,
  requireTxId,
  sha256Hex,
  txMillis,
} from '../../../../../chaincode/src/domain/market/common';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('domain/market/common', () => {
  describe('#requireMarketId', () => {
    it('should accept ASCII ids verbatim and refuse anything that would need trimming', () => {
      for (const id of ['a', 'vpp-1', 'I.2025-03-01T12:00_up', 'x'.repeat(64)]) {
        assert.equal(requireMarketId({ id }, 'id'), id);
      }
      for (const id of ['', ' a', 'a ', '-a', '.a', 'a/b', 'ä', 'x'.repeat(65), 'a\u0000', 1, null]) {
        assert.throws(
          () => requireMarketId({ id }, 'id'),
          invalid(/^INVALID_ARGUMENT: id must be 1\.\.64/),
          String(id),
        );
      }
    });
  });

  describe('integer checks', () => {
    it('should accept zero only where it is allowed', () => {
      assert.equal(nonNegativeInteger(0, 'price'), 0);
      assert.equal(positiveInteger(1, 'quantity'), 1);
      assert.throws(() => positiveInteger(0, 'quantity'), invalid(/quantity must be a positive integer/));
      for (const value of [-1, 0.5, 2 ** 53, '1', NaN, Infinity]) {
        assert.throws(
          () => nonNegativeInteger(value, 'price'),
          invalid(/price must be a non-negative integer/),
        );
      }
    });
  });

  describe('#requireLowerHex / #requireTxId', () => {
    it('should require exact-length lowercase hex and printable tx ids', () => {
      assert.equal(requireLowerHex({ h: 'ab'.repeat(32) }, 'h', 32), 'ab'.repeat(32));
      for (const h of ['AB'.repeat(32), 'ab'.repeat(31), 'ag'.repeat(32), 7]) {
        assert.throws(
          () => requireLowerHex({ h }, 'h', 32),
          invalid(/h must be 64 lowercase hex characters/),
        );
      }
      assert.equal(requireTxId({ t: 'tx0001' }, 't'), 'tx0001');
      for (const t of ['', 'a b', 'x'.repeat(129), 'é']) {
        assert.throws(() => requireTxId({ t }, 't'), invalid(/t must be 1\.\.128 printable ASCII/));
      }
    });
  });

  describe('#requireSortedList', () => {
    const parseItem = (raw: unknown, what: string) => requireMarketId({ [what]: raw }, what);
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

  describe('#txMillis', () => {
    it('should parse only toISOString-form transaction times', () => {
      assert.equal(txMillis('1970-01-01T00:00:01.000Z'), 1_000);
      assert.throws(() => txMillis('1970-01-01T00:00:01Z'), invalid(/txTime/));
    });
  });

  describe('actors, hashing and ordering', () => {
    it('should parse and copy actors', () => {
      const actor = { mspId: 'TradingMSP', role: 'trading' } as const;
      assert.deepEqual(parseActor(actor, 'by'), actor);
      assert.notEqual(copyActor(actor), actor);
      assert.throws(() => parseActor({ mspId: 'EvilMSP', role: 'trading' }, 'by'), invalid(/mspId/));
      assert.throws(() => parseActor({ ...actor, name: 'x' }, 'by'), invalid(/by has unsupported/));
    });

    it('should hash the concatenation of its parts', () => {
      const expected = createHash('sha256')
        .update('ab')
        .update(Buffer.from([1, 2]))
        .digest('hex');
      assert.equal(sha256Hex('a', 'b', new Uint8Array([1, 2])), expected);
    });

    it('should order ids by code unit, not locale', () => {
      assert.deepEqual(['b', 'B', 'a', 'A', '1'].sort(compareIds), ['1', 'A', 'B', 'a', 'b']);
    });
  });
});
