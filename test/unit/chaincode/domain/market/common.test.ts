import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  copyActor,
  parseActor,
  sha256Hex,
  txMillis,
} from '../../../../../chaincode/src/domain/market/common';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('domain/market/common', () => {
  describe('#txMillis', () => {
    it('should parse only toISOString-form transaction times', () => {
      assert.equal(txMillis('1970-01-01T00:00:01.000Z'), 1_000);
      assert.throws(() => txMillis('1970-01-01T00:00:01Z'), invalid(/txTime/));
    });
  });

  describe('actors and hashing', () => {
    it('should parse and copy actors', () => {
      const actor = { mspId: 'TradingMSP', role: 'trading' } as const;
      assert.deepEqual(parseActor(actor, 'by'), actor);
      assert.notEqual(copyActor(actor), actor);
      assert.throws(() => parseActor({ mspId: 'EvilMSP', role: 'trading' }, 'by'), invalid(/mspId/));
      assert.throws(() => parseActor({ ...actor, name: 'x' }, 'by'), invalid(/by has unsupported/));
    });

    it('should hash the concatenation of its parts', () => {
      const expected = createHash('sha256')
        .update('ab')
        .update(Buffer.from([1, 2]))
        .digest('hex');
      assert.equal(sha256Hex('a', 'b', new Uint8Array([1, 2])), expected);
    });
  });
});
