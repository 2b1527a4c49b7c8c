import '../../../support/quiet-logs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChaincodeStub } from 'fabric-shim';
import {
  assertKeyPart,
  bidCommitmentKey,
  bidCommitmentPrefix,
  clearingKey,
  compositeKey,
  demandKey,
  derSetpointKey,
  derSetpointPrefix,
  dispatchKey,
  keyPrefix,
  marketIntervalKey,
  MAX_KEY_PART_LENGTH,
  OBJECT_TYPES,
  ORG_PROFILE,
  orgProfileKey,
  orgProfilePrefix,
  revealedBidByVppKey,
  revealedBidByVppPrefix,
  revealedBidKey,
  revealedBidPrefix,
  splitCompositeKey,
  violationKey,
  violationPrefix,
  vppQuotaKey,
  type KeyPrefix,
} from '../../../../chaincode/src/ledger/keys';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { fabricCompositeKey, fabricSplitCompositeKey } from '../../../support/memory-stub';
import { vppError } from '../../../support/vpp-assert';

// fabric-shim's own implementation; these two methods use no instance state.
const shim = ChaincodeStub.prototype;
const shimCompositeKey = (type: string, attrs: string[]): string =>
  shim.createCompositeKey.call({}, type, attrs);

const invalid = vppError(ErrorCode.INVALID_ARGUMENT);

describe('ledger/keys', () => {
  describe('OBJECT_TYPES', () => {
    it('should be unique, vpp-prefixed and usable as key parts', () => {
      assert.equal(new Set(OBJECT_TYPES).size, OBJECT_TYPES.length);
      for (const type of OBJECT_TYPES) {
        assert.match(type, /^vpp\.[a-z][A-Za-z0-9]*$/);
        assert.doesNotThrow(() => assertKeyPart(type, 'object type'));
      }
    });

    it('should pin the org profile object type', () => {
      assert.equal(ORG_PROFILE, 'vpp.orgProfile');
    });
  });

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

  describe('#orgProfileKey', () => {
    it('should key a profile by its MSP ID', () => {
      assert.equal(orgProfileKey('CvppMSP'), '\u0000vpp.orgProfile\u0000CvppMSP\u0000');
    });

    it('should reject an invalid MSP ID', () => {
      assert.throws(() => orgProfileKey(''), vppError(ErrorCode.INVALID_ARGUMENT, /mspId/));
    });
  });

  describe('#orgProfilePrefix', () => {
    it('should cover every org profile key', () => {
      const prefix = orgProfilePrefix();
      assert.deepEqual(prefix, { objectType: ORG_PROFILE, attributes: [] });
      assert.ok(orgProfileKey('TradingMSP').startsWith(compositeKey(prefix.objectType, prefix.attributes)));
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

  describe('market and dispatch keys', () => {
    const covers = (prefix: KeyPrefix, key: string) =>
      key.startsWith(compositeKey(prefix.objectType, prefix.attributes));

    it('should give every market object its own type and key parts', () => {
      const keys = [
        marketIntervalKey('i-1'),
        demandKey('i-1'),
        bidCommitmentKey('i-1', 'b-1'),
        revealedBidKey('i-1', 'b-1'),
        revealedBidByVppKey('i-1', 'vpp-1', 'b-1'),
        clearingKey('i-1'),
        vppQuotaKey('vpp-1'),
        violationKey('vpp-1', 'i-1', 'b-1'),
        dispatchKey('i-1', 'vpp-1'),
        derSetpointKey('i-1', 'vpp-1', 'der-1'),
      ];
      assert.equal(new Set(keys).size, keys.length);
      for (const key of keys) {
        assert.ok(OBJECT_TYPES.includes(splitCompositeKey(key)!.objectType as (typeof OBJECT_TYPES)[number]));
      }
      assert.deepEqual(splitCompositeKey(derSetpointKey('i-1', 'vpp-1', 'der-1'))?.attributes, [
        'i-1',
        'vpp-1',
        'der-1',
      ]);
    });

    it('should scan exactly one interval (or VPP), never a sibling whose id merely starts the same', () => {
      assert.ok(covers(revealedBidPrefix('i-1'), revealedBidKey('i-1', 'b-1')));
      assert.ok(!covers(revealedBidPrefix('i-1'), revealedBidKey('i-10', 'b-1')));
      assert.ok(!covers(revealedBidPrefix('i-1'), bidCommitmentKey('i-1', 'b-1')));
      assert.ok(covers(bidCommitmentPrefix('i-1'), bidCommitmentKey('i-1', 'b-1')));
      assert.ok(covers(revealedBidByVppPrefix('i-1', 'vpp-1'), revealedBidByVppKey('i-1', 'vpp-1', 'b-1')));
      assert.ok(!covers(revealedBidByVppPrefix('i-1', 'vpp-1'), revealedBidByVppKey('i-1', 'vpp-10', 'b-1')));
      assert.ok(covers(violationPrefix('vpp-1'), violationKey('vpp-1', 'i-1', 'b-1')));
      assert.ok(covers(violationPrefix('vpp-1', 'i-1'), violationKey('vpp-1', 'i-1', 'b-1')));
      assert.ok(!covers(violationPrefix('vpp-1'), violationKey('vpp-10', 'i-1', 'b-1')));
      assert.ok(covers(derSetpointPrefix('i-1', 'vpp-1'), derSetpointKey('i-1', 'vpp-1', 'der-1')));
      assert.ok(!covers(derSetpointPrefix('i-1', 'vpp-1'), derSetpointKey('i-1', 'vpp-2', 'der-1')));
    });
  });
});
