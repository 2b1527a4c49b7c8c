/** Raised when bytes are not what the peer should have sent; the gateway's routes turn it into a 5xx. */
export class LedgerDecodeError extends Error {
  override readonly name = 'LedgerDecodeError';
}
