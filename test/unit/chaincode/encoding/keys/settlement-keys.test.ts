import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compositeKey,
  OBJECT_TYPES,
  splitCompositeKey,
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
} from '../../../../../chaincode/src/encoding/keys';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { compareKeys } from '../../../../support/memory-stub';
import { vppError } from '../../../../support/vpp-assert';

const invalid = vppError(ErrorCode.INVALID_ARGUMENT);

describe('encoding/keys/settlement-keys', () => {
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
