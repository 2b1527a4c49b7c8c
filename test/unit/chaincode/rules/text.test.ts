import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requireEmail, requireText } from '../../../../chaincode/src/rules/text';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { vppError } from '../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('rules/text', () => {
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

  describe('#requireEmail', () => {
    it('should accept a simple address and reject a label over 63 characters', () => {
      assert.equal(requireEmail({ e: 'x@a-b.example' }, 'e'), 'x@a-b.example');
      assert.throws(
        () => requireEmail({ e: `x@${'a'.repeat(64)}.org` }, 'e'),
        invalid(/e must be an e-mail/),
      );
    });
  });
});
