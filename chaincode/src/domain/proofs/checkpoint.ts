// Checkpoints: block hashes the regulator vouches for, so that an outside party can pin one and check
// proof bundles offline (verifier/, GET /v1/proofs/...). The chaincode cannot read blocks, so it does
// not check the hashes: it records who vouched and when, keeps checkpoints strictly increasing and
// write-once, and lets anyone find the first checkpoint at or after a given block.

import {
  invalid,
  NON_NEGATIVE,
  requireInteger,
  requireIsoTimestamp,
  requireObject,
  requireSha256Hex,
  requireId,
  requireText,
  TX_ID,
} from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';

/** Checkpoints are grouped by block number into buckets of this size, each one range of keys. */
export const CHECKPOINT_BUCKET_SIZE = 1000;

export interface CheckpointInput {
  readonly blockNumber: number;
  /** Fabric block hash of blockNumber (SHA-256 of the header's ASN.1 encoding), 64 lowercase hex. */
  readonly blockHash: string;
  /** The channel's last config block at or before blockNumber, and its hash. */
  readonly configBlockNumber: number;
  readonly configBlockHash: string;
}

export interface Checkpoint extends CheckpointInput {
  readonly channel: string;
  readonly txId: string;
  readonly recordedAt: string;
}

const INPUT_FIELDS = ['blockNumber', 'blockHash', 'configBlockNumber', 'configBlockHash'] as const;
const STORED_FIELDS = [...INPUT_FIELDS, 'channel', 'txId', 'recordedAt'] as const;

function checkInput(fields: Record<string, unknown>): CheckpointInput {
  const blockNumber = requireInteger(fields, 'blockNumber', NON_NEGATIVE);
  const configBlockNumber = requireInteger(fields, 'configBlockNumber', NON_NEGATIVE);
  if (configBlockNumber > blockNumber) {
    throw invalid('configBlockNumber must not be after blockNumber');
  }
  return {
    blockNumber,
    blockHash: requireSha256Hex(fields, 'blockHash'),
    configBlockNumber,
    configBlockHash: requireSha256Hex(fields, 'configBlockHash'),
  };
}

/** Validates the regulator's request strictly (unknown fields and malformed hashes: INVALID_ARGUMENT). */
export function parseCheckpointInput(value: unknown): CheckpointInput {
  return checkInput(requireObject(value, 'checkpoint', INPUT_FIELDS));
}

export function parseStoredCheckpoint(value: unknown): Checkpoint {
  const fields = requireObject(value, 'stored checkpoint', STORED_FIELDS);
  return {
    ...checkInput(fields),
    channel: requireText(fields, 'channel', { min: 1, max: 249 }),
    txId: requireId(fields, 'txId', TX_ID),
    recordedAt: requireIsoTimestamp(fields, 'recordedAt'),
  };
}

/**
 * The checkpoint to record after `latest` (the last one recorded, if any): strictly later, so the
 * list only grows forward and "the first checkpoint at or after block n" has one answer: ALREADY_EXISTS
 * otherwise (a checkpoint at or after that block is recorded). An older config is INVALID_ARGUMENT.
 */
export function buildCheckpoint(args: {
  input: CheckpointInput;
  latest: Checkpoint | undefined;
  channel: string;
  txId: string;
  at: string;
}): Checkpoint {
  const { input, latest } = args;
  if (latest !== undefined && input.blockNumber <= latest.blockNumber) {
    // A conflict, not a malformed request: two recorders (the schedule and a person) raced.
    throw new VppError(
      ErrorCode.ALREADY_EXISTS,
      `checkpoint block ${input.blockNumber} is not after the latest checkpoint (block ${latest.blockNumber})`,
    );
  }
  if (latest !== undefined && input.configBlockNumber < latest.configBlockNumber) {
    throw invalid(
      `config block ${input.configBlockNumber} is older than the latest checkpoint's (${latest.configBlockNumber})`,
    );
  }
  return { ...input, channel: args.channel, txId: args.txId, recordedAt: args.at };
}

/** The bucket a block number's checkpoint is kept in. */
export function checkpointBucket(blockNumber: number): number {
  return Math.floor(blockNumber / CHECKPOINT_BUCKET_SIZE);
}

/** The first of `candidates` (one bucket, any order) at or after `blockNumber`, if any. */
export function firstCheckpointFrom(
  candidates: readonly Checkpoint[],
  blockNumber: number,
): Checkpoint | undefined {
  return candidates
    .filter((checkpoint) => checkpoint.blockNumber >= blockNumber)
    .reduce<Checkpoint | undefined>(
      (first, checkpoint) =>
        first === undefined || checkpoint.blockNumber < first.blockNumber ? checkpoint : first,
      undefined,
    );
}
