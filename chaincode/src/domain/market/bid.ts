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
// Committing: GATE_CLOSED at or after gateClosure; malformed input (shape, unknown fields,
// non-integers, ...) is INVALID_ARGUMENT. Revealing, and what an unrevealed commitment costs, is
// reveal.ts.

import {
  type Fields,
  invalid,
  isIntegerIn,
  ENTITY_ID,
  MARKET_ID,
  NON_NEGATIVE,
  POSITIVE,
  requireId,
  requireIntegerValue,
  requireIsoTimestamp,
  requireLowerHex,
  requireObject,
  TX_ID,
} from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';
import { toCanonicalJson } from '../../encoding/canonical-json';
import { copyActor, type MarketActor, parseActor, sha256Hex } from './common';
import { IntervalPhase, intervalPhase, type MarketInterval } from './interval';

export const MAX_BID_STEPS = 10;
export const SALT_BYTES = 32;
export const COMMITMENT_BYTES = 32;

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

export const BID_FIELDS = ['bidId', 'intervalId', 'vppId', 'steps'] as const;
const STEP_FIELDS = ['price', 'quantity'] as const;

/** Validates a bid (client input or the bid part of a stored record); throws INVALID_ARGUMENT. */
export function parseBid(value: unknown): Bid {
  const fields = requireObject(value, 'bid', BID_FIELDS);
  const bidId = requireId(fields, 'bidId', MARKET_ID);
  const intervalId = requireId(fields, 'intervalId', MARKET_ID);
  const vppId = requireId(fields, 'vppId', ENTITY_ID);
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

/** The salt of a commitment: 32 bytes as 64 lowercase hex characters. */
export function parseSalt(salt: unknown): string {
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
    vppId: requireId(fields, 'vppId', ENTITY_ID),
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
