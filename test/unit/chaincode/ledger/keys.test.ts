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
  CREDIT_INDICATORS,
  creditIndicatorsKey,
  creditIndicatorsPrefix,
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
  RULEBOOK,
  rulebookKey,
  rulebookPrefix,
  SCORE_RECORD,
  scoreRecordKey,
  scoreRecordPrefix,
  SUSPENSION,
  suspensionKey,
  suspensionPrefix,
  type KeyPrefix,
  SETTLEMENT_DER,
  SETTLEMENT_DER_BY_PERIOD,
  SETTLEMENT_DER_BY_VPP,
  SETTLEMENT_VPP,
  SETTLEMENT_VPP_BY_PERIOD,
  settlementDerByPeriodKey,
  settlementDerByPeriodPrefix,
  settlementDerByVppKey,
  settlementDerByVppPrefix,
  settlementDerKey,
  settlementVppByPeriodKey,
  settlementVppByPeriodPrefix,
  settlementVppKey,
} from '../../../../chaincode/src/ledger/keys';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { compareKeys, fabricCompositeKey, fabricSplitCompositeKey } from '../../../support/memory-stub';
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

  describe('credit keys', () => {
    const prefixKey = (prefix: KeyPrefix) => compositeKey(prefix.objectType, prefix.attributes);

    it('should pin the credit object types', () => {
      assert.deepEqual(
        [RULEBOOK, CREDIT_INDICATORS, SCORE_RECORD, SUSPENSION],
        ['vpp.rulebook', 'vpp.creditIndicators', 'vpp.scoreRecord', 'vpp.suspension'],
      );
      for (const type of [RULEBOOK, CREDIT_INDICATORS, SCORE_RECORD, SUSPENSION] as const) {
        assert.ok(OBJECT_TYPES.includes(type));
      }
    });

    it('should zero-pad rulebook versions so that the ledger orders them by number', () => {
      assert.deepEqual(splitCompositeKey(rulebookKey(7)), {
        objectType: RULEBOOK,
        attributes: ['0000000007'],
      });
      const keys = [1, 2, 9, 10, 11, 100, 9_999_999_999].map(rulebookKey);
      assert.deepEqual([...keys].sort(compareKeys), keys);
      for (const key of keys) assert.ok(key.startsWith(prefixKey(rulebookPrefix())));
      for (const bad of [0, -1, 1.5, 10_000_000_000, Number.NaN]) {
        assert.throws(() => rulebookKey(bad), invalid, String(bad));
      }
    });

    it('should key score records by participant, event time, transaction, event sequence and indicator', () => {
      const at = '2026-02-01T00:00:00.000Z';
      const key = scoreRecordKey('der', 'pv-1', at, 'tx1', 12, 'TELEMETRY_VALIDITY');
      assert.deepEqual(splitCompositeKey(key), {
        objectType: SCORE_RECORD,
        attributes: ['der', 'pv-1', at, 'tx1', '000012', 'TELEMETRY_VALIDITY'],
      });
      const distinct = new Set([
        key,
        scoreRecordKey('der', 'pv-1', at, 'tx1', 13, 'TELEMETRY_VALIDITY'),
        scoreRecordKey('der', 'pv-1', at, 'tx1', 12, 'TELEMETRY_AVAILABILITY'),
        scoreRecordKey('der', 'pv-1', at, 'tx2', 12, 'TELEMETRY_VALIDITY'),
        scoreRecordKey('vpp', 'pv-1', at, 'tx1', 12, 'TELEMETRY_VALIDITY'),
      ]);
      assert.equal(distinct.size, 5);
      const later = scoreRecordKey('der', 'pv-1', '2026-02-01T00:00:01.000Z', 'tx0', 0, 'A');
      assert.ok(compareKeys(key, later) < 0, 'event time orders before the transaction id');
      assert.ok(key.startsWith(prefixKey(scoreRecordPrefix('der', 'pv-1'))));
      assert.ok(
        !scoreRecordKey('der', 'pv-10', at, 'tx1', 0, 'A').startsWith(
          prefixKey(scoreRecordPrefix('der', 'pv-1')),
        ),
      );
      for (const bad of [-1, 1_000_000, 0.5]) {
        assert.throws(() => scoreRecordKey('der', 'pv-1', at, 'tx1', bad, 'A'), invalid, String(bad));
      }
      assert.throws(() => scoreRecordKey('der', '', at, 'tx1', 0, 'A'), invalid);
    });

    it('should key indicators and suspensions by participant, scannable by participant type', () => {
      assert.deepEqual(splitCompositeKey(creditIndicatorsKey('vpp', 'v1')), {
        objectType: CREDIT_INDICATORS,
        attributes: ['vpp', 'v1'],
      });
      assert.deepEqual(splitCompositeKey(suspensionKey('der', 'd1')), {
        objectType: SUSPENSION,
        attributes: ['der', 'd1'],
      });
      assert.ok(creditIndicatorsKey('vpp', 'v1').startsWith(prefixKey(creditIndicatorsPrefix('vpp'))));
      assert.ok(!creditIndicatorsKey('der', 'v1').startsWith(prefixKey(creditIndicatorsPrefix('vpp'))));
      assert.ok(suspensionKey('der', 'd1').startsWith(prefixKey(suspensionPrefix('der'))));
    });
  });

  describe('settlement keys', () => {
    const covers = (prefix: KeyPrefix, key: string) =>
      key.startsWith(compositeKey(prefix.objectType, prefix.attributes));

    it('should pin the settlement object types and key parts', () => {
      for (const type of [
        SETTLEMENT_VPP,
        SETTLEMENT_DER,
        SETTLEMENT_DER_BY_VPP,
        SETTLEMENT_DER_BY_PERIOD,
        SETTLEMENT_VPP_BY_PERIOD,
      ] as const) {
        assert.ok(OBJECT_TYPES.includes(type));
      }
      assert.deepEqual(splitCompositeKey(settlementVppKey('i-1', 'vpp-1')), {
        objectType: 'vpp.settlementVpp',
        attributes: ['i-1', 'vpp-1'],
      });
      assert.deepEqual(splitCompositeKey(settlementDerKey('der-1', 'i-1')), {
        objectType: 'vpp.settlementDer',
        attributes: ['der-1', 'i-1'],
      });
      assert.deepEqual(splitCompositeKey(settlementDerByVppKey('i-1', 'vpp-1', 'der-1')), {
        objectType: 'vpp.settlementDerByVpp',
        attributes: ['i-1', 'vpp-1', 'der-1'],
      });
      assert.deepEqual(splitCompositeKey(settlementDerByPeriodKey('der-1', '2026-01', '2026-01-02', 'i-1')), {
        objectType: 'vpp.settlementDerByPeriod',
        attributes: ['der-1', '2026-01', '2026-01-02', 'i-1'],
      });
      assert.deepEqual(splitCompositeKey(settlementVppByPeriodKey('vpp-1', '2026-01', '2026-01-02', 'i-1')), {
        objectType: 'vpp.settlementVppByPeriod',
        attributes: ['vpp-1', '2026-01', '2026-01-02', 'i-1'],
      });
    });

    it('should scan exactly one settlement, one DER or VPP month, or one day of it', () => {
      const line = settlementDerByPeriodKey('der-1', '2026-01', '2026-01-02', 'i-1');
      assert.ok(covers(settlementDerByPeriodPrefix('der-1', '2026-01'), line));
      assert.ok(covers(settlementDerByPeriodPrefix('der-1', '2026-01', '2026-01-02'), line));
      assert.ok(!covers(settlementDerByPeriodPrefix('der-1', '2026-01', '2026-01-03'), line));
      assert.ok(!covers(settlementDerByPeriodPrefix('der-1', '2026-02'), line));
      assert.ok(
        !covers(
          settlementDerByPeriodPrefix('der-1', '2026-01'),
          settlementDerByPeriodKey('der-10', '2026-01', '2026-01-02', 'i-1'),
        ),
      );
      assert.ok(
        covers(
          settlementVppByPeriodPrefix('vpp-1', '2026-01'),
          settlementVppByPeriodKey('vpp-1', '2026-01', '2026-01-31', 'i-9'),
        ),
      );
      assert.ok(
        !covers(
          settlementVppByPeriodPrefix('vpp-1', '2026-01'),
          settlementVppByPeriodKey('vpp-10', '2026-01', '2026-01-31', 'i-9'),
        ),
      );
      assert.ok(
        covers(settlementDerByVppPrefix('i-1', 'vpp-1'), settlementDerByVppKey('i-1', 'vpp-1', 'der-1')),
      );
      assert.ok(
        !covers(settlementDerByVppPrefix('i-1', 'vpp-1'), settlementDerByVppKey('i-1', 'vpp-10', 'der-1')),
      );
      assert.ok(
        !covers(settlementDerByVppPrefix('i-1', 'vpp-1'), settlementDerByVppKey('i-10', 'vpp-1', 'der-1')),
      );
      // Days of a month sort in time order.
      assert.ok(
        compareKeys(
          settlementDerByPeriodKey('der-1', '2026-01', '2026-01-09', 'i-z'),
          settlementDerByPeriodKey('der-1', '2026-01', '2026-01-10', 'i-a'),
        ) < 0,
      );
    });

    it('should refuse periods that are not a month and a day of it', () => {
      for (const [month, day] of [
        ['2026-1', '2026-01-02'],
        ['2026-01', '2026-02-02'],
        ['2026-01', '2026-01-2'],
        ['2026-01-02', '2026-01-02'],
      ] as const) {
        assert.throws(() => settlementDerByPeriodKey('der-1', month, day, 'i-1'), invalid, `${month} ${day}`);
        assert.throws(() => settlementVppByPeriodPrefix('vpp-1', month, day), invalid, `${month} ${day}`);
      }
      assert.throws(() => settlementDerByPeriodPrefix('der-1', '2026'), invalid);
    });
  });
});
