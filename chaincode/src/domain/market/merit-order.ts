// Clearing in merit order, reading only what it needs.
//
// Every step of a revealed bid is also kept as one index entry (an offer) whose key sorts exactly as
// clearing.ts orders offers: price, then commit time, then bid id, then step index. Price and commit
// time are fixed-width decimal digits, so key order is numeric order; ids are ASCII and the
// composite-key separator (U+0000) sorts before every id character, so bid ids sort as compareIds
// does. Scanning the index from its start visits offers cheapest first; clearing stops as soon as the
// demand is met or the next offer is above the price cap. Offers after the marginal one and unrevealed
// bids are never read: they could not change the result.
//
// What the record says about its inputs (its meaning changed when clearing stopped reading the whole
// book):
// - inputsHash = SHA-256 hex of the UTF-8 canonical JSON of
//     { demand: { intervalId, priceCap, product, quantity },
//       offers: [{ bidId, committedAt, price, quantity, stepIndex, vppId }, ...] in merit order }
//   where offers are exactly the offers the clearing read and used: every accepted offer, the
//   marginal one with its full offered quantity. Equal for anyone who re-reads the same index range.
// - bidCount (records.ts) = the number of distinct bids among those offers.

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
  requireObject,
} from '../../rules';
import { MAX_BID_STEPS } from './bid';
import {
  clearingDemandOf,
  type AcceptedStep,
  type Award,
  type ClearingBid,
  type ClearingDemand,
  type ClearingResult,
} from './clearing';
import { isoMillis, sha256Hex } from './common';

/** Digits of the price key part: every safe integer (Number.MAX_SAFE_INTEGER has 16). */
export const PRICE_DIGITS = 16;
/** Digits of the commit-time key part: milliseconds up to the year 9999. */
export const COMMITTED_MS_DIGITS = 15;
/** Digits of the step-index key part (MAX_BID_STEPS is 10). */
export const STEP_DIGITS = 2;

/** One step of one revealed bid, as the clearing sees it. */
export interface MeritOffer {
  readonly bidId: string;
  readonly vppId: string;
  /** The bid's commit transaction time, ISO-8601 UTC. */
  readonly committedAt: string;
  readonly stepIndex: number;
  readonly price: number;
  readonly quantity: number;
}

/** The value of an index entry: what its key does not already say. */
export interface StoredMeritEntry {
  readonly committedAt: string;
  readonly quantity: number;
  readonly vppId: string;
}

const ENTRY_FIELDS = ['committedAt', 'quantity', 'vppId'] as const;

/** The offers of one revealed bid, one per step. */
export function meritOffersOf(bid: ClearingBid): MeritOffer[] {
  return bid.steps.map((step, stepIndex) => ({
    bidId: bid.bidId,
    vppId: bid.vppId,
    committedAt: bid.committedAt,
    stepIndex,
    price: step.price,
    quantity: step.quantity,
  }));
}

function digits(value: number, width: number, what: string): string {
  const text = String(value);
  if (!Number.isSafeInteger(value) || value < 0 || text.length > width) {
    throw invalid(`${what} must be an integer of at most ${width} digits`);
  }
  return text.padStart(width, '0');
}

/** The key parts after the interval id: [price, commit ms, bid id, step index]. */
export function meritKeyParts(offer: MeritOffer): string[] {
  return [
    digits(offer.price, PRICE_DIGITS, 'price'),
    digits(isoMillis(offer.committedAt), COMMITTED_MS_DIGITS, 'commit time'),
    offer.bidId,
    digits(offer.stepIndex, STEP_DIGITS, 'step index'),
  ];
}

export function meritEntryOf(offer: MeritOffer): StoredMeritEntry {
  return { committedAt: offer.committedAt, quantity: offer.quantity, vppId: offer.vppId };
}

function numberPart(part: string | undefined, width: number, what: string): number {
  if (part === undefined || part.length !== width || !/^[0-9]+$/.test(part)) {
    throw invalid(`index key ${what} must be ${width} digits`);
  }
  return Number(part);
}

/**
 * The offer an index entry stands for, from its key parts after the interval id and its value;
 * INVALID_ARGUMENT if the two disagree or either is malformed (the ledger reports that as INTERNAL).
 */
export function parseMeritEntry(parts: readonly string[], value: unknown): MeritOffer {
  if (parts.length !== 4) throw invalid('index key must have 4 parts after the interval id');
  const price = numberPart(parts[0], PRICE_DIGITS, 'price');
  const committedMs = numberPart(parts[1], COMMITTED_MS_DIGITS, 'commit time');
  const bidId = requireId({ bidId: parts[2] }, 'bidId', MARKET_ID);
  const stepIndex = numberPart(parts[3], STEP_DIGITS, 'step index');
  if (stepIndex >= MAX_BID_STEPS) throw invalid(`index key step index must be below ${MAX_BID_STEPS}`);
  const fields = requireObject(value, 'offer entry', ENTRY_FIELDS);
  const committedAt = requireIsoTimestamp(fields, 'committedAt');
  if (isoMillis(committedAt) !== committedMs) {
    throw invalid(`offer entry committedAt ${committedAt} does not match its key`);
  }
  return {
    bidId,
    vppId: requireId(fields, 'vppId', ENTITY_ID),
    committedAt,
    stepIndex,
    price: requireInteger({ price }, 'price', NON_NEGATIVE),
    quantity: requireInteger(fields, 'quantity', POSITIVE),
  };
}

function compareMerit(a: MeritOffer, b: MeritOffer): number {
  return (
    a.price - b.price ||
    isoMillis(a.committedAt) - isoMillis(b.committedAt) ||
    compareIds(a.bidId, b.bidId) ||
    a.stepIndex - b.stepIndex
  );
}

/** A finished merit-order clearing: the result and how many distinct bids it read. */
export interface MeritClearing {
  readonly result: ClearingResult;
  readonly bidCount: number;
}

/**
 * Clears an interval from offers fed in merit order (strictly ascending, INVALID_ARGUMENT
 * otherwise). Feed offers while `wantsMore`; `take` answers false, without using it, for an offer
 * priced above the cap, after which nothing more is wanted either.
 */
export class MeritOrderClearing {
  readonly #demand: ClearingDemand;
  readonly #read: MeritOffer[] = [];
  readonly #accepted = new Map<string, { vppId: string; steps: AcceptedStep[] }>();
  #remaining: number;
  #clearingPrice: number | null = null;
  #aboveCap = false;

  constructor(demand: ClearingDemand) {
    this.#demand = clearingDemandOf(demand);
    this.#remaining = this.#demand.quantity;
  }

  get wantsMore(): boolean {
    return this.#remaining > 0 && !this.#aboveCap;
  }

  take(offer: MeritOffer): boolean {
    if (!this.wantsMore) throw invalid('the clearing wants no more offers');
    const previous = this.#read.at(-1);
    if (previous !== undefined && compareMerit(previous, offer) >= 0) {
      throw invalid(`offer ${offer.bidId}#${offer.stepIndex} is out of merit order`);
    }
    if (offer.price > this.#demand.priceCap) {
      this.#aboveCap = true;
      return false;
    }
    const quantity = Math.min(offer.quantity, this.#remaining);
    this.#remaining -= quantity;
    this.#clearingPrice = offer.price;
    this.#read.push(offer);
    const award = this.#accepted.get(offer.bidId) ?? { vppId: offer.vppId, steps: [] };
    if (award.vppId !== offer.vppId) throw invalid(`bid ${offer.bidId} has offers of two VPPs`);
    award.steps.push({ stepIndex: offer.stepIndex, price: offer.price, quantity });
    this.#accepted.set(offer.bidId, award);
    return true;
  }

  finish(): MeritClearing {
    const awards: Award[] = [...this.#accepted.entries()]
      .sort(([a], [b]) => compareIds(a, b))
      .map(([bidId, { vppId, steps }]) => {
        const acceptedSteps = [...steps].sort((a, b) => a.stepIndex - b.stepIndex);
        return {
          bidId,
          vppId,
          quantity: acceptedSteps.reduce((sum, step) => sum + step.quantity, 0),
          acceptedSteps,
        };
      });
    const offers = this.#read.map((offer) => ({ ...offer }));
    return {
      result: {
        intervalId: this.#demand.intervalId,
        clearingPrice: this.#clearingPrice,
        totalAwarded: this.#demand.quantity - this.#remaining,
        awards,
        inputsHash: sha256Hex(toCanonicalJson({ demand: this.#demand, offers })),
      },
      bidCount: this.#accepted.size,
    };
  }
}

/** Clears from offers already in merit order, reading them only as far as the clearing wants. */
export function clearInMeritOrder(demand: ClearingDemand, offers: Iterable<MeritOffer>): MeritClearing {
  const clearing = new MeritOrderClearing(demand);
  // Demand is positive, so the first offer is always wanted; after that, ask before reading on.
  for (const offer of offers) {
    if (!clearing.take(offer) || !clearing.wantsMore) break;
  }
  return clearing.finish();
}
