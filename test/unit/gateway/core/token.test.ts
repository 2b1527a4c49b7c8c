import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../../gateway/src/core/api-error';
import { issueToken, verifyToken } from '../../../../gateway/src/core/token';

const secret = Buffer.alloc(32, 7);
const claims = { sub: 'alice', role: 'operator' as const, serial: 'ABC1', mspId: 'CvppMSP' };
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof ApiError ? `${err.status} ${err.code}` : 'other';
  }
  return 'none';
};

describe('gateway/core/token', () => {
  describe('#issueToken', () => {
    it('should cap the lifetime at 15 minutes', () => {
      const { expiresAt } = issueToken(claims, secret, 3600, 1_000_000);
      assert.equal(expiresAt, 1000 + 900);
    });
  });

  describe('#verifyToken', () => {
    it('should return the claims of a fresh token', () => {
      const { token } = issueToken(claims, secret, 60, 1_000_000);
      assert.deepEqual(verifyToken(token, secret, 1_030_000), { ...claims, iat: 1000, exp: 1060 });
    });

    it('should refuse an expired token with 401 TOKEN_EXPIRED', () => {
      const { token } = issueToken(claims, secret, 60, 1_000_000);
      assert.equal(
        codeOf(() => verifyToken(token, secret, 1_060_000)),
        '401 TOKEN_EXPIRED',
      );
    });

    it('should refuse a token signed with another secret or with altered claims', () => {
      const { token } = issueToken(claims, secret, 60, 1_000_000);
      assert.equal(
        codeOf(() => verifyToken(token, Buffer.alloc(32, 8), 1_000_000)),
        '401 TOKEN_INVALID',
      );
      const [v, , sig] = token.split('.');
      const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin', iat: 1000, exp: 1060 })).toString(
        'base64url',
      );
      assert.equal(
        codeOf(() => verifyToken(`${v}.${forged}.${sig}`, secret, 1_000_000)),
        '401 TOKEN_INVALID',
      );
    });

    it('should refuse garbage with 401 TOKEN_INVALID', () => {
      for (const token of ['', 'abc', 'v1.a.b', 'v2.x.y.z']) {
        assert.equal(
          codeOf(() => verifyToken(token, secret)),
          '401 TOKEN_INVALID',
        );
      }
    });
  });
});
