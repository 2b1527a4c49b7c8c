import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertKeyPart, OBJECT_TYPES, ORG_PROFILE } from '../../../../../chaincode/src/encoding/keys';

describe('encoding/keys/object-types', () => {
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
});
