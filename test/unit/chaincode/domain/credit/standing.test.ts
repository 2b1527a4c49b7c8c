import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { totalScore } from '../../../../../chaincode/src/domain/credit/scoring';
import {
  levelOf,
  penaltyFactorOf,
  quotaOf,
  rankParticipants,
} from '../../../../../chaincode/src/domain/credit/standing';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { V1, VPP, uniform } from '../../../../support/credit-rules';
import { prng, randomInt } from '../../../../support/prng';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('domain/credit/standing', () => {
  describe('#levelOf, #quotaOf, #penaltyFactorOf', () => {
    it('should earn a level exactly at its threshold and lose it one point below', () => {
      const cases: [number, string][] = [
        [1000, 'AAA'],
        [900, 'AAA'],
        [899, 'AA'],
        [800, 'AA'],
        [799, 'A'],
        [650, 'A'],
        [649, 'B'],
        [500, 'B'],
        [499, 'C'],
        [0, 'C'],
      ];
      for (const [score, level] of cases) {
        assert.equal(levelOf(score, V1), level, String(score));
        assert.equal(levelOf(totalScore(uniform(score), V1), V1), level, `uniform ${score}`);
      }
      for (const score of [-1, 1001, 899.5]) {
        assert.throws(() => levelOf(score, V1), invalid(/score must be an integer in 0\.\.1000/));
      }
    });

    it('should give each level its quota and penalty factor', () => {
      const table = ['AAA', 'AA', 'A', 'B', 'C', 'SUSPENDED'].map((level) => [
        level,
        quotaOf(level, V1),
        penaltyFactorOf(level, V1),
      ]);
      assert.deepEqual(table, [
        ['AAA', 50_000_000, 1000],
        ['AA', 30_000_000, 1000],
        ['A', 20_000_000, 1200],
        ['B', 10_000_000, 1500],
        ['C', 2_000_000, 2000],
        ['SUSPENDED', 0, 2000],
      ]);
      assert.throws(() => quotaOf('D', V1), invalid(/level "D" is not defined in rulebook version 1/));
      assert.throws(() => penaltyFactorOf('D', V1), invalid(/level "D"/));
    });
  });
  describe('#rankParticipants', () => {
    it('should rank by score, then type and id, suspended participants last', () => {
      const ranked = rankParticipants([
        { participant: { type: 'vpp', id: 'vpp-b' }, score: 700 },
        { participant: { type: 'vpp', id: 'vpp-a' }, score: 700 },
        { participant: { type: 'der', id: 'der-z' }, score: 700 },
        { participant: { type: 'vpp', id: 'vpp-top' }, score: 990, suspended: true },
        { participant: { type: 'vpp', id: 'vpp-c' }, score: 820 },
        { participant: { type: 'vpp', id: 'vpp-low' }, score: 10 },
      ]);
      assert.deepEqual(
        ranked.map((entry) => [entry.rank, entry.participant.id, entry.score, entry.suspended]),
        [
          [1, 'vpp-c', 820, false],
          [2, 'der-z', 700, false],
          [3, 'vpp-a', 700, false],
          [4, 'vpp-b', 700, false],
          [5, 'vpp-low', 10, false],
          [6, 'vpp-top', 990, true],
        ],
      );
    });

    it('should not depend on input order', () => {
      const random = prng(99);
      const entries = Array.from({ length: 40 }, (_, i) => ({
        participant: { type: (i % 3 === 0 ? 'der' : 'vpp') as 'der' | 'vpp', id: `p-${i}` },
        score: randomInt(random, 600, 610),
        suspended: random() < 0.1,
      }));
      const expected = rankParticipants(entries);
      for (let round = 0; round < 20; round++) {
        const shuffled = [...entries].sort(() => random() - 0.5);
        assert.deepEqual(rankParticipants(shuffled), expected);
      }
    });

    it('should refuse duplicates and out-of-range scores', () => {
      assert.throws(
        () =>
          rankParticipants([
            { participant: VPP, score: 1 },
            { participant: VPP, score: 2 },
          ]),
        invalid(/vpp "vpp-1" appears twice in the ranking/),
      );
      assert.throws(() => rankParticipants([{ participant: VPP, score: 1001 }]), invalid(/score/));
      // The same id as a VPP and as a DER are two participants.
      assert.equal(
        rankParticipants([
          { participant: VPP, score: 1 },
          { participant: { type: 'der', id: 'vpp-1' }, score: 1 },
        ]).length,
        2,
      );
    });
  });
});
