// Keys of proofs: the regulator's checkpoints, bucketed by block number so that the first checkpoint
// at or after a block is found by scanning one small range, and the one record of the latest.

import { compositeKey, keyPrefix, type KeyPrefix } from './composite-key';
import {
  CHECKPOINT,
  CHECKPOINT_HEAD,
  CLEARING,
  READING,
  SAMPLE_ANCHOR,
  SCORE_RECORD,
  SETTLEMENT_DER,
  type ObjectType,
} from './object-types';

/** Block numbers are zero-padded to 20 digits (all of uint64) so that keys sort in block order. */
function blockPart(blockNumber: number): string {
  return String(blockNumber).padStart(20, '0');
}

export function checkpointKey(bucket: number, blockNumber: number): string {
  return compositeKey(CHECKPOINT, [blockPart(bucket), blockPart(blockNumber)]);
}

export function checkpointBucketPrefix(bucket: number): KeyPrefix {
  return keyPrefix(CHECKPOINT, [blockPart(bucket)]);
}

/** Every checkpoint, oldest first. */
export function checkpointPrefix(): KeyPrefix {
  return keyPrefix(CHECKPOINT);
}

/** The latest checkpoint. Written only by the regulator's checkpoint transactions, one at a time. */
export function checkpointHeadKey(): string {
  return compositeKey(CHECKPOINT_HEAD, ['latest']);
}

/**
 * The records a proof bundle may be made for: written once, by transactions endorsed under the
 * channel's policy, and meaningful to an outside party. (verifier/src/bundle.ts names the same types
 * per kind of proof; a unit test holds the two lists equal.)
 */
export const PROVABLE_OBJECT_TYPES: readonly ObjectType[] = [
  READING,
  SAMPLE_ANCHOR,
  CLEARING,
  SETTLEMENT_DER,
  SCORE_RECORD,
];
