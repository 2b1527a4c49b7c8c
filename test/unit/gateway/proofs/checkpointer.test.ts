import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextCheckpoint, type CheckpointSources } from '../../../../gateway/src/proofs/checkpointer';
import type { Checkpoint } from '../../../../verifier/src/bundle';
import { block } from '../../../support/proto-builders';

const TIP_HASH = 'c'.repeat(64);

/** A chain of `height` blocks whose config block is `configBlock`; proto-builders' blocks all name 0123abcd as previous hash. */
function chain(
  height: number,
  configBlock: number,
  latest?: number,
): CheckpointSources & { fetched: number[] } {
  const fetched: number[] = [];
  return {
    fetched,
    chainInfo: async () => ({ height, currentBlockHash: TIP_HASH }),
    configBlockNumber: async () => configBlock,
    block: async (n) => {
      fetched.push(n);
      return block(n, []);
    },
    latest: async () =>
      latest === undefined ? undefined : ({ blockNumber: latest } as unknown as Checkpoint),
  };
}

describe('proofs/checkpointer', () => {
  it("should vouch for the tip with the chain info's hash, and for the config block with the next block's previous hash", async () => {
    const sources = chain(120, 3);
    assert.deepEqual(await nextCheckpoint(sources, 'scheduled'), {
      blockNumber: 119,
      blockHash: TIP_HASH,
      configBlockNumber: 3,
      configBlockHash: '0123abcd',
    });
    assert.deepEqual(sources.fetched, [4]);
  });

  it('should take the tip hash for a config block that is the tip itself', async () => {
    const sources = chain(8, 7);
    assert.equal((await nextCheckpoint(sources, 'on-demand'))?.configBlockHash, TIP_HASH);
    assert.deepEqual(sources.fetched, []);
  });

  it('should not checkpoint its own recording block on the schedule, but cover it on demand', async () => {
    // The latest checkpoint is block 50; block 51 holds (most likely) its recording transaction.
    assert.equal(await nextCheckpoint(chain(52, 0, 50), 'scheduled'), undefined);
    assert.equal((await nextCheckpoint(chain(52, 0, 50), 'on-demand'))?.blockNumber, 51);
    assert.equal((await nextCheckpoint(chain(53, 0, 50), 'scheduled'))?.blockNumber, 52);
    assert.equal(await nextCheckpoint(chain(51, 0, 50), 'on-demand'), undefined);
  });

  it('should refuse to vouch while a config block newer than the tip it read appears', async () => {
    await assert.rejects(nextCheckpoint(chain(10, 12), 'on-demand'), { code: 'LEDGER_MOVING', status: 503 });
  });
});
