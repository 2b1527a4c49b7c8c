import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildVppQuota,
  parseQuotaQuantity,
  parseStoredVppQuota,
  quotaInProductUnit,
} from '../../../../../chaincode/src/domain/market/quota';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { DELIVERY_START, openInterval } from '../../../../support/market-fixtures';
import { vppError } from '../../../../support/vpp-assert';

const REGULATOR = { mspId: 'RegulatorMSP', role: 'regulator' } as const;
const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('domain/market/quota', () => {
  describe('#parseQuotaQuantity', () => {
    it('should accept decimal digits up to the largest safe integer, zero included', () => {
      assert.equal(parseQuotaQuantity('0'), 0);
      assert.equal(parseQuotaQuantity('250000'), 250_000);
      assert.equal(parseQuotaQuantity(String(Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER);
    });

    it('should refuse signs, fractions, exponents, leading zeros, padding and non-strings', () => {
      for (const raw of [
        '-1',
        '+1',
        '1.0',
        '1e3',
        '01',
        ' 1',
        '1 ',
        '',
        '0x10',
        '9007199254740992',
        5,
        null,
      ]) {
        assert.throws(() => parseQuotaQuantity(raw), invalid(/quantity/), JSON.stringify(raw));
      }
    });
  });

  describe('#buildVppQuota / #parseStoredVppQuota', () => {
    it('should build a record that round-trips through the stored decoder', () => {
      const quota = buildVppQuota({
        vppId: 'vpp-1',
        quantity: '1200',
        caller: REGULATOR,
        txTime: '2026-01-01T00:00:00.000Z',
        txId: 'tx-1',
      });
      assert.deepEqual(quota, {
        vppId: 'vpp-1',
        quantity: 1200,
        setAt: '2026-01-01T00:00:00.000Z',
        setBy: REGULATOR,
        txId: 'tx-1',
      });
      assert.deepEqual(parseStoredVppQuota(JSON.parse(JSON.stringify(quota))), quota);
    });

    it('should refuse bad ids and corrupted records', () => {
      const base = {
        vppId: 'vpp-1',
        quantity: '1',
        caller: REGULATOR,
        txTime: '2026-01-01T00:00:00.000Z',
        txId: 't',
      };
      assert.throws(() => buildVppQuota({ ...base, vppId: ' vpp-1' }), invalid(/vppId/));
      assert.throws(() => buildVppQuota({ ...base, txTime: 'yesterday' }), invalid(/setAt/));
      const stored = {
        vppId: 'vpp-1',
        quantity: 1,
        setAt: '2026-01-01T00:00:00.000Z',
        setBy: REGULATOR,
        txId: 't',
      };
      assert.throws(() => parseStoredVppQuota({ ...stored, quantity: -1 }), invalid(/quantity/));
      assert.throws(() => parseStoredVppQuota({ ...stored, extra: true }), invalid(/unsupported/));
      assert.throws(
        () => parseStoredVppQuota({ ...stored, setBy: { mspId: 'X', role: 'admin' } }),
        invalid(/mspId/),
      );
    });
  });

  describe('#quotaInProductUnit', () => {
    /** An interval of `product` whose delivery lasts `minutes` from DELIVERY_START. */
    const lasting = (product: string, minutes: number) =>
      openInterval({
        product,
        deliveryEnd: new Date(Date.parse(DELIVERY_START) + minutes * 60_000).toISOString(),
      });

    it('should keep the Wh for energy intervals, whatever their length', () => {
      for (const product of ['energy-up', 'energy-down']) {
        assert.equal(quotaInProductUnit(lasting(product, 15), 2_500), 2_500);
        assert.equal(quotaInProductUnit(lasting(product, 120), 2_500), 2_500);
      }
    });

    it('should give reserve the watts whose holding over the delivery stays within the Wh, rounded down', () => {
      const cases: [minutes: number, quotaWh: number, watts: number][] = [
        [15, 2_500, 10_000],
        [15, 0, 0],
        [60, 2_500, 2_500],
        [120, 20_000_000, 10_000_000],
        [120, 2_001, 1_000],
        [45, 1_000, 1_333],
        [24 * 60, 23, 0],
        [24 * 60, 24, 1],
      ];
      for (const [minutes, quotaWh, watts] of cases) {
        assert.equal(
          quotaInProductUnit(lasting('reserve', minutes), quotaWh),
          watts,
          `${quotaWh} Wh / ${minutes} min`,
        );
      }
    });

    it('should stay exact up to the largest safe integer and cap above it', () => {
      const max = Number.MAX_SAFE_INTEGER;
      assert.equal(quotaInProductUnit(lasting('reserve', 60), max), max);
      assert.equal(quotaInProductUnit(lasting('reserve', 15), max), max);
      assert.equal(quotaInProductUnit(lasting('reserve', 120), max), Math.floor(max / 2));
    });

    it('should refuse a quota that is not a non-negative integer', () => {
      for (const bad of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) {
        assert.throws(() => quotaInProductUnit(lasting('reserve', 15), bad), invalid(/quota/), String(bad));
      }
    });
  });
});
