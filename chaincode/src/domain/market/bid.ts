// Sealed bids, commit-reveal. While an interval is open a VPP operator stores only a commitment to
// its bid; after gate closure it reveals the bid and the salt, and the chaincode checks that they hash
// to the commitment. Nobody (the trading centre included) can see or copy a bid before gate closure,
// and nobody can change one after it.
//
// Canonical bytes (clients and the device kit must produce exactly these):
//
//   commitment = lowercase hex( SHA-256( UTF-8(canonicalJson(bid)) || salt ) )
//
// - bid is exactly { bidId, intervalId, vppId, steps: [{ price, quantity }, ...] }: no other fields,
//   ids verbatim (never trimmed), integers, steps in strictly ascending price order. The order rule
//   gives every bid exactly one byte form and makes prices distinct.
// - canonicalJson is toCanonicalJson (encoding/canonical-json): keys sorted by UTF-16 code units at every level,
//   no whitespace, integers in plain decimal. Example:
//   {"bidId":"b-1","intervalId":"i-1","steps":[{"price":4500,"quantity":1000}],"vppId":"vpp-1"}
// - salt is 32 random bytes, appended as raw bytes (not their hex text). On the wire it travels as 64
//   lowercase hex characters. No separator is needed: the JSON ends with '}' and the salt has a fixed
//   length.
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
  type Fields,
  invalid,
  isIntegerIn,
  MARKET_ID,
  NON_NEGATIVE,
  POSITIVE,
  requireId,
  requireInteger,
  requireIntegerValue,
  requireIsoTimestamp,
  requireLowerHex,
  requireObject,
  TX_ID,
} from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';
import { toCanonicalJson } from '../../encoding/canonical-json';
import { copyActor, parseActor, sha256Hex, type MarketActor } from './common';
import type { Demand } from './demand';
import {
  backedQuantity,
  IntervalPhase,
  intervalPhase,
  requireSameInterval,
  type MarketInterval,
} from './interval';

export const MAX_BID_STEPS = 10;
export const SALT_BYTES = 32;
const COMMITMENT_BYTES = 32;

export interface BidStep {
  /** Minor currency units per MWh (reserve: per MW per hour); zero allowed. */
  readonly price: number;
  /** Positive, in the interval product's unit (Wh or W). */
  readonly quantity: number;
}

/** The sealed content: exactly what is hashed into the commitment. */
export interface Bid {
  readonly bidId: string;
  readonly intervalId: string;
  readonly vppId: string;
  /** 1..MAX_BID_STEPS steps, strictly ascending by price. */
  readonly steps: readonly BidStep[];
}

const BID_FIELDS = ['bidId', 'intervalId', 'vppId', 'steps'] as const;
const STEP_FIELDS = ['price', 'quantity'] as const;

/** Validates a bid (client input or the bid part of a stored record); throws INVALID_ARGUMENT. */
export function parseBid(value: unknown): Bid {
  const fields = requireObject(value, 'bid', BID_FIELDS);
  const bidId = requireId(fields, 'bidId', MARKET_ID);
  const intervalId = requireId(fields, 'intervalId', MARKET_ID);
  const vppId = requireId(fields, 'vppId', MARKET_ID);
  const rawSteps = fields.steps;
  if (!Array.isArray(rawSteps) || rawSteps.length < 1 || rawSteps.length > MAX_BID_STEPS) {
    throw invalid(`steps must be an array of 1..${MAX_BID_STEPS} steps`);
  }
  const steps = rawSteps.map((raw: unknown, i): BidStep => {
    const step = requireObject(raw, `steps[${i}]`, STEP_FIELDS);
    return {
      price: requireIntegerValue(step.price, `steps[${i}].price`, NON_NEGATIVE),
      quantity: requireIntegerValue(step.quantity, `steps[${i}].quantity`, POSITIVE),
    };
  });
  for (let i = 1; i < steps.length; i++) {
    if (steps[i].price <= steps[i - 1].price) {
      throw invalid('steps must be in strictly ascending price order (prices distinct)');
    }
  }
  if (!isIntegerIn(totalQuantity({ steps }), POSITIVE)) {
    throw invalid('total quantity of the steps must be a safe integer');
  }
  return { bidId, intervalId, vppId, steps };
}

/** The bid id of a revealed bid as the client sent it, which locates its commitment. */
export function bidIdOf(bid: unknown): string {
  if (typeof bid !== 'object' || bid === null || Array.isArray(bid)) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, 'bid must be a JSON object');
  }
  return requireId(bid as Fields, 'bidId', MARKET_ID);
}

/** Σ step quantities. */
export function totalQuantity(bid: Pick<Bid, 'steps'>): number {
  return bid.steps.reduce((sum, step) => sum + step.quantity, 0);
}

function parseSalt(salt: unknown): string {
  return requireLowerHex({ salt }, 'salt', SALT_BYTES);
}

/** The exact bytes that are hashed: UTF-8 canonical JSON of the bid, then the 32 raw salt bytes. */
export function commitmentPreimage(bid: unknown, saltHex: unknown): Buffer {
  // parseBid returns a fresh object holding exactly the hashed fields, whatever else came in.
  const canonicalJson = toCanonicalJson(parseBid(bid));
  return Buffer.concat([Buffer.from(canonicalJson, 'utf8'), Buffer.from(parseSalt(saltHex), 'hex')]);
}

/**
 * The commitment (64 lowercase hex characters) to a bid under a salt. Validates both first, so a
 * client cannot commit to a bid that could never be revealed successfully for shape reasons.
 */
export function computeCommitment(bid: unknown, saltHex: unknown): string {
  return sha256Hex(commitmentPreimage(bid, saltHex));
}

// ---- commit ----

export interface CommitmentInput {
  readonly commitment: string;
  readonly bidId: string;
  readonly intervalId: string;
  readonly vppId: string;
}

export interface BidCommitment extends CommitmentInput {
  /** Transaction time of the commit, ISO-8601 UTC: the first merit-order tie-break after price. */
  readonly committedAt: string;
  /** Transaction id of the commit, for audit. */
  readonly txId: string;
  readonly committedBy: MarketActor;
}

const COMMITMENT_INPUT_FIELDS = ['commitment', 'bidId', 'intervalId', 'vppId'] as const;
const COMMITMENT_FIELDS = [...COMMITMENT_INPUT_FIELDS, 'committedAt', 'txId', 'committedBy'] as const;

export function parseCommitmentInput(value: unknown): CommitmentInput {
  const fields = requireObject(value, 'bid commitment', COMMITMENT_INPUT_FIELDS);
  return {
    commitment: requireLowerHex(fields, 'commitment', COMMITMENT_BYTES),
    bidId: requireId(fields, 'bidId', MARKET_ID),
    intervalId: requireId(fields, 'intervalId', MARKET_ID),
    vppId: requireId(fields, 'vppId', MARKET_ID),
  };
}

export interface CommitmentWrite {
  /** Raw client input (already JSON-parsed). */
  readonly input: unknown;
  /** The stored interval named by the input's intervalId. */
  readonly interval: MarketInterval;
  readonly caller: MarketActor;
  /** Transaction timestamp, ISO-8601 UTC. */
  readonly txTime: string;
  readonly txId: string;
}

/**
 * The commitment record to store. GATE_CLOSED unless the interval is open. That the VPP belongs to
 * the caller, and that the bid id is new, are the contract's checks (they need the ledger).
 */
export function buildCommitment(write: CommitmentWrite): BidCommitment {
  const input = parseCommitmentInput(write.input);
  const { interval } = write;
  if (input.intervalId !== interval.intervalId) {
    throw invalid(
      `commitment names interval ${input.intervalId} but interval ${interval.intervalId} was given`,
    );
  }
  if (intervalPhase(interval, write.txTime) !== IntervalPhase.OPEN) {
    throw new VppError(
      ErrorCode.GATE_CLOSED,
      `interval ${interval.intervalId} closed for bids at ${interval.gateClosure}`,
    );
  }
  return {
    ...input,
    committedAt: write.txTime,
    txId: requireId({ txId: write.txId }, 'txId', TX_ID),
    committedBy: copyActor(write.caller),
  };
}

export function parseStoredCommitment(value: unknown): BidCommitment {
  const fields = requireObject(value, 'stored bid commitment', COMMITMENT_FIELDS);
  const input = parseCommitmentInput(
    Object.fromEntries(COMMITMENT_INPUT_FIELDS.map((field) => [field, fields[field]])),
  );
  return {
    ...input,
    committedAt: requireIsoTimestamp(fields, 'committedAt'),
    txId: requireId(fields, 'txId', TX_ID),
    committedBy: parseActor(fields.committedBy, 'committedBy'),
  };
}

// ---- reveal ----

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
   * What the VPP may still offer in this interval, in the product's unit. If a VPP may hold several
   * bids per interval, the contract passes its quota minus the totals of its bids revealed so far.
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
