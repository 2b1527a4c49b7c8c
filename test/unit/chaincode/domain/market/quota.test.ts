import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildVppQuota,
  parseQuotaQuantity,
  parseStoredVppQuota,
} from '../../../../../chaincode/src/domain/market/quota';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
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
});
