// What the audit contract's GetKeyHistory answers: the committed writes of one ledger key.

/** One write of a key, as the peer's history database records it. */
export interface HistoryEntry {
  readonly txId: string;
  /** The writing transaction's timestamp, ISO-8601 UTC. */
  readonly timestamp: string;
  readonly isDelete: boolean;
  /** The value written, as UTF-8 text; empty for a delete. */
  readonly value: string;
}

/**
 * One page of a key's history, newest first (GetKeyHistory); `bookmark` is the txId of the first
 * entry of the next page, '' on the last page. New writes come in front, so a bookmark stays valid.
 */
export interface HistoryPage {
  readonly entries: readonly HistoryEntry[];
  readonly bookmark: string;
}
