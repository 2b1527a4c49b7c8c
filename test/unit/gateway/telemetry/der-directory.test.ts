import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DerDirectory, MAX_LOOKUPS_IN_FLIGHT } from '../../../../gateway/src/telemetry/der-directory';

describe('gateway/telemetry/der-directory', () => {
  it('should keep at most MAX_LOOKUPS_IN_FLIGHT ledger lookups running, and answer every DER', async () => {
    let running = 0;
    let most = 0;
    const started: string[] = [];
    const pending: (() => void)[] = [];
    const directory = new DerDirectory(async (derId) => {
      started.push(derId);
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => pending.push(resolve));
      running -= 1;
      return undefined;
    }, 60_000);
    const count = MAX_LOOKUPS_IN_FLIGHT * 3 + 5;
    const views = Array.from({ length: count }, (_, i) => directory.get(`der-${i}`));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(started.length, MAX_LOOKUPS_IN_FLIGHT);
    // Release lookups one at a time until all have run.
    while (started.length < count || pending.length > 0) {
      pending.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const answered = await Promise.all(views);
    assert.equal(answered.length, count);
    assert.ok(answered.every((view) => view.der === undefined));
    assert.equal(most, MAX_LOOKUPS_IN_FLIGHT);
    assert.deepEqual(
      started,
      Array.from({ length: count }, (_, i) => `der-${i}`),
    );
  });

  it('should free the slot of a failed lookup and not remember the failure', async () => {
    let calls = 0;
    const directory = new DerDirectory(async () => {
      calls += 1;
      if (calls <= MAX_LOOKUPS_IN_FLIGHT) throw new Error('peer unavailable');
      return undefined;
    }, 60_000);
    const failed = await Promise.allSettled(
      Array.from({ length: MAX_LOOKUPS_IN_FLIGHT }, (_, i) => directory.get(`der-${i}`)),
    );
    assert.ok(failed.every((result) => result.status === 'rejected'));
    const again = await directory.get('der-0');
    assert.equal(again.der, undefined);
    assert.equal(calls, MAX_LOOKUPS_IN_FLIGHT + 1);
  });
});
