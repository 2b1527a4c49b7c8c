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
// - Each reveal also writes one merit-order index entry per step (vpp.revealedOffer, domain/market/
//   merit-order.ts). ClearInterval scans that index from the cheapest offer and stops at the marginal
//   one, so it reads (and Fabric re-checks at validation) only the offers that set the result, not
//   the whole book; VerifyClearing re-reads the same range. The violation pass is a separate
//   transaction.

import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { bidIdOf, buildCommitment, parseCommitmentInput, parseStoredCommitment } from '../domain/market/bid';
import {
  checkReveal,
  parseStoredRevealedBid,
  unrevealedViolations,
  type BidViolation,
} from '../domain/market/reveal';
import { remainingCapacityW, remainingQuota } from '../domain/market/backing';
import { parsePortfolio, portfolioResultOf } from '../domain/market/portfolio';
import { buildDemand, parseDemandInput, parseStoredDemand } from '../domain/market/demand';
import { calendarAt } from '../domain/market/calendar';
import {
  buildMarketInterval,
  intervalPhase,
  parseMarketIntervalInput,
  parseStoredMarketInterval,
} from '../domain/market/interval';
import {
  buildVppQuota,
  explainMissingQuota,
  parseStoredVppQuota,
  quotaInProductUnit,
} from '../domain/market/quota';
import {
  buildClearingRecord,
  checkStoredClearing,
  requireClearable,
  parseStoredClearingRecord,
  parseStoredViolation,
  type IntervalPage,
  type IntervalView,
  type ViolationPage,
  type ViolationsRecorded,
} from '../domain/market/records';
import { parseJsonArgument, toCanonicalJson, type JsonValue } from '../encoding/canonical-json';
import {
  bidCommitmentKey,
  bidCommitmentPrefix,
  clearingKey,
  demandKey,
  marketIntervalKey,
  marketIntervalPrefix,
  revealedBidKey,
  revealedBidPrefix,
  violationKey,
  violationPrefix,
  vppQuotaKey,
} from '../encoding/keys';
import { requireActor } from '../ledger/identity';
import {
  emitEvent,
  emitJson,
  readState,
  requireAbsent,
  requireState,
  scanPrefix,
  scanPrefixPage,
  writeState,
  type Decoder,
} from '../ledger/store';
import { txTimestampIso } from '../ledger/tx-time';
import { ENTITY_ID, MARKET_ID, requireId } from '../rules';
import { CONTROL_ROOM, REGULATOR_DESK, TRADING_DESK, VPP_OPERATOR } from '../types/consortium';
import { ErrorCode, VppError } from '../types/errors';
import {
  offerLimitsOf,
  requireClearingRecord,
  requireDemand,
  requireMarketInterval,
  meritOrderClearing,
} from '../services/market-reads';
import { reportCreditEvents } from '../services/credit-scoring';
import { commitPortfolio, revealPortfolio, storeRevealedBid } from '../services/portfolio-intake';
import { requireOperatedVpp, requireVpp } from '../services/registry-reads';
import {
  BID_COMMITTED_EVENT,
  BID_REVEALED_EVENT,
  BIDS_COMMITTED_EVENT,
  BIDS_REVEALED_EVENT,
  DEMAND_POSTED_EVENT,
  INTERVAL_CLEARED_EVENT,
  INTERVAL_OPENED_EVENT,
  MARKET_CONTRACT_NAME,
  VIOLATIONS_RECORDED_EVENT,
  VPP_QUOTA_SET_EVENT,
} from '../types/contracts';
import { marketCalendar } from '../services/calendar-reads';
import { VppContract } from './vpp-contract';

/** Market arguments are small JSON objects (a bid has at most ten steps); refuse to parse more. */
export const MAX_MARKET_ARGUMENT_LENGTH = 16 * 1024;

function parseMarketArgument(json: string, what: string): JsonValue {
  return parseJsonArgument(json, what, MAX_MARKET_ARGUMENT_LENGTH);
}

/** For scans where only the keys matter (the value is still decoded as JSON). */
const anyValue: Decoder<JsonValue> = (value) => value;

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
    const txTime = txTimestampIso(ctx);
    const calendar = calendarAt(await marketCalendar(ctx), txTime);
    const interval = buildMarketInterval({ input, caller, txTime, calendar });
    const key = marketIntervalKey(interval.intervalId);
    await requireAbsent(
      ctx,
      key,
      parseStoredMarketInterval,
      `market interval ${interval.intervalId} already exists`,
    );
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
    return toCanonicalJson({ interval, demand: demand ?? null, phase } satisfies IntervalView);
  }

  /**
   * One page of the market intervals in id order, each with its phase at this query's time:
   * `{ intervals: [{ interval, phase }], bookmark }`, bookmark '' on the last page. Any member reads.
   */
  @Transaction(false)
  @Returns('string')
  async ListIntervals(ctx: Context, pageSize: string, bookmark: string): Promise<string> {
    const page = await scanPrefixPage(
      ctx,
      marketIntervalPrefix(),
      parseStoredMarketInterval,
      Number(pageSize),
      bookmark,
    );
    const at = txTimestampIso(ctx);
    const intervals = page.entries.map(({ value }) => ({ interval: value, phase: intervalPhase(value, at) }));
    return toCanonicalJson({ intervals, bookmark: page.bookmark } satisfies IntervalPage);
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
    await requireAbsent(
      ctx,
      key,
      parseStoredDemand,
      `demand for interval ${interval.intervalId} was already posted`,
    );
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
    await requireAbsent(
      ctx,
      key,
      parseStoredCommitment,
      `bid ${commitment.bidId} was already committed in interval ${commitment.intervalId}`,
    );
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
    const bidId = bidIdOf(bid);
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
    await requireAbsent(
      ctx,
      key,
      parseStoredRevealedBid,
      `bid ${bidId} of interval ${intervalId} was already revealed`,
    );
    const demand = await requireDemand(ctx, intervalId);
    const { quota, offered, capacityW } = await offerLimitsOf(ctx, intervalId, vppId, txTimestampIso(ctx));
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
        quotaForVpp: remainingQuota(quotaInProductUnit(interval, quota ?? 0), offered),
        backedCapacityOfVpp: remainingCapacityW(interval, capacityW, offered),
      }),
    );
    const total = await storeRevealedBid(ctx, revealed);
    await reportCreditEvents(ctx, [
      { participant: { type: 'vpp', id: vppId }, eventType: 'BID_REVEALED', intervalId },
    ]);
    emitJson(ctx, BID_REVEALED_EVENT, { intervalId, bidId, vppId, totalQuantity: total });
    return toCanonicalJson(revealed);
  }

  /**
   * Commits a portfolio: a list of 1..500 commitments as CommitBid takes them. Each is judged on its
   * own; returns `{ intervalIds, txId, accepted, refused, results: [{ index, bidId, status, code?,
   * message? }] }` (domain/market/portfolio.ts).
   */
  @Transaction()
  @Returns('string')
  async CommitBids(ctx: Context, commitmentsJson: string): Promise<string> {
    const caller = requireActor(ctx, VPP_OPERATOR);
    const items = parsePortfolio(commitmentsJson, 'commitmentsJson');
    const txId = ctx.stub.getTxID();
    const { results, intervalIds } = await commitPortfolio(ctx, items, {
      caller,
      txTime: txTimestampIso(ctx),
      txId,
    });
    const outcome = portfolioResultOf(txId, intervalIds, results);
    emitJson(ctx, BIDS_COMMITTED_EVENT, {
      intervalIds: outcome.intervalIds,
      txId,
      accepted: outcome.accepted,
      refused: outcome.refused,
    });
    return toCanonicalJson(outcome);
  }

  /**
   * Reveals a portfolio in one interval: a list of 1..500 `{ bid, salt }` as RevealBid takes them,
   * quota and backed capacity applied cumulatively in list order. Same answer shape as CommitBids.
   */
  @Transaction()
  @Returns('string')
  async RevealBids(ctx: Context, intervalId: string, revealsJson: string): Promise<string> {
    const caller = requireActor(ctx, VPP_OPERATOR);
    const items = parsePortfolio(revealsJson, 'revealsJson');
    const interval = await requireMarketInterval(ctx, intervalId);
    const demand = await requireDemand(ctx, intervalId);
    const txId = ctx.stub.getTxID();
    const { results, revealed } = await revealPortfolio(ctx, items, {
      caller,
      txTime: txTimestampIso(ctx),
      txId,
      interval,
      demand,
    });
    await reportCreditEvents(
      ctx,
      revealed.map((bid) => ({
        participant: { type: 'vpp' as const, id: bid.vppId },
        eventType: 'BID_REVEALED' as const,
        intervalId,
      })),
    );
    const outcome = portfolioResultOf(txId, revealed.length > 0 ? [intervalId] : [], results);
    emitJson(ctx, BIDS_REVEALED_EVENT, {
      intervalId,
      txId,
      accepted: outcome.accepted,
      refused: outcome.refused,
      vppIds: [...new Set(revealed.map((bid) => bid.vppId))].sort(),
    });
    return toCanonicalJson(outcome);
  }

  /** Sets (or replaces) a VPP's bid quota: `quantity` Wh per interval, a non-negative decimal integer. */
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
    await requireVpp(ctx, quota.vppId);
    const bytes = await writeState(ctx, vppQuotaKey(quota.vppId), quota);
    emitEvent(ctx, VPP_QUOTA_SET_EVENT, bytes);
    return toCanonicalJson(quota);
  }

  @Transaction(false)
  @Returns('string')
  async GetVppQuota(ctx: Context, vppId: string): Promise<string> {
    requireId({ vppId }, 'vppId', ENTITY_ID);
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
    emitJson(ctx, VIOLATIONS_RECORDED_EVENT, {
      intervalId,
      recorded: recorded.length,
      alreadyRecorded,
      vppIds: [...new Set(recorded.map((violation) => violation.vppId))].sort(),
    });
    return toCanonicalJson({ intervalId, recorded, alreadyRecorded } satisfies ViolationsRecorded);
  }

  /**
   * One page of the violations recorded against a VPP, by interval then bid id (a credit rating's
   * input): `{ violations, bookmark }`, bookmark '' on the last page. Paged: a VPP gains them forever.
   */
  @Transaction(false)
  @Returns('string')
  async ListVppViolations(ctx: Context, vppId: string, pageSize: string, bookmark: string): Promise<string> {
    requireId({ vppId }, 'vppId', ENTITY_ID);
    const page = await scanPrefixPage(
      ctx,
      violationPrefix(vppId),
      parseStoredViolation,
      Number(pageSize),
      bookmark,
    );
    const violations = page.entries.map((entry) => entry.value);
    return toCanonicalJson({ violations, bookmark: page.bookmark } satisfies ViolationPage);
  }

  /** Clears the interval once, after its reveal deadline: one merit-order scan up to the margin, one write. */
  @Transaction()
  @Returns('string')
  async ClearInterval(ctx: Context, intervalId: string): Promise<string> {
    const caller = requireActor(ctx, TRADING_DESK);
    const interval = await requireMarketInterval(ctx, intervalId);
    const key = clearingKey(intervalId);
    await requireAbsent(ctx, key, parseStoredClearingRecord, `interval ${intervalId} was already cleared`);
    const demand = await requireDemand(ctx, intervalId);
    const txTime = txTimestampIso(ctx);
    requireClearable(interval, demand, txTime);
    const record = buildClearingRecord({
      interval,
      demand,
      clearing: await meritOrderClearing(ctx, demand),
      caller,
      txTime,
      txId: ctx.stub.getTxID(),
    });
    await writeState(ctx, key, record);
    const { result } = record;
    emitJson(ctx, INTERVAL_CLEARED_EVENT, {
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

  /** Recomputes the stored clearing from the demand and the merit-order index: `{ matches, stored, recomputed }`. */
  @Transaction(false)
  @Returns('string')
  async VerifyClearing(ctx: Context, intervalId: string): Promise<string> {
    requireId({ intervalId }, 'intervalId', MARKET_ID);
    const record = await requireClearingRecord(ctx, intervalId);
    const demand = await requireDemand(ctx, intervalId);
    const check = checkStoredClearing(record, demand, await meritOrderClearing(ctx, demand));
    return toCanonicalJson(check);
  }
}
