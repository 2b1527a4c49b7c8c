import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allocateProportionally } from '../../../../../chaincode/src/domain/shared/allocation';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { prng } from '../../../../support/prng';
import { vppError } from '../../../../support/vpp-assert';

const amounts = (shares: { amount: number }[]) => shares.map((share) => share.amount);

describe('domain/shared/allocation', () => {
  describe('#allocateProportionally', () => {
    it('should split exactly when the weights divide the amount', () => {
      const shares = allocateProportionally(
        1000,
        [
          { id: 'a', weight: 1 },
          { id: 'b', weight: 3 },
        ],
        'x',
      );
      assert.deepEqual(shares, [
        { id: 'a', amount: 250 },
        { id: 'b', amount: 750 },
      ]);
    });

    it('should hand leftover units to the largest remainders', () => {
      // 100 × 5/7 = 71.43, 100 × 2/7 = 28.57: floors 71 + 28 = 99, the larger remainder (b) gets 1.
      assert.deepEqual(
        amounts(
          allocateProportionally(
            100,
            [
              { id: 'a', weight: 5 },
              { id: 'b', weight: 2 },
            ],
            'x',
          ),
        ),
        [71, 29],
      );
    });

    it('should break equal remainders by the seeded hash, so different seeds favour different parties', () => {
      const parties = [
        { id: 'der-1', weight: 1 },
        { id: 'der-2', weight: 1 },
        { id: 'der-3', weight: 1 },
      ];
      const winners = new Set<string>();
      for (let i = 0; i < 30; i++) {
        const shares = allocateProportionally(1, parties, `interval-${i}`);
        assert.equal(
          shares.reduce((sum, s) => sum + s.amount, 0),
          1,
        );
        winners.add(shares.find((share) => share.amount === 1)!.id);
      }
      assert.deepEqual([...winners].sort(), ['der-1', 'der-2', 'der-3']);
    });

    it('should not depend on the order of the parties', () => {
      const parties = [
        { id: 'p', weight: 7 },
        { id: 'q', weight: 7 },
        { id: 'r', weight: 13 },
        { id: 's', weight: 0 },
      ];
      const forward = allocateProportionally(1001, parties, 'seed');
      const backward = allocateProportionally(1001, [...parties].reverse(), 'seed');
      const byId = (shares: { id: string; amount: number }[]) =>
        Object.fromEntries(shares.map((s) => [s.id, s.amount]));
      assert.deepEqual(byId(backward), byId(forward));
      assert.equal(byId(forward)['s'], 0);
    });

    it('should stay exact beyond 2^53 intermediate products', () => {
      const shares = allocateProportionally(
        9_000_000_000_000,
        [
          { id: 'a', weight: 3_000_000_001 },
          { id: 'b', weight: 6_000_000_002 },
        ],
        'x',
      );
      assert.deepEqual(amounts(shares), [3_000_000_000_000, 6_000_000_000_000]);
    });

    it('should hold its properties on random inputs: exact sum, no negative share, within one unit of exact', () => {
      const random = prng(20261125);
      for (let round = 0; round < 300; round++) {
        const count = 1 + Math.floor(random() * 12);
        const parties = Array.from({ length: count }, (_, i) => ({
          id: `d${i}`,
          weight: Math.floor(random() * 10_000),
        }));
        if (parties.every((p) => p.weight === 0)) parties[0] = { id: 'd0', weight: 1 };
        const amount = Math.floor(random() * 1_000_000);
        const shares = allocateProportionally(amount, parties, `r${round}`);
        const totalWeight = parties.reduce((sum, p) => sum + p.weight, 0);
        assert.equal(
          shares.reduce((sum, s) => sum + s.amount, 0),
          amount,
        );
        shares.forEach((share, i) => {
          const exact = (amount * parties[i]!.weight) / totalWeight;
          assert.ok(share.amount >= 0);
          assert.ok(Math.abs(share.amount - exact) < 1 + 1e-9, `${share.amount} vs ${exact}`);
        });
      }
    });

    it('should give zero to everyone when the amount is zero, even with zero weights', () => {
      assert.deepEqual(amounts(allocateProportionally(0, [{ id: 'a', weight: 0 }], 'x')), [0]);
    });

    it('should refuse bad input with INVALID_ARGUMENT', () => {
      const bad = vppError(ErrorCode.INVALID_ARGUMENT);
      assert.throws(() => allocateProportionally(-1, [{ id: 'a', weight: 1 }], 'x'), bad);
      assert.throws(() => allocateProportionally(1.5, [{ id: 'a', weight: 1 }], 'x'), bad);
      assert.throws(() => allocateProportionally(5, [{ id: 'a', weight: 0 }], 'x'), bad);
      assert.throws(() => allocateProportionally(5, [{ id: 'a', weight: -2 }], 'x'), bad);
      assert.throws(
        () =>
          allocateProportionally(
            5,
            [
              { id: 'a', weight: 1 },
              { id: 'a', weight: 2 },
            ],
            'x',
          ),
        vppError(ErrorCode.INVALID_ARGUMENT, /appears twice/),
      );
    });
  });
});
