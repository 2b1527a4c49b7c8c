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
import { durationText, MAX_DELIVERY_SECONDS, type MarketCalendarVersion } from './calendar';
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

const SECOND_MS = 1_000;

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
  if (length % SECOND_MS !== 0) {
    throw invalid('delivery length (deliveryEnd - deliveryStart) must be a whole number of seconds');
  }
  // The market calendar may allow less (buildMarketInterval); no calendar allows more.
  if (length > MAX_DELIVERY_SECONDS * SECOND_MS) {
    throw invalid(`delivery length must be at most ${durationText(MAX_DELIVERY_SECONDS)}`);
  }
  return input;
}

export interface MarketIntervalOpening {
  /** Raw client input (already JSON-parsed). */
  readonly input: unknown;
  readonly caller: MarketActor;
  /** Transaction timestamp, ISO-8601 UTC. */
  readonly txTime: string;
  /** The market calendar in force at txTime: the bounds of delivery length and lead time. */
  readonly calendar: Pick<MarketCalendarVersion, 'version' | 'maxDeliverySeconds' | 'maxLeadSeconds'>;
}

function leadText(seconds: number): string {
  return seconds % 86_400 === 0 ? `${seconds / 86_400} days` : durationText(seconds);
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
  const { calendar } = opening;
  if (deliverySeconds(input) > calendar.maxDeliverySeconds) {
    throw invalid(
      `delivery length must be at most ${durationText(calendar.maxDeliverySeconds)} (market calendar version ${calendar.version})`,
    );
  }
  if (isoMillis(input.deliveryStart) - now > calendar.maxLeadSeconds * SECOND_MS) {
    throw invalid(
      `deliveryStart must be at most ${leadText(calendar.maxLeadSeconds)} after the transaction time`,
    );
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

/** Length of the delivery period in whole seconds (validated to be whole on parse). */
export function deliverySeconds(interval: MarketIntervalInput): number {
  return (isoMillis(interval.deliveryEnd) - isoMillis(interval.deliveryStart)) / SECOND_MS;
}

/**
 * How much of `product` a capacity of `capacityW` watts can back over the delivery period, in the
 * product's unit: for reserve the watts themselves; for energy W × seconds / 3600, rounded down (a
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
  const wattHours = (BigInt(capacityW) * BigInt(deliverySeconds(interval))) / 3600n;
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
