/**
 * Bearer tokens: `v1.<base64url(JSON claims)>.<base64url(HMAC-SHA256)>`, signed with the gateway's
 * own secret. Short-lived (≤ 15 min); they name the identity and the certificate, never hold keys.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from './api-error';
import { isApiRole, type ApiRole } from './roles';

export const MAX_TOKEN_TTL_SECONDS = 15 * 60;
const VERSION = 'v1';

export interface TokenClaims {
  /** Enrollment id. */
  sub: string;
  role: ApiRole;
  /** Serial of the certificate the gateway signs with for this identity (upper-case hex). */
  serial: string;
  mspId: string;
  iat: number;
  exp: number;
}

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function mac(secret: Buffer, body: string): Buffer {
  return createHmac('sha256', secret).update(`${VERSION}.${body}`).digest();
}

export function issueToken(
  claims: Omit<TokenClaims, 'iat' | 'exp'>,
  secret: Buffer,
  ttlSeconds: number,
  nowMs = Date.now(),
): { token: string; expiresAt: number } {
  const iat = Math.floor(nowMs / 1000);
  const exp = iat + Math.min(ttlSeconds, MAX_TOKEN_TTL_SECONDS);
  const body = b64(JSON.stringify({ ...claims, iat, exp }));
  return { token: `${VERSION}.${body}.${b64(mac(secret, body))}`, expiresAt: exp };
}

const invalid = (message: string) => new ApiError(401, 'TOKEN_INVALID', message);

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

/**
 * Whether parsed JSON is claims as issueToken writes them. The signature only says the gateway signed
 * the body, so every shape is checked anyway: any other JSON value (null, an array, a number) or a
 * claim of another type is a malformed token, never a thrown TypeError.
 */
function isClaims(value: unknown): value is TokenClaims {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const claims = value as Record<string, unknown>;
  return (
    typeof claims.sub === 'string' &&
    isApiRole(claims.role) &&
    typeof claims.serial === 'string' &&
    typeof claims.mspId === 'string' &&
    isTime(claims.exp) &&
    isTime(claims.iat)
  );
}

/** Returns the claims of a well-signed, unexpired token; otherwise throws 401. */
export function verifyToken(token: string, secret: Buffer, nowMs = Date.now()): TokenClaims {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) throw invalid('malformed token');
  const [, body = '', sig = ''] = parts;
  const given = Buffer.from(sig, 'base64url');
  const expected = mac(secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('bad signature');
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw invalid('malformed claims');
  }
  if (!isClaims(claims)) throw invalid('malformed claims');
  if (claims.exp * 1000 <= nowMs) throw new ApiError(401, 'TOKEN_EXPIRED', 'token expired: log in again');
  return claims;
}
