// Shared fixtures for the market domain tests: one energy-up interval with a 15-minute delivery
// period, its demand, and helpers to commit and reveal bids against it.

import { DEFAULT_CALENDAR_V1 } from './market-calendar';
import {
  buildCommitment,
  computeCommitment,
  type BidCommitment,
} from '../../chaincode/src/domain/market/bid';
import { checkReveal, type RevealedBid } from '../../chaincode/src/domain/market/reveal';
import { buildDemand, type Demand } from '../../chaincode/src/domain/market/demand';
import { buildMarketInterval, type MarketInterval } from '../../chaincode/src/domain/market/interval';
import type { MarketActor } from '../../chaincode/src/domain/market/common';
import { MspId, Role } from '../../chaincode/src/types/consortium';
import type { ClearingBid, ClearingDemand } from '../../chaincode/src/domain/market/clearing';
import {
  clearInMeritOrder,
  meritKeyParts,
  meritOffersOf,
  type MeritClearing,
} from '../../chaincode/src/domain/market/merit-order';
import { revealedOfferKey } from '../../chaincode/src/encoding/keys';

export const TRADER: MarketActor = { mspId: MspId.TRADING, role: Role.TRADING };
export const CONTROLLER: MarketActor = { mspId: MspId.CONTROL, role: Role.CONTROL };
export const OPERATOR: MarketActor = { mspId: MspId.CVPP, role: Role.OPERATOR };

export const OPENED_AT = '2025-03-01T08:00:00.000Z';
export const GATE_CLOSURE = '2025-03-01T10:00:00.000Z';
export const REVEAL_DEADLINE = '2025-03-01T11:00:00.000Z';
export const DELIVERY_START = '2025-03-01T12:00:00.000Z';
export const DELIVERY_END = '2025-03-01T12:15:00.000Z';
/** Inside the open phase. */
export const COMMIT_AT = '2025-03-01T09:00:00.000Z';
/** Inside the reveal phase. */
export const REVEAL_AT = '2025-03-01T10:30:00.000Z';
/** After the reveal deadline, before delivery. */
export const CLOSED_AT = '2025-03-01T11:30:00.000Z';

export const INTERVAL_ID = 'i-20250301-1200-up';

export const INTERVAL_INPUT = {
  intervalId: INTERVAL_ID,
  product: 'energy-up',
  deliveryStart: DELIVERY_START,
  deliveryEnd: DELIVERY_END,
  gateClosure: GATE_CLOSURE,
  revealDeadline: REVEAL_DEADLINE,
} as const;

export function openInterval(overrides: Record<string, unknown> = {}): MarketInterval {
  return buildMarketInterval({
    input: { ...INTERVAL_INPUT, ...overrides },
    caller: TRADER,
    txTime: OPENED_AT,
    calendar: DEFAULT_CALENDAR_V1,
  });
}

export function postDemand(interval: MarketInterval, overrides: Record<string, unknown> = {}): Demand {
  return buildDemand({
    input: {
      intervalId: interval.intervalId,
      product: interval.product,
      quantity: 2_000,
      priceCap: 10_000,
      ...overrides,
    },
    interval,
    caller: CONTROLLER,
    txTime: OPENED_AT,
  });
}

/** A fixed salt; real clients draw 32 random bytes. */
export const SALT = '3f'.repeat(16) + '0123456789abcdef'.repeat(2);

export interface BidInput {
  bidId: string;
  intervalId: string;
  vppId: string;
  steps: { price: number; quantity: number }[];
}

export function bidInput(overrides: Partial<BidInput> = {}): BidInput {
  return {
    bidId: 'bid-1',
    intervalId: INTERVAL_ID,
    vppId: 'vpp-1',
    steps: [
      { price: 4_000, quantity: 600 },
      { price: 7_500, quantity: 400 },
    ],
    ...overrides,
  };
}

export function commit(
  interval: MarketInterval,
  bid: BidInput,
  options: { salt?: string; txTime?: string; txId?: string } = {},
): BidCommitment {
  return buildCommitment({
    input: {
      commitment: computeCommitment(bid, options.salt ?? SALT),
      bidId: bid.bidId,
      intervalId: bid.intervalId,
      vppId: bid.vppId,
    },
    interval,
    caller: OPERATOR,
    txTime: options.txTime ?? COMMIT_AT,
    txId: options.txId ?? `tx-${bid.bidId}`,
  });
}

/** Commits and reveals with generous quota and capacity. */
export function commitAndReveal(
  interval: MarketInterval,
  demand: Demand,
  bid: BidInput,
  options: { committedAt?: string } = {},
): RevealedBid {
  const commitment = commit(interval, bid, { txTime: options.committedAt ?? COMMIT_AT });
  return checkReveal({
    commitment,
    bid,
    salt: SALT,
    interval,
    demand,
    txTime: REVEAL_AT,
    quotaForVpp: Number.MAX_SAFE_INTEGER,
    backedCapacityOfVpp: Number.MAX_SAFE_INTEGER,
  });
}

/** One millisecond before / after an ISO instant. */
export function msBefore(iso: string): string {
  return new Date(Date.parse(iso) - 1).toISOString();
}

export function msAfter(iso: string): string {
  return new Date(Date.parse(iso) + 1).toISOString();
}

/**
 * The clearing the ledger would compute for `bids`: their offers put in the order of their index
 * keys (sorted as strings, as the ledger sorts them) and cleared in merit order.
 */
export function meritClearingOf(demand: ClearingDemand, bids: readonly ClearingBid[]): MeritClearing {
  const keyed = bids
    .flatMap(meritOffersOf)
    .map((offer) => ({ key: revealedOfferKey(demand.intervalId, meritKeyParts(offer)), offer }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return clearInMeritOrder(
    demand,
    keyed.map(({ offer }) => offer),
  );
}
