import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compositeKey,
  ORG_PROFILE,
  orgProfileKey,
  orgProfilePrefix,
} from '../../../../../chaincode/src/encoding/keys';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { vppError } from '../../../../support/vpp-assert';

describe('encoding/keys/registry-keys', () => {
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
});
