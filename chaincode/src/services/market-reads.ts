// Market records as the market, dispatch and settlement contracts read them: an interval, its demand,
// its book of revealed bids and its clearing, and what a VPP may still offer in it.

import type { Context } from 'fabric-contract-api';
import type { JsonValue } from '../encoding/canonical-json';
import {
  MeritOrderClearing,
  parseMeritEntry,
  type MeritClearing,
  type MeritOffer,
} from '../domain/market/merit-order';
import { backedCapacityW } from '../domain/market/backing';
import { parseStoredDemand, type Demand } from '../domain/market/demand';
import { parseStoredMarketInterval, type MarketInterval } from '../domain/market/interval';
import { parseStoredVppQuota } from '../domain/market/quota';
import { parseStoredClearingRecord, type ClearingRecord } from '../domain/market/records';
import {
  clearingKey,
  demandKey,
  marketIntervalKey,
  revealedBidByVppPrefix,
  revealedOfferPrefix,
  printableKey,
  vppQuotaKey,
} from '../encoding/keys';
import { readState, requireState, scanPrefix, scanPrefixWhile, type Decoder } from '../ledger/store';
import { MARKET_ID, NON_NEGATIVE, requireId, requireIntegerValue } from '../rules';
import { ErrorCode, VppError } from '../types/errors';
import { creditStandingOf, rulebookVersions } from './credit-reads';
import { dersOfVpp } from './registry-reads';

/** Offer index values are checked with their keys (parseMeritEntry). */
const anyJson: Decoder<JsonValue> = (value) => value;

/** Index entries of revealed bids by VPP hold the bid's total quantity. */
const parseOfferedQuantity: Decoder<number> = (value) =>
  requireIntegerValue(value, 'offered quantity', NON_NEGATIVE);

export async function requireMarketInterval(ctx: Context, intervalId: string): Promise<MarketInterval> {
  requireId({ intervalId }, 'intervalId', MARKET_ID);
  return requireState(
    ctx,
    marketIntervalKey(intervalId),
    parseStoredMarketInterval,
    `market interval ${intervalId}`,
  );
}

/** The interval's demand (NOT_FOUND until the control centre posted it). */
export async function requireDemand(ctx: Context, intervalId: string): Promise<Demand> {
  return requireState(ctx, demandKey(intervalId), parseStoredDemand, `demand of interval ${intervalId}`);
}

/**
 * The interval's clearing from its merit-order index (domain/market/merit-order.ts): one range scan
 * from the cheapest offer, stopped at the marginal one. An entry whose key and value disagree means
 * the ledger is inconsistent: INTERNAL.
 */
export async function meritOrderClearing(ctx: Context, demand: Demand): Promise<MeritClearing> {
  const clearing = new MeritOrderClearing(demand);
  if (!clearing.wantsMore) return clearing.finish();
  await scanPrefixWhile(ctx, revealedOfferPrefix(demand.intervalId), anyJson, (entry) => {
    let offer: MeritOffer;
    try {
      offer = parseMeritEntry(entry.attributes.slice(1), entry.value);
    } catch (err) {
      const why = err instanceof VppError ? err.detail : String(err);
      throw new VppError(ErrorCode.INTERNAL, `offer index entry ${printableKey(entry.key)}: ${why}`);
    }
    try {
      return clearing.take(offer) && clearing.wantsMore;
    } catch (err) {
      const why = err instanceof VppError ? err.detail : String(err);
      throw new VppError(ErrorCode.INTERNAL, `offer index of interval ${demand.intervalId}: ${why}`);
    }
  });
  return clearing.finish();
}

/** The interval's clearing record (NOT_FOUND until it was cleared). */
export async function requireClearingRecord(ctx: Context, intervalId: string): Promise<ClearingRecord> {
  return requireState(
    ctx,
    clearingKey(intervalId),
    parseStoredClearingRecord,
    `clearing of interval ${intervalId}`,
  );
}

/** The clearing a later step needs: INVALID_STATE (not NOT_FOUND) while the interval is not cleared. */
export async function requireCleared(ctx: Context, intervalId: string): Promise<ClearingRecord> {
  const clearing = await readState(ctx, clearingKey(intervalId), parseStoredClearingRecord);
  if (clearing === undefined) {
    throw new VppError(ErrorCode.INVALID_STATE, `interval ${intervalId} has not been cleared yet`);
  }
  return clearing;
}

/**
 * The most a VPP may offer in one interval (Σ of its bids there), in Wh, or undefined if nothing
 * entitles it to bid; a reserve interval takes it in W (domain/market/quota.ts quotaInProductUnit).
 * A quota the regulator set for the VPP (SetVppQuota) takes precedence; otherwise the quota of the
 * VPP's credit level under the rulebook in force at `atIso` (0 while the VPP is suspended). Without
 * either (no rulebook installed yet) the VPP may not bid.
 */
export async function quotaOfVpp(ctx: Context, vppId: string, atIso: string): Promise<number | undefined> {
  const set = await readState(ctx, vppQuotaKey(vppId), parseStoredVppQuota);
  if (set !== undefined) return set.quantity;
  if ((await rulebookVersions(ctx)).length === 0) return undefined;
  return (await creditStandingOf(ctx, { type: 'vpp', id: vppId }, atIso)).bidQuotaWh;
}

/** What limits a VPP's next reveal in an interval (domain/market/backing.ts applies them). */
export interface OfferLimits {
  /** quotaOfVpp at the reveal's time, in Wh; undefined if nothing entitles the VPP to bid. */
  readonly quota: number | undefined;
  /** The total quantities of the VPP's bids already revealed in the interval. */
  readonly offered: number[];
  /** The capacity of the VPP's active DERs with a valid certificate, in W. */
  readonly capacityW: number;
}

export async function offerLimitsOf(
  ctx: Context,
  intervalId: string,
  vppId: string,
  atIso: string,
): Promise<OfferLimits> {
  const quota = await quotaOfVpp(ctx, vppId, atIso);
  const offered = (
    await scanPrefix(ctx, revealedBidByVppPrefix(intervalId, vppId), parseOfferedQuantity)
  ).map((entry) => entry.value);
  const capacityW = backedCapacityW(await dersOfVpp(ctx, vppId), vppId);
  return { quota, offered, capacityW };
}
