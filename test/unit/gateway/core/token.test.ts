import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { ApiError } from '../../../../gateway/src/core/api-error';
import { issueToken, verifyToken } from '../../../../gateway/src/core/token';

const secret = Buffer.alloc(32, 7);
const claims = { sub: 'alice', role: 'operator' as const, serial: 'ABC1', mspId: 'CvppMSP' };
/** A token over any JSON text, correctly signed with `secret`: only the claims' shape can be wrong. */
const signedOver = (json: string) => {
  const body = Buffer.from(json).toString('base64url');
  const mac = createHmac('sha256', secret).update(`v1.${body}`).digest('base64url');
  return `v1.${body}.${mac}`;
};
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

    it('should refuse well-signed claims of any other shape with 401 TOKEN_INVALID, never a TypeError', () => {
      const fresh = { ...claims, iat: 1000, exp: 1060 };
      const shapes = [
        'null',
        '[]',
        '7',
        '"claims"',
        'true',
        '{}',
        JSON.stringify({ ...fresh, sub: null }),
        JSON.stringify({ ...fresh, role: 'root' }),
        JSON.stringify({ ...fresh, serial: 5 }),
        JSON.stringify({ ...fresh, mspId: ['CvppMSP'] }),
        JSON.stringify({ ...fresh, exp: '1060' }),
        JSON.stringify({ ...fresh, exp: 1e300 }),
        JSON.stringify({ ...fresh, iat: null }),
      ];
      for (const json of shapes) {
        assert.equal(
          codeOf(() => verifyToken(signedOver(json), secret, 1_000_000)),
          '401 TOKEN_INVALID',
          json,
        );
      }
      // The same signing accepts the claims issueToken writes: the refusals above are the shape's.
      assert.deepEqual(verifyToken(signedOver(JSON.stringify(fresh)), secret, 1_000_000), fresh);
    });
  });
});
