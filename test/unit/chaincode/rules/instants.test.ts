import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DAY_PATTERN,
  ISO_INSTANT_PATTERN_SOURCE,
  MONTH_PATTERN,
  requireIsoTimestamp,
} from '../../../../chaincode/src/rules/instants';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { vppError } from '../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('rules/instants', () => {
  describe('#requireIsoTimestamp', () => {
    it('should accept only toISOString output', () => {
      assert.equal(requireIsoTimestamp({ t: '2025-01-01T00:00:00.000Z' }, 't'), '2025-01-01T00:00:00.000Z');
      for (const t of [
        '2025-01-01T00:00:00Z',
        '2025-01-01T00:00:00.000+01:00',
        '2025-13-01T00:00:00.000Z',
        1,
      ]) {
        assert.throws(() => requireIsoTimestamp({ t }, 't'), invalid(/t must be an ISO-8601/), String(t));
      }
    });
  });

  describe('ISO_INSTANT_PATTERN_SOURCE', () => {
    it('should match the shape of toISOString output and nothing looser', () => {
      const pattern = new RegExp(ISO_INSTANT_PATTERN_SOURCE);
      assert.equal(pattern.test(new Date(0).toISOString()), true);
      assert.equal(pattern.test('1970-01-01T00:00:00Z'), false);
      assert.equal(pattern.test(' 1970-01-01T00:00:00.000Z'), false);
    });
  });

  describe('MONTH_PATTERN / DAY_PATTERN', () => {
    it('should tell a YYYY-MM month from a YYYY-MM-DD day', () => {
      assert.equal(MONTH_PATTERN.test('2025-03'), true);
      assert.equal(MONTH_PATTERN.test('2025-03-01'), false);
      assert.equal(DAY_PATTERN.test('2025-03-01'), true);
      assert.equal(DAY_PATTERN.test('2025-3-1'), false);
    });
  });
});
