// Demand: what the control centre needs in one interval, and the most it will pay.
//
// Units (all integers):
// - quantity: in the interval product's unit (quantityUnitOf): Wh for energy-up / energy-down, W for
//   reserve.
// - priceCap: minor currency units per MWh for energy products. For reserve it is minor units per MW
//   of capacity held available for one hour (per MW·h of availability), so the same number scale and
//   the same payment formula (quantity × hours × price / 10^6) serve both.
//
// Demand is fixed before bidders commit: it can only be posted while the interval is open, because
// bids are checked against the cap at reveal and bidders must know it when they seal their bids.

import {
  invalid,
  MARKET_ID,
  NON_NEGATIVE,
  POSITIVE,
  type QuantityUnit,
  requireId,
  requireInteger,
  requireIsoTimestamp,
  requireObject,
  requireOneOf,
} from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';
import { copyActor, parseActor, type MarketActor } from './common';
import {
  IntervalPhase,
  intervalPhase,
  KNOWN_MARKET_PRODUCTS,
  quantityUnitOf,
  requireQuantityUnitOf,
  type MarketInterval,
  type MarketProduct,
} from './interval';

export interface DemandInput {
  readonly intervalId: string;
  /** Must equal the interval's product; stated again so a client cannot post to the wrong market. */
  readonly product: MarketProduct;
  /** Positive, in the product's unit (Wh or W). */
  readonly quantity: number;
  /** Non-negative, minor units per MWh (reserve: per MW per hour). */
  readonly priceCap: number;
}

export interface Demand extends DemandInput {
  readonly quantityUnit: QuantityUnit;
  /** Transaction time of the post, ISO-8601 UTC. */
  readonly postedAt: string;
  readonly postedBy: MarketActor;
}

const INPUT_FIELDS = ['intervalId', 'product', 'quantity', 'priceCap'] as const;
const STORED_FIELDS = [...INPUT_FIELDS, 'quantityUnit', 'postedAt', 'postedBy'] as const;

export function parseDemandInput(value: unknown): DemandInput {
  const fields = requireObject(value, 'demand', INPUT_FIELDS);
  return {
    intervalId: requireId(fields, 'intervalId', MARKET_ID),
    product: requireOneOf(fields, 'product', KNOWN_MARKET_PRODUCTS),
    quantity: requireInteger(fields, 'quantity', POSITIVE),
    priceCap: requireInteger(fields, 'priceCap', NON_NEGATIVE),
  };
}

export interface DemandPost {
  /** Raw client input (already JSON-parsed). */
  readonly input: unknown;
  /** The stored interval named by the input's intervalId. */
  readonly interval: MarketInterval;
  readonly caller: MarketActor;
  /** Transaction timestamp, ISO-8601 UTC. */
  readonly txTime: string;
}

/**
 * The demand record to store. Posting after gate closure is GATE_CLOSED; an interval id or product
 * that does not match the interval is INVALID_ARGUMENT. One demand per interval is the contract's
 * concern (it owns the key).
 */
export function buildDemand(post: DemandPost): Demand {
  const input = parseDemandInput(post.input);
  const { interval } = post;
  if (input.intervalId !== interval.intervalId) {
    throw invalid(`demand names interval ${input.intervalId} but interval ${interval.intervalId} was given`);
  }
  if (input.product !== interval.product) {
    throw invalid(`product ${input.product} does not match interval product ${interval.product}`);
  }
  if (intervalPhase(interval, post.txTime) !== IntervalPhase.OPEN) {
    throw new VppError(
      ErrorCode.GATE_CLOSED,
      `demand for interval ${interval.intervalId} must be posted before gate closure ${interval.gateClosure}`,
    );
  }
  return {
    ...input,
    quantityUnit: quantityUnitOf(input.product),
    postedAt: post.txTime,
    postedBy: copyActor(post.caller),
  };
}

/** Decoder for stored demand: re-validates every field so corrupted state is never trusted. */
export function parseStoredDemand(value: unknown): Demand {
  const fields = requireObject(value, 'stored demand', STORED_FIELDS);
  const input = parseDemandInput(Object.fromEntries(INPUT_FIELDS.map((field) => [field, fields[field]])));
  const quantityUnit = requireQuantityUnitOf(fields, input.product);
  return {
    ...input,
    quantityUnit,
    postedAt: requireIsoTimestamp(fields, 'postedAt'),
    postedBy: parseActor(fields.postedBy, 'postedBy'),
  };
}
