// The market: intervals opened by the trading centre, demand posted by the control centre, sealed
// bids committed and revealed by the VPP operator, quotas set by the regulator, violations for
// unrevealed commitments, and the clearing of each interval. Thin transactions: authorise, read,
// call the pure rules in domain/market, write, emit one event.
//
// Choices the issue left open (the pure modules document theirs):
// - Bids can be committed only once the interval's demand is posted (INVALID_STATE before): bidders
//   must know the price cap they are checked against at reveal, and a commitment made to an interval
//   that can never get demand could never be revealed, yet would count as a violation.
// - A VPP may hold several bids per interval. Each reveal is checked against what is left of the
//   VPP's quota and backed capacity after its bids already revealed in the interval (domain/market/
//   backing.ts); those are found through a per-VPP index (vpp.revealedBidByVpp), so a reveal scans
//   only its own VPP's entries. Two concurrent reveals of one VPP conflict at validation (phantom
//   read) and the later one is retried, which is what keeps their sum within the quota.
// - RecordUnrevealedViolations can be run again: violations already recorded are left as they are
//   (first detection wins) and only new ones are written.
// - ClearInterval reads the book with one range scan and writes one record; the violation pass is a
//   separate transaction, so clearing a 10,000-bid interval stays a single scan and a single write.

import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import {
  buildCommitment,
  checkReveal,
  parseCommitmentInput,
  parseStoredCommitment,
  parseStoredRevealedBid,
  totalQuantity,
  unrevealedViolations,
  type BidViolation,
  type RevealedBid,
} from '../domain/market/bid';
import { backedCapacityW, remainingCapacityW, remainingQuota } from '../domain/market/backing';
import { buildDemand, parseDemandInput, parseStoredDemand, type Demand } from '../domain/market/demand';
import {
  buildMarketInterval,
  intervalPhase,
  parseMarketIntervalInput,
  parseStoredMarketInterval,
} from '../domain/market/interval';
import { buildVppQuota, parseStoredVppQuota } from '../domain/market/quota';
import {
  buildClearingRecord,
  checkStoredClearing,
  parseStoredClearingRecord,
  parseStoredViolation,
} from '../domain/market/records';
import { parseStoredVpp } from '../domain/registry/vpp';
import { toCanonicalJson, type JsonValue } from '../encoding/canonical-json';
import {
  bidCommitmentKey,
  bidCommitmentPrefix,
  clearingKey,
  demandKey,
  marketIntervalKey,
  revealedBidByVppKey,
  revealedBidByVppPrefix,
  revealedBidKey,
  revealedBidPrefix,
  violationKey,
  violationPrefix,
  vppKey,
  vppQuotaKey,
} from '../encoding/keys';
import { emitEvent, readState, requireState, scanPrefix, writeState, type Decoder } from '../ledger/store';
import { txTimestampIso } from '../ledger/tx-time';
import { MARKET_ID, NON_NEGATIVE, requireId, requireIntegerValue } from '../rules';
import { ErrorCode, isVppError, VppError } from '../types/errors';
import {
  CONTROL_ROOM,
  dersOfVpp,
  parseMarketArgument,
  REGULATOR_DESK,
  requireActor,
  requireClearingRecord,
  requireMarketInterval,
  requireOperatedVpp,
  TRADING_DESK,
  VPP_OPERATOR,
} from './market-ledger';
import { VppContract } from './vpp-contract';
import { creditStandingOf, reportCreditEvents, rulebookVersions } from './credit-effects';

export const MARKET_CONTRACT_NAME = 'market';
export const INTERVAL_OPENED_EVENT = 'IntervalOpened';
export const DEMAND_POSTED_EVENT = 'DemandPosted';
export const BID_COMMITTED_EVENT = 'BidCommitted';
export const BID_REVEALED_EVENT = 'BidRevealed';
export const VPP_QUOTA_SET_EVENT = 'VppQuotaSet';
export const VIOLATIONS_RECORDED_EVENT = 'UnrevealedViolationsRecorded';
export const INTERVAL_CLEARED_EVENT = 'IntervalCleared';

/**
 * The most a VPP may offer in one interval (Σ of its bids there, in the interval product's unit), or
 * undefined if nothing entitles it to bid. A quota the regulator set for the VPP (SetVppQuota) takes
 * precedence; otherwise the quota of the VPP's credit level under the rulebook in force at `atIso`
 * (0 while the VPP is suspended). Without either (no rulebook installed yet) the VPP may not bid.
 */
export async function quotaOfVpp(ctx: Context, vppId: string, atIso: string): Promise<number | undefined> {
  const set = await readState(ctx, vppQuotaKey(vppId), parseStoredVppQuota);
  if (set !== undefined) return set.quantity;
  if ((await rulebookVersions(ctx)).length === 0) return undefined;
  return (await creditStandingOf(ctx, { type: 'vpp', id: vppId }, atIso)).bidQuotaWh;
}

/** Index entries of revealed bids by VPP hold the bid's total quantity. */
const parseOfferedQuantity: Decoder<number> = (value) =>
  requireIntegerValue(value, 'offered quantity', NON_NEGATIVE);

/** For scans where only the keys matter (the value is still decoded as JSON). */
const anyValue: Decoder<JsonValue> = (value) => value;

/** The bid id of a reveal's bid argument, which locates its commitment. */
function revealedBidId(bid: JsonValue): string {
  if (typeof bid !== 'object' || bid === null || Array.isArray(bid)) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, 'bid must be a JSON object');
  }
  return requireId(bid, 'bidId', MARKET_ID);
}

/** Runs a reveal check; a quota refusal of a VPP without any quota record gets its real reason. */
function explainMissingQuota<T>(missing: boolean, vppId: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (missing && isVppError(err) && err.code === ErrorCode.QUOTA_EXCEEDED) {
      throw new VppError(
        ErrorCode.QUOTA_EXCEEDED,
        `vpp ${vppId} has no bid quota: the regulator has not set one, so it cannot bid`,
      );
    }
    throw err;
  }
}

/** The interval's demand (NOT_FOUND until the control centre posted it). */
async function requireDemand(ctx: Context, intervalId: string): Promise<Demand> {
  return requireState(ctx, demandKey(intervalId), parseStoredDemand, `demand of interval ${intervalId}`);
}

/** Every revealed bid of the interval, with one range scan. */
async function revealedBook(ctx: Context, intervalId: string): Promise<RevealedBid[]> {
  const book = await scanPrefix(ctx, revealedBidPrefix(intervalId), parseStoredRevealedBid);
  return book.map((entry) => entry.value);
}

function eventOf(ctx: Context, name: string, payload: unknown): void {
  emitEvent(ctx, name, Buffer.from(toCanonicalJson(payload)));
}

@Info({ title: 'MarketContract', description: 'Market intervals, sealed bids, quotas and clearing' })
export class MarketContract extends VppContract {
  constructor() {
    super(MARKET_CONTRACT_NAME);
  }

  /** Opens an interval: { intervalId, product, deliveryStart, deliveryEnd, gateClosure, revealDeadline }. */
  @Transaction()
  @Returns('string')
  async OpenInterval(ctx: Context, intervalJson: string): Promise<string> {
    const caller = requireActor(ctx, TRADING_DESK);
    const input = parseMarketIntervalInput(parseMarketArgument(intervalJson, 'intervalJson'));
    const interval = buildMarketInterval({ input, caller, txTime: txTimestampIso(ctx) });
    const key = marketIntervalKey(interval.intervalId);
    if ((await readState(ctx, key, parseStoredMarketInterval)) !== undefined) {
      throw new VppError(ErrorCode.ALREADY_EXISTS, `market interval ${interval.intervalId} already exists`);
    }
    const bytes = await writeState(ctx, key, interval);
    emitEvent(ctx, INTERVAL_OPENED_EVENT, bytes);
    return toCanonicalJson(interval);
  }

  /** `{ interval, demand, phase }`: demand is null until posted; phase at the query's timestamp. */
  @Transaction(false)
  @Returns('string')
  async GetInterval(ctx: Context, intervalId: string): Promise<string> {
    const interval = await requireMarketInterval(ctx, intervalId);
    const demand = await readState(ctx, demandKey(intervalId), parseStoredDemand);
    const phase = intervalPhase(interval, txTimestampIso(ctx));
    return toCanonicalJson({ interval, demand: demand ?? null, phase });
  }

  /** Posts the interval's demand, once: { intervalId, product, quantity, priceCap }. */
  @Transaction()
  @Returns('string')
  async PostDemand(ctx: Context, demandJson: string): Promise<string> {
    const caller = requireActor(ctx, CONTROL_ROOM);
    const input = parseDemandInput(parseMarketArgument(demandJson, 'demandJson'));
    const interval = await requireMarketInterval(ctx, input.intervalId);
    const demand = buildDemand({ input, interval, caller, txTime: txTimestampIso(ctx) });
    const key = demandKey(interval.intervalId);
    if ((await readState(ctx, key, parseStoredDemand)) !== undefined) {
      throw new VppError(
        ErrorCode.ALREADY_EXISTS,
        `demand for interval ${interval.intervalId} was already posted`,
      );
    }
    const bytes = await writeState(ctx, key, demand);
    emitEvent(ctx, DEMAND_POSTED_EVENT, bytes);
    return toCanonicalJson(demand);
  }

  /** Stores a sealed bid before gate closure: { commitment, bidId, intervalId, vppId }. */
  @Transaction()
  @Returns('string')
  async CommitBid(ctx: Context, commitmentJson: string): Promise<string> {
    const caller = requireActor(ctx, VPP_OPERATOR);
    const input = parseCommitmentInput(parseMarketArgument(commitmentJson, 'commitmentJson'));
    const interval = await requireMarketInterval(ctx, input.intervalId);
    const commitment = buildCommitment({
      input,
      interval,
      caller,
      txTime: txTimestampIso(ctx),
      txId: ctx.stub.getTxID(),
    });
    if ((await readState(ctx, demandKey(interval.intervalId), parseStoredDemand)) === undefined) {
      throw new VppError(
        ErrorCode.INVALID_STATE,
        `interval ${interval.intervalId} takes bids once the control centre has posted its demand`,
      );
    }
    await requireOperatedVpp(ctx, commitment.vppId, caller);
    const key = bidCommitmentKey(commitment.intervalId, commitment.bidId);
    if ((await readState(ctx, key, parseStoredCommitment)) !== undefined) {
      throw new VppError(
        ErrorCode.ALREADY_EXISTS,
        `bid ${commitment.bidId} was already committed in interval ${commitment.intervalId}`,
      );
    }
    const bytes = await writeState(ctx, key, commitment);
    emitEvent(ctx, BID_COMMITTED_EVENT, bytes);
    return toCanonicalJson(commitment);
  }

  /**
   * Opens a committed bid between gate closure and the reveal deadline. `bidJson` is the bid exactly
   * as committed ({ bidId, intervalId, vppId, steps }); `salt` is 64 lowercase hex characters.
   */
  @Transaction()
  @Returns('string')
  async RevealBid(ctx: Context, intervalId: string, bidJson: string, salt: string): Promise<string> {
    const caller = requireActor(ctx, VPP_OPERATOR);
    const bid = parseMarketArgument(bidJson, 'bidJson');
    const bidId = revealedBidId(bid);
    const interval = await requireMarketInterval(ctx, intervalId);
    const commitment = await requireState(
      ctx,
      bidCommitmentKey(intervalId, bidId),
      parseStoredCommitment,
      `commitment of bid ${bidId} in interval ${intervalId}`,
    );
    const { vppId } = commitment;
    await requireOperatedVpp(ctx, vppId, caller);
    const key = revealedBidKey(intervalId, bidId);
    if ((await readState(ctx, key, parseStoredRevealedBid)) !== undefined) {
      throw new VppError(
        ErrorCode.ALREADY_EXISTS,
        `bid ${bidId} of interval ${intervalId} was already revealed`,
      );
    }
    const demand = await requireDemand(ctx, intervalId);
    const quota = await quotaOfVpp(ctx, vppId, txTimestampIso(ctx));
    const offered = (
      await scanPrefix(ctx, revealedBidByVppPrefix(intervalId, vppId), parseOfferedQuantity)
    ).map((entry) => entry.value);
    const capacityW = backedCapacityW(await dersOfVpp(ctx, vppId), vppId);
    // No quota record: check with 0, so that the checks before the quota (phase, hash) still come
    // first, and say why the quota refusal happened.
    const revealed = explainMissingQuota(quota === undefined, vppId, () =>
      checkReveal({
        commitment,
        bid,
        salt,
        interval,
        demand,
        txTime: txTimestampIso(ctx),
        quotaForVpp: remainingQuota(quota ?? 0, offered),
        backedCapacityOfVpp: remainingCapacityW(interval, capacityW, offered),
      }),
    );
    const total = totalQuantity(revealed);
    await writeState(ctx, key, revealed);
    await writeState(ctx, revealedBidByVppKey(intervalId, vppId, bidId), total);
    await reportCreditEvents(ctx, [
      { participant: { type: 'vpp', id: vppId }, eventType: 'BID_REVEALED', intervalId },
    ]);
    eventOf(ctx, BID_REVEALED_EVENT, { intervalId, bidId, vppId, totalQuantity: total });
    return toCanonicalJson(revealed);
  }

  /** Sets (or replaces) a VPP's bid quota; `quantity` is a non-negative integer in decimal digits. */
  @Transaction()
  @Returns('string')
  async SetVppQuota(ctx: Context, vppId: string, quantity: string): Promise<string> {
    const caller = requireActor(ctx, REGULATOR_DESK);
    const quota = buildVppQuota({
      vppId,
      quantity,
      caller,
      txTime: txTimestampIso(ctx),
      txId: ctx.stub.getTxID(),
    });
    await requireState(ctx, vppKey(quota.vppId), parseStoredVpp, `vpp ${quota.vppId}`);
    const bytes = await writeState(ctx, vppQuotaKey(quota.vppId), quota);
    emitEvent(ctx, VPP_QUOTA_SET_EVENT, bytes);
    return toCanonicalJson(quota);
  }

  @Transaction(false)
  @Returns('string')
  async GetVppQuota(ctx: Context, vppId: string): Promise<string> {
    requireId({ vppId }, 'vppId', MARKET_ID);
    return toCanonicalJson(
      await requireState(ctx, vppQuotaKey(vppId), parseStoredVppQuota, `quota of vpp ${vppId}`),
    );
  }

  /**
   * After the reveal deadline: one violation record per commitment never revealed. Returns
   * `{ intervalId, recorded, alreadyRecorded }` (recorded: the violations written now).
   */
  @Transaction()
  @Returns('string')
  async RecordUnrevealedViolations(ctx: Context, intervalId: string): Promise<string> {
    requireActor(ctx, TRADING_DESK, REGULATOR_DESK);
    const interval = await requireMarketInterval(ctx, intervalId);
    const commitments = await scanPrefix(ctx, bidCommitmentPrefix(intervalId), parseStoredCommitment);
    const revealed = await scanPrefix(ctx, revealedBidPrefix(intervalId), anyValue);
    const violations = unrevealedViolations(
      commitments.map((entry) => entry.value),
      revealed.map((entry) => entry.attributes[1]),
      interval,
      txTimestampIso(ctx),
    );
    const recorded: BidViolation[] = [];
    for (const violation of violations) {
      const key = violationKey(violation.vppId, violation.intervalId, violation.bidId);
      if ((await readState(ctx, key, parseStoredViolation)) !== undefined) continue;
      await writeState(ctx, key, violation);
      recorded.push(violation);
    }
    await reportCreditEvents(
      ctx,
      recorded.map((violation) => ({
        participant: { type: 'vpp', id: violation.vppId },
        eventType: 'BID_NOT_REVEALED',
        intervalId,
      })),
    );
    const alreadyRecorded = violations.length - recorded.length;
    eventOf(ctx, VIOLATIONS_RECORDED_EVENT, {
      intervalId,
      recorded: recorded.length,
      alreadyRecorded,
      vppIds: [...new Set(recorded.map((violation) => violation.vppId))].sort(),
    });
    return toCanonicalJson({ intervalId, recorded, alreadyRecorded });
  }

  /** Every violation recorded against a VPP, by interval then bid id (a credit rating's input). */
  @Transaction(false)
  @Returns('string')
  async ListVppViolations(ctx: Context, vppId: string): Promise<string> {
    requireId({ vppId }, 'vppId', MARKET_ID);
    const entries = await scanPrefix(ctx, violationPrefix(vppId), parseStoredViolation);
    return toCanonicalJson(entries.map((entry) => entry.value));
  }

  /** Clears the interval once, after its reveal deadline: one scan of the revealed bids, one write. */
  @Transaction()
  @Returns('string')
  async ClearInterval(ctx: Context, intervalId: string): Promise<string> {
    const caller = requireActor(ctx, TRADING_DESK);
    const interval = await requireMarketInterval(ctx, intervalId);
    const key = clearingKey(intervalId);
    if ((await readState(ctx, key, parseStoredClearingRecord)) !== undefined) {
      throw new VppError(ErrorCode.ALREADY_EXISTS, `interval ${intervalId} was already cleared`);
    }
    const demand = await requireDemand(ctx, intervalId);
    const record = buildClearingRecord({
      interval,
      demand,
      bids: await revealedBook(ctx, intervalId),
      caller,
      txTime: txTimestampIso(ctx),
      txId: ctx.stub.getTxID(),
    });
    await writeState(ctx, key, record);
    const { result } = record;
    eventOf(ctx, INTERVAL_CLEARED_EVENT, {
      intervalId,
      clearingPrice: result.clearingPrice,
      totalAwarded: result.totalAwarded,
      awards: result.awards.length,
      bidCount: record.bidCount,
      inputsHash: result.inputsHash,
    });
    return toCanonicalJson(record);
  }

  @Transaction(false)
  @Returns('string')
  async GetClearing(ctx: Context, intervalId: string): Promise<string> {
    requireId({ intervalId }, 'intervalId', MARKET_ID);
    return toCanonicalJson(await requireClearingRecord(ctx, intervalId));
  }

  /** Recomputes the stored clearing from the stored demand and revealed bids: `{ matches, stored, recomputed }`. */
  @Transaction(false)
  @Returns('string')
  async VerifyClearing(ctx: Context, intervalId: string): Promise<string> {
    requireId({ intervalId }, 'intervalId', MARKET_ID);
    const record = await requireClearingRecord(ctx, intervalId);
    const demand = await requireDemand(ctx, intervalId);
    const check = checkStoredClearing(record, demand, await revealedBook(ctx, intervalId));
    return toCanonicalJson(check);
  }
}
