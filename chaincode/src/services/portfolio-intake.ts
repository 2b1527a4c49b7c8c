// Portfolio commits and reveals: many bids of one operator in one transaction, each judged exactly as
// CommitBid / RevealBid judge a single bid (domain/market/portfolio.ts says what refuses the batch and
// what refuses one bid). Records every read once per transaction (intervals, demands, VPPs, offer
// limits) and reads the bids' own keys in one batched round trip; a transaction does not see its own
// writes, so what earlier bids of the batch wrote or offered is carried in memory.

import type { Context } from 'fabric-contract-api';
import {
  bidIdOf,
  buildCommitment,
  parseCommitmentInput,
  parseStoredCommitment,
  totalQuantity,
} from '../domain/market/bid';
import { remainingCapacityW, remainingQuota } from '../domain/market/backing';
import { parseStoredDemand } from '../domain/market/demand';
import { meritEntryOf, meritKeyParts, meritOffersOf } from '../domain/market/merit-order';
import { parseRevealItem, refusal, type PortfolioBidResult } from '../domain/market/portfolio';
import { explainMissingQuota, quotaInProductUnit } from '../domain/market/quota';
import { checkReveal, parseStoredRevealedBid, type RevealedBid } from '../domain/market/reveal';
import type { MarketInterval } from '../domain/market/interval';
import type { Demand } from '../domain/market/demand';
import {
  bidCommitmentKey,
  demandKey,
  revealedBidByVppKey,
  revealedBidKey,
  revealedOfferKey,
} from '../encoding/keys';
import type { Actor } from '../ledger/identity';
import { readState, readStates, writeState } from '../ledger/store';
import { MARKET_ID, requireId } from '../rules';
import { ErrorCode, VppError } from '../types/errors';
import { offerLimitsOf, requireMarketInterval, type OfferLimits } from './market-reads';
import { requireOperatedVpp } from './registry-reads';

/** One load per key and transaction; a failed load fails every bid that needs it, the same way. */
function memo<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const loaded = new Map<string, Promise<T>>();
  return (key) => {
    let value = loaded.get(key);
    if (value === undefined) {
      value = load(key);
      value.catch(() => undefined); // awaited by each bid that needs it; not unhandled meanwhile
      loaded.set(key, value);
    }
    return value;
  };
}

function repeated(bidId: string): VppError {
  return new VppError(ErrorCode.INVALID_ARGUMENT, `bid ${bidId} appears more than once in this batch`);
}

/**
 * Writes a revealed bid with its two indexes: by VPP (its total quantity, what later reveals of the
 * VPP sum) and one merit-order offer per step (what clearing reads). Returns the total quantity.
 */
export async function storeRevealedBid(ctx: Context, bid: RevealedBid): Promise<number> {
  const { intervalId, vppId, bidId } = bid;
  const total = totalQuantity(bid);
  await writeState(ctx, revealedBidKey(intervalId, bidId), bid);
  await writeState(ctx, revealedBidByVppKey(intervalId, vppId, bidId), total);
  for (const offer of meritOffersOf(bid)) {
    await writeState(ctx, revealedOfferKey(intervalId, meritKeyParts(offer)), meritEntryOf(offer));
  }
  return total;
}

export interface PortfolioRun {
  readonly caller: Actor;
  readonly txTime: string;
  readonly txId: string;
}

/** Commits each item as CommitBid would; writes the accepted ones. */
export async function commitPortfolio(
  ctx: Context,
  items: readonly unknown[],
  run: PortfolioRun,
): Promise<{ results: PortfolioBidResult[]; intervalIds: string[] }> {
  const interval = memo((intervalId) => requireMarketInterval(ctx, intervalId));
  const hasDemand = memo(
    async (intervalId) => (await readState(ctx, demandKey(intervalId), parseStoredDemand)) !== undefined,
  );
  const operated = memo((vppId) => requireOperatedVpp(ctx, vppId, run.caller));
  const keys = items.map((item) => {
    try {
      const input = parseCommitmentInput(item);
      return bidCommitmentKey(input.intervalId, input.bidId);
    } catch {
      return undefined; // refused below, with the parse error
    }
  });
  const stored = await readStates(
    ctx,
    keys.filter((key): key is string => key !== undefined),
    parseStoredCommitment,
  );
  const existing = new Set(
    keys.filter((key): key is string => key !== undefined).filter((_, i) => stored[i] !== undefined),
  );
  const seen = new Set<string>();
  const results: PortfolioBidResult[] = [];
  const intervalIds: string[] = [];
  for (const [index, item] of items.entries()) {
    let bidId: string | null = null;
    try {
      const input = parseCommitmentInput(item);
      bidId = input.bidId;
      const key = keys[index] as string;
      if (seen.has(key)) throw repeated(input.bidId);
      seen.add(key);
      const commitment = buildCommitment({ input: item, interval: await interval(input.intervalId), ...run });
      if (!(await hasDemand(commitment.intervalId))) {
        throw new VppError(
          ErrorCode.INVALID_STATE,
          `interval ${commitment.intervalId} takes bids once the control centre has posted its demand`,
        );
      }
      await operated(commitment.vppId);
      if (existing.has(key)) {
        throw new VppError(
          ErrorCode.ALREADY_EXISTS,
          `bid ${commitment.bidId} was already committed in interval ${commitment.intervalId}`,
        );
      }
      await writeState(ctx, key, commitment);
      intervalIds.push(commitment.intervalId);
      results.push({ index, bidId, status: 'accepted' });
    } catch (err) {
      results.push(refusal(err, index, bidId));
    }
  }
  return { results, intervalIds };
}

export interface RevealRun extends PortfolioRun {
  readonly interval: MarketInterval;
  readonly demand: Demand;
}

/** What a VPP may still offer, with the totals of its bids revealed earlier in this batch added. */
interface VppLimits extends OfferLimits {
  readonly offered: number[];
}

/**
 * Reveals each item ({ bid, salt }) in the interval as RevealBid would, quota and backed capacity
 * applied cumulatively in batch order; writes the accepted bids with their indexes and returns them.
 */
export async function revealPortfolio(
  ctx: Context,
  items: readonly unknown[],
  run: RevealRun,
): Promise<{ results: PortfolioBidResult[]; revealed: RevealedBid[] }> {
  const intervalId = run.interval.intervalId;
  const operated = memo((vppId) => requireOperatedVpp(ctx, vppId, run.caller));
  const limits = new Map<string, Promise<VppLimits>>();
  const limitsOf = (vppId: string): Promise<VppLimits> => {
    let value = limits.get(vppId);
    if (value === undefined) {
      value = offerLimitsOf(ctx, intervalId, vppId, run.txTime).then((l) => ({
        ...l,
        offered: [...l.offered],
      }));
      value.catch(() => undefined);
      limits.set(vppId, value);
    }
    return value;
  };
  const bidIds = items.map((item): string | undefined => {
    try {
      return requireId({ bidId: bidIdOf(parseRevealItem(item).bid) }, 'bidId', MARKET_ID);
    } catch {
      return undefined; // refused below, with the parse error
    }
  });
  const named = [...new Set(bidIds.filter((id): id is string => id !== undefined))];
  const commitments = await readStates(
    ctx,
    named.map((bidId) => bidCommitmentKey(intervalId, bidId)),
    parseStoredCommitment,
  );
  const reveals = await readStates(
    ctx,
    named.map((bidId) => revealedBidKey(intervalId, bidId)),
    parseStoredRevealedBid,
  );
  const commitmentOf = new Map(named.map((bidId, i) => [bidId, commitments[i]]));
  const alreadyRevealed = new Set(named.filter((_, i) => reveals[i] !== undefined));
  const seen = new Set<string>();
  const results: PortfolioBidResult[] = [];
  const revealed: RevealedBid[] = [];
  for (const [index, item] of items.entries()) {
    let bidId: string | null = null;
    try {
      const { bid, salt } = parseRevealItem(item);
      bidId = bidIdOf(bid);
      if (seen.has(bidId)) throw repeated(bidId);
      seen.add(bidId);
      const commitment = commitmentOf.get(bidId);
      if (commitment === undefined) {
        throw new VppError(
          ErrorCode.NOT_FOUND,
          `commitment of bid ${bidId} in interval ${intervalId} does not exist`,
        );
      }
      const { vppId } = commitment;
      await operated(vppId);
      if (alreadyRevealed.has(bidId)) {
        throw new VppError(
          ErrorCode.ALREADY_EXISTS,
          `bid ${bidId} of interval ${intervalId} was already revealed`,
        );
      }
      const { quota, offered, capacityW } = await limitsOf(vppId);
      const { interval, demand, txTime } = run;
      const bidRecord = explainMissingQuota(quota === undefined, vppId, () =>
        checkReveal({
          commitment,
          bid,
          salt,
          interval,
          demand,
          txTime,
          quotaForVpp: remainingQuota(quotaInProductUnit(interval, quota ?? 0), offered),
          backedCapacityOfVpp: remainingCapacityW(interval, capacityW, offered),
        }),
      );
      offered.push(await storeRevealedBid(ctx, bidRecord));
      revealed.push(bidRecord);
      results.push({ index, bidId, status: 'accepted' });
    } catch (err) {
      results.push(refusal(err, index, bidId));
    }
  }
  return { results, revealed };
}
