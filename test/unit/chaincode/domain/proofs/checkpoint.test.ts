import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildCheckpoint,
  checkpointBucket,
  CHECKPOINT_BUCKET_SIZE,
  firstCheckpointFrom,
  parseStoredCheckpoint,
  type Checkpoint,
} from '../../../../../chaincode/src/domain/proofs/checkpoint';
import { PROVABLE_OBJECT_TYPES } from '../../../../../chaincode/src/encoding/keys';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { OBJECT_TYPE_OF_KIND, PROOF_KINDS } from '../../../../../verifier/src/bundle';
import { vppError } from '../../../../support/vpp-assert';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const stored = (blockNumber: number, configBlockNumber = 0): Checkpoint => ({
  blockNumber,
  blockHash: HASH_A,
  configBlockNumber,
  configBlockHash: HASH_B,
  channel: 'vppchannel',
  txId: `tx-${blockNumber}`,
  recordedAt: '2026-12-01T10:00:00.000Z',
});

describe('domain/proofs/checkpoint', () => {
  it('should put block numbers into buckets of CHECKPOINT_BUCKET_SIZE', () => {
    assert.deepEqual(
      [0, CHECKPOINT_BUCKET_SIZE - 1, CHECKPOINT_BUCKET_SIZE, 3 * CHECKPOINT_BUCKET_SIZE + 1].map(
        checkpointBucket,
      ),
      [0, 0, 1, 3],
    );
  });

  it('should build a checkpoint strictly after the latest (ALREADY_EXISTS otherwise), never with an older config', () => {
    const args = { channel: 'vppchannel', txId: 'tx-9', at: '2026-12-01T10:00:00.000Z' };
    const input = { blockNumber: 11, blockHash: HASH_A, configBlockNumber: 2, configBlockHash: HASH_B };
    assert.deepEqual(buildCheckpoint({ ...args, input, latest: stored(10, 2) }), {
      ...input,
      channel: 'vppchannel',
      txId: 'tx-9',
      recordedAt: '2026-12-01T10:00:00.000Z',
    });
    assert.throws(
      () => buildCheckpoint({ ...args, input, latest: stored(11) }),
      vppError(ErrorCode.ALREADY_EXISTS),
    );
    assert.throws(
      () => buildCheckpoint({ ...args, input, latest: stored(5, 3) }),
      vppError(ErrorCode.INVALID_ARGUMENT),
    );
  });

  it('should pick the first checkpoint at or after a block from a bucket in any order', () => {
    const bucket = [stored(40), stored(12), stored(25)];
    assert.equal(firstCheckpointFrom(bucket, 0)?.blockNumber, 12);
    assert.equal(firstCheckpointFrom(bucket, 13)?.blockNumber, 25);
    assert.equal(firstCheckpointFrom(bucket, 40)?.blockNumber, 40);
    assert.equal(firstCheckpointFrom(bucket, 41), undefined);
  });

  it('should read back only well-formed stored checkpoints', () => {
    assert.deepEqual(parseStoredCheckpoint(stored(3)), stored(3));
    assert.throws(
      () => parseStoredCheckpoint({ ...stored(3), txId: '' }),
      vppError(ErrorCode.INVALID_ARGUMENT),
    );
    assert.throws(
      () => parseStoredCheckpoint({ ...stored(3), more: 1 }),
      vppError(ErrorCode.INVALID_ARGUMENT),
    );
  });

  it("should make proofs of exactly the record types the verifier's kinds name", () => {
    assert.deepEqual(
      [...PROVABLE_OBJECT_TYPES].sort(),
      PROOF_KINDS.map((kind) => OBJECT_TYPE_OF_KIND[kind]).sort(),
    );
  });
});
