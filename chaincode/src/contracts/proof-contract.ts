// Proofs that leave the chain (README, "Proof bundles"). Two things only the ledger can give an
// outside verifier: an attested read of a record — endorsed by a majority, never submitted — whose
// read set names the version (block, transaction) of the record's committed write, and the
// regulator's checkpoints, the block hashes outsiders pin. Helpers stay at module level so they can
// never become invokable transactions.

// Context must stay a value import: emitDecoratorMetadata records it as the first parameter type,
// which is how fabric-contract-api recognises and drops ctx from the transaction's parameters.
import { createHash } from 'node:crypto';
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import {
  buildCheckpoint,
  checkpointBucket,
  firstCheckpointFrom,
  parseCheckpointInput,
  parseStoredCheckpoint,
  type Checkpoint,
} from '../domain/proofs/checkpoint';
import { parseJson, toCanonicalJson } from '../encoding/canonical-json';
import {
  checkpointBucketPrefix,
  checkpointHeadKey,
  checkpointKey,
  checkpointPrefix,
  compositeKey,
  printableKey,
  PROVABLE_OBJECT_TYPES,
  splitCompositeKey,
} from '../encoding/keys';
import { requireActor } from '../ledger/identity';
import {
  emitEvent,
  readState,
  readStateBytes,
  scanPrefix,
  scanPrefixPage,
  writeState,
} from '../ledger/store';
import { txTimestampIso } from '../ledger/tx-time';
import { NON_NEGATIVE, requireIntegerValue } from '../rules';
import { MEMBER_PEOPLE, MspId, Role, type Authority } from '../types/consortium';
import { ErrorCode, VppError } from '../types/errors';
import { CHECKPOINT_RECORDED_EVENT, PROOF_CONTRACT_NAME } from '../types/contracts';
import { VppContract } from './vpp-contract';

/**
 * The regulator vouches for checkpoints: its staff on demand, and its gateway's service identity
 * (role ingest) on the gateway's schedule.
 */
const CHECKPOINT_RECORDERS: Authority = { [MspId.REGULATOR]: [Role.REGULATOR, Role.ADMIN, Role.INGEST] };

/** Longest key AttestRecord accepts: six parts of at most 256 characters and their separators. */
const MAX_ATTESTED_KEY_LENGTH = 2048;

/** A canonical composite key of a provable record type, or INVALID_ARGUMENT. */
function requireProvableKey(key: unknown): string {
  const parts =
    typeof key === 'string' && key.length <= MAX_ATTESTED_KEY_LENGTH ? splitCompositeKey(key) : undefined;
  if (parts === undefined || !(PROVABLE_OBJECT_TYPES as readonly string[]).includes(parts.objectType)) {
    throw new VppError(
      ErrorCode.INVALID_ARGUMENT,
      `key must be a composite key of one of ${PROVABLE_OBJECT_TYPES.join(', ')}`,
    );
  }
  const objectType = PROVABLE_OBJECT_TYPES.find((type) => type === parts.objectType);
  if (objectType === undefined || compositeKey(objectType, parts.attributes) !== key) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, 'key is not in canonical composite-key form');
  }
  return key;
}

async function latestCheckpoint(ctx: Context): Promise<Checkpoint | undefined> {
  return readState(ctx, checkpointHeadKey(), parseStoredCheckpoint);
}

@Info({ title: 'ProofContract', description: 'Attested reads and checkpoints for proof bundles' })
export class ProofContract extends VppContract {
  constructor() {
    super(PROOF_CONTRACT_NAME);
  }

  /**
   * Reads one provable record and answers `{ key, valueSha256 }`. Meant to be endorsed and never
   * submitted: each endorser's read set then carries the key's committed version, which a proof
   * bundle's verifier matches with the writing transaction's block and position.
   */
  @Transaction(false)
  @Returns('string')
  async AttestRecord(ctx: Context, key: string): Promise<string> {
    requireActor(ctx, MEMBER_PEOPLE);
    const provable = requireProvableKey(key);
    const bytes = await readStateBytes(ctx, provable);
    if (bytes === undefined) {
      throw new VppError(ErrorCode.NOT_FOUND, `no record at ${printableKey(provable)}`);
    }
    return toCanonicalJson({
      key: provable,
      valueSha256: createHash('sha256').update(bytes).digest('hex'),
    });
  }

  /**
   * Records a checkpoint `{ blockNumber, blockHash, configBlockNumber, configBlockHash }` the regulator
   * vouches for; strictly after the latest one. Answers the stored checkpoint.
   */
  @Transaction()
  @Returns('string')
  async RecordCheckpoint(ctx: Context, checkpointJson: string): Promise<string> {
    requireActor(ctx, CHECKPOINT_RECORDERS);
    if (checkpointJson.length > 1024) {
      throw new VppError(ErrorCode.INVALID_ARGUMENT, 'checkpointJson exceeds 1024 characters');
    }
    const checkpoint = buildCheckpoint({
      input: parseCheckpointInput(parseJson(checkpointJson)),
      latest: await latestCheckpoint(ctx),
      channel: ctx.stub.getChannelID(),
      txId: ctx.stub.getTxID(),
      at: txTimestampIso(ctx),
    });
    const bytes = await writeState(
      ctx,
      checkpointKey(checkpointBucket(checkpoint.blockNumber), checkpoint.blockNumber),
      checkpoint,
    );
    await writeState(ctx, checkpointHeadKey(), checkpoint);
    emitEvent(ctx, CHECKPOINT_RECORDED_EVENT, bytes);
    return toCanonicalJson(checkpoint);
  }

  /** The first checkpoint at or after `blockNumber`; NOT_FOUND while none is. Anyone on the channel. */
  @Transaction(false)
  @Returns('string')
  async GetCheckpointFrom(ctx: Context, blockNumber: string): Promise<string> {
    const from = requireIntegerValue(Number(blockNumber), 'blockNumber', NON_NEGATIVE);
    const latest = await latestCheckpoint(ctx);
    if (latest === undefined || latest.blockNumber < from) {
      throw new VppError(ErrorCode.NOT_FOUND, `no checkpoint at or after block ${from} yet`);
    }
    // Buckets between may be empty (no checkpoint for a while); the latest one ends the search.
    for (let bucket = checkpointBucket(from); bucket <= checkpointBucket(latest.blockNumber); bucket++) {
      const entries = await scanPrefix(ctx, checkpointBucketPrefix(bucket), parseStoredCheckpoint);
      const found = firstCheckpointFrom(
        entries.map((entry) => entry.value),
        from,
      );
      if (found !== undefined) return toCanonicalJson(found);
    }
    return toCanonicalJson(latest);
  }

  /** The latest checkpoint; NOT_FOUND before the first. */
  @Transaction(false)
  @Returns('string')
  async GetLatestCheckpoint(ctx: Context): Promise<string> {
    const latest = await latestCheckpoint(ctx);
    if (latest === undefined) throw new VppError(ErrorCode.NOT_FOUND, 'no checkpoint recorded yet');
    return toCanonicalJson(latest);
  }

  /** One page of checkpoints, oldest first: `{ checkpoints, bookmark }` ('' after the last page). */
  @Transaction(false)
  @Returns('string')
  async ListCheckpoints(ctx: Context, pageSize: string, bookmark: string): Promise<string> {
    const page = await scanPrefixPage(
      ctx,
      checkpointPrefix(),
      parseStoredCheckpoint,
      Number(pageSize),
      bookmark,
    );
    return toCanonicalJson({
      checkpoints: page.entries.map((entry) => entry.value),
      bookmark: page.bookmark,
    });
  }
}
