import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLowerHex, requireLowerHex, requireSha256Hex } from '../../../../chaincode/src/rules/hex';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { vppError } from '../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('rules/hex', () => {
  describe('#requireLowerHex', () => {
    it('should require exact-length lowercase hex', () => {
      assert.equal(requireLowerHex({ h: 'ab'.repeat(32) }, 'h', 32), 'ab'.repeat(32));
      for (const h of ['AB'.repeat(32), 'ab'.repeat(31), 'ag'.repeat(32), 7]) {
        assert.throws(
          () => requireLowerHex({ h }, 'h', 32),
          invalid(/h must be 64 lowercase hex characters/),
        );
      }
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

  describe('#isLowerHex', () => {
    it('should count bytes, not characters', () => {
      assert.equal(isLowerHex('00ff', 2), true);
      assert.equal(isLowerHex('00f', 2), false);
      assert.equal(isLowerHex('00FF', 2), false);
    });
  });
});
