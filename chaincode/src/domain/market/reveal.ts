// Revealing sealed bids (bid.ts defines the bid, its canonical bytes and the commitment), and the
// violations recorded for commitments never revealed.
//
// Coded errors (the choices the issue left open are marked *):
// - commit at or after gateClosure                                  GATE_CLOSED
// - reveal before gateClosure (interval still open)                 INVALID_STATE *  (not yet: retry later)
// - reveal at or after revealDeadline                               GATE_CLOSED      (never: give up)
// - revealed bidId / intervalId / vppId differ from the commitment  COMMITMENT_MISMATCH *
//   (they are part of the hashed bytes, so this is a mismatch; the detail names the field)
// - bid and salt do not hash to the commitment                      COMMITMENT_MISMATCH
// - total quantity above the VPP's quota                            QUOTA_EXCEEDED
// - any step price above the demand's price cap                     PRICE_ABOVE_CAP
// - total quantity above what the VPP's active capacity backs       CAPACITY_NOT_BACKED
// - malformed input (shape, unknown fields, non-integers, ...)      INVALID_ARGUMENT
// checkReveal tests in this order: phase, shape, ids, hash, quota, price cap, capacity. So a late
// reveal is GATE_CLOSED even if it is also malformed, and a reveal is checked against the market
// rules only once it is known to be the committed bid.

import {
  compareIds,
  invalid,
  NON_NEGATIVE,
  requireId,
  requireInteger,
  requireIsoTimestamp,
  requireLowerHex,
  requireObject,
  TX_ID,
} from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';
import {
  type Bid,
  BID_FIELDS,
  type BidCommitment,
  COMMITMENT_BYTES,
  computeCommitment,
  parseBid,
  parseSalt,
  SALT_BYTES,
  totalQuantity,
} from './bid';
import type { Demand } from './demand';
import {
  backedQuantity,
  IntervalPhase,
  intervalPhase,
  type MarketInterval,
  requireSameInterval,
} from './interval';

/** A bid that passed checkReveal, with what clearing and audit need from its commitment. */
export interface RevealedBid extends Bid {
  /** The commitment this bid opened (lowercase hex SHA-256). */
  readonly commitment: string;
  /** Stored so anyone can re-verify the commitment from the ledger alone. */
  readonly salt: string;
  /** Copied from the commitment: clearing breaks price ties by it. */
  readonly committedAt: string;
  readonly commitTxId: string;
  /** Transaction time of the reveal, ISO-8601 UTC. */
  readonly revealedAt: string;
}

const REVEALED_FIELDS = [
  ...BID_FIELDS,
  'commitment',
  'salt',
  'committedAt',
  'commitTxId',
  'revealedAt',
] as const;

export interface RevealCheck {
  /** The stored commitment the reveal refers to. */
  readonly commitment: BidCommitment;
  /** The revealed bid as the client sent it (already JSON-parsed). */
  readonly bid: unknown;
  /** The salt as the client sent it: 64 lowercase hex characters. */
  readonly salt: unknown;
  readonly interval: MarketInterval;
  readonly demand: Demand;
  /** Transaction timestamp, ISO-8601 UTC. */
  readonly txTime: string;
  /**
   * What the VPP may still offer in this interval, in the product's unit (its Wh quota as
   * quotaInProductUnit gives it). If a VPP may hold several bids per interval, the contract passes
   * its quota minus the totals of its bids revealed so far.
   */
  readonly quotaForVpp: number;
  /** The VPP's registered, active DER capacity in W (likewise net of its other revealed bids). */
  readonly backedCapacityOfVpp: number;
}

/** Validates a reveal and returns the record to store; see the module comment for the error codes. */
export function checkReveal(check: RevealCheck): RevealedBid {
  const { commitment, interval, demand } = check;
  requireSameInterval(interval, commitment.intervalId, `commitment ${commitment.bidId}`);
  requireSameInterval(interval, demand.intervalId, 'demand');

  const phase = intervalPhase(interval, check.txTime);
  if (phase === IntervalPhase.OPEN) {
    throw new VppError(
      ErrorCode.INVALID_STATE,
      `bids for interval ${interval.intervalId} can be revealed from gate closure ${interval.gateClosure}`,
    );
  }
  if (phase === IntervalPhase.CLOSED) {
    throw new VppError(
      ErrorCode.GATE_CLOSED,
      `reveal deadline ${interval.revealDeadline} of interval ${interval.intervalId} has passed`,
    );
  }

  const salt = parseSalt(check.salt);
  const bid = parseBid(check.bid);
  for (const field of ['bidId', 'intervalId', 'vppId'] as const) {
    if (bid[field] !== commitment[field]) {
      throw new VppError(
        ErrorCode.COMMITMENT_MISMATCH,
        `revealed ${field} ${bid[field]} differs from the committed ${commitment[field]}`,
      );
    }
  }
  if (computeCommitment(bid, salt) !== commitment.commitment) {
    throw new VppError(
      ErrorCode.COMMITMENT_MISMATCH,
      `bid ${bid.bidId} and salt do not hash to the stored commitment`,
    );
  }

  const total = totalQuantity(bid);
  const unit = interval.quantityUnit;
  const quota = requireInteger({ quotaForVpp: check.quotaForVpp }, 'quotaForVpp', NON_NEGATIVE);
  if (total > quota) {
    throw new VppError(
      ErrorCode.QUOTA_EXCEEDED,
      `bid ${bid.bidId} offers ${total} ${unit}, above the quota of ${quota} ${unit} for VPP ${bid.vppId}`,
    );
  }
  const aboveCap = bid.steps.find((step) => step.price > demand.priceCap);
  if (aboveCap !== undefined) {
    throw new VppError(
      ErrorCode.PRICE_ABOVE_CAP,
      `bid ${bid.bidId} has a step at price ${aboveCap.price}, above the cap of ${demand.priceCap}`,
    );
  }
  const backed = backedQuantity(interval, check.backedCapacityOfVpp);
  if (total > backed) {
    throw new VppError(
      ErrorCode.CAPACITY_NOT_BACKED,
      `bid ${bid.bidId} offers ${total} ${unit} but the active capacity of VPP ${bid.vppId} ` +
        `(${check.backedCapacityOfVpp} W) backs only ${backed} ${unit}`,
    );
  }

  return {
    ...bid,
    commitment: commitment.commitment,
    salt,
    committedAt: commitment.committedAt,
    commitTxId: commitment.txId,
    revealedAt: check.txTime,
  };
}

/** Decoder for stored revealed bids; also re-verifies the commitment, so a tampered bid is refused. */
export function parseStoredRevealedBid(value: unknown): RevealedBid {
  const fields = requireObject(value, 'stored revealed bid', REVEALED_FIELDS);
  const bid = parseBid(Object.fromEntries(BID_FIELDS.map((field) => [field, fields[field]])));
  const commitment = requireLowerHex(fields, 'commitment', COMMITMENT_BYTES);
  const salt = requireLowerHex(fields, 'salt', SALT_BYTES);
  if (computeCommitment(bid, salt) !== commitment) {
    throw invalid(`stored bid ${bid.bidId} does not hash to its commitment`);
  }
  return {
    ...bid,
    commitment,
    salt,
    committedAt: requireIsoTimestamp(fields, 'committedAt'),
    commitTxId: requireId(fields, 'commitTxId', TX_ID),
    revealedAt: requireIsoTimestamp(fields, 'revealedAt'),
  };
}

// ---- unrevealed commitments ----

export const ViolationReason = {
  /** A commitment was made but never revealed before the reveal deadline. */
  BID_NOT_REVEALED: 'BID_NOT_REVEALED',
} as const;

export type ViolationReason = (typeof ViolationReason)[keyof typeof ViolationReason];

export interface BidViolation {
  readonly intervalId: string;
  readonly bidId: string;
  readonly vppId: string;
  readonly reason: ViolationReason;
  /** Transaction time at which the violation was established, ISO-8601 UTC. */
  readonly detectedAt: string;
}

/**
 * One violation per commitment of `interval` whose bid id is not among `revealedBidIds`, sorted by
 * bid id. Only final once no reveal can arrive, so INVALID_STATE before the reveal deadline.
 * Commitments of another interval, or two commitments with one bid id, are INVALID_ARGUMENT.
 */
export function unrevealedViolations(
  commitments: readonly BidCommitment[],
  revealedBidIds: Iterable<string>,
  interval: MarketInterval,
  txTime: string,
): BidViolation[] {
  if (intervalPhase(interval, txTime) !== IntervalPhase.CLOSED) {
    throw new VppError(
      ErrorCode.INVALID_STATE,
      `unrevealed bids of interval ${interval.intervalId} are known only after ${interval.revealDeadline}`,
    );
  }
  const revealed = new Set(revealedBidIds);
  const seen = new Set<string>();
  const violations: BidViolation[] = [];
  for (const commitment of commitments) {
    if (commitment.intervalId !== interval.intervalId) {
      throw invalid(`commitment ${commitment.bidId} belongs to interval ${commitment.intervalId}`);
    }
    if (seen.has(commitment.bidId)) {
      throw invalid(`bid ${commitment.bidId} appears twice among the commitments`);
    }
    seen.add(commitment.bidId);
    if (!revealed.has(commitment.bidId)) {
      violations.push({
        intervalId: interval.intervalId,
        bidId: commitment.bidId,
        vppId: commitment.vppId,
        reason: ViolationReason.BID_NOT_REVEALED,
        detectedAt: txTime,
      });
    }
  }
  return violations.sort((a, b) => compareIds(a.bidId, b.bidId));
}
