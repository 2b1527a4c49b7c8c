import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coalescedLookup } from '../../../../gateway/src/telemetry/lookup-coalescer';

describe('gateway/telemetry/lookup-coalescer', () => {
  it('should send the lookups of one turn together, at most maxBatch per query, answers in order', async () => {
    const queries: string[][] = [];
    const lookup = coalescedLookup(async (ids: string[]) => {
      queries.push(ids);
      return ids.map((id) => (id.endsWith('7') ? undefined : `value of ${id}`));
    }, 4);
    const ids = Array.from({ length: 10 }, (_, i) => `der-${i}`);
    const answers = await Promise.all(ids.map((id) => lookup(id)));
    assert.deepEqual(queries, [ids.slice(0, 4), ids.slice(4, 8), ids.slice(8)]);
    assert.deepEqual(
      answers,
      ids.map((id) => (id === 'der-7' ? undefined : `value of ${id}`)),
    );
    // A later turn starts a new query.
    assert.equal(await lookup('der-x'), 'value of der-x');
    assert.deepEqual(queries.at(-1), ['der-x']);
  });

  it('should fail every lookup of a query that fails or answers the wrong number of values', async () => {
    const failing = coalescedLookup(async () => {
      throw new Error('peer unavailable');
    }, 10);
    const failed = await Promise.allSettled([failing('a'), failing('b')]);
    assert.deepEqual(
      failed.map((r) => r.status === 'rejected' && (r.reason as Error).message),
      ['peer unavailable', 'peer unavailable'],
    );
    const short = coalescedLookup(async () => ['only one'], 10);
    const shortAnswers = await Promise.allSettled([short('a'), short('b')]);
    assert.ok(shortAnswers.every((r) => r.status === 'rejected' && /2 ids, got 1/.test(String(r.reason))));
  });
});
