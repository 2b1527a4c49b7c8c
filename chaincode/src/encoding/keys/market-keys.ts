// Keys of the market and of dispatch: one interval per id, and everything else keyed under its
// interval, so that concurrent bids, reveals and instructions never share a key.

import { compositeKey, keyPrefix, type KeyPrefix } from './composite-key';
import { versionKeyPart } from './credit-keys';
import {
  MARKET_CALENDAR,
  MARKET_INTERVAL,
  DEMAND,
  BID_COMMITMENT,
  REVEALED_BID,
  REVEALED_BID_BY_VPP,
  REVEALED_OFFER,
  CLEARING,
  VPP_QUOTA,
  VIOLATION,
  DISPATCH,
  DER_SETPOINT,
} from './object-types';

// ---- market calendar: one record per version, never rewritten ----

export function marketCalendarKey(version: number): string {
  return compositeKey(MARKET_CALENDAR, [versionKeyPart(version, 'market calendar')]);
}

/** Every market calendar version, oldest first. */
export function marketCalendarPrefix(): KeyPrefix {
  return keyPrefix(MARKET_CALENDAR);
}

// ---- market: one interval per id; everything else keyed under its interval ----

export function marketIntervalKey(intervalId: string): string {
  return compositeKey(MARKET_INTERVAL, [intervalId]);
}

/** Every market interval, in id order (ListIntervals). */
export function marketIntervalPrefix(): KeyPrefix {
  return keyPrefix(MARKET_INTERVAL);
}

/** The control centre's demand: one per interval. */
export function demandKey(intervalId: string): string {
  return compositeKey(DEMAND, [intervalId]);
}

/** A sealed bid: bid ids are unique within their interval, so concurrent commits never share a key. */
export function bidCommitmentKey(intervalId: string, bidId: string): string {
  return compositeKey(BID_COMMITMENT, [intervalId, bidId]);
}

export function bidCommitmentPrefix(intervalId: string): KeyPrefix {
  return keyPrefix(BID_COMMITMENT, [intervalId]);
}

export function revealedBidKey(intervalId: string, bidId: string): string {
  return compositeKey(REVEALED_BID, [intervalId, bidId]);
}

/** Every revealed bid of an interval: the book clearing reads in one range scan. */
export function revealedBidPrefix(intervalId: string): KeyPrefix {
  return keyPrefix(REVEALED_BID, [intervalId]);
}

/**
 * Index entry written with each revealed bid (value: the bid's total quantity), so a reveal can sum
 * what the same VPP has already offered in the interval by scanning only that VPP's entries.
 */
export function revealedBidByVppKey(intervalId: string, vppId: string, bidId: string): string {
  return compositeKey(REVEALED_BID_BY_VPP, [intervalId, vppId, bidId]);
}

export function revealedBidByVppPrefix(intervalId: string, vppId: string): KeyPrefix {
  return keyPrefix(REVEALED_BID_BY_VPP, [intervalId, vppId]);
}

/**
 * Merit-order index: one entry per step of every revealed bid (value: { committedAt, quantity,
 * vppId }), keyed so that key order is clearing order: price, then commit time, then bid id, then
 * step index, the first two as fixed-width decimal digits (meritKeyParts, domain/market/merit-order.ts).
 * Clearing scans it from the cheapest offer and stops at the marginal one.
 */
export function revealedOfferKey(intervalId: string, meritParts: readonly string[]): string {
  return compositeKey(REVEALED_OFFER, [intervalId, ...meritParts]);
}

export function revealedOfferPrefix(intervalId: string): KeyPrefix {
  return keyPrefix(REVEALED_OFFER, [intervalId]);
}

/** The clearing result: written once per interval. */
export function clearingKey(intervalId: string): string {
  return compositeKey(CLEARING, [intervalId]);
}

/** The regulator's bid quota of a VPP (until credit ratings replace it). */
export function vppQuotaKey(vppId: string): string {
  return compositeKey(VPP_QUOTA, [vppId]);
}

/** A violation per unrevealed commitment, grouped by VPP so a credit rating reads one prefix. */
export function violationKey(vppId: string, intervalId: string, bidId: string): string {
  return compositeKey(VIOLATION, [vppId, intervalId, bidId]);
}

export function violationPrefix(vppId: string, intervalId?: string): KeyPrefix {
  return keyPrefix(VIOLATION, intervalId === undefined ? [vppId] : [vppId, intervalId]);
}

// ---- dispatch: one instruction per interval and VPP, one setpoint per DER ----

export function dispatchKey(intervalId: string, vppId: string): string {
  return compositeKey(DISPATCH, [intervalId, vppId]);
}

export function derSetpointKey(intervalId: string, vppId: string, derId: string): string {
  return compositeKey(DER_SETPOINT, [intervalId, vppId, derId]);
}

export function derSetpointPrefix(intervalId: string, vppId: string): KeyPrefix {
  return keyPrefix(DER_SETPOINT, [intervalId, vppId]);
}
