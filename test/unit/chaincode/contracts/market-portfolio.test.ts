import '../../../support/quiet-logs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clearMarketInterval, type ClearingBid } from '../../../../chaincode/src/domain/market/clearing';
import { MAX_PORTFOLIO_BIDS } from '../../../../chaincode/src/domain/market/portfolio';
import {
  bidCommitmentKey,
  revealedBidByVppKey,
  revealedBidKey,
} from '../../../../chaincode/src/encoding/keys';
import { BIDS_COMMITTED_EVENT, BIDS_REVEALED_EVENT } from '../../../../chaincode/src/types/contracts';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { expectFailure } from '../../../support/contract-harness';
import {
  asOperator,
  bidOf,
  commitBid,
  commitmentJson,
  IID,
  market,
  newMarketFixture,
  parse,
  revealBid,
  SALT,
  T,
} from '../../../support/market-ledger';
import { tradingOperator, VPP_ID } from '../../../support/registry-fixture';
import { vppError } from '../../../support/vpp-assert';
import type { BidInput } from '../../../support/market-fixtures';

const OTHER_SALT = 'cd'.repeat(32);
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');

interface Outcome {
  intervalIds: string[];
  txId: string;
  accepted: number;
  refused: number;
  results: { index: number; bidId: string | null; status: string; code?: string; message?: string }[];
}

/** Results as [bidId, status or code] for compact expectations. */
const compact = (outcome: Outcome) =>
  outcome.results.map((result) => [result.index, result.bidId, result.code ?? result.status]);

const commitments = (bids: readonly BidInput[], salt = SALT) =>
  `[${bids.map((bid) => commitmentJson(bid, salt)).join(',')}]`;

describe('contracts/market-contract portfolios', () => {
  describe('#CommitBids', () => {
    it('should commit each bid on its own and refuse only the bad ones, each with its code', async () => {
      const { ledger } = await newMarketFixture();
      await commitBid(ledger, bidOf('b-old', [[1000, 100]]));
      const good = ['b-1', 'b-2', 'b-3'].map((id) => bidOf(id, [[2000, 100]]));
      const json = `[${[
        commitmentJson(good[0]!),
        '{"bidId":"b-x"}',
        commitmentJson(good[1]!),
        commitmentJson(good[0]!, 'ef'.repeat(32)),
        commitmentJson(bidOf('b-old', [[1000, 100]])),
        commitmentJson(bidOf('b-4', [[1000, 100]], VPP_ID, 'i-unknown')),
        commitmentJson(bidOf('b-5', [[1000, 100]], 'vpp-nobody')),
        commitmentJson(good[2]!),
      ].join(',')}]`;
      const { result, tx } = await ledger.submit({ ...asOperator(T.commit), txId: 'tx-pf' }, (ctx) =>
        market.CommitBids(ctx, json),
      );
      const outcome = parse<Outcome>(result);
      assert.deepEqual(compact(outcome), [
        [0, 'b-1', 'accepted'],
        [1, null, 'INVALID_ARGUMENT'],
        [2, 'b-2', 'accepted'],
        [3, 'b-1', 'INVALID_ARGUMENT'],
        [4, 'b-old', 'ALREADY_EXISTS'],
        [5, 'b-4', 'NOT_FOUND'],
        [6, 'b-5', 'NOT_FOUND'],
        [7, 'b-3', 'accepted'],
      ]);
      assert.match(outcome.results[3]!.message!, /more than once in this batch/);
      assert.deepEqual(
        [outcome.accepted, outcome.refused, outcome.txId, outcome.intervalIds],
        [3, 5, 'tx-pf', [IID]],
      );
      assert.deepEqual(
        [...tx.stub.writes.keys()].sort(),
        ['b-1', 'b-2', 'b-3'].map((id) => bidCommitmentKey(IID, id)).sort(),
      );
      const stored = parse<{ committedAt: string; txId: string; commitment: string }>(
        ledger.getText(bidCommitmentKey(IID, 'b-2'))!,
      );
      assert.deepEqual([stored.committedAt, stored.txId], [T.commit, 'tx-pf']);
      assert.equal(tx.event?.name, BIDS_COMMITTED_EVENT);
      assert.deepEqual(parse(text(tx.event?.payload)), {
        intervalIds: [IID],
        txId: 'tx-pf',
        accepted: 3,
        refused: 5,
      });
    });

    it('should refuse the whole batch when it is empty, too long, not a list, or sent by another role', async () => {
      const { ledger } = await newMarketFixture();
      const many = Array.from({ length: MAX_PORTFOLIO_BIDS + 1 }, (_, i) => bidOf(`b-${i}`, [[1, 1]]));
      for (const json of ['[]', commitments(many), '{}', 'not json']) {
        await expectFailure(
          ledger,
          asOperator(T.commit),
          (ctx) => market.CommitBids(ctx, json),
          vppError(ErrorCode.INVALID_ARGUMENT),
        );
      }
      await expectFailure(
        ledger,
        { caller: tradingOperator, time: T.commit },
        (ctx) => market.CommitBids(ctx, commitments([bidOf('b-1', [[1, 1]])])),
        vppError(ErrorCode.FORBIDDEN),
      );
      const exactly = await ledger.submit(asOperator(T.commit), (ctx) =>
        market.CommitBids(ctx, commitments(many.slice(0, MAX_PORTFOLIO_BIDS))),
      );
      assert.equal(parse<Outcome>(exactly.result).accepted, MAX_PORTFOLIO_BIDS);
    });

    it('should refuse every bid after gate closure with GATE_CLOSED', async () => {
      const { ledger } = await newMarketFixture();
      const { result, tx } = await ledger.submit(asOperator(T.reveal), (ctx) =>
        market.CommitBids(ctx, commitments([bidOf('b-1', [[1, 1]]), bidOf('b-2', [[1, 1]])])),
      );
      assert.deepEqual(compact(parse<Outcome>(result)), [
        [0, 'b-1', 'GATE_CLOSED'],
        [1, 'b-2', 'GATE_CLOSED'],
      ]);
      assert.equal(tx.stub.writes.size, 0);
    });
  });

  describe('#RevealBids', () => {
    it('should reveal each bid as RevealBid would, capacity applied cumulatively in list order', async () => {
      const { ledger } = await newMarketFixture({ demand: { quantity: 2500, priceCap: 10_000 } });
      // The fixture's DERs back 3000 Wh: three bids of 1000 Wh fit, a fourth does not.
      const bids = ['b-1', 'b-2', 'b-3', 'b-4', 'b-5'].map((id, i) => bidOf(id, [[3000 + i * 1000, 1000]]));
      await ledger.submit(asOperator(T.commit), (ctx) => market.CommitBids(ctx, commitments(bids)));
      const reveals = [
        { bid: bids[0], salt: SALT },
        { bid: bids[1], salt: OTHER_SALT },
        { bid: bids[1], salt: SALT },
        { bid: bids[0], salt: SALT },
        { bid: bidOf('b-unknown', [[1, 1]]), salt: SALT },
        { bid: bids[2], salt: SALT },
        { bid: bids[3], salt: SALT },
        { bid: { ...bids[4], steps: [{ price: 20_000, quantity: 1 }] }, salt: SALT },
        { salt: SALT },
      ];
      const { result, tx } = await ledger.submit({ ...asOperator(T.reveal), txId: 'tx-rv' }, (ctx) =>
        market.RevealBids(ctx, IID, JSON.stringify(reveals)),
      );
      const outcome = parse<Outcome>(result);
      assert.deepEqual(compact(outcome), [
        [0, 'b-1', 'accepted'],
        [1, 'b-2', 'COMMITMENT_MISMATCH'],
        [2, 'b-2', 'INVALID_ARGUMENT'],
        [3, 'b-1', 'INVALID_ARGUMENT'],
        [4, 'b-unknown', 'NOT_FOUND'],
        [5, 'b-3', 'accepted'],
        [6, 'b-4', 'accepted'],
        [7, 'b-5', 'COMMITMENT_MISMATCH'],
        [8, null, 'INVALID_ARGUMENT'],
      ]);
      assert.deepEqual([outcome.accepted, outcome.refused, outcome.intervalIds], [3, 6, [IID]]);
      // A fresh batch: the fifth bid's 1000 Wh on top of 3000 Wh already revealed is not backed.
      const again = await ledger.submit(asOperator(T.reveal), (ctx) =>
        market.RevealBids(
          ctx,
          IID,
          JSON.stringify([
            { bid: bids[4], salt: SALT },
            { bid: bids[1], salt: SALT },
          ]),
        ),
      );
      assert.deepEqual(parse<Outcome>(again.result).intervalIds, []);
      assert.deepEqual(compact(parse<Outcome>(again.result)), [
        [0, 'b-5', 'CAPACITY_NOT_BACKED'],
        [1, 'b-2', 'CAPACITY_NOT_BACKED'],
      ]);
      assert.equal(again.tx.stub.writes.size, 0);
      assert.equal(ledger.getText(revealedBidByVppKey(IID, VPP_ID, 'b-3')), '1000');
      const stored = parse<{ salt: string; committedAt: string; revealedAt: string }>(
        ledger.getText(revealedBidKey(IID, 'b-4'))!,
      );
      assert.deepEqual([stored.salt, stored.committedAt, stored.revealedAt], [SALT, T.commit, T.reveal]);
      assert.equal(tx.event?.name, BIDS_REVEALED_EVENT);
      assert.deepEqual(parse(text(tx.event?.payload)), {
        intervalId: IID,
        txId: 'tx-rv',
        accepted: 3,
        refused: 6,
        vppIds: [VPP_ID],
      });
      // The batch's reveals clear as the whole-book rule says.
      const cleared = await ledger.submit({ caller: tradingOperator, time: T.closed }, (ctx) =>
        market.ClearInterval(ctx, IID),
      );
      const book = ['b-1', 'b-3', 'b-4'].map((id) =>
        parse<ClearingBid>(ledger.getText(revealedBidKey(IID, id))!),
      );
      const reference = clearMarketInterval(
        { intervalId: IID, product: 'energy-up', quantity: 2500, priceCap: 10_000 },
        book,
      );
      const record = parse<{ bidCount: number; result: typeof reference }>(cleared.result);
      assert.deepEqual(record.result.awards, reference.awards);
      assert.equal(record.result.clearingPrice, 6000);
      assert.equal(record.bidCount, 3);
    });

    it('should count an earlier single reveal against the quota and refuse the batch with no interval or demand', async () => {
      const { ledger } = await newMarketFixture({ quota: 1500 });
      const bids = ['b-1', 'b-2'].map((id) => bidOf(id, [[3000, 1000]]));
      for (const bid of bids) await commitBid(ledger, bid);
      await revealBid(ledger, bids[0]!);
      const { result } = await ledger.submit(asOperator(T.reveal), (ctx) =>
        market.RevealBids(ctx, IID, JSON.stringify(bids.map((bid) => ({ bid, salt: SALT })))),
      );
      assert.deepEqual(compact(parse<Outcome>(result)), [
        [0, 'b-1', 'ALREADY_EXISTS'],
        [1, 'b-2', 'QUOTA_EXCEEDED'],
      ]);
      await expectFailure(
        ledger,
        asOperator(T.reveal),
        (ctx) => market.RevealBids(ctx, 'i-unknown', JSON.stringify([{ bid: bids[1], salt: SALT }])),
        vppError(ErrorCode.NOT_FOUND),
      );
      const early = await ledger.submit(asOperator(T.commit), (ctx) =>
        market.RevealBids(ctx, IID, JSON.stringify([{ bid: bids[1], salt: SALT }])),
      );
      assert.deepEqual(compact(parse<Outcome>(early.result)), [[0, 'b-2', 'INVALID_STATE']]);
      const noDemand = await newMarketFixture({ demand: null });
      await expectFailure(
        noDemand.ledger,
        asOperator(T.reveal),
        (ctx) => market.RevealBids(ctx, IID, JSON.stringify([{ bid: bids[1], salt: SALT }])),
        vppError(ErrorCode.NOT_FOUND, /demand of interval/),
      );
    });
  });
});
