// Assembles a proof bundle (verifier/src/bundle.ts) for one record, from the ledger alone: an
// attested read of the record (endorsed by a majority, not submitted) says which transaction wrote
// it; that transaction's block, the headers up to the first checkpoint after it and the config block
// the checkpoint names complete it. Blocks never change, so headers and config blocks are cached.

import {
  BUNDLE_FORMAT,
  type BlockHeaderFields,
  type Checkpoint,
  type ProofBundle,
  type ProofKind,
} from '../../../verifier/src/bundle';
import { ApiError } from '../core/api-error';
import { attestationOf, blockHeaderOf, transactionWrite } from './ledger-records';

/** Where a bundle's parts come from: the caller's endorsement, the peer's qscc, the proof contract. */
export interface ProofSources {
  readonly channel: string;
  readonly chaincode: string;
  /** AttestRecord(key) endorsed by the policy's orgs as the caller, never submitted: the prepared transaction. */
  attest(key: string): Promise<Uint8Array>;
  /** common.Block bytes of a committed block (qscc GetBlockByNumber). */
  block(blockNumber: number): Promise<Uint8Array>;
  /** The first checkpoint at or after `blockNumber`; undefined while there is none. */
  checkpointFrom(blockNumber: number): Promise<Checkpoint | undefined>;
}

/** A bundle carries at most this many headers; beyond it, ask for a nearer checkpoint. */
export const MAX_BUNDLE_HEADERS = 5000;
const HEADER_CACHE_SIZE = 20_000;
const CONFIG_CACHE_SIZE = 4;
/** Blocks fetched at once while walking the headers to the checkpoint. */
const HEADER_FETCH_PARALLELISM = 8;

function remember<K, V>(cache: Map<K, V>, key: K, value: V, limit: number): V {
  cache.set(key, value);
  if (cache.size > limit) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  return value;
}

export interface BundleRequest {
  readonly kind: ProofKind;
  readonly key: string;
  /** Chain to the checkpoint at exactly this block instead of the first one after the record. */
  readonly checkpoint?: number;
  readonly merkle?: ProofBundle['merkle'];
}

export interface BundleBuilder {
  build(sources: ProofSources, request: BundleRequest): Promise<ProofBundle>;
}

export function newBundleBuilder(): BundleBuilder {
  const headers = new Map<number, BlockHeaderFields>();
  const configBlocks = new Map<number, string>();

  async function headerOf(sources: ProofSources, blockNumber: number): Promise<BlockHeaderFields> {
    const cached = headers.get(blockNumber);
    if (cached !== undefined) return cached;
    return remember(headers, blockNumber, blockHeaderOf(await sources.block(blockNumber)), HEADER_CACHE_SIZE);
  }

  async function headersBetween(
    sources: ProofSources,
    from: number,
    to: number,
  ): Promise<BlockHeaderFields[]> {
    const numbers = Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const found: BlockHeaderFields[] = [];
    for (let i = 0; i < numbers.length; i += HEADER_FETCH_PARALLELISM) {
      const slice = numbers.slice(i, i + HEADER_FETCH_PARALLELISM);
      found.push(...(await Promise.all(slice.map((n) => headerOf(sources, n)))));
    }
    return found;
  }

  async function configOf(sources: ProofSources, blockNumber: number): Promise<string> {
    const cached = configBlocks.get(blockNumber);
    if (cached !== undefined) return cached;
    const bytes = Buffer.from(await sources.block(blockNumber)).toString('base64');
    return remember(configBlocks, blockNumber, bytes, CONFIG_CACHE_SIZE);
  }

  async function checkpointFor(sources: ProofSources, blockNumber: number, wanted: number | undefined) {
    if (wanted !== undefined && wanted < blockNumber) {
      throw new ApiError(
        400,
        'CHECKPOINT_TOO_EARLY',
        `checkpoint ${wanted} is before block ${blockNumber}, where the record was written`,
      );
    }
    const checkpoint = await sources.checkpointFrom(wanted ?? blockNumber);
    if (wanted !== undefined && checkpoint?.blockNumber !== wanted) {
      throw new ApiError(404, 'NOT_FOUND', `no checkpoint at block ${wanted}`);
    }
    if (checkpoint === undefined) {
      throw new ApiError(
        409,
        'CHECKPOINT_PENDING',
        `block ${blockNumber} is not yet covered by a checkpoint: retry after the regulator's next one`,
      );
    }
    if (checkpoint.blockNumber - blockNumber > MAX_BUNDLE_HEADERS) {
      throw new ApiError(
        422,
        'PROOF_TOO_LONG',
        `checkpoint ${checkpoint.blockNumber} is more than ${MAX_BUNDLE_HEADERS} blocks after block ${blockNumber}`,
      );
    }
    return checkpoint;
  }

  return {
    async build(sources, request) {
      const attestation = attestationOf(await sources.attest(request.key), sources.chaincode, request.key);
      if (attestation.version === undefined) {
        throw new ApiError(404, 'NOT_FOUND', 'the endorsers read no committed version of the record');
      }
      const { blockNumber, index } = attestation.version;
      const blockBytes = await sources.block(blockNumber);
      const written = transactionWrite(blockBytes, index, sources.chaincode, request.key);
      const checkpoint = await checkpointFor(sources, blockNumber, request.checkpoint);
      const [chain, config] = await Promise.all([
        headersBetween(sources, blockNumber + 1, checkpoint.blockNumber),
        configOf(sources, checkpoint.configBlockNumber),
      ]);
      return {
        format: BUNDLE_FORMAT,
        kind: request.kind,
        channel: sources.channel,
        chaincode: sources.chaincode,
        claim: { key: request.key, value: written.value },
        transaction: { txId: written.txId, blockNumber, index },
        block: Buffer.from(blockBytes).toString('base64'),
        headers: chain,
        checkpoint,
        config,
        attestation: { payload: attestation.payload },
        ...(request.merkle === undefined ? {} : { merkle: request.merkle }),
      };
    },
  };
}
