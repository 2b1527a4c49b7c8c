// Clearing one interval: merit order, uniform price. This module is the rule stated over the whole
// book (the reference); the ledger clears with merit-order.ts, which reads the same offers from a
// merit-ordered index only up to the marginal one and must give the same awards and price (a
// property test holds the two together). Its inputsHash differs: see merit-order.ts.
//
// Every step of every revealed bid is an offer of `quantity` at `price`. Offers are accepted from
// the cheapest up until the demand is met; the last (marginal) offer may be accepted in part. Every
// accepted unit is paid the clearing price, which is the price of the marginal accepted offer, i.e.
// the highest accepted price.
//
// Choices:
// - Equal prices are ordered by commit transaction time (earlier first), then bid id, then step
//   index. All of these are on the ledger and bid ids are unique, so the order is total and any
//   party can recompute it.
// - Steps priced above the demand's cap are skipped; checkReveal already refuses them, this only
//   keeps a clearing honest if such a bid ever reaches it.
// - clearingPrice is null when nothing is accepted (empty book): 0 is a legitimate price, so it
//   cannot also mean "no trade".
// - awards lists only bids with a positive award, sorted by bid id; acceptedSteps by step index.
// - inputsHash = SHA-256 hex of the UTF-8 canonical JSON (toCanonicalJson) of
//     { demand: { intervalId, priceCap, product, quantity },
//       bids: [{ bidId, committedAt, steps: [{ price, quantity }], vppId }, ...] sorted by bid id }
//   i.e. exactly the facts the result depends on, independent of the order in which bids were read.
//
// Cost: one sort of all steps, O(S log S) for S steps; 10,000 bids of 10 steps clear in well under
// a second.

import { toCanonicalJson } from '../../encoding/canonical-json';
import {
  compareIds,
  invalid,
  ENTITY_ID,
  MARKET_ID,
  NON_NEGATIVE,
  POSITIVE,
  requireId,
  requireInteger,
  requireIsoTimestamp,
  requireLowerHex,
  requireObject,
  requireOneOf,
  requireSortedList,
} from '../../rules';
import { isoMillis, sha256Hex } from './common';
import { MAX_BID_STEPS, parseBid, type BidStep } from './bid';
import { type RevealedBid } from './reveal';
import type { Demand } from './demand';
import { KNOWN_MARKET_PRODUCTS } from './interval';

/** The part of a demand record clearing depends on. */
export type ClearingDemand = Pick<Demand, 'intervalId' | 'product' | 'quantity' | 'priceCap'>;

/** The part of a revealed bid record clearing depends on. */
export type ClearingBid = Pick<RevealedBid, 'bidId' | 'intervalId' | 'vppId' | 'committedAt' | 'steps'>;

export interface AcceptedStep {
  /** Index of the step in the bid's steps array. */
  readonly stepIndex: number;
  /** The step's own offer price (the award is paid the clearing price). */
  readonly price: number;
  /** Accepted quantity: the whole step, or part of it for the marginal step. */
  readonly quantity: number;
}

export interface Award {
  readonly bidId: string;
  readonly vppId: string;
  /** Σ acceptedSteps quantities, in the product's unit. */
  readonly quantity: number;
  readonly acceptedSteps: readonly AcceptedStep[];
}

export interface ClearingResult {
  readonly intervalId: string;
  /** Uniform price in minor units per MWh (reserve: per MW per hour); null if nothing was accepted. */
  readonly clearingPrice: number | null;
  /** Σ award quantities; at most the demanded quantity. */
  readonly totalAwarded: number;
  /** Bids with a positive award, sorted by bid id. */
  readonly awards: readonly Award[];
  /**
   * SHA-256 hex of the canonical inputs: here over the whole book (see module comment); a clearing on
   * the ledger (merit-order.ts) hashes the demand and exactly the offers it read.
   */
  readonly inputsHash: string;
}

interface NormalisedBid {
  readonly bidId: string;
  readonly vppId: string;
  readonly committedAt: string;
  readonly steps: readonly BidStep[];
}

interface NormalisedInputs {
  readonly demand: ClearingDemand;
  /** Sorted by bid id, which is unique. */
  readonly bids: readonly NormalisedBid[];
}

const DEMAND_FIELDS = ['intervalId', 'product', 'quantity', 'priceCap'] as const;

/** The demand's clearing fields, checked (INVALID_ARGUMENT otherwise) and nothing else. */
export function clearingDemandOf(demand: ClearingDemand): ClearingDemand {
  const demandFields = requireObject(
    Object.fromEntries(DEMAND_FIELDS.map((field) => [field, demand[field]])),
    'demand',
    DEMAND_FIELDS,
  );
  return {
    intervalId: requireId(demandFields, 'intervalId', MARKET_ID),
    product: requireOneOf(demandFields, 'product', KNOWN_MARKET_PRODUCTS),
    quantity: requireInteger(demandFields, 'quantity', POSITIVE),
    priceCap: requireInteger(demandFields, 'priceCap', NON_NEGATIVE),
  };
}

function normalise(demand: ClearingDemand, bids: readonly ClearingBid[]): NormalisedInputs {
  const cleanDemand = clearingDemandOf(demand);
  const seen = new Set<string>();
  const cleanBids = bids.map((bid): NormalisedBid => {
    // parseBid re-checks ids, step shape and price order; cheap next to the sort below.
    const parsed = parseBid({
      bidId: bid.bidId,
      intervalId: bid.intervalId,
      vppId: bid.vppId,
      steps: bid.steps,
    });
    if (parsed.intervalId !== cleanDemand.intervalId) {
      throw invalid(
        `bid ${parsed.bidId} belongs to interval ${parsed.intervalId}, not ${cleanDemand.intervalId}`,
      );
    }
    if (seen.has(parsed.bidId)) {
      throw invalid(`bid ${parsed.bidId} appears twice in the book`);
    }
    seen.add(parsed.bidId);
    return {
      bidId: parsed.bidId,
      vppId: parsed.vppId,
      committedAt: requireIsoTimestamp({ committedAt: bid.committedAt }, 'committedAt'),
      steps: parsed.steps,
    };
  });
  cleanBids.sort((a, b) => compareIds(a.bidId, b.bidId));
  return { demand: cleanDemand, bids: cleanBids };
}

/** The inputsHash of a clearing of `bids` against `demand`, whatever the order of `bids`. */
export function clearingInputsHash(demand: ClearingDemand, bids: readonly ClearingBid[]): string {
  return sha256Hex(toCanonicalJson(normalise(demand, bids)));
}

interface Offer {
  readonly price: number;
  readonly committedMs: number;
  /** Position in the bid-id-sorted book, so comparing positions compares bid ids. */
  readonly bidPosition: number;
  readonly stepIndex: number;
  readonly quantity: number;
}

function compareOffers(a: Offer, b: Offer): number {
  return (
    a.price - b.price ||
    a.committedMs - b.committedMs ||
    a.bidPosition - b.bidPosition ||
    a.stepIndex - b.stepIndex
  );
}

/**
 * Clears one interval. Bids must all belong to the demand's interval and have distinct ids
 * (INVALID_ARGUMENT otherwise); their order does not matter. Whether the interval is closed for
 * reveals is the caller's check (intervalPhase).
 */
export function clearMarketInterval(demand: ClearingDemand, bids: readonly ClearingBid[]): ClearingResult {
  const inputs = normalise(demand, bids);
  const { priceCap } = inputs.demand;

  const offers: Offer[] = [];
  inputs.bids.forEach((bid, bidPosition) => {
    const committedMs = isoMillis(bid.committedAt);
    bid.steps.forEach((step, stepIndex) => {
      if (step.price <= priceCap) {
        offers.push({ price: step.price, committedMs, bidPosition, stepIndex, quantity: step.quantity });
      }
    });
  });
  offers.sort(compareOffers);

  const accepted = new Map<number, AcceptedStep[]>();
  let remaining = inputs.demand.quantity;
  let clearingPrice: number | null = null;
  for (const offer of offers) {
    if (remaining === 0) {
      break;
    }
    const quantity = Math.min(offer.quantity, remaining);
    remaining -= quantity;
    // Offers arrive in ascending price, so the last accepted one sets the (highest) price.
    clearingPrice = offer.price;
    const steps = accepted.get(offer.bidPosition) ?? [];
    steps.push({ stepIndex: offer.stepIndex, price: offer.price, quantity });
    accepted.set(offer.bidPosition, steps);
  }

  const awards: Award[] = [];
  inputs.bids.forEach((bid, bidPosition) => {
    const steps = accepted.get(bidPosition);
    if (steps === undefined) {
      return;
    }
    steps.sort((a, b) => a.stepIndex - b.stepIndex);
    awards.push({
      bidId: bid.bidId,
      vppId: bid.vppId,
      quantity: steps.reduce((sum, step) => sum + step.quantity, 0),
      acceptedSteps: steps,
    });
  });

  return {
    intervalId: inputs.demand.intervalId,
    clearingPrice,
    totalAwarded: inputs.demand.quantity - remaining,
    awards,
    inputsHash: sha256Hex(toCanonicalJson(inputs)),
  };
}

export interface ClearingVerification {
  /** True when `stored` is, field for field, the result of clearing the given inputs. */
  readonly matches: boolean;
  readonly recomputed: ClearingResult;
}

/**
 * Recomputes the clearing from the inputs and compares it with a stored result by canonical JSON,
 * so a changed award, price, hash or an extra field all count as a mismatch.
 */
export function verifyClearing(
  stored: ClearingResult,
  demand: ClearingDemand,
  bids: readonly ClearingBid[],
): ClearingVerification {
  const recomputed = clearMarketInterval(demand, bids);
  let matches: boolean;
  try {
    matches = toCanonicalJson(stored) === toCanonicalJson(recomputed);
  } catch {
    matches = false; // a stored value JSON cannot even represent cannot be the right result
  }
  return { matches, recomputed };
}

/** Total awarded to one VPP over all its bids in the result (0 if none). */
export function awardedQuantityOfVpp(result: ClearingResult, vppId: string): number {
  return result.awards.reduce((sum, award) => (award.vppId === vppId ? sum + award.quantity : sum), 0);
}

const RESULT_FIELDS = ['intervalId', 'clearingPrice', 'totalAwarded', 'awards', 'inputsHash'] as const;
const AWARD_FIELDS = ['bidId', 'vppId', 'quantity', 'acceptedSteps'] as const;
const ACCEPTED_STEP_FIELDS = ['stepIndex', 'price', 'quantity'] as const;

function parseAcceptedStep(value: unknown, what: string): AcceptedStep {
  const fields = requireObject(value, what, ACCEPTED_STEP_FIELDS);
  const stepIndex = requireInteger(fields, 'stepIndex', NON_NEGATIVE);
  if (stepIndex >= MAX_BID_STEPS) {
    throw invalid(`${what}.stepIndex must be below ${MAX_BID_STEPS}`);
  }
  return {
    stepIndex,
    price: requireInteger(fields, 'price', NON_NEGATIVE),
    quantity: requireInteger(fields, 'quantity', POSITIVE),
  };
}

function parseAward(value: unknown, what: string): Award {
  const fields = requireObject(value, what, AWARD_FIELDS);
  const rawSteps = fields.acceptedSteps;
  if (!Array.isArray(rawSteps) || rawSteps.length < 1 || rawSteps.length > MAX_BID_STEPS) {
    throw invalid(`${what}.acceptedSteps must be an array of 1..${MAX_BID_STEPS} steps`);
  }
  const acceptedSteps = rawSteps.map((raw: unknown, i) =>
    parseAcceptedStep(raw, `${what}.acceptedSteps[${i}]`),
  );
  for (let i = 1; i < acceptedSteps.length; i++) {
    if (acceptedSteps[i].stepIndex <= acceptedSteps[i - 1].stepIndex) {
      throw invalid(`${what}.acceptedSteps must be in strictly ascending stepIndex order`);
    }
  }
  const quantity = requireInteger(fields, 'quantity', POSITIVE);
  if (acceptedSteps.reduce((sum, step) => sum + step.quantity, 0) !== quantity) {
    throw invalid(`${what}.quantity must equal the sum of its accepted steps`);
  }
  return {
    bidId: requireId(fields, 'bidId', MARKET_ID),
    vppId: requireId(fields, 'vppId', ENTITY_ID),
    quantity,
    acceptedSteps,
  };
}

/**
 * Decoder for stored clearing results: checks shape and internal consistency (sums, order, price
 * bounds). Whether the result is the right one for its inputs is verifyClearing's job.
 */
export function parseStoredClearingResult(value: unknown): ClearingResult {
  const fields = requireObject(value, 'stored clearing result', RESULT_FIELDS);
  const awards = requireSortedList(fields, 'awards', parseAward, (award) => award.bidId, 'bidId');
  const clearingPrice =
    fields.clearingPrice === null ? null : requireInteger(fields, 'clearingPrice', NON_NEGATIVE);
  if ((clearingPrice === null) !== (awards.length === 0)) {
    throw invalid('clearingPrice must be null exactly when there are no awards');
  }
  // reduce, not Math.max(...): a large book would exceed the engine's argument limit.
  const highest = awards.reduce(
    (max, award) => award.acceptedSteps.reduce((m, step) => Math.max(m, step.price), max),
    -1,
  );
  if (clearingPrice !== null && highest !== clearingPrice) {
    throw invalid('clearingPrice must equal the highest accepted step price');
  }
  const totalAwarded = requireInteger(fields, 'totalAwarded', NON_NEGATIVE);
  if (awards.reduce((sum, award) => sum + award.quantity, 0) !== totalAwarded) {
    throw invalid('totalAwarded must equal the sum of the awards');
  }
  return {
    intervalId: requireId(fields, 'intervalId', MARKET_ID),
    clearingPrice,
    totalAwarded,
    awards,
    inputsHash: requireLowerHex(fields, 'inputsHash', 32),
  };
}
