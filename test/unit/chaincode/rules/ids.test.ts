import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareIds,
  ENTITY_ID,
  ENTITY_ID_PATTERN_SOURCE,
  MARKET_ID,
  MARKET_ID_PATTERN_SOURCE,
  requireId,
  requireIdValue,
  TX_ID,
  TX_ID_PATTERN_SOURCE,
} from '../../../../chaincode/src/rules/ids';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { vppError } from '../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('rules/ids', () => {
  describe('#requireId (entity ids)', () => {
    it('should accept ASCII ids without a colon, verbatim', () => {
      for (const id of ['a', 'pv-001', 'VPP_1.north', 'x'.repeat(64)]) {
        assert.equal(requireId({ id }, 'id', ENTITY_ID), id);
      }
    });

    it('should refuse a colon (the fabric-ca :ecert separator) and anything that would need trimming', () => {
      for (const id of ['', ' a', 'a ', '-a', 'a:b', 'a/b', 'ä', 'x'.repeat(65), 'a\u0000', 1, null]) {
        assert.throws(
          () => requireId({ id }, 'id', ENTITY_ID),
          invalid(
            /^INVALID_ARGUMENT: id must be 1\.\.64 characters of A-Z, a-z, 0-9, '\.', '_' or '-', starting alphanumeric$/,
          ),
          String(id),
        );
      }
    });
  });

  describe('#requireId (market ids)', () => {
    it('should accept ASCII ids verbatim and refuse anything that would need trimming', () => {
      for (const id of ['a', 'vpp-1', 'I.2025-03-01T12:00_up', 'x'.repeat(64)]) {
        assert.equal(requireId({ id }, 'id', MARKET_ID), id);
      }
      for (const id of ['', ' a', 'a ', '-a', '.a', 'a/b', 'ä', 'x'.repeat(65), 'a\u0000', 1, null]) {
        assert.throws(
          () => requireId({ id }, 'id', MARKET_ID),
          invalid(/^INVALID_ARGUMENT: id must be 1\.\.64/),
          String(id),
        );
      }
    });
  });

  describe('#requireId (transaction ids)', () => {
    it('should require printable tx ids', () => {
      assert.equal(requireId({ t: 'tx0001' }, 't', TX_ID), 'tx0001');
      for (const t of ['', 'a b', 'x'.repeat(129), 'é']) {
        assert.throws(() => requireId({ t }, 't', TX_ID), invalid(/t must be 1\.\.128 printable ASCII/));
      }
    });
  });

  describe('#requireIdValue', () => {
    it('should check a value under the name it is given', () => {
      assert.equal(requireIdValue('der-1', 'derId', ENTITY_ID), 'der-1');
      assert.throws(
        () => requireIdValue('der:1', 'derId', ENTITY_ID),
        invalid(/^INVALID_ARGUMENT: derId must/),
      );
    });
  });

  describe('pattern sources', () => {
    it('should be the very patterns the rules apply, as strings for JSON schemas', () => {
      assert.equal(ENTITY_ID.pattern.source, new RegExp(ENTITY_ID_PATTERN_SOURCE).source);
      assert.equal(MARKET_ID.pattern.source, new RegExp(MARKET_ID_PATTERN_SOURCE).source);
      assert.equal(TX_ID.pattern.source, new RegExp(TX_ID_PATTERN_SOURCE).source);
    });

    it('should make every entity id a market id, and a market id with a colon no entity id', () => {
      assert.equal(MARKET_ID.pattern.test('pv-001'), true);
      assert.equal(ENTITY_ID.pattern.test('I:2025'), false);
      assert.equal(MARKET_ID.pattern.test('I:2025'), true);
    });
  });

  describe('#compareIds', () => {
    it('should order ids by code unit, not locale', () => {
      assert.deepEqual(['b', 'B', 'a', 'A', '1'].sort(compareIds), ['1', 'A', 'B', 'a', 'b']);
    });
  });
});
