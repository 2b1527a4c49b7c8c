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

  // ---- telemetry (signed device readings) ----
  /** The reading's signature does not verify against the DER's registered certificate. */
  BAD_SIGNATURE: 'BAD_SIGNATURE',
  /** No DER is registered under the reading's DER id. */
  UNKNOWN_DER: 'UNKNOWN_DER',
  /** The DER is suspended; its readings are refused until it is reinstated. */
  DER_SUSPENDED: 'DER_SUSPENDED',
  /** The certificate that signed the reading (or is being registered) has been revoked. */
  CERTIFICATE_REVOKED: 'CERTIFICATE_REVOKED',
  /** The certificate was not issued by the expected organisation's CA, or its attributes disagree. */
  CERTIFICATE_REJECTED: 'CERTIFICATE_REJECTED',
  /** The signature is not canonical base64 of a strict DER ECDSA signature (domain/telemetry/signature). */
  NON_CANONICAL_SIGNATURE: 'NON_CANONICAL_SIGNATURE',
  /** The DER's device signed other content for a DER, interval and sequence already recorded. */
  REPLAY: 'REPLAY',
  /** The reading's interval is outside the window the transaction time allows. */
  OUTSIDE_WINDOW: 'OUTSIDE_WINDOW',
  /** The reported energy exceeds what the DER's capacity can deliver in one interval. */
  ENERGY_ABOVE_CAPACITY: 'ENERGY_ABOVE_CAPACITY',

  // ---- market ----
  /** A commitment arrived after the interval's gate closure. */
  GATE_CLOSED: 'GATE_CLOSED',
  /** A revealed bid and salt do not hash to the stored commitment. */
  COMMITMENT_MISMATCH: 'COMMITMENT_MISMATCH',
  /** The bid's total quantity exceeds the VPP's quota. */
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  /** A bid step's price is above the interval's price cap. */
  PRICE_ABOVE_CAP: 'PRICE_ABOVE_CAP',
  /** The VPP's registered, active DER capacity does not back the quantity offered. */
  CAPACITY_NOT_BACKED: 'CAPACITY_NOT_BACKED',

  // ---- settlement ----
  /** The interval and VPP were already settled; settlement runs once. */
  ALREADY_SETTLED: 'ALREADY_SETTLED',
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
