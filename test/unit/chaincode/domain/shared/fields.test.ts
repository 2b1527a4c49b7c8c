import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ANY_SAFE_INTEGER,
  NON_NEGATIVE,
  requireId,
  requireInteger,
  requireList,
  requireSha256Hex,
} from '../../../../../chaincode/src/domain/shared/fields';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('domain/shared/fields', () => {
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
  });

  describe('#requireId', () => {
    it('should accept key-safe identifiers and refuse, not trim, surrounding whitespace', () => {
      assert.equal(requireId({ id: 'der-01:α' }, 'id'), 'der-01:α');
      assert.throws(
        () => requireId({ id: ' der' }, 'id'),
        invalid(/id must not start or end with whitespace/),
      );
      assert.throws(() => requireId({ id: '' }, 'id'), invalid(/id must be 1\.\.128 characters/));
      assert.throws(() => requireId({ id: 'x'.repeat(129) }, 'id'), invalid(/id must be 1\.\.128/));
      assert.throws(() => requireId({ id: 'a\u0000b' }, 'id'), invalid(/control characters/));
      assert.throws(() => requireId({ id: 'a\u{10FFFF}' }, 'id'), invalid(/U\+10FFFF/));
      assert.throws(() => requireId({ id: 'a\ud800' }, 'id'), invalid(/well-formed Unicode/));
      assert.throws(() => requireId({ id: 7 }, 'id'), invalid(/id must be a string/));
    });
  });

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

  describe('#requireSha256Hex', () => {
    it('should accept 64 lowercase hex digits only', () => {
      const hash = 'ab'.repeat(32);
      assert.equal(requireSha256Hex({ h: hash }, 'h'), hash);
      for (const h of [hash.toUpperCase(), hash.slice(1), `${hash}0`, 5]) {
        assert.throws(() => requireSha256Hex({ h }, 'h'), invalid(/h must be a SHA-256 digest/), String(h));
      }
    });
  });
});
