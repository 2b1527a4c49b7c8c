/** Raised when bytes are not what the peer should have sent; the gateway's routes turn it into a 5xx. */
export class LedgerDecodeError extends Error {
  override readonly name = 'LedgerDecodeError';
}

/** Runs one protobuf decoding step; any failure becomes a LedgerDecodeError naming `what`. */
export function decodeOrThrow<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    throw new LedgerDecodeError(`cannot decode ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
