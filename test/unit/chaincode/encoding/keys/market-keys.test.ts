import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bidCommitmentKey,
  bidCommitmentPrefix,
  clearingKey,
  compositeKey,
  demandKey,
  derSetpointKey,
  derSetpointPrefix,
  dispatchKey,
  marketIntervalKey,
  OBJECT_TYPES,
  revealedBidByVppKey,
  revealedBidByVppPrefix,
  revealedBidKey,
  revealedBidPrefix,
  splitCompositeKey,
  violationKey,
  violationPrefix,
  vppQuotaKey,
  type KeyPrefix,
} from '../../../../../chaincode/src/encoding/keys';

describe('encoding/keys/market-keys', () => {
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
