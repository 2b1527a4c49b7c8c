import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_RESTART_POLICY,
  nextCrashStreak,
  restartDelayMs,
} from '../../../../network/src/process/restart-policy';

describe('restart policy', () => {
  describe('#restartDelayMs', () => {
    it('should double the pause with each crash in a row, up to the cap', () => {
      const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => restartDelayMs(n, DEFAULT_RESTART_POLICY));
      assert.deepEqual(delays, [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    });

    it('should stay at the cap for a very long streak', () => {
      assert.equal(restartDelayMs(10_000, DEFAULT_RESTART_POLICY), 30_000);
    });
  });

  describe('#nextCrashStreak', () => {
    it('should grow the streak for a node that crashed soon after its restart', () => {
      assert.equal(nextCrashStreak(0, 100, DEFAULT_RESTART_POLICY), 1);
      assert.equal(nextCrashStreak(3, 59_999, DEFAULT_RESTART_POLICY), 4);
    });

    it('should start a new streak for a node that had run stably', () => {
      assert.equal(nextCrashStreak(6, 60_000, DEFAULT_RESTART_POLICY), 1);
    });
  });
});
