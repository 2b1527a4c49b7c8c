// The regulator's checkpoints: the chain's current tip and the config block in force, read from the
// regulator's own peer and recorded on the ledger (ProofContract.RecordCheckpoint), on a schedule and
// on demand. The chaincode cannot see blocks, so this is where the hashes are taken; the other orgs
// can compare every recorded checkpoint with their own peers' blocks.

import type { Checkpoint } from '../../../verifier/src/bundle';
import { ApiError } from '../core/api-error';
import type { CheckpointInput } from '../plugins/app/ledger/proof-ledger';
import { blockHeaderOf } from './ledger-records';

export interface CheckpointSources {
  /** qscc GetChainInfo: height and the hash of block height-1. */
  chainInfo(): Promise<{ height: number; currentBlockHash: string }>;
  /** The number of the channel's current config block (cscc GetConfigBlock). */
  configBlockNumber(): Promise<number>;
  block(blockNumber: number): Promise<Uint8Array>;
  latest(): Promise<Checkpoint | undefined>;
}

/**
 * The checkpoint to record now, or undefined when the chain has not moved since the latest one. On
 * the schedule, the block just after the latest checkpoint does not count as moving: it is most
 * likely that checkpoint's own recording, and counting it would checkpoint the checkpoints forever.
 * On demand it counts, since a record written in the same block must be coverable at once.
 */
export async function nextCheckpoint(
  sources: CheckpointSources,
  when: 'scheduled' | 'on-demand',
): Promise<CheckpointInput | undefined> {
  const [info, latest, configBlockNumber] = await Promise.all([
    sources.chainInfo(),
    sources.latest(),
    sources.configBlockNumber(),
  ]);
  const tip = info.height - 1;
  const unmoved = latest === undefined ? -1 : latest.blockNumber + (when === 'scheduled' ? 1 : 0);
  if (tip <= unmoved) return undefined;
  if (configBlockNumber > tip) {
    // A config update committed between the two reads: the next round sees both.
    throw new ApiError(503, 'LEDGER_MOVING', 'the channel configuration changed while reading it; retry');
  }
  // A block's hash is in the next block's header (previous_hash); the tip's is in the chain info.
  const configBlockHash =
    configBlockNumber === tip
      ? info.currentBlockHash
      : blockHeaderOf(await sources.block(configBlockNumber + 1)).previousHash;
  return { blockNumber: tip, blockHash: info.currentBlockHash, configBlockNumber, configBlockHash };
}
