import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requireObject, requireOneOf } from '../../../../chaincode/src/rules/objects';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { vppError } from '../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('rules/objects', () => {
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

  describe('#requireOneOf', () => {
    it('should accept only listed values', () => {
      assert.equal(requireOneOf({ f: 'b' }, 'f', ['a', 'b']), 'b');
      assert.throws(() => requireOneOf({ f: 'c' }, 'f', ['a', 'b']), invalid(/f must be one of a, b/));
    });
  });
});
