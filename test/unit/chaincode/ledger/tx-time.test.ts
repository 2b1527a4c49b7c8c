import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { timestampToIso, txTimestampIso } from '../../../../chaincode/src/ledger/tx-time';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { MemoryLedger } from '../../../support/memory-stub';
import { vppError } from '../../../support/vpp-assert';

describe('ledger/tx-time', () => {
  describe('#timestampToIso', () => {
    it('should convert seconds and nanos to ISO with millisecond precision', () => {
      assert.equal(timestampToIso({ seconds: 1735689600, nanos: 0 }), '2025-01-01T00:00:00.000Z');
      assert.equal(timestampToIso({ seconds: 1735689600n, nanos: 123_999_999 }), '2025-01-01T00:00:00.123Z');
      assert.equal(
        timestampToIso({ seconds: { toString: () => '0' }, nanos: 999_999_999 }),
        '1970-01-01T00:00:00.999Z',
      );
    });

    it('should reject out-of-range values', () => {
      const bad = [
        { seconds: -1, nanos: 0 },
        { seconds: 1.5, nanos: 0 },
        { seconds: 8.64e12 + 1, nanos: 0 },
        { seconds: 0, nanos: -1 },
        { seconds: 0, nanos: 1e9 },
        { seconds: 0, nanos: 0.5 },
      ];
      for (const ts of bad) {
        assert.throws(() => timestampToIso(ts), vppError(ErrorCode.INVALID_ARGUMENT), JSON.stringify(ts));
      }
    });
  });

  describe('#txTimestampIso', () => {
    it("should use the stub's transaction timestamp", () => {
      const ledger = new MemoryLedger();
      const tx = ledger.begin({
        caller: { mspId: 'CvppMSP' },
        time: '2025-06-30T10:11:12.000Z',
        nanos: 5_000_000,
      });
      assert.equal(txTimestampIso(tx.ctx), '2025-06-30T10:11:12.005Z');
    });
  });
});
