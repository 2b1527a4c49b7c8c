import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ErrorCode,
  isErrorCode,
  parseVppErrorMessage,
  VppError,
} from '../../../../chaincode/src/types/errors';

describe('types/errors', () => {
  describe('ErrorCode', () => {
    it('should map each name to itself in UPPER_SNAKE form', () => {
      for (const [name, code] of Object.entries(ErrorCode)) {
        assert.equal(code, name);
        assert.match(code, /^[A-Z][A-Z0-9_]*$/);
      }
    });

    it('should include the codes the gateway relies on', () => {
      for (const code of ['INVALID_ARGUMENT', 'NOT_FOUND', 'ALREADY_EXISTS', 'FORBIDDEN', 'INVALID_STATE']) {
        assert.equal(isErrorCode(code), true, code);
      }
    });
  });

  describe('VppError', () => {
    it('should prefix the message with the code', () => {
      const err = new VppError(ErrorCode.NOT_FOUND, 'org profile CvppMSP does not exist');
      assert.equal(err.message, 'NOT_FOUND: org profile CvppMSP does not exist');
      assert.equal(err.code, 'NOT_FOUND');
      assert.equal(err.detail, 'org profile CvppMSP does not exist');
      assert.equal(err.name, 'VppError');
      assert.ok(err instanceof Error);
    });
  });

  describe('#parseVppErrorMessage', () => {
    it('should round-trip every code', () => {
      for (const code of Object.values(ErrorCode)) {
        const err = new VppError(code, 'detail text');
        assert.deepEqual(parseVppErrorMessage(err.message), { code, message: 'detail text' });
      }
    });

    it('should split at the first separator only', () => {
      assert.deepEqual(parseVppErrorMessage('INVALID_ARGUMENT: cannot serialise value.a: bad'), {
        code: 'INVALID_ARGUMENT',
        message: 'cannot serialise value.a: bad',
      });
    });

    it('should keep an empty detail', () => {
      assert.deepEqual(parseVppErrorMessage('FORBIDDEN: '), { code: 'FORBIDDEN', message: '' });
    });

    it('should reject messages without a known code prefix', () => {
      const rejected = [
        '',
        'FORBIDDEN',
        'FORBIDDEN:no space',
        ' FORBIDDEN: leading space',
        'forbidden: lower case',
        'NOT_A_CODE: unknown code',
        'Forbidden: mixed case',
        '1NOT_FOUND: digit first',
        'chaincode response 500, NOT_FOUND: wrapped by the peer',
        "You've asked to invoke a function that does not exist: Foo",
        ': empty code',
      ];
      for (const msg of rejected) {
        assert.equal(parseVppErrorMessage(msg), undefined, JSON.stringify(msg));
      }
    });
  });
});
