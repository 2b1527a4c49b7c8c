import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFreeText, requireEmail, requireText } from '../../../../chaincode/src/rules/text';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { FREE_TEXT_CASES } from '../../../support/free-text-cases';
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

    for (const { name, text, accepted } of FREE_TEXT_CASES) {
      it(`should ${accepted ? 'accept' : 'refuse with INVALID_ARGUMENT'} text with ${name}`, () => {
        assert.equal(isFreeText(text), accepted);
        if (accepted) assert.equal(requireText({ f: text }, 'f', { min: 1, max: 50 }), text);
        else
          assert.throws(
            () => requireText({ f: text }, 'f', { min: 1, max: 50 }),
            invalid(/f must not contain/),
          );
      });
    }
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
