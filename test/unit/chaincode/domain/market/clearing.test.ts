import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  awardedQuantityOfVpp,
  clearingInputsHash,
  clearMarketInterval,
  parseStoredClearingResult,
  verifyClearing,
  type ClearingBid,
  type ClearingDemand,
  type ClearingResult,
} from '../../../../../chaincode/src/domain/market/clearing';
import { sha256Hex } from '../../../../../chaincode/src/domain/market/common';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import {
  bidInput,
  commitAndReveal,
  INTERVAL_ID,
  openInterval,
  postDemand,
} from '../../../../support/market-fixtures';
import { prng, randomInt, type Random } from '../../../../support/prng';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

const T0 = '2025-03-01T09:00:00.000Z';
const T1 = '2025-03-01T09:00:00.001Z';
const T2 = '2025-03-01T09:30:00.000Z';

function demandOf(quantity: number, priceCap = 10_000): ClearingDemand {
  return { intervalId: INTERVAL_ID, product: 'energy-up', quantity, priceCap };
}

function bid(
  bidId: string,
  steps: [price: number, quantity: number][],
  committedAt = T0,
  vppId = `vpp-${bidId}`,
): ClearingBid {
  return {
    bidId,
    intervalId: INTERVAL_ID,
    vppId,
    committedAt,
    steps: steps.map(([price, quantity]) => ({ price, quantity })),
  };
}

/** Awards as [bidId, quantity, [stepIndex, price, quantity][]] for compact hand-checked expectations. */
function compact(result: ClearingResult): [string, number, [number, number, number][]][] {
  return result.awards.map((award) => [
    award.bidId,
    award.quantity,
    award.acceptedSteps.map((step): [number, number, number] => [step.stepIndex, step.price, step.quantity]),
  ]);
}

function shuffled<T>(items: readonly T[], random: Random): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(random, 0, i);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Every property a clearing must have, checked against the inputs without re-implementing it. */
function assertClearingInvariants(
  demand: ClearingDemand,
  bids: readonly ClearingBid[],
  result: ClearingResult,
): void {
  const byId = new Map(bids.map((b) => [b.bidId, b]));
  const accepted = new Map<string, number>(); // `${bidId}/${stepIndex}` → accepted quantity
  let sum = 0;
  let partials = 0;
  for (const award of result.awards) {
    const source = byId.get(award.bidId);
    assert.ok(source, `award for unknown bid ${award.bidId}`);
    assert.equal(award.vppId, source.vppId);
    const offered = source.steps.reduce((total, step) => total + step.quantity, 0);
    assert.ok(award.quantity > 0 && award.quantity <= offered, `award ${award.bidId} exceeds its offer`);
    let awardSum = 0;
    for (const step of award.acceptedSteps) {
      const offeredStep: { price: number; quantity: number } = source.steps[step.stepIndex]!;
      assert.equal(step.price, offeredStep.price);
      assert.ok(step.quantity > 0 && step.quantity <= offeredStep.quantity);
      if (step.quantity < offeredStep.quantity) partials++;
      assert.ok(result.clearingPrice !== null && step.price <= result.clearingPrice);
      accepted.set(`${award.bidId}/${step.stepIndex}`, step.quantity);
      awardSum += step.quantity;
    }
    assert.equal(awardSum, award.quantity);
    sum += award.quantity;
  }
  assert.equal(sum, result.totalAwarded);
  assert.ok(result.totalAwarded <= demand.quantity);
  assert.ok(partials <= 1, 'at most the marginal step is accepted in part');

  const offeredAtOrBelowCap = bids
    .flatMap((b) => b.steps)
    .filter((step) => step.price <= demand.priceCap)
    .reduce((total, step) => total + step.quantity, 0);
  assert.equal(result.totalAwarded, Math.min(demand.quantity, offeredAtOrBelowCap));

  if (result.totalAwarded === 0) {
    assert.equal(result.clearingPrice, null);
    assert.deepEqual(result.awards, []);
    return;
  }
  const price = result.clearingPrice!;
  assert.ok(price <= demand.priceCap);
  // Merit order: everything cheaper than the clearing price is taken in full, nothing dearer at all,
  // and at the clearing price earlier commitments (then smaller bid ids) are served first.
  const atPrice: { committedAt: string; bidId: string; offered: number; taken: number }[] = [];
  for (const b of bids) {
    b.steps.forEach((step, stepIndex) => {
      const taken = accepted.get(`${b.bidId}/${stepIndex}`) ?? 0;
      if (step.price < price) assert.equal(taken, step.quantity, `${b.bidId}/${stepIndex} below price`);
      if (step.price > price) assert.equal(taken, 0, `${b.bidId}/${stepIndex} above price`);
      if (step.price === price)
        atPrice.push({ committedAt: b.committedAt, bidId: b.bidId, offered: step.quantity, taken });
    });
  }
  atPrice.sort(
    (a, b) => Date.parse(a.committedAt) - Date.parse(b.committedAt) || (a.bidId < b.bidId ? -1 : 1),
  );
  let sawShortfall = false;
  for (const entry of atPrice) {
    if (sawShortfall) assert.equal(entry.taken, 0, `${entry.bidId} served after a later tie`);
    if (entry.taken < entry.offered) sawShortfall = true;
  }
  assert.ok(
    atPrice.some((entry) => entry.taken > 0),
    'the clearing price is an accepted price',
  );
}

function randomBook(
  random: Random,
  maxBids: number,
  maxSteps: number,
): { demand: ClearingDemand; bids: ClearingBid[] } {
  // Coarse prices and few commit times, so ties at the margin are common.
  const times = [T0, T1, T2];
  const bidCount = randomInt(random, 0, maxBids);
  const bids: ClearingBid[] = [];
  for (let i = 0; i < bidCount; i++) {
    const stepCount = randomInt(random, 1, maxSteps);
    const prices = new Set<number>();
    while (prices.size < stepCount) prices.add(randomInt(random, 0, 24) * 500);
    const steps = [...prices]
      .sort((a, b) => a - b)
      .map((price): [number, number] => [price, randomInt(random, 1, 5_000)]);
    bids.push(
      bid(
        `b${randomInt(random, 0, 999_999)}-${i}`,
        steps,
        times[randomInt(random, 0, 2)],
        `vpp-${randomInt(random, 1, 8)}`,
      ),
    );
  }
  const demand = demandOf(randomInt(random, 1, 60_000), randomInt(random, 0, 20) * 500);
  return { demand, bids };
}

describe('domain/market/clearing', () => {
  describe('#clearMarketInterval (hand-checked)', () => {
    it('should accept a single bid in part when it offers more than the demand', () => {
      // Demand 1000 Wh; A offers 1500 @ 4000. A's step takes 1000 (partial), price = 4000.
      const result = clearMarketInterval(demandOf(1_000), [bid('A', [[4_000, 1_500]])]);
      assert.equal(result.clearingPrice, 4_000);
      assert.equal(result.totalAwarded, 1_000);
      assert.deepEqual(compact(result), [['A', 1_000, [[0, 4_000, 1_000]]]]);
      assert.equal(result.awards[0]!.vppId, 'vpp-A');
    });

    it('should follow the merit order across steps of several bids', () => {
      // Demand 2500. Merit order: A0 1000 @ 3000 (left 1500), B0 1000 @ 4000 (left 500),
      // B1 500 of 1000 @ 5000 (left 0); A1 @ 6000 unused. Price 5000; A 1000, B 1500.
      const result = clearMarketInterval(demandOf(2_500), [
        bid('B', [
          [4_000, 1_000],
          [5_000, 1_000],
        ]),
        bid('A', [
          [3_000, 1_000],
          [6_000, 1_000],
        ]),
      ]);
      assert.equal(result.clearingPrice, 5_000);
      assert.equal(result.totalAwarded, 2_500);
      assert.deepEqual(compact(result), [
        ['A', 1_000, [[0, 3_000, 1_000]]],
        [
          'B',
          1_500,
          [
            [0, 4_000, 1_000],
            [1, 5_000, 500],
          ],
        ],
      ]);
    });

    it('should break price ties by commit time, then bid id', () => {
      // Demand 1500, three offers of 1000 @ 5000. A committed last (09:30); B and C at 09:00, so
      // B (smaller id) first: B 1000 (left 500), C 500 (left 0), A nothing.
      const result = clearMarketInterval(demandOf(1_500), [
        bid('C', [[5_000, 1_000]], T0),
        bid('A', [[5_000, 1_000]], T2),
        bid('B', [[5_000, 1_000]], T0),
      ]);
      assert.deepEqual(compact(result), [
        ['B', 1_000, [[0, 5_000, 1_000]]],
        ['C', 500, [[0, 5_000, 500]]],
      ]);
      // One millisecond earlier beats a smaller bid id: C at 09:00:00.000, B at 09:00:00.001.
      const earlier = clearMarketInterval(demandOf(1_500), [
        bid('C', [[5_000, 1_000]], T0),
        bid('B', [[5_000, 1_000]], T1),
      ]);
      assert.deepEqual(compact(earlier), [
        ['B', 500, [[0, 5_000, 500]]],
        ['C', 1_000, [[0, 5_000, 1_000]]],
      ]);
    });

    it('should accept everything when demand exceeds the offer, priced at the highest step', () => {
      // Demand 10000; offers 1000 @ 2000 + 500 @ 3000 + 700 @ 4500 = 2200, all accepted; price 4500.
      const result = clearMarketInterval(demandOf(10_000), [
        bid('A', [[2_000, 1_000]]),
        bid('B', [
          [3_000, 500],
          [4_500, 700],
        ]),
      ]);
      assert.equal(result.clearingPrice, 4_500);
      assert.equal(result.totalAwarded, 2_200);
      assert.deepEqual(compact(result), [
        ['A', 1_000, [[0, 2_000, 1_000]]],
        [
          'B',
          1_200,
          [
            [0, 3_000, 500],
            [1, 4_500, 700],
          ],
        ],
      ]);
    });

    it('should clear an empty book to no price, nothing awarded, and a hash of the bare demand', () => {
      const result = clearMarketInterval(demandOf(1_000, 9_000), []);
      const canonical = `{"bids":[],"demand":{"intervalId":"${INTERVAL_ID}","priceCap":9000,"product":"energy-up","quantity":1000}}`;
      assert.deepEqual(result, {
        intervalId: INTERVAL_ID,
        clearingPrice: null,
        totalAwarded: 0,
        awards: [],
        inputsHash: sha256Hex(canonical),
      });
    });

    it('should skip steps above the cap and accept steps exactly at it', () => {
      // Cap 5000, demand 1000. A0 500 @ 4000 (left 500), B0 300 @ 5000 = cap (left 200),
      // A1 @ 6000 is above the cap and skipped although demand remains. Total 800, price 5000.
      const result = clearMarketInterval(demandOf(1_000, 5_000), [
        bid('A', [
          [4_000, 500],
          [6_000, 1_000],
        ]),
        bid('B', [[5_000, 300]]),
      ]);
      assert.equal(result.clearingPrice, 5_000);
      assert.equal(result.totalAwarded, 800);
      assert.deepEqual(compact(result), [
        ['A', 500, [[0, 4_000, 500]]],
        ['B', 300, [[0, 5_000, 300]]],
      ]);
      // Only steps above the cap: nothing accepted at all.
      assert.equal(clearMarketInterval(demandOf(1_000, 5_000), [bid('A', [[6_000, 1]])]).clearingPrice, null);
    });

    it('should take a zero-priced offer and report a clearing price of 0', () => {
      const result = clearMarketInterval(demandOf(100), [bid('A', [[0, 40]])]);
      assert.equal(result.clearingPrice, 0);
      assert.equal(result.totalAwarded, 40);
    });

    it('should clear revealed bid records as stored, whatever else they carry', () => {
      const interval = openInterval();
      const demand = postDemand(interval, { quantity: 800 });
      const revealed = [
        commitAndReveal(interval, demand, bidInput({ bidId: 'x', vppId: 'vpp-1' })),
        commitAndReveal(
          interval,
          demand,
          bidInput({ bidId: 'y', vppId: 'vpp-2', steps: [{ price: 3_000, quantity: 300 }] }),
        ),
      ];
      // y0 300 @ 3000 (left 500), x0 500 of 600 @ 4000. Price 4000.
      const result = clearMarketInterval(demand, revealed);
      assert.equal(result.clearingPrice, 4_000);
      assert.deepEqual(compact(result), [
        ['x', 500, [[0, 4_000, 500]]],
        ['y', 300, [[0, 3_000, 300]]],
      ]);
      assert.equal(awardedQuantityOfVpp(result, 'vpp-1'), 500);
      assert.equal(awardedQuantityOfVpp(result, 'vpp-9'), 0);
      // Only clearing-relevant fields enter the hash: the salts and reveal times do not.
      const bare = revealed.map(({ bidId, intervalId, vppId, committedAt, steps }) => ({
        bidId,
        intervalId,
        vppId,
        committedAt,
        steps,
      }));
      assert.equal(result.inputsHash, clearingInputsHash(demand, bare));
    });

    it('should refuse bids of another interval, duplicate bid ids and malformed bids', () => {
      assert.throws(
        () => clearMarketInterval(demandOf(10), [{ ...bid('A', [[1, 1]]), intervalId: 'other' }]),
        invalid(/bid A belongs to interval other/),
      );
      assert.throws(
        () => clearMarketInterval(demandOf(10), [bid('A', [[1, 1]]), bid('A', [[2, 1]])]),
        invalid(/appears twice/),
      );
      assert.throws(() => clearMarketInterval(demandOf(10), [bid('A', [[1, 0]])]), invalid(/quantity/));
      assert.throws(
        () => clearMarketInterval(demandOf(10), [bid('A', [[1, 1]], 'soon')]),
        invalid(/committedAt/),
      );
      assert.throws(() => clearMarketInterval(demandOf(0), []), invalid(/quantity/));
    });
  });

  describe('#clearMarketInterval (properties)', () => {
    it('should hold every invariant on 300 random books and ignore input order', () => {
      const random = prng(20250301);
      for (let round = 0; round < 300; round++) {
        const { demand, bids } = randomBook(random, 30, 5);
        const result = clearMarketInterval(demand, bids);
        assertClearingInvariants(demand, bids, result);
        assert.deepEqual(clearMarketInterval(demand, shuffled(bids, random)), result, `round ${round}`);
        assert.deepEqual(parseStoredClearingResult(JSON.parse(JSON.stringify(result))), result);
      }
    });

    it('should clear 10,000 bids of up to 10 steps with every invariant intact', () => {
      const random = prng(10_000);
      const bids: ClearingBid[] = [];
      for (let i = 0; i < 10_000; i++) {
        const stepCount = randomInt(random, 1, 10);
        const prices = new Set<number>();
        while (prices.size < stepCount) prices.add(randomInt(random, 0, 20_000));
        const steps = [...prices]
          .sort((a, b) => a - b)
          .map((price): [number, number] => [price, randomInt(random, 1, 10_000)]);
        bids.push(bid(`bid-${String(i).padStart(5, '0')}`, steps, [T0, T1, T2][i % 3], `vpp-${i % 97}`));
      }
      const demand = demandOf(100_000_000, 15_000);
      const result = clearMarketInterval(demand, bids);
      assertClearingInvariants(demand, bids, result);
      assert.ok(result.totalAwarded === demand.quantity, 'demand is met by this book');
      assert.ok(result.awards.length > 1_000);
      const reordered = clearMarketInterval(demand, shuffled(bids, random));
      assert.equal(reordered.inputsHash, result.inputsHash);
      assert.equal(reordered.clearingPrice, result.clearingPrice);
      assert.deepEqual(reordered.awards, result.awards);
      assert.equal(verifyClearing(result, demand, bids).matches, true);
    });
  });

  describe('#verifyClearing', () => {
    it('should confirm a correct result and detect tampering on random books', () => {
      const random = prng(424242);
      let tampered = 0;
      for (let round = 0; round < 200; round++) {
        const { demand, bids } = randomBook(random, 20, 4);
        const result = clearMarketInterval(demand, bids);
        const verified = verifyClearing(result, demand, shuffled(bids, random));
        assert.equal(verified.matches, true);
        assert.deepEqual(verified.recomputed, result);
        assert.equal(verifyClearing({ ...result, inputsHash: '0'.repeat(64) }, demand, bids).matches, false);
        assert.equal(verifyClearing({ ...result, intervalId: 'other' }, demand, bids).matches, false);
        if (result.awards.length === 0) {
          assert.equal(verifyClearing({ ...result, clearingPrice: 0 }, demand, bids).matches, false);
          continue;
        }
        tampered++;
        const [first, ...rest] = result.awards;
        const bumpedAward = { ...first!, quantity: first!.quantity + 1 };
        assert.equal(
          verifyClearing({ ...result, awards: [bumpedAward, ...rest] }, demand, bids).matches,
          false,
        );
        assert.equal(
          verifyClearing({ ...result, clearingPrice: result.clearingPrice! + 1 }, demand, bids).matches,
          false,
        );
        assert.equal(verifyClearing({ ...result, awards: rest }, demand, bids).matches, false);
        // The same result no longer matches once the book changes.
        const changed = bids.map((b) =>
          b.bidId === first!.bidId ? { ...b, committedAt: '2025-03-01T09:59:00.000Z' } : b,
        );
        assert.equal(verifyClearing(result, demand, changed).matches, false);
      }
      assert.ok(tampered > 100, 'most random books trade');
    });

    it('should report a mismatch for a stored value JSON cannot represent', () => {
      const demand = demandOf(10);
      const result = clearMarketInterval(demand, [bid('A', [[1, 5]])]);
      assert.equal(
        verifyClearing({ ...result, totalAwarded: NaN }, demand, [bid('A', [[1, 5]])]).matches,
        false,
      );
    });
  });

  describe('#parseStoredClearingResult', () => {
    const result = clearMarketInterval(demandOf(2_500), [
      bid('A', [
        [3_000, 1_000],
        [6_000, 1_000],
      ]),
      bid('B', [
        [4_000, 1_000],
        [5_000, 1_000],
      ]),
    ]);

    it('should accept stored results including the empty one', () => {
      assert.deepEqual(parseStoredClearingResult(JSON.parse(JSON.stringify(result))), result);
      const empty = clearMarketInterval(demandOf(5), []);
      assert.deepEqual(parseStoredClearingResult(JSON.parse(JSON.stringify(empty))), empty);
    });

    it('should reject inconsistent records', () => {
      const [a, b] = result.awards as [ClearingResult['awards'][number], ClearingResult['awards'][number]];
      const corrupt: unknown[] = [
        { ...result, totalAwarded: 2_499 },
        { ...result, clearingPrice: 4_000 },
        { ...result, clearingPrice: null },
        { ...result, awards: [b, a] },
        { ...result, awards: [a, a] },
        { ...result, awards: [{ ...a, quantity: 999 }, b] },
        { ...result, awards: [{ ...a, acceptedSteps: [] }, b] },
        { ...result, awards: [a, { ...b, acceptedSteps: [...b.acceptedSteps].reverse() }] },
        { ...result, inputsHash: 'ABC' },
        { ...result, extra: 1 },
        { ...clearMarketInterval(demandOf(5), []), clearingPrice: 0 },
      ];
      for (const value of corrupt) {
        assert.throws(() => parseStoredClearingResult(value), invalid(), JSON.stringify(value));
      }
    });
  });
});
