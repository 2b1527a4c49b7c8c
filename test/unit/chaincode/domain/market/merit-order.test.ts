import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toCanonicalJson } from '../../../../../chaincode/src/encoding/canonical-json';
import {
  clearMarketInterval,
  type ClearingBid,
  type ClearingDemand,
} from '../../../../../chaincode/src/domain/market/clearing';
import { sha256Hex } from '../../../../../chaincode/src/domain/market/common';
import {
  clearInMeritOrder,
  meritEntryOf,
  meritKeyParts,
  meritOffersOf,
  MeritOrderClearing,
  parseMeritEntry,
  type MeritOffer,
} from '../../../../../chaincode/src/domain/market/merit-order';
import { revealedOfferKey, splitCompositeKey } from '../../../../../chaincode/src/encoding/keys';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { INTERVAL_ID } from '../../../../support/market-fixtures';
import { prng, randomInt, type Random } from '../../../../support/prng';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

const TIMES = [
  '2025-03-01T09:00:00.000Z',
  '2025-03-01T09:00:00.001Z',
  '2025-03-01T09:00:00.010Z',
  '2025-03-01T09:30:00.000Z',
  '2025-03-02T00:00:00.000Z',
];
// Ids whose string order differs from their numeric or length order, and every id character class.
const ID_STEMS = ['b', 'b1', 'b10', 'b2', 'B', 'b.', 'b-', 'b:', 'b_', 'Z9', 'a'];

function randomBook(random: Random): { demand: ClearingDemand; bids: ClearingBid[] } {
  const coarse = random() < 0.5; // coarse prices make ties at the margin common
  const bidCount = randomInt(random, 0, 40);
  const ids = new Set<string>();
  while (ids.size < bidCount) {
    const stem = ID_STEMS[randomInt(random, 0, ID_STEMS.length - 1)] as string;
    ids.add(random() < 0.3 ? stem : `${stem}${randomInt(random, 0, 99)}`);
  }
  const bids = [...ids].map((bidId): ClearingBid => {
    const stepCount = randomInt(random, 1, 10);
    const prices = new Set<number>();
    while (prices.size < stepCount) {
      prices.add(coarse ? randomInt(random, 0, 20) * 500 : randomInt(random, 0, 2_000_000));
    }
    return {
      bidId,
      intervalId: INTERVAL_ID,
      vppId: `vpp-${randomInt(random, 1, 6)}`,
      committedAt: TIMES[randomInt(random, 0, TIMES.length - 1)] as string,
      steps: [...prices]
        .sort((a, b) => a - b)
        .map((price) => ({ price, quantity: randomInt(random, 1, 5_000) })),
    };
  });
  const offered = bids.flatMap((b) => b.steps).reduce((sum, step) => sum + step.quantity, 0);
  // Demand below, near and above what is offered; caps from nothing to everything.
  const quantity = Math.max(1, Math.round(offered * [0.1, 0.5, 0.9, 1, 1.5][randomInt(random, 0, 4)]!));
  const priceCap = coarse
    ? randomInt(random, 0, 22) * 500
    : [0, randomInt(random, 0, 2_000_000), 2_000_000][randomInt(random, 0, 2)]!;
  return { demand: { intervalId: INTERVAL_ID, product: 'energy-up', quantity, priceCap }, bids };
}

/** The bids' index entries as the ledger holds them: sorted by key, decoded back from key and value. */
function ledgerIndex(bids: readonly ClearingBid[]): MeritOffer[] {
  const entries = bids
    .flatMap(meritOffersOf)
    .map((offer) => ({
      key: revealedOfferKey(INTERVAL_ID, meritKeyParts(offer)),
      value: JSON.parse(toCanonicalJson(meritEntryOf(offer))) as unknown,
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return entries.map(({ key, value }) => {
    const parts = splitCompositeKey(key);
    assert.ok(parts);
    assert.equal(parts.attributes[0], INTERVAL_ID);
    return parseMeritEntry(parts.attributes.slice(1), value);
  });
}

describe('domain/market/merit-order', () => {
  describe('#clearInMeritOrder (property: same result as the whole-book rule)', () => {
    it('should give the same price and awards as clearMarketInterval on 600 random books, reading only up to the margin', () => {
      const random = prng(20261206);
      let partialMargins = 0;
      let capped = 0;
      for (let round = 0; round < 600; round++) {
        const { demand, bids } = randomBook(random);
        const reference = clearMarketInterval(demand, bids);
        const index = ledgerIndex(bids);
        let read = 0;
        const counted = (function* () {
          for (const offer of index) {
            read++;
            yield offer;
          }
        })();
        const { result, bidCount } = clearInMeritOrder(demand, counted);
        const what = `round ${round}`;
        assert.equal(result.intervalId, reference.intervalId, what);
        assert.equal(result.clearingPrice, reference.clearingPrice, what);
        assert.equal(result.totalAwarded, reference.totalAwarded, what);
        assert.deepEqual(result.awards, reference.awards, what);
        const accepted = reference.awards.flatMap((award) => award.acceptedSteps);
        // Read: the accepted offers, plus the first offer above the cap when demand was not met.
        const sawCap = result.totalAwarded < demand.quantity && index.some((o) => o.price > demand.priceCap);
        assert.equal(read, accepted.length + (sawCap ? 1 : 0), what);
        assert.equal(bidCount, reference.awards.length, what);
        const used = index.slice(0, accepted.length);
        assert.equal(
          result.inputsHash,
          sha256Hex(
            toCanonicalJson({
              demand: {
                intervalId: INTERVAL_ID,
                priceCap: demand.priceCap,
                product: 'energy-up',
                quantity: demand.quantity,
              },
              offers: used.map((offer) => ({ ...offer })),
            }),
          ),
          what,
        );
        if (accepted.some((step, i) => step.quantity < (used[i]?.quantity ?? 0))) partialMargins++;
        if (sawCap) capped++;
      }
      // The generator reaches the cases that matter.
      assert.ok(partialMargins > 100, `partial margins: ${partialMargins}`);
      assert.ok(capped > 50, `capped books: ${capped}`);
    });
  });

  describe('#MeritOrderClearing', () => {
    const demand: ClearingDemand = {
      intervalId: INTERVAL_ID,
      product: 'energy-up',
      quantity: 100,
      priceCap: 5_000,
    };
    const offer = (bidId: string, price: number, quantity: number, stepIndex = 0): MeritOffer => ({
      bidId,
      vppId: 'vpp-1',
      committedAt: TIMES[0] as string,
      stepIndex,
      price,
      quantity,
    });

    it('should take offers until the demand is met, the marginal one in part', () => {
      const clearing = new MeritOrderClearing(demand);
      assert.equal(clearing.take(offer('a', 1_000, 60)), true);
      assert.equal(clearing.take(offer('b', 2_000, 60)), true);
      assert.equal(clearing.wantsMore, false);
      assert.throws(() => clearing.take(offer('c', 3_000, 1)), invalid(/no more/));
      const { result, bidCount } = clearing.finish();
      assert.equal(result.clearingPrice, 2_000);
      assert.equal(result.totalAwarded, 100);
      assert.deepEqual(
        result.awards.map((award) => [award.bidId, award.quantity]),
        [
          ['a', 60],
          ['b', 40],
        ],
      );
      assert.equal(bidCount, 2);
    });

    it('should stop at the first offer above the cap without using it', () => {
      const clearing = new MeritOrderClearing(demand);
      assert.equal(clearing.take(offer('a', 5_000, 10)), true);
      assert.equal(clearing.take(offer('b', 5_001, 10)), false);
      assert.equal(clearing.wantsMore, false);
      const { result } = clearing.finish();
      assert.equal(result.totalAwarded, 10);
      assert.equal(result.clearingPrice, 5_000);
    });

    it('should clear an empty index to no trade', () => {
      const { result, bidCount } = clearInMeritOrder(demand, []);
      assert.equal(result.clearingPrice, null);
      assert.deepEqual(result.awards, []);
      assert.equal(bidCount, 0);
    });

    it('should refuse offers out of merit order and one bid of two VPPs', () => {
      const clearing = new MeritOrderClearing(demand);
      clearing.take(offer('b', 1_000, 10));
      assert.throws(() => clearing.take(offer('a', 1_000, 10)), invalid(/merit order/));
      assert.throws(() => clearing.take(offer('b', 1_000, 10)), invalid(/merit order/));
      assert.throws(
        () => clearing.take({ ...offer('b', 2_000, 10, 1), vppId: 'vpp-2' }),
        invalid(/two VPPs/),
      );
    });
  });

  describe('#meritKeyParts / #parseMeritEntry', () => {
    it('should encode price and commit time as fixed-width digits and read them back', () => {
      const offer: MeritOffer = {
        bidId: 'b-1',
        vppId: 'vpp-1',
        committedAt: '2025-03-01T09:00:00.001Z',
        stepIndex: 3,
        price: 4_500,
        quantity: 7,
      };
      const parts = meritKeyParts(offer);
      assert.deepEqual(parts, ['0000000000004500', '001740819600001', 'b-1', '03']);
      assert.deepEqual(parseMeritEntry(parts, meritEntryOf(offer)), offer);
      assert.throws(() => meritKeyParts({ ...offer, price: 2 ** 53 }), invalid(/price/));
    });

    it('should refuse entries whose key and value disagree or are malformed', () => {
      const value = { committedAt: '2025-03-01T09:00:00.001Z', quantity: 7, vppId: 'vpp-1' };
      const parts = ['0000000000004500', '001740819600001', 'b-1', '03'];
      assert.throws(
        () => parseMeritEntry(parts, { ...value, committedAt: '2025-03-01T09:00:00.002Z' }),
        invalid(/match/),
      );
      assert.throws(() => parseMeritEntry(['4500', ...parts.slice(1)], value), invalid(/price/));
      assert.throws(() => parseMeritEntry([...parts.slice(0, 3), '10'], value), invalid(/step index/));
      assert.throws(() => parseMeritEntry(parts.slice(0, 3), value), invalid(/4 parts/));
      assert.throws(() => parseMeritEntry(parts, { ...value, quantity: 0 }), invalid(/quantity/));
      assert.throws(() => parseMeritEntry(parts, { ...value, extra: 1 }), invalid());
    });
  });
});
