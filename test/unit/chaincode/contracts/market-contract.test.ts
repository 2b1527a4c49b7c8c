import '../../../support/quiet-logs';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  BID_COMMITTED_EVENT,
  BID_REVEALED_EVENT,
  DEMAND_POSTED_EVENT,
  INTERVAL_CLEARED_EVENT,
  INTERVAL_OPENED_EVENT,
  VIOLATIONS_RECORDED_EVENT,
  VPP_QUOTA_SET_EVENT,
} from '../../../../chaincode/src/types/contracts';
import { computeCommitment } from '../../../../chaincode/src/domain/market/bid';
import { clearMarketInterval, type ClearingBid } from '../../../../chaincode/src/domain/market/clearing';
import {
  meritEntryOf,
  meritKeyParts,
  meritOffersOf,
} from '../../../../chaincode/src/domain/market/merit-order';
import { toCanonicalJson } from '../../../../chaincode/src/encoding/canonical-json';
import {
  bidCommitmentKey,
  clearingKey,
  demandKey,
  marketIntervalKey,
  revealedBidByVppKey,
  revealedBidKey,
  revealedOfferKey,
  violationKey,
  vppQuotaKey,
} from '../../../../chaincode/src/encoding/keys';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { expectFailure } from '../../../support/contract-harness';
import {
  credit,
  installDefaultRulebook,
  regulatorAdmin as creditRegulator,
} from '../../../support/credit-fixture';
import {
  addVpp,
  asOperator,
  bidOf,
  commitBid,
  commitmentJson,
  controlOperator,
  IID,
  intervalInput,
  market,
  newMarketFixture,
  openWithDemand,
  parse,
  regulatorAdmin,
  revealBid,
  SALT,
  T,
} from '../../../support/market-ledger';
import type { TxOptions } from '../../../support/memory-stub';
import {
  cvppAdmin,
  cvppOperator,
  registry,
  regulator,
  tradingAdmin,
  tradingOperator,
  VPP_ID,
} from '../../../support/registry-fixture';
import { vppError } from '../../../support/vpp-assert';

const OTHER_SALT = 'ab'.repeat(32);
/** A reserve interval with the fixture's instants: a 15-minute delivery period. */
const RESERVE_IID = 'i-20260102-1200-res';
const at = (caller: TxOptions['caller'], time: string): TxOptions => ({ caller, time });
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');

describe('contracts/market-contract', () => {
  describe('#OpenInterval', () => {
    it('should store the interval with its unit and opener, emit it, and refuse the same id twice', async () => {
      const { ledger } = await newMarketFixture({ interval: null });
      const { result, tx } = await ledger.submit(at(tradingOperator, T.open), (ctx) =>
        market.OpenInterval(ctx, JSON.stringify(intervalInput())),
      );
      const interval = parse(result);
      assert.deepEqual(interval, {
        ...intervalInput(),
        quantityUnit: 'Wh',
        openedAt: T.open,
        openedBy: { mspId: 'TradingMSP', role: 'trading' },
      });
      assert.equal(ledger.getText(marketIntervalKey(IID)), result);
      assert.equal(tx.event?.name, INTERVAL_OPENED_EVENT);
      assert.equal(text(tx.event?.payload), result);
      await expectFailure(
        ledger,
        at(tradingAdmin, T.open),
        (ctx) => market.OpenInterval(ctx, JSON.stringify(intervalInput())),
        vppError(ErrorCode.ALREADY_EXISTS, /already exists/),
      );
    });

    it('should let only the trading centre’s traders and admins open, with valid times', async () => {
      const { ledger } = await newMarketFixture({ interval: null });
      const json = JSON.stringify(intervalInput());
      for (const caller of [
        cvppOperator,
        controlOperator,
        regulator,
        { ...tradingOperator, attributes: {} },
      ]) {
        await expectFailure(
          ledger,
          at(caller, T.open),
          (ctx) => market.OpenInterval(ctx, json),
          vppError(ErrorCode.FORBIDDEN),
        );
      }
      const refused: [unknown, RegExp][] = [
        [intervalInput({ gateClosure: T.open }), /gateClosure .* is not after the transaction time/],
        [intervalInput({ revealDeadline: T.gate }), /gateClosure must be before revealDeadline/],
        [intervalInput({ deliveryEnd: '2026-01-02T12:15:30.001Z' }), /whole number of seconds/],
        [intervalInput({ product: 'heat' }), /product/],
        [{ ...intervalInput(), priceCap: 1 }, /unsupported field/],
      ];
      for (const [input, message] of refused) {
        await expectFailure(
          ledger,
          at(tradingOperator, T.open),
          (ctx) => market.OpenInterval(ctx, JSON.stringify(input)),
          vppError(ErrorCode.INVALID_ARGUMENT, message),
        );
      }
      await expectFailure(
        ledger,
        at(tradingOperator, T.open),
        (ctx) => market.OpenInterval(ctx, '{"intervalId":'),
        vppError(ErrorCode.INVALID_ARGUMENT, /malformed JSON/),
      );
    });
  });

  describe('#GetInterval', () => {
    it('should return the interval, its demand once posted, and the phase at the query time', async () => {
      const { ledger } = await newMarketFixture({ demand: null });
      const get = async (time: string) =>
        parse<{ interval: { intervalId: string }; demand: unknown; phase: string }>(
          await ledger.evaluate(at(regulator, time), (ctx) => market.GetInterval(ctx, IID)),
        );
      const before = await get(T.commit);
      assert.deepEqual([before.interval.intervalId, before.demand, before.phase], [IID, null, 'open']);
      await ledger.submit(at(controlOperator, T.commit), (ctx) =>
        market.PostDemand(
          ctx,
          JSON.stringify({ intervalId: IID, product: 'energy-up', quantity: 5, priceCap: 9 }),
        ),
      );
      assert.deepEqual((await get(T.reveal)).demand, {
        intervalId: IID,
        product: 'energy-up',
        quantity: 5,
        priceCap: 9,
        quantityUnit: 'Wh',
        postedAt: T.commit,
        postedBy: { mspId: 'ControlMSP', role: 'control' },
      });
      assert.equal((await get(T.reveal)).phase, 'reveal');
      assert.equal((await get(T.deadline)).phase, 'closed');
      await assert.rejects(
        ledger.evaluate(at(regulator, T.commit), (ctx) => market.GetInterval(ctx, 'nope')),
        vppError(ErrorCode.NOT_FOUND, /market interval nope/),
      );
      await assert.rejects(
        ledger.evaluate(at(regulator, T.commit), (ctx) => market.GetInterval(ctx, '')),
        vppError(ErrorCode.INVALID_ARGUMENT, /intervalId/),
      );
    });
  });

  describe('#ListIntervals', () => {
    it('should page through every interval in id order, each with its phase at the query time', async () => {
      const { ledger } = await newMarketFixture({ interval: null });
      for (const intervalId of ['i-c', 'i-a', 'i-b']) {
        await ledger.submit(at(tradingOperator, T.open), (ctx) =>
          market.OpenInterval(ctx, JSON.stringify(intervalInput({ intervalId }))),
        );
      }
      type Listed = { intervals: { interval: { intervalId: string }; phase: string }[]; bookmark: string };
      const list = async (time: string, pageSize: string, bookmark: string) =>
        parse<Listed>(
          await ledger.evaluate(at(regulator, time), (ctx) => market.ListIntervals(ctx, pageSize, bookmark)),
        );
      const first = await list(T.commit, '2', '');
      assert.deepEqual(
        first.intervals.map((v) => [v.interval.intervalId, v.phase]),
        [
          ['i-a', 'open'],
          ['i-b', 'open'],
        ],
      );
      assert.notEqual(first.bookmark, '');
      const rest = await list(T.deadline, '2', first.bookmark);
      assert.deepEqual(
        [rest.intervals.map((v) => [v.interval.intervalId, v.phase]), rest.bookmark],
        [[['i-c', 'closed']], ''],
      );
      await assert.rejects(
        ledger.evaluate(at(regulator, T.commit), (ctx) => market.ListIntervals(ctx, '0', '')),
        vppError(ErrorCode.INVALID_ARGUMENT, /pageSize/),
      );
    });
  });

  describe('#PostDemand', () => {
    const demand = (overrides: Record<string, unknown> = {}) =>
      JSON.stringify({
        intervalId: IID,
        product: 'energy-up',
        quantity: 2000,
        priceCap: 10_000,
        ...overrides,
      });

    it('should store the control centre’s demand once, before gate closure, and emit it', async () => {
      const { ledger } = await newMarketFixture({ demand: null });
      const { result, tx } = await ledger.submit(at(controlOperator, T.commit), (ctx) =>
        market.PostDemand(ctx, demand()),
      );
      assert.equal(ledger.getText(demandKey(IID)), result);
      assert.equal(parse(result).postedAt, T.commit);
      assert.equal(tx.event?.name, DEMAND_POSTED_EVENT);
      await expectFailure(
        ledger,
        at(controlOperator, T.commit),
        (ctx) => market.PostDemand(ctx, demand({ quantity: 1 })),
        vppError(ErrorCode.ALREADY_EXISTS),
      );
    });

    it('should refuse late, misdirected, malformed and unauthorised demand', async () => {
      const { ledger } = await newMarketFixture({ demand: null });
      await expectFailure(
        ledger,
        at(controlOperator, T.gate),
        (ctx) => market.PostDemand(ctx, demand()),
        vppError(ErrorCode.GATE_CLOSED),
      );
      await expectFailure(
        ledger,
        at(controlOperator, T.commit),
        (ctx) => market.PostDemand(ctx, demand({ intervalId: 'i-unknown' })),
        vppError(ErrorCode.NOT_FOUND, /market interval i-unknown/),
      );
      await expectFailure(
        ledger,
        at(controlOperator, T.commit),
        (ctx) => market.PostDemand(ctx, demand({ product: 'reserve' })),
        vppError(ErrorCode.INVALID_ARGUMENT, /does not match interval product/),
      );
      for (const bad of [{ quantity: 0 }, { quantity: 1.5 }, { priceCap: -1 }, { quantity: '10' }]) {
        await expectFailure(
          ledger,
          at(controlOperator, T.commit),
          (ctx) => market.PostDemand(ctx, demand(bad)),
          vppError(ErrorCode.INVALID_ARGUMENT),
        );
      }
      for (const caller of [
        tradingOperator,
        cvppOperator,
        { ...controlOperator, attributes: { 'vpp.role': 'trading' } },
      ]) {
        await expectFailure(
          ledger,
          at(caller, T.commit),
          (ctx) => market.PostDemand(ctx, demand()),
          vppError(ErrorCode.FORBIDDEN),
        );
      }
    });
  });

  describe('#CommitBid', () => {
    it('should store the sealed commitment with its time and tx id, and emit it', async () => {
      const { ledger } = await newMarketFixture();
      const bid = bidOf('b-1', [[4000, 1000]]);
      const { result, tx } = await ledger.submit({ ...asOperator(T.commit), txId: 'tx-commit-1' }, (ctx) =>
        market.CommitBid(ctx, commitmentJson(bid)),
      );
      assert.deepEqual(parse(result), {
        commitment: computeCommitment(bid, SALT),
        bidId: 'b-1',
        intervalId: IID,
        vppId: VPP_ID,
        committedAt: T.commit,
        txId: 'tx-commit-1',
        committedBy: { mspId: 'CvppMSP', role: 'operator' },
      });
      assert.equal(ledger.getText(bidCommitmentKey(IID, 'b-1')), result);
      assert.equal(tx.event?.name, BID_COMMITTED_EVENT);
      assert.ok(!text(tx.event?.payload).includes('steps'), 'the event carries no bid content');
    });

    it('should refuse commitments at gate closure (GATE_CLOSED) and before demand (INVALID_STATE)', async () => {
      const bid = bidOf('b-1', [[4000, 1000]]);
      const { ledger } = await newMarketFixture();
      await expectFailure(
        ledger,
        asOperator(T.gate),
        (ctx) => market.CommitBid(ctx, commitmentJson(bid)),
        vppError(ErrorCode.GATE_CLOSED),
      );
      const noDemand = await newMarketFixture({ demand: null });
      await expectFailure(
        noDemand.ledger,
        asOperator(T.commit),
        (ctx) => market.CommitBid(ctx, commitmentJson(bid)),
        vppError(ErrorCode.INVALID_STATE, /posted its demand/),
      );
    });

    it('should refuse unknown intervals and VPPs, reused bid ids, bad input and other organisations', async () => {
      const { ledger } = await newMarketFixture();
      await commitBid(ledger, bidOf('b-1', [[4000, 1000]]));
      await expectFailure(
        ledger,
        asOperator(T.commit),
        (ctx) => market.CommitBid(ctx, commitmentJson(bidOf('b-1', [[1, 1]]))),
        vppError(ErrorCode.ALREADY_EXISTS, /already committed/),
      );
      await expectFailure(
        ledger,
        asOperator(T.commit),
        (ctx) =>
          market.CommitBid(ctx, commitmentJson({ ...bidOf('b-2', [[1, 1]]), intervalId: 'i-unknown' })),
        vppError(ErrorCode.NOT_FOUND, /market interval i-unknown/),
      );
      await expectFailure(
        ledger,
        asOperator(T.commit),
        (ctx) => market.CommitBid(ctx, commitmentJson(bidOf('b-2', [[1, 1]], 'vpp-ghost'))),
        vppError(ErrorCode.NOT_FOUND, /vpp vpp-ghost/),
      );
      const good = JSON.parse(commitmentJson(bidOf('b-2', [[1, 1]]))) as Record<string, unknown>;
      for (const bad of [
        { commitment: 'AB'.repeat(32) },
        { commitment: 'ab' },
        { bidId: ' b-2' },
        { extra: 1 },
      ]) {
        await expectFailure(
          ledger,
          asOperator(T.commit),
          (ctx) => market.CommitBid(ctx, JSON.stringify({ ...good, ...bad })),
          vppError(ErrorCode.INVALID_ARGUMENT),
        );
      }
      for (const caller of [
        tradingAdmin,
        regulator,
        { ...cvppOperator, attributes: { 'vpp.role': 'ingest' } },
      ]) {
        await expectFailure(
          ledger,
          at(caller, T.commit),
          (ctx) => market.CommitBid(ctx, JSON.stringify(good)),
          vppError(ErrorCode.FORBIDDEN),
        );
      }
    });
  });

  describe('#RevealBid', () => {
    it('should store the revealed bid with its commitment facts, index it by VPP and emit a summary', async () => {
      const { ledger } = await newMarketFixture();
      const bid = bidOf('b-1', [
        [4000, 600],
        [7500, 400],
      ]);
      await ledger.submit({ ...asOperator(T.commit), txId: 'tx-c' }, (ctx) =>
        market.CommitBid(ctx, commitmentJson(bid)),
      );
      const { result, tx } = await revealBid(ledger, bid);
      assert.deepEqual(parse(result), {
        ...bid,
        commitment: computeCommitment(bid, SALT),
        salt: SALT,
        committedAt: T.commit,
        commitTxId: 'tx-c',
        revealedAt: T.reveal,
      });
      assert.equal(ledger.getText(revealedBidKey(IID, 'b-1')), result);
      assert.equal(ledger.getText(revealedBidByVppKey(IID, VPP_ID, 'b-1')), '1000');
      // One merit-order index entry per step, keyed price · commit time · bid id · step.
      const commitMs = String(Date.parse(T.commit)).padStart(15, '0');
      assert.equal(
        ledger.getText(revealedOfferKey(IID, ['0000000000004000', commitMs, 'b-1', '00'])),
        JSON.stringify({ committedAt: T.commit, quantity: 600, vppId: VPP_ID }),
      );
      assert.equal(
        ledger.getText(revealedOfferKey(IID, ['0000000000007500', commitMs, 'b-1', '01'])),
        JSON.stringify({ committedAt: T.commit, quantity: 400, vppId: VPP_ID }),
      );
      assert.equal(tx.stub.writes.size, 4); // the bid, its by-VPP entry, its two offers
      assert.equal(tx.event?.name, BID_REVEALED_EVENT);
      assert.deepEqual(parse(text(tx.event?.payload)), {
        intervalId: IID,
        bidId: 'b-1',
        vppId: VPP_ID,
        totalQuantity: 1000,
      });
      await expectFailure(
        ledger,
        asOperator(T.reveal),
        (ctx) => market.RevealBid(ctx, IID, JSON.stringify(bid), SALT),
        vppError(ErrorCode.ALREADY_EXISTS, /already revealed/),
      );
    });

    it('should refuse reveals outside the reveal phase: INVALID_STATE before, GATE_CLOSED after', async () => {
      const { ledger } = await newMarketFixture();
      const bid = bidOf('b-1', [[4000, 1000]]);
      await commitBid(ledger, bid);
      const reveal = (ctx: Parameters<typeof market.RevealBid>[0]) =>
        market.RevealBid(ctx, IID, JSON.stringify(bid), SALT);
      await expectFailure(ledger, asOperator(T.commit), reveal, vppError(ErrorCode.INVALID_STATE));
      await expectFailure(ledger, asOperator(T.deadline), reveal, vppError(ErrorCode.GATE_CLOSED));
      // A late reveal is GATE_CLOSED even when the salt is wrong too.
      await expectFailure(
        ledger,
        asOperator(T.closed),
        (ctx) => market.RevealBid(ctx, IID, JSON.stringify(bid), OTHER_SALT),
        vppError(ErrorCode.GATE_CLOSED),
      );
    });

    it('should refuse a bid or salt that does not open the commitment with COMMITMENT_MISMATCH', async () => {
      const { ledger } = await newMarketFixture();
      const bid = bidOf('b-1', [[4000, 1000]]);
      await commitBid(ledger, bid);
      const cases: [unknown, string, RegExp][] = [
        [bid, OTHER_SALT, /do not hash/],
        [bidOf('b-1', [[3999, 1000]]), SALT, /do not hash/],
        [{ ...bid, vppId: 'vpp-other' }, SALT, /vppId/],
      ];
      for (const [revealed, salt, message] of cases) {
        await expectFailure(
          ledger,
          asOperator(T.reveal),
          (ctx) => market.RevealBid(ctx, IID, JSON.stringify(revealed), salt),
          vppError(ErrorCode.COMMITMENT_MISMATCH, message),
        );
      }
    });

    it('should refuse unknown intervals and commitments (NOT_FOUND), bad input and other organisations', async () => {
      const { ledger } = await newMarketFixture();
      const bid = bidOf('b-1', [[4000, 1000]]);
      await commitBid(ledger, bid);
      await expectFailure(
        ledger,
        asOperator(T.reveal),
        (ctx) => market.RevealBid(ctx, 'i-unknown', JSON.stringify(bid), SALT),
        vppError(ErrorCode.NOT_FOUND, /market interval i-unknown/),
      );
      await expectFailure(
        ledger,
        asOperator(T.reveal),
        (ctx) => market.RevealBid(ctx, IID, JSON.stringify(bidOf('b-9', [[1, 1]])), SALT),
        vppError(ErrorCode.NOT_FOUND, /commitment of bid b-9/),
      );
      for (const [json, salt] of [
        ['[]', SALT],
        ['{"bidId":" b-1"}', SALT],
        [JSON.stringify(bid), 'AB'.repeat(32)],
        [JSON.stringify(bid), SALT.slice(2)],
      ]) {
        await expectFailure(
          ledger,
          asOperator(T.reveal),
          (ctx) => market.RevealBid(ctx, IID, json, salt),
          vppError(ErrorCode.INVALID_ARGUMENT),
        );
      }
      for (const caller of [tradingOperator, controlOperator, regulator]) {
        await expectFailure(
          ledger,
          at(caller, T.reveal),
          (ctx) => market.RevealBid(ctx, IID, JSON.stringify(bid), SALT),
          vppError(ErrorCode.FORBIDDEN),
        );
      }
    });

    it('should refuse negative and non-integer figures with INVALID_ARGUMENT', async () => {
      // Such bids cannot be committed through computeCommitment, so hash the bytes by hand.
      const { ledger } = await newMarketFixture();
      const rawCommit = (bidId: string, steps: unknown) => {
        const bid = { bidId, intervalId: IID, vppId: VPP_ID, steps };
        const json = JSON.stringify({ bidId, intervalId: IID, steps, vppId: VPP_ID });
        const commitment = createHash('sha256').update(json).update(Buffer.from(SALT, 'hex')).digest('hex');
        return { bid, commitment };
      };
      const cases: [string, unknown, RegExp][] = [
        ['b-neg', [{ price: -1, quantity: 10 }], /price must be a non-negative integer/],
        ['b-frac', [{ price: 10, quantity: 2.5 }], /quantity must be a positive integer/],
        ['b-zero', [{ price: 10, quantity: 0 }], /quantity must be a positive integer/],
      ];
      for (const [bidId, steps, message] of cases) {
        const { bid, commitment } = rawCommit(bidId, steps);
        await ledger.submit(asOperator(T.commit), (ctx) =>
          market.CommitBid(ctx, JSON.stringify({ commitment, bidId, intervalId: IID, vppId: VPP_ID })),
        );
        await expectFailure(
          ledger,
          asOperator(T.reveal),
          (ctx) => market.RevealBid(ctx, IID, JSON.stringify(bid), SALT),
          vppError(ErrorCode.INVALID_ARGUMENT, message),
        );
      }
    });

    it('should refuse a VPP without quota, and bids above the quota left, with QUOTA_EXCEEDED', async () => {
      const none = await newMarketFixture({ quota: null });
      const bid = bidOf('b-1', [[4000, 100]]);
      await commitBid(none.ledger, bid);
      await expectFailure(
        none.ledger,
        asOperator(T.reveal),
        (ctx) => market.RevealBid(ctx, IID, JSON.stringify(bid), SALT),
        vppError(ErrorCode.QUOTA_EXCEEDED, /vpp vpp-north has no bid quota/),
      );
      // Without a quota the earlier checks still come first.
      await expectFailure(
        none.ledger,
        asOperator(T.reveal),
        (ctx) => market.RevealBid(ctx, IID, JSON.stringify(bid), OTHER_SALT),
        vppError(ErrorCode.COMMITMENT_MISMATCH),
      );

      const { ledger } = await newMarketFixture({ quota: 1500 });
      const first = bidOf('b-1', [[4000, 1000]]);
      const second = bidOf('b-2', [[5000, 600]]);
      const third = bidOf('b-3', [[5000, 500]]);
      for (const bid of [first, second, third]) await commitBid(ledger, bid);
      await revealBid(ledger, first);
      await expectFailure(
        ledger,
        asOperator(T.reveal),
        (ctx) => market.RevealBid(ctx, IID, JSON.stringify(second), SALT),
        vppError(ErrorCode.QUOTA_EXCEEDED, /offers 600 Wh, above the quota of 500 Wh/),
      );
      await revealBid(ledger, third);
      await ledger.submit(at(regulatorAdmin, T.reveal), (ctx) => market.SetVppQuota(ctx, VPP_ID, '0'));
      await expectFailure(
        ledger,
        asOperator(T.reveal),
        (ctx) => market.RevealBid(ctx, IID, JSON.stringify(second), SALT),
        vppError(ErrorCode.QUOTA_EXCEEDED, /quota of 0 Wh/),
      );
    });

    it('should hold a reserve interval to the W its Wh quota gives over the delivery period', async () => {
      // 2,500 Wh over a 15-minute delivery: 2,500 × 60 / 15 = 10,000 W of reserve.
      const { ledger } = await newMarketFixture({
        interval: { intervalId: RESERVE_IID, product: 'reserve' },
        demand: { quantity: 12_000, priceCap: 10_000 },
        quota: 2500,
      });
      const atQuota = bidOf('r-1', [[4000, 10_000]], VPP_ID, RESERVE_IID);
      const beyond = bidOf('r-2', [[4000, 1]], VPP_ID, RESERVE_IID);
      for (const bid of [atQuota, beyond]) await commitBid(ledger, bid);
      await revealBid(ledger, atQuota);
      assert.equal(ledger.getText(revealedBidByVppKey(RESERVE_IID, VPP_ID, 'r-1')), '10000');
      await expectFailure(
        ledger,
        asOperator(T.reveal),
        (ctx) => market.RevealBid(ctx, RESERVE_IID, JSON.stringify(beyond), SALT),
        vppError(ErrorCode.QUOTA_EXCEEDED, /offers 1 W, above the quota of 0 W/),
      );
    });

    it('should refuse a step priced above the demand’s cap with PRICE_ABOVE_CAP', async () => {
      const { ledger } = await newMarketFixture({ demand: { quantity: 2000, priceCap: 10_000 } });
      const bid = bidOf('b-1', [
        [9_000, 100],
        [10_001, 100],
      ]);
      await commitBid(ledger, bid);
      await expectFailure(
        ledger,
        asOperator(T.reveal),
        (ctx) => market.RevealBid(ctx, IID, JSON.stringify(bid), SALT),
        vppError(ErrorCode.PRICE_ABOVE_CAP, /10001/),
      );
      const atCap = bidOf('b-2', [[10_000, 100]]);
      await commitBid(ledger, atCap);
      await revealBid(ledger, atCap);
    });

    it('should count only active DERs with valid certificates, net of earlier bids (CAPACITY_NOT_BACKED)', async () => {
      // 12,000 W backs 3,000 Wh over 15 minutes.
      const { ledger } = await newMarketFixture();
      const tooMuch = bidOf('b-big', [[1000, 3001]]);
      const first = bidOf('b-1', [[1000, 2000]]);
      const second = bidOf('b-2', [[1000, 1001]]);
      const fits = bidOf('b-3', [[1000, 1000]]);
      for (const bid of [tooMuch, first, second, fits]) await commitBid(ledger, bid);
      await expectFailure(
        ledger,
        asOperator(T.reveal),
        (ctx) => market.RevealBid(ctx, IID, JSON.stringify(tooMuch), SALT),
        vppError(ErrorCode.CAPACITY_NOT_BACKED, /\(12000 W\) backs only 3000 Wh/),
      );
      await revealBid(ledger, first);
      await expectFailure(
        ledger,
        asOperator(T.reveal),
        (ctx) => market.RevealBid(ctx, IID, JSON.stringify(second), SALT),
        vppError(ErrorCode.CAPACITY_NOT_BACKED, /\(4000 W\) backs only 1000 Wh/),
      );
      await revealBid(ledger, fits);

      // A suspended DER and a DER with a revoked certificate back nothing.
      const other = await newMarketFixture();
      await other.ledger.submit(at(regulator, T.commit), (ctx) =>
        registry.SuspendDer(ctx, 'pv-001', 'inspection'),
      );
      const serial = parse<{ certificate: { serial: string } }>(
        await other.ledger.evaluate(at(regulator, T.commit), (ctx) => registry.GetDer(ctx, 'bat-002')),
      ).certificate.serial;
      await other.ledger.submit(asOperator(T.commit), (ctx) =>
        registry.RevokeDerCertificate(ctx, 'bat-002', serial, 'key compromise'),
      );
      const small = bidOf('b-1', [[1000, 1]]);
      await commitBid(other.ledger, small);
      await expectFailure(
        other.ledger,
        asOperator(T.reveal),
        (ctx) => market.RevealBid(ctx, IID, JSON.stringify(small), SALT),
        vppError(ErrorCode.CAPACITY_NOT_BACKED, /\(0 W\)/),
      );
    });
  });

  describe('#SetVppQuota / #GetVppQuota', () => {
    it('should let the regulator set and replace a VPP’s quota, and emit it', async () => {
      const { ledger } = await newMarketFixture({ quota: null });
      await assert.rejects(
        ledger.evaluate(at(cvppOperator, T.open), (ctx) => market.GetVppQuota(ctx, VPP_ID)),
        vppError(ErrorCode.NOT_FOUND, /quota of vpp vpp-north/),
      );
      const { result, tx } = await ledger.submit({ caller: regulator, time: T.open, txId: 'tx-q1' }, (ctx) =>
        market.SetVppQuota(ctx, VPP_ID, '250000'),
      );
      assert.deepEqual(parse(result), {
        vppId: VPP_ID,
        quantity: 250_000,
        setAt: T.open,
        setBy: { mspId: 'RegulatorMSP', role: 'regulator' },
        txId: 'tx-q1',
      });
      assert.equal(ledger.getText(vppQuotaKey(VPP_ID)), result);
      assert.equal(tx.event?.name, VPP_QUOTA_SET_EVENT);
      await ledger.submit(at(regulatorAdmin, T.commit), (ctx) => market.SetVppQuota(ctx, VPP_ID, '0'));
      const stored = parse(
        await ledger.evaluate(at(tradingOperator, T.commit), (ctx) => market.GetVppQuota(ctx, VPP_ID)),
      );
      assert.deepEqual([stored.quantity, stored.setAt], [0, T.commit]);
    });

    it('should refuse unknown VPPs, figures that are not non-negative integers, and anyone but the regulator', async () => {
      const { ledger } = await newMarketFixture({ quota: null });
      await expectFailure(
        ledger,
        at(regulator, T.open),
        (ctx) => market.SetVppQuota(ctx, 'vpp-ghost', '1'),
        vppError(ErrorCode.NOT_FOUND, /vpp vpp-ghost/),
      );
      for (const quantity of ['-1', '1.5', '01', '1e3', '', 'ten', '9007199254740993']) {
        await expectFailure(
          ledger,
          at(regulator, T.open),
          (ctx) => market.SetVppQuota(ctx, VPP_ID, quantity),
          vppError(ErrorCode.INVALID_ARGUMENT, /quantity/),
        );
      }
      for (const caller of [
        cvppAdmin,
        tradingAdmin,
        controlOperator,
        { ...regulator, attributes: { 'vpp.role': 'operator' } },
      ]) {
        await expectFailure(
          ledger,
          at(caller, T.open),
          (ctx) => market.SetVppQuota(ctx, VPP_ID, '1'),
          vppError(ErrorCode.FORBIDDEN),
        );
      }
    });
  });

  describe('#RecordUnrevealedViolations / #ListVppViolations', () => {
    it('should record one violation per unrevealed commitment after the deadline, once', async () => {
      const f = await newMarketFixture();
      await addVpp(f, 'vpp-south', [{ derId: 'pv-s1', capacityW: 8000 }]);
      await f.ledger.submit(at(regulator, T.open), (ctx) => market.SetVppQuota(ctx, 'vpp-south', '5000'));
      const { ledger } = f;
      const revealed = bidOf('b-1', [[1000, 100]]);
      const silentNorth = bidOf('b-2', [[1000, 100]]);
      const silentSouth = bidOf('b-3', [[1000, 100]], 'vpp-south');
      for (const bid of [revealed, silentNorth, silentSouth]) await commitBid(ledger, bid);
      await revealBid(ledger, revealed);

      await expectFailure(
        ledger,
        at(tradingOperator, T.reveal),
        (ctx) => market.RecordUnrevealedViolations(ctx, IID),
        vppError(ErrorCode.INVALID_STATE, /known only after/),
      );
      const { result, tx } = await ledger.submit(at(tradingOperator, T.closed), (ctx) =>
        market.RecordUnrevealedViolations(ctx, IID),
      );
      const violation = (bidId: string, vppId: string) => ({
        intervalId: IID,
        bidId,
        vppId,
        reason: 'BID_NOT_REVEALED',
        detectedAt: T.closed,
      });
      assert.deepEqual(parse(result), {
        intervalId: IID,
        recorded: [violation('b-2', VPP_ID), violation('b-3', 'vpp-south')],
        alreadyRecorded: 0,
      });
      assert.deepEqual(parse(ledger.getText(violationKey(VPP_ID, IID, 'b-2'))!), violation('b-2', VPP_ID));
      assert.deepEqual(
        parse(ledger.getText(violationKey('vpp-south', IID, 'b-3'))!),
        violation('b-3', 'vpp-south'),
      );
      assert.equal(ledger.getText(violationKey(VPP_ID, IID, 'b-1')), undefined);
      assert.equal(tx.event?.name, VIOLATIONS_RECORDED_EVENT);
      assert.deepEqual(parse(text(tx.event?.payload)), {
        intervalId: IID,
        recorded: 2,
        alreadyRecorded: 0,
        vppIds: [VPP_ID, 'vpp-south'],
      });

      // Again, by the regulator: nothing new, the first detection stays.
      const again = await ledger.submit(at(regulator, '2026-01-02T11:45:00.000Z'), (ctx) =>
        market.RecordUnrevealedViolations(ctx, IID),
      );
      assert.deepEqual(parse(again.result), { intervalId: IID, recorded: [], alreadyRecorded: 2 });
      assert.deepEqual([...again.tx.stub.writes.keys()], []);
      const list = (vppId: string, pageSize: string, bookmark = '') =>
        ledger.evaluate(at(cvppOperator, T.closed), (ctx) =>
          market.ListVppViolations(ctx, vppId, pageSize, bookmark),
        );
      // A page that holds the last violation exactly ends the list.
      assert.deepEqual(parse(await list(VPP_ID, '1')), {
        violations: [violation('b-2', VPP_ID)],
        bookmark: '',
      });
      assert.deepEqual(parse(await list('vpp-south', '100')), {
        violations: [violation('b-3', 'vpp-south')],
        bookmark: '',
      });
      await assert.rejects(list(VPP_ID, '0'), vppError(ErrorCode.INVALID_ARGUMENT, /pageSize/));
      await assert.rejects(
        list(VPP_ID, '10', violationKey('vpp-south', IID, 'b-3')),
        vppError(ErrorCode.INVALID_ARGUMENT, /bookmark/),
      );
    });

    it('should be run only by the trading centre or the regulator, on a known interval', async () => {
      const { ledger } = await newMarketFixture();
      for (const caller of [
        cvppOperator,
        controlOperator,
        { ...tradingOperator, attributes: { 'vpp.role': 'regulator' } },
      ]) {
        await expectFailure(
          ledger,
          at(caller, T.closed),
          (ctx) => market.RecordUnrevealedViolations(ctx, IID),
          vppError(ErrorCode.FORBIDDEN),
        );
      }
      await expectFailure(
        ledger,
        at(regulator, T.closed),
        (ctx) => market.RecordUnrevealedViolations(ctx, 'i-unknown'),
        vppError(ErrorCode.NOT_FOUND),
      );
    });
  });

  describe('#ClearInterval / #GetClearing / #VerifyClearing', () => {
    async function clearedBook() {
      const { ledger } = await newMarketFixture({ demand: { quantity: 2000, priceCap: 10_000 } });
      const cheap = bidOf('b-cheap', [
        [3000, 800],
        [6000, 700],
      ]);
      const dear = bidOf('b-dear', [[8000, 1000]]);
      for (const bid of [cheap, dear]) await commitBid(ledger, bid);
      for (const bid of [cheap, dear]) await revealBid(ledger, bid);
      return ledger;
    }

    it('should clear once after the deadline: merit order, uniform price, stored with who and when', async () => {
      const ledger = await clearedBook();
      const { result, tx } = await ledger.submit(
        { caller: tradingOperator, time: T.closed, txId: 'tx-clear' },
        (ctx) => market.ClearInterval(ctx, IID),
      );
      const record = parse<{ result: { clearingPrice: number; awards: unknown[]; inputsHash: string } }>(
        result,
      );
      assert.deepEqual(record, {
        intervalId: IID,
        result: {
          intervalId: IID,
          clearingPrice: 8000,
          totalAwarded: 2000,
          awards: [
            {
              bidId: 'b-cheap',
              vppId: VPP_ID,
              quantity: 1500,
              acceptedSteps: [
                { stepIndex: 0, price: 3000, quantity: 800 },
                { stepIndex: 1, price: 6000, quantity: 700 },
              ],
            },
            {
              bidId: 'b-dear',
              vppId: VPP_ID,
              quantity: 500,
              acceptedSteps: [{ stepIndex: 0, price: 8000, quantity: 500 }],
            },
          ],
          inputsHash: record.result.inputsHash,
        },
        bidCount: 2,
        clearedAt: T.closed,
        clearedBy: { mspId: 'TradingMSP', role: 'trading' },
        txId: 'tx-clear',
      });
      assert.match(record.result.inputsHash, /^[0-9a-f]{64}$/);
      assert.deepEqual([...tx.stub.writes.keys()], [clearingKey(IID)]);
      assert.equal(ledger.getText(clearingKey(IID)), result);
      assert.equal(tx.event?.name, INTERVAL_CLEARED_EVENT);
      assert.deepEqual(parse(text(tx.event?.payload)), {
        intervalId: IID,
        clearingPrice: 8000,
        totalAwarded: 2000,
        awards: 2,
        bidCount: 2,
        inputsHash: record.result.inputsHash,
      });
      assert.equal(
        await ledger.evaluate(at(controlOperator, T.closed), (ctx) => market.GetClearing(ctx, IID)),
        result,
      );
      await expectFailure(
        ledger,
        at(tradingAdmin, T.closed),
        (ctx) => market.ClearInterval(ctx, IID),
        vppError(ErrorCode.ALREADY_EXISTS, /already cleared/),
      );
    });

    it('should refuse clearing before the deadline, unknown intervals and other organisations', async () => {
      const ledger = await clearedBook();
      await expectFailure(
        ledger,
        at(tradingOperator, T.reveal),
        (ctx) => market.ClearInterval(ctx, IID),
        vppError(ErrorCode.INVALID_STATE, /from its reveal deadline/),
      );
      await expectFailure(
        ledger,
        at(tradingOperator, T.closed),
        (ctx) => market.ClearInterval(ctx, 'i-unknown'),
        vppError(ErrorCode.NOT_FOUND),
      );
      for (const caller of [controlOperator, regulator, cvppAdmin]) {
        await expectFailure(
          ledger,
          at(caller, T.closed),
          (ctx) => market.ClearInterval(ctx, IID),
          vppError(ErrorCode.FORBIDDEN),
        );
      }
      await assert.rejects(
        ledger.evaluate(at(regulator, T.closed), (ctx) => market.GetClearing(ctx, IID)),
        vppError(ErrorCode.NOT_FOUND, /clearing of interval/),
      );
    });

    it('should clear an empty book with no price, and a book without demand not at all', async () => {
      const { ledger } = await newMarketFixture();
      const { result } = await ledger.submit(at(tradingOperator, T.closed), (ctx) =>
        market.ClearInterval(ctx, IID),
      );
      assert.deepEqual(parse<{ result: unknown }>(result).result, {
        intervalId: IID,
        clearingPrice: null,
        totalAwarded: 0,
        awards: [],
        inputsHash: parse<{ result: { inputsHash: string } }>(result).result.inputsHash,
      });
      const noDemand = await newMarketFixture({ demand: null });
      await expectFailure(
        noDemand.ledger,
        at(tradingOperator, T.closed),
        (ctx) => market.ClearInterval(ctx, IID),
        vppError(ErrorCode.NOT_FOUND, /demand of interval/),
      );
    });

    it('should verify a stored clearing against the ledger’s inputs, and notice a changed result', async () => {
      const ledger = await clearedBook();
      const { result } = await ledger.submit(at(tradingOperator, T.closed), (ctx) =>
        market.ClearInterval(ctx, IID),
      );
      const stored = parse<{ result: { inputsHash: string } }>(result);
      const verify = async () =>
        parse<{ matches: boolean; stored: unknown; recomputed: unknown }>(
          await ledger.evaluate(at(cvppOperator, T.closed), (ctx) => market.VerifyClearing(ctx, IID)),
        );
      assert.deepEqual(await verify(), { matches: true, stored: stored.result, recomputed: stored.result });
      const tampered = { ...stored, result: { ...stored.result, inputsHash: '0'.repeat(64) } };
      ledger.seed(clearingKey(IID), JSON.stringify(tampered));
      const check = await verify();
      assert.equal(check.matches, false);
      assert.deepEqual(check.recomputed, stored.result);
      await assert.rejects(
        ledger.evaluate(at(cvppOperator, T.closed), (ctx) => market.VerifyClearing(ctx, 'i-unknown')),
        vppError(ErrorCode.NOT_FOUND),
      );
    });

    it('should clear 10,000 revealed bids in one transaction reading the offer index only up to the margin', async () => {
      const { ledger } = await newMarketFixture({ demand: { quantity: 1_000_000, priceCap: 100_000 } });
      const demandOfFixture = {
        intervalId: IID,
        product: 'energy-up' as const,
        quantity: 1_000_000,
        priceCap: 100_000,
      };
      const BIDS = 10_000;
      const book: ClearingBid[] = [];
      for (let i = 0; i < BIDS; i++) {
        const bidId = `b-${String(i).padStart(5, '0')}`;
        const bid = bidOf(bidId, [
          [1000 + (i % 97) * 10, 50],
          [50_000 + (i % 89) * 10, 100],
        ]);
        const record = {
          ...bid,
          commitment: computeCommitment(bid, SALT),
          salt: SALT,
          committedAt: T.commit,
          commitTxId: `tx-${bidId}`,
          revealedAt: T.reveal,
        };
        ledger.seed(revealedBidKey(IID, bidId), JSON.stringify(record));
        book.push(record);
        for (const offer of meritOffersOf(record)) {
          ledger.seed(revealedOfferKey(IID, meritKeyParts(offer)), toCanonicalJson(meritEntryOf(offer)));
        }
      }
      const tx = ledger.begin({ caller: tradingOperator, time: T.closed });
      const scans: string[][] = [];
      const stub = tx.stub;
      const scan = stub.getStateByPartialCompositeKey.bind(stub);
      let read = 0;
      stub.getStateByPartialCompositeKey = (objectType: string, attributes: string[]) => {
        scans.push([objectType, ...attributes]);
        const iterator = scan(objectType, attributes);
        return iterator.then((inner) => {
          const next = inner.next.bind(inner);
          inner.next = async () => {
            const item = await next();
            if (!item.done) read++;
            return item;
          };
          return inner;
        }) as typeof iterator;
      };
      const started = Date.now();
      const record = parse<{
        bidCount: number;
        result: { totalAwarded: number; clearingPrice: number; awards: unknown[] };
      }>(await market.ClearInterval(tx.ctx, IID));
      tx.commit();
      const elapsed = Date.now() - started;
      assert.deepEqual(scans, [['vpp.revealedOffer', IID]]);
      assert.deepEqual([...stub.writes.keys()], [clearingKey(IID)]);
      assert.equal(stub.openIterators, 0);
      // Every first step (500,000 Wh) is taken, then the cheapest second steps up to 1,000,000 Wh:
      // 10,000 first steps and 5,000 second steps, the last of them the margin; nothing after it is read.
      const reference = clearMarketInterval(demandOfFixture, book);
      assert.equal(record.result.totalAwarded, 1_000_000);
      assert.equal(record.result.clearingPrice, reference.clearingPrice);
      assert.deepEqual(record.result.awards, reference.awards);
      assert.equal(record.result.awards.length, BIDS);
      assert.equal(read, 15_000);
      assert.equal(record.bidCount, BIDS);
      const verified = parse<{ matches: boolean }>(
        await ledger.evaluate(at(regulator, T.closed), (ctx) => market.VerifyClearing(ctx, IID)),
      );
      assert.equal(verified.matches, true);
      assert.ok(elapsed < 20_000, `clearing took ${elapsed} ms`);
    });
  });
});

describe('contracts/market-contract quota from the credit level', () => {
  it('should take the quota of the VPP’s credit level when the regulator set none, and 0 while suspended', async () => {
    // The default rulebook starts a newcomer at 745 points: level A, quota 20,000,000 Wh.
    const { ledger } = await newMarketFixture({ quota: null });
    await installDefaultRulebook(ledger, '2025-12-01T00:00:00.000Z');
    const small = bidOf('b-1', [[4000, 100]]);
    const second = bidOf('b-2', [[4000, 100]]);
    await commitBid(ledger, small);
    await commitBid(ledger, second);
    await revealBid(ledger, small);
    const revealed = parse<{ vppId: string }>(ledger.getText(revealedBidKey(IID, 'b-1'))!);
    assert.equal(revealed.vppId, VPP_ID);

    await ledger.submit({ caller: creditRegulator, time: T.reveal }, (ctx) =>
      credit.SuspendParticipant(ctx, JSON.stringify({ type: 'vpp', id: VPP_ID }), 'repeated violations'),
    );
    await expectFailure(
      ledger,
      asOperator(T.reveal),
      (ctx) => market.RevealBid(ctx, IID, JSON.stringify(second), SALT),
      vppError(ErrorCode.QUOTA_EXCEEDED, /quota of 0 Wh/),
    );
  });

  it('should convert the level’s Wh quota to W over a reserve interval’s delivery period', async () => {
    // Level A: 20,000,000 Wh, i.e. 10,000,000 W held for 120 minutes and 80,000,000 W for 15.
    const { ledger } = await newMarketFixture({
      ders: [{ derId: 'pv-001', capacityW: 40_000_000 }],
      interval: { intervalId: RESERVE_IID, product: 'reserve' },
      demand: { quantity: 40_000_000, priceCap: 10_000 },
      quota: null,
    });
    const twoHours = 'i-20260102-1200-res-2h';
    await openWithDemand(
      ledger,
      intervalInput({ intervalId: twoHours, product: 'reserve', deliveryEnd: '2026-01-02T14:00:00.000Z' }),
      { quantity: 40_000_000, priceCap: 10_000 },
      T.open,
    );
    await installDefaultRulebook(ledger, '2025-12-01T00:00:00.000Z');
    const aboveLong = bidOf('b-long-1', [[4000, 10_000_001]], VPP_ID, twoHours);
    const atLong = bidOf('b-long-2', [[4000, 10_000_000]], VPP_ID, twoHours);
    const aboveWhFigure = bidOf('b-short', [[4000, 30_000_000]], VPP_ID, RESERVE_IID);
    for (const bid of [aboveLong, atLong, aboveWhFigure]) await commitBid(ledger, bid);

    await expectFailure(
      ledger,
      asOperator(T.reveal),
      (ctx) => market.RevealBid(ctx, twoHours, JSON.stringify(aboveLong), SALT),
      vppError(ErrorCode.QUOTA_EXCEEDED, /offers 10000001 W, above the quota of 10000000 W/),
    );
    await revealBid(ledger, atLong);
    await revealBid(ledger, aboveWhFigure);
    assert.equal(ledger.getText(revealedBidByVppKey(twoHours, VPP_ID, 'b-long-2')), '10000000');
    assert.equal(ledger.getText(revealedBidByVppKey(RESERVE_IID, VPP_ID, 'b-short')), '30000000');
  });
});
