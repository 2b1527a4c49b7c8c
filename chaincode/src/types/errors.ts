// Error vocabulary shared by every contract. Fabric only carries a free-text message from the
// chaincode to the client, so the code travels as a stable prefix: `CODE: text`. The gateway splits
// at the first ': ' (parseVppErrorMessage) to map failures to API responses without parsing prose.

export const ErrorCode = {
  /** The caller supplied malformed or out-of-range input. */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** The addressed ledger object does not exist. */
  NOT_FOUND: 'NOT_FOUND',
  /** A create collided with an existing ledger object. */
  ALREADY_EXISTS: 'ALREADY_EXISTS',
  /** The caller's MSP or role is not allowed to perform the operation. */
  FORBIDDEN: 'FORBIDDEN',
  /** The object exists but its lifecycle state does not allow the operation. */
  INVALID_STATE: 'INVALID_STATE',
  /** An invariant broke (e.g. stored bytes no longer decode); never the caller's fault. */
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** A code is the message prefix, so only the strict UPPER_SNAKE form is accepted. */
const CODE_SHAPE = /^[A-Z][A-Z0-9_]*$/;
const SEPARATOR = ': ';

export function isErrorCode(value: string): value is ErrorCode {
  return KNOWN_CODES.has(value);
}

export class VppError extends Error {
  readonly code: ErrorCode;
  /** The human-readable part, without the code prefix. */
  readonly detail: string;

  constructor(code: ErrorCode, detail: string) {
    super(`${code}${SEPARATOR}${detail}`);
    this.name = 'VppError';
    this.code = code;
    this.detail = detail;
  }
}

export function isVppError(value: unknown): value is VppError {
  return value instanceof VppError;
}

/**
 * Recovers `{ code, message }` from a message produced by VppError. Returns undefined for anything
 * else (Fabric's own errors, prose that merely contains a colon, codes this build does not know), so
 * callers can fall back to a generic failure instead of trusting an arbitrary prefix.
 */
export function parseVppErrorMessage(msg: string): { code: ErrorCode; message: string } | undefined {
  const at = msg.indexOf(SEPARATOR);
  if (at <= 0) {
    return undefined;
  }
  const code = msg.slice(0, at);
  if (!CODE_SHAPE.test(code) || !isErrorCode(code)) {
    return undefined;
  }
  return { code, message: msg.slice(at + SEPARATOR.length) };
}
