import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  requireEmail,
  requireIsoTimestamp,
  requireObject,
  requireOneOf,
  requirePositiveInteger,
  requireText,
} from '../../../../chaincode/src/domain/validate';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { vppError } from '../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('domain/validate', () => {
  describe('#requireObject', () => {
    it('should accept objects with allowed keys only', () => {
      assert.deepEqual(requireObject({ a: 1 }, 'thing', ['a', 'b']), { a: 1 });
      assert.throws(
        () => requireObject({ c: 1, a: 1, b: 2 }, 'thing', ['a']),
        invalid(/thing has unsupported field\(s\): b, c/),
      );
      assert.throws(() => requireObject([], 'thing', []), invalid(/thing must be a JSON object/));
    });
  });

  describe('#requireText', () => {
    it('should trim and bound by code points', () => {
      assert.equal(requireText({ f: '  ab ' }, 'f', { min: 1, max: 2 }), 'ab');
      assert.throws(
        () => requireText({ f: 'abc' }, 'f', { min: 1, max: 2 }),
        invalid(/f must be 1\.\.2 characters after trimming, got 3/),
      );
      assert.throws(
        () => requireText({ f: 'a\u0085b' }, 'f', { min: 1, max: 5 }),
        invalid(/control characters/),
      );
      assert.throws(() => requireText({}, 'f', { min: 0, max: 5 }), invalid(/f must be a string/));
    });
  });

  describe('#requireOneOf', () => {
    it('should accept only listed values', () => {
      assert.equal(requireOneOf({ f: 'b' }, 'f', ['a', 'b']), 'b');
      assert.throws(() => requireOneOf({ f: 'c' }, 'f', ['a', 'b']), invalid(/f must be one of a, b/));
    });
  });

  describe('#requireEmail', () => {
    it('should accept a simple address and reject a label over 63 characters', () => {
      assert.equal(requireEmail({ e: 'x@a-b.example' }, 'e'), 'x@a-b.example');
      assert.throws(
        () => requireEmail({ e: `x@${'a'.repeat(64)}.org` }, 'e'),
        invalid(/e must be an e-mail/),
      );
    });
  });

  describe('#requirePositiveInteger', () => {
    it('should accept safe positive integers only', () => {
      assert.equal(requirePositiveInteger({ n: 3 }, 'n'), 3);
      for (const n of [0, -1, 1.5, 2 ** 53, '3', null]) {
        assert.throws(
          () => requirePositiveInteger({ n }, 'n'),
          invalid(/n must be a positive integer/),
          String(n),
        );
      }
    });
  });

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
});
