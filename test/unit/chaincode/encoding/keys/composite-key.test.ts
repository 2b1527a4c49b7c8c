import '../../../../support/quiet-logs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChaincodeStub } from 'fabric-shim';
import {
  assertKeyPart,
  compositeKey,
  keyPrefix,
  MAX_KEY_PART_LENGTH,
  ORG_PROFILE,
  printableKey,
  splitCompositeKey,
} from '../../../../../chaincode/src/encoding/keys';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { fabricCompositeKey, fabricSplitCompositeKey } from '../../../../support/memory-stub';
import { vppError } from '../../../../support/vpp-assert';

// fabric-shim's own implementation; these two methods use no instance state.
const shim = ChaincodeStub.prototype;
const shimCompositeKey = (type: string, attrs: string[]): string =>
  shim.createCompositeKey.call({}, type, attrs);

const invalid = vppError(ErrorCode.INVALID_ARGUMENT);

describe('encoding/keys/composite-key', () => {
  describe('#compositeKey', () => {
    it("should match fabric-shim's createCompositeKey byte for byte", () => {
      const cases: string[][] = [[], ['CvppMSP'], ['a', 'b', 'c'], ['Ümlaut ⚡', '😀']];
      for (const attrs of cases) {
        const ours = compositeKey(ORG_PROFILE, attrs);
        assert.equal(ours, shimCompositeKey(ORG_PROFILE, attrs));
        assert.equal(ours, fabricCompositeKey(ORG_PROFILE, attrs));
      }
    });

    it('should reject invalid parts', () => {
      const bad = ['', 'a\u0000b', 'a\u{10FFFF}', 'lone\uD800', 'x'.repeat(MAX_KEY_PART_LENGTH + 1)];
      for (const part of bad) {
        assert.throws(() => compositeKey(ORG_PROFILE, [part]), invalid, JSON.stringify(part));
      }
      assert.doesNotThrow(() => compositeKey(ORG_PROFILE, ['x'.repeat(MAX_KEY_PART_LENGTH)]));
    });
  });
  describe('#assertKeyPart', () => {
    it('should reject non-strings and name the field', () => {
      assert.throws(
        () => assertKeyPart(42, 'mspId'),
        vppError(ErrorCode.INVALID_ARGUMENT, /mspId must be a non-empty/),
      );
      assert.throws(() => assertKeyPart(undefined, 'mspId'), invalid);
    });
  });
  describe('#splitCompositeKey', () => {
    it("should invert compositeKey and agree with fabric-shim's splitCompositeKey", () => {
      const key = compositeKey(ORG_PROFILE, ['CvppMSP', 'x']);
      assert.deepEqual(splitCompositeKey(key), { objectType: ORG_PROFILE, attributes: ['CvppMSP', 'x'] });
      assert.deepEqual(shim.splitCompositeKey.call({}, key), {
        objectType: ORG_PROFILE,
        attributes: ['CvppMSP', 'x'],
      });
      assert.deepEqual(splitCompositeKey(compositeKey(ORG_PROFILE, [])), {
        objectType: ORG_PROFILE,
        attributes: [],
      });
      for (const k of [key, compositeKey(ORG_PROFILE, []), 'plain']) {
        assert.deepEqual(
          fabricSplitCompositeKey(k),
          shim.splitCompositeKey.call({}, k),
          'memory stub parity',
        );
      }
    });

    it('should return undefined for simple or malformed keys', () => {
      for (const key of ['', 'plain', '\u0000', '\u0000\u0000', '\u0000type']) {
        assert.equal(splitCompositeKey(key), undefined, JSON.stringify(key));
      }
    });
  });
  describe('#keyPrefix', () => {
    it('should validate and copy attributes', () => {
      const attrs = ['a'];
      const prefix = keyPrefix(ORG_PROFILE, attrs);
      attrs.push('b');
      assert.deepEqual(prefix.attributes, ['a']);
      assert.throws(() => keyPrefix(ORG_PROFILE, ['']), invalid);
    });
  });
  describe('#printableKey', () => {
    it('should show separators as ~', () => {
      assert.equal(printableKey(compositeKey(ORG_PROFILE, ['CvppMSP'])), 'vpp.orgProfile~CvppMSP~');
    });
  });
});
