// Market intervals: the trading centre opens one auction per delivery period and product. The four
// instants of an interval fix its whole life:
//
//   opened (tx) < gateClosure < revealDeadline <= deliveryStart < deliveryEnd
//   |--- open: commit sealed bids ---|--- reveal: open them ---|--- closed: clear, dispatch ---
//
// Phases are a pure function of the interval and the transaction time, so every endorser agrees and
// no background job has to "close" anything.

import {
  type Fields,
  invalid,
  isIntegerIn,
  MARKET_ID,
  NON_NEGATIVE,
  type QuantityUnit,
  requireId,
  requireIsoTimestamp,
  requireObject,
  requireOneOf,
  requireQuantityUnit,
} from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';
import { copyActor, isoMillis, parseActor, txMillis, type MarketActor } from './common';

export const MarketProduct = {
  /** Energy delivered to the grid (more generation or less consumption); quantity in Wh. */
  ENERGY_UP: 'energy-up',
  /** Energy taken from the grid (less generation or more consumption); quantity in Wh. */
  ENERGY_DOWN: 'energy-down',
  /** Capacity held available for the whole delivery period; quantity in W. */
  RESERVE: 'reserve',
} as const;

export type MarketProduct = (typeof MarketProduct)[keyof typeof MarketProduct];

export const KNOWN_MARKET_PRODUCTS: readonly MarketProduct[] = Object.values(MarketProduct);

/** Energy is traded in watt-hours, reserve (power held available) in watts. */
export function quantityUnitOf(product: MarketProduct): QuantityUnit {
  return product === MarketProduct.RESERVE ? 'W' : 'Wh';
}

/** Decodes a stored record's quantityUnit, which must be the unit of its `product`. */
export function requireQuantityUnitOf(fields: Fields, product: MarketProduct): QuantityUnit {
  return requireQuantityUnit(fields, quantityUnitOf(product), `product ${product}`);
}

const MINUTE_MS = 60_000;
/** One delivery period is at most a day; longer products are several intervals. */
export const MAX_DELIVERY_MINUTES = 24 * 60;
/** An interval may be opened at most this long before its delivery starts (catches year typos). */
export const MAX_LEAD_DAYS = 31;
const MAX_LEAD_MS = MAX_LEAD_DAYS * 24 * 60 * MINUTE_MS;

export interface MarketIntervalInput {
  readonly intervalId: string;
  readonly product: MarketProduct;
  readonly deliveryStart: string;
  readonly deliveryEnd: string;
  /** Last instant (exclusive) at which bid commitments are accepted. */
  readonly gateClosure: string;
  /** Last instant (exclusive) at which commitments may be revealed. */
  readonly revealDeadline: string;
}

export interface MarketInterval extends MarketIntervalInput {
  /** Always quantityUnitOf(product); stored so ledger readers need not know the rule. */
  readonly quantityUnit: QuantityUnit;
  /** Transaction time of the opening, ISO-8601 UTC. */
  readonly openedAt: string;
  readonly openedBy: MarketActor;
}

const INPUT_FIELDS = [
  'intervalId',
  'product',
  'deliveryStart',
  'deliveryEnd',
  'gateClosure',
  'revealDeadline',
] as const;
const STORED_FIELDS = [...INPUT_FIELDS, 'quantityUnit', 'openedAt', 'openedBy'] as const;

/** Validates client input: shape, ordering of the four instants and the delivery length. */
export function parseMarketIntervalInput(value: unknown): MarketIntervalInput {
  const fields = requireObject(value, 'market interval', INPUT_FIELDS);
  const input: MarketIntervalInput = {
    intervalId: requireId(fields, 'intervalId', MARKET_ID),
    product: requireOneOf(fields, 'product', KNOWN_MARKET_PRODUCTS),
    deliveryStart: requireIsoTimestamp(fields, 'deliveryStart'),
    deliveryEnd: requireIsoTimestamp(fields, 'deliveryEnd'),
    gateClosure: requireIsoTimestamp(fields, 'gateClosure'),
    revealDeadline: requireIsoTimestamp(fields, 'revealDeadline'),
  };
  const gate = isoMillis(input.gateClosure);
  const reveal = isoMillis(input.revealDeadline);
  const start = isoMillis(input.deliveryStart);
  const end = isoMillis(input.deliveryEnd);
  if (!(gate < reveal)) {
    throw invalid('gateClosure must be before revealDeadline');
  }
  if (!(reveal <= start)) {
    throw invalid('revealDeadline must not be after deliveryStart');
  }
  if (!(start < end)) {
    throw invalid('deliveryStart must be before deliveryEnd');
  }
  const length = end - start;
  if (length % MINUTE_MS !== 0) {
    throw invalid('delivery length (deliveryEnd - deliveryStart) must be a whole number of minutes');
  }
  if (length > MAX_DELIVERY_MINUTES * MINUTE_MS) {
    throw invalid(`delivery length must be at most ${MAX_DELIVERY_MINUTES} minutes`);
  }
  return input;
}

export interface MarketIntervalOpening {
  /** Raw client input (already JSON-parsed). */
  readonly input: unknown;
  readonly caller: MarketActor;
  /** Transaction timestamp, ISO-8601 UTC. */
  readonly txTime: string;
}

/**
 * The interval record to store. Opening at or after gate closure is INVALID_ARGUMENT (the times the
 * client chose are already past), not GATE_CLOSED, which is reserved for late bids.
 */
export function buildMarketInterval(opening: MarketIntervalOpening): MarketInterval {
  const input = parseMarketIntervalInput(opening.input);
  const now = txMillis(opening.txTime);
  if (!(now < isoMillis(input.gateClosure))) {
    throw invalid(`gateClosure ${input.gateClosure} is not after the transaction time ${opening.txTime}`);
  }
  if (isoMillis(input.deliveryStart) - now > MAX_LEAD_MS) {
    throw invalid(`deliveryStart must be at most ${MAX_LEAD_DAYS} days after the transaction time`);
  }
  return {
    ...input,
    quantityUnit: quantityUnitOf(input.product),
    openedAt: opening.txTime,
    openedBy: copyActor(opening.caller),
  };
}

/** Decoder for stored intervals: re-validates every field so corrupted state is never trusted. */
export function parseStoredMarketInterval(value: unknown): MarketInterval {
  const fields = requireObject(value, 'stored market interval', STORED_FIELDS);
  const input = parseMarketIntervalInput(
    Object.fromEntries(INPUT_FIELDS.map((field) => [field, fields[field]])),
  );
  const quantityUnit = requireQuantityUnitOf(fields, input.product);
  const openedAt = requireIsoTimestamp(fields, 'openedAt');
  if (!(isoMillis(openedAt) < isoMillis(input.gateClosure))) {
    throw invalid('openedAt must be before gateClosure');
  }
  return { ...input, quantityUnit, openedAt, openedBy: parseActor(fields.openedBy, 'openedBy') };
}

export const IntervalPhase = {
  /** Before gateClosure: bid commitments are accepted. */
  OPEN: 'open',
  /** gateClosure <= t < revealDeadline: commitments are revealed. */
  REVEAL: 'reveal',
  /** t >= revealDeadline: the book is final; clearing, penalties and dispatch may run. */
  CLOSED: 'closed',
} as const;

export type IntervalPhase = (typeof IntervalPhase)[keyof typeof IntervalPhase];

/** The phase at transaction time `txTime` (ISO-8601 UTC); boundaries belong to the later phase. */
export function intervalPhase(interval: MarketIntervalInput, txTime: string): IntervalPhase {
  const now = txMillis(txTime);
  if (now < isoMillis(interval.gateClosure)) {
    return IntervalPhase.OPEN;
  }
  return now < isoMillis(interval.revealDeadline) ? IntervalPhase.REVEAL : IntervalPhase.CLOSED;
}

/** Length of the delivery period in whole minutes (validated to be whole on parse). */
export function deliveryMinutes(interval: MarketIntervalInput): number {
  return (isoMillis(interval.deliveryEnd) - isoMillis(interval.deliveryStart)) / MINUTE_MS;
}

/**
 * How much of `product` a capacity of `capacityW` watts can back over the delivery period, in the
 * product's unit: for reserve the watts themselves; for energy W × minutes / 60, rounded down (a
 * fraction of a watt-hour cannot be offered). Capped at Number.MAX_SAFE_INTEGER, which keeps every
 * comparison with a (safe-integer) quantity exact.
 */
export function backedQuantity(interval: MarketIntervalInput, capacityW: number): number {
  if (!isIntegerIn(capacityW, NON_NEGATIVE)) {
    throw invalid(`capacity must be a non-negative integer number of watts, got ${capacityW}`);
  }
  if (interval.product === MarketProduct.RESERVE) {
    return capacityW;
  }
  const wattHours = (BigInt(capacityW) * BigInt(deliveryMinutes(interval))) / 60n;
  return wattHours > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(wattHours);
}

/** Throws INTERNAL unless the records passed in belong to `interval` (a wiring bug, not the caller's). */
export function requireSameInterval(interval: MarketIntervalInput, intervalId: string, what: string): void {
  if (intervalId !== interval.intervalId) {
    throw new VppError(
      ErrorCode.INTERNAL,
      `${what} belongs to interval ${intervalId}, not to ${interval.intervalId}`,
    );
  }
}
