import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compositeKey,
  CREDIT_INDICATORS,
  creditIndicatorsKey,
  creditIndicatorsPrefix,
  OBJECT_TYPES,
  splitCompositeKey,
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
} from '../../../../../chaincode/src/encoding/keys';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { compareKeys } from '../../../../support/memory-stub';
import { vppError } from '../../../../support/vpp-assert';

const invalid = vppError(ErrorCode.INVALID_ARGUMENT);

describe('encoding/keys/credit-keys', () => {
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
});
