// A VPP's portfolio of bids, committed or revealed in one transaction, and the outcome it gets back:
// one result per bid, in batch order. Every bid keeps its own key and all of the single-bid checks;
// a refused bid is reported with its code and message and never blocks the others (as readings do).
// Only what concerns the whole transaction refuses the batch: the caller's role, a malformed or
// over-long argument, more than MAX_PORTFOLIO_BIDS bids, and (for reveals) an unknown interval or
// one without demand. A bid id repeated within the batch is refused from its second occurrence on.

import { parseJsonArgument } from '../../encoding/canonical-json';
import { invalid, requireObject } from '../../rules';
import { ErrorCode, isVppError } from '../../types/errors';

/** Bids per portfolio transaction: bounds endorsement time and the size of one block entry. */
export const MAX_PORTFOLIO_BIDS = 500;
/** A bid of ten steps with a salt is well under 1 KB; room for MAX_PORTFOLIO_BIDS of them. */
export const MAX_PORTFOLIO_JSON_LENGTH = MAX_PORTFOLIO_BIDS * 2048;

export type PortfolioStatus = 'accepted' | 'refused';

export interface PortfolioBidResult {
  readonly index: number;
  /** The bid's id when it could be read from the item, else null. */
  readonly bidId: string | null;
  readonly status: PortfolioStatus;
  readonly code?: string;
  readonly message?: string;
}

export interface PortfolioResult {
  /** The intervals the transaction wrote bids in (of its accepted bids), sorted; [] if none. */
  readonly intervalIds: readonly string[];
  readonly txId: string;
  readonly accepted: number;
  readonly refused: number;
  readonly results: readonly PortfolioBidResult[];
}

/** One item of RevealBids: the bid exactly as committed and its salt. */
export interface RevealItem {
  readonly bid: unknown;
  readonly salt: unknown;
}

/** The items of a portfolio argument: a JSON list of 1..MAX_PORTFOLIO_BIDS entries. */
export function parsePortfolio(json: string, what: string): unknown[] {
  const parsed = parseJsonArgument(json, what, MAX_PORTFOLIO_JSON_LENGTH);
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > MAX_PORTFOLIO_BIDS) {
    throw invalid(`${what} must be a list of 1..${MAX_PORTFOLIO_BIDS} bids`);
  }
  return parsed;
}

const REVEAL_ITEM_FIELDS = ['bid', 'salt'] as const;

export function parseRevealItem(value: unknown): RevealItem {
  const fields = requireObject(value, 'reveal', REVEAL_ITEM_FIELDS);
  return { bid: fields.bid, salt: fields.salt };
}

/** A refused bid's result; an INTERNAL error, or one that is not a VppError, aborts instead. */
export function refusal(err: unknown, index: number, bidId: string | null): PortfolioBidResult {
  if (!isVppError(err) || err.code === ErrorCode.INTERNAL) throw err;
  return { index, bidId, status: 'refused', code: err.code, message: err.detail };
}

export function portfolioResultOf(
  txId: string,
  intervalIds: Iterable<string>,
  results: PortfolioBidResult[],
): PortfolioResult {
  const accepted = results.filter((result) => result.status === 'accepted').length;
  return {
    intervalIds: [...new Set(intervalIds)].sort(),
    txId,
    accepted,
    refused: results.length - accepted,
    results,
  };
}
