import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../../gateway/src/core/api-error';
import {
  BLOCK_NOT_YET_COMMITTED,
  BlockHeight,
  INVALID_MIN_BLOCK,
  parseMinBlock,
} from '../../../../gateway/src/blocks-and-events/block-height';
import { FakeHeights, settle } from '../../../support/fake-heights';

const newHeight = (heights: FakeHeights, timeoutMs = 1_000) =>
  new BlockHeight(heights, { timeoutMs, retryMs: 5 });

/** Whether `promise` has settled after pending work ran. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await settle();
  return done;
}

describe('gateway/blocks-and-events/block-height', () => {
  describe('#parseMinBlock', () => {
    it('should read decimal block numbers up to uint64', () => {
      assert.equal(parseMinBlock('0', 'X-Min-Block'), 0n);
      assert.equal(parseMinBlock(' 17 ', 'X-Min-Block'), 17n);
      assert.equal(parseMinBlock('18446744073709551615', 'X-Min-Block'), 2n ** 64n - 1n);
    });

    it('should refuse anything else with 400 INVALID_MIN_BLOCK', () => {
      for (const text of ['', '-1', '1.5', '1e3', 'abc', '01', '0x10', '18446744073709551616']) {
        assert.throws(
          () => parseMinBlock(text, 'X-Min-Block'),
          (err: unknown) => err instanceof ApiError && err.status === 400 && err.code === INVALID_MIN_BLOCK,
          JSON.stringify(text),
        );
      }
    });
  });

  describe('#reached', () => {
    it('should resolve at once for a block already known, without asking the peer', async () => {
      const heights = new FakeHeights();
      const height = newHeight(heights);
      height.observe(10n);
      await height.reached(9n);
      await height.reached(0n);
      assert.equal(heights.heightReads, 0);
      assert.equal(heights.streams.length, 0);
      height.close();
    });

    it('should resolve after one height read when the peer already has the block', async () => {
      const heights = new FakeHeights();
      heights.peerHeight = 8n;
      const height = newHeight(heights);
      await height.reached(7n);
      assert.equal(height.known, 8n);
      assert.equal(heights.heightReads, 1);
      assert.equal(heights.streams.length, 0);
      height.close();
    });

    it('should wait on the block stream from the known height until the block is committed', async () => {
      const heights = new FakeHeights();
      heights.peerHeight = 3n;
      const height = newHeight(heights);
      const waiting = height.reached(5n);
      assert.equal(await isSettled(waiting), false);
      assert.equal(heights.stream?.startBlock, 3n);
      heights.commit(3n);
      heights.commit(4n);
      assert.equal(await isSettled(waiting), false);
      assert.equal(height.known, 5n);
      heights.commit(5n);
      assert.equal(await isSettled(waiting), true);
      await waiting;
      assert.equal(height.known, 6n);
      height.close();
    });

    it('should share one block stream between all waiting requests', async () => {
      const heights = new FakeHeights();
      heights.peerHeight = 1n;
      const height = newHeight(heights);
      const waits = [height.reached(1n), height.reached(2n), height.reached(1n)];
      await settle();
      heights.commit(1n);
      heights.commit(2n);
      await Promise.all(waits);
      assert.equal(heights.streams.length, 1);
      assert.equal(heights.heightReads, 1);
      height.close();
    });

    it("should resolve on the gateway's own commit (observe) before the stream shows it", async () => {
      const heights = new FakeHeights();
      heights.peerHeight = 2n;
      const height = newHeight(heights);
      const waiting = height.reached(4n);
      await settle();
      height.observe(5n);
      assert.equal(await isSettled(waiting), true);
      assert.equal(height.known, 5n);
      height.close();
    });

    it('should reopen the stream after it failed and still resolve', async () => {
      const heights = new FakeHeights();
      heights.peerHeight = 2n;
      const height = newHeight(heights);
      const waiting = height.reached(2n);
      await settle();
      heights.stream?.fail();
      await settle(30);
      assert.equal(heights.streams.length, 2);
      heights.commit(2n);
      await waiting;
      assert.equal(height.known, 3n);
      height.close();
    });

    it('should fail with 503 BLOCK_NOT_YET_COMMITTED after the bound, and close the stream', async () => {
      const heights = new FakeHeights();
      heights.peerHeight = 4n;
      const height = newHeight(heights, 60);
      const started = Date.now();
      await assert.rejects(
        height.reached(1_000n),
        (err: unknown) =>
          err instanceof ApiError && err.status === 503 && err.code === BLOCK_NOT_YET_COMMITTED,
      );
      const waited = Date.now() - started;
      assert.ok(waited >= 55 && waited < 1_000, `waited ${waited} ms`);
      await settle();
      assert.equal(heights.stream?.closed, true);
      height.close();
    });
  });
});
