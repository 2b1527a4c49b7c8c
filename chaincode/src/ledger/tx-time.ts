// Transaction time. Chaincode must never read the local clock: endorsers run at different moments
// and would produce different write sets. The client-signed proposal timestamp is identical on every
// endorser, so it is the only time source contracts use.

import type { Context } from 'fabric-contract-api';
import { isIntegerIn } from '../rules';
import { ErrorCode, VppError } from '../types/errors';

/** fabric-shim returns seconds as an unsigned Long; anything with a decimal toString() works here. */
export interface TxTimestamp {
  readonly seconds: number | bigint | { toString(): string };
  readonly nanos: number;
}

/** Latest instant a JS Date (and so an ISO string) can represent, in seconds. */
const MAX_DATE_SECONDS = 8.64e12;

/**
 * ISO-8601 UTC with millisecond precision (sub-millisecond nanos are truncated, so every endorser
 * agrees and Date.parse round-trips the value).
 */
export function timestampToIso(ts: TxTimestamp): string {
  const seconds = Number(ts.seconds.toString());
  const nanos = ts.nanos;
  if (!isIntegerIn(seconds, { min: 0, max: MAX_DATE_SECONDS })) {
    throw new VppError(
      ErrorCode.INVALID_ARGUMENT,
      `transaction timestamp seconds out of range: ${String(ts.seconds)}`,
    );
  }
  if (!isIntegerIn(nanos, { min: 0, max: 999_999_999 })) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `transaction timestamp nanos out of range: ${nanos}`);
  }
  return new Date(seconds * 1000 + Math.floor(nanos / 1_000_000)).toISOString();
}

export function txTimestampIso(ctx: Context): string {
  return timestampToIso(ctx.stub.getTxTimestamp());
}
