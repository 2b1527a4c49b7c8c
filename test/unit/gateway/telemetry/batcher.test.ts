import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Batcher } from '../../../../gateway/src/telemetry/batcher';

describe('gateway/telemetry/batcher', () => {
  it('should cut a batch as soon as maxSize items wait, and hand each caller its own results', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number, string>(
      { maxSize: 3, maxDelayMs: 60_000, maxInFlight: 1 },
      async (items) => {
        batches.push(items);
        return items.map((n) => `r${n}`);
      },
    );
    const [a, b] = await Promise.all([batcher.submit([1, 2]), batcher.submit([3, 4, 5, 6])]);
    assert.deepEqual(a, ['r1', 'r2']);
    assert.deepEqual(b, ['r3', 'r4', 'r5', 'r6']);
    assert.deepEqual(batches, [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    await batcher.close();
  });

  it('should flush a partial batch after maxDelayMs', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number, number>(
      { maxSize: 100, maxDelayMs: 20, maxInFlight: 2 },
      async (items) => {
        batches.push(items);
        return items;
      },
    );
    assert.deepEqual(await Promise.all([batcher.submit([7]), batcher.submit([8])]), [[7], [8]]);
    assert.deepEqual(batches, [[7, 8]]);
    await batcher.close();
  });

  it('should keep at most maxInFlight batches running', async () => {
    let running = 0;
    let peak = 0;
    const batcher = new Batcher<number, number>(
      { maxSize: 1, maxDelayMs: 1, maxInFlight: 2 },
      async (items) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 15));
        running -= 1;
        return items;
      },
    );
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.submit([n])));
    assert.deepEqual(results, [[1], [2], [3], [4], [5]]);
    assert.equal(peak, 2);
    await batcher.close();
  });

  it('should fail every item of a failed batch and keep serving the next ones', async () => {
    let calls = 0;
    const batcher = new Batcher<number, number>(
      { maxSize: 2, maxDelayMs: 5, maxInFlight: 1 },
      async (items) => {
        calls += 1;
        if (calls === 1) throw new Error('ledger unavailable');
        return items;
      },
    );
    await assert.rejects(batcher.submit([1, 2]), /ledger unavailable/);
    assert.deepEqual(await batcher.submit([3]), [3]);
    await batcher.close();
    await assert.rejects(batcher.submit([4]), /closed/);
  });
});
