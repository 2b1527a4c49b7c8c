/** The proof contract as the gateway calls it: attested reads, and the regulator's checkpoints. */
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { PROOF_CONTRACT_NAME, PROOF_TX } from '../../../../../chaincode/src/api';
import type { Checkpoint } from '../../../../../verifier/src/bundle';
import { toApiError } from '../../../core/fabric-errors';
import { callerOf } from '../auth';
import type { FabricPort } from '../fabric-connection';
import { ContractClient, type Committed } from './contract-client';

export type CheckpointInput = Pick<
  Checkpoint,
  'blockNumber' | 'blockHash' | 'configBlockNumber' | 'configBlockHash'
>;

export interface CheckpointPage {
  readonly checkpoints: Checkpoint[];
  readonly bookmark: string;
}

/** NOT_FOUND from the chaincode means "none yet" for checkpoint reads. */
async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (err) {
    if (toApiError(err).status === 404) return undefined;
    throw err;
  }
}

/** TSDoc'd facade of the proof contract. */
export class ProofLedger {
  readonly #contract: ContractClient<keyof typeof PROOF_TX>;

  constructor(private readonly fabric: FabricPort) {
    this.#contract = new ContractClient(fabric, PROOF_CONTRACT_NAME);
  }

  /**
   * AttestRecord(key) endorsed as the caller by the orgs the endorsement policy needs, and not
   * submitted: the prepared transaction's bytes (fabric-gateway Transaction.getBytes()).
   */
  async attest(as: FastifyRequest, key: string): Promise<Uint8Array> {
    const contract = this.fabric.contract(callerOf(as), PROOF_CONTRACT_NAME);
    const endorsed = await contract.newProposal(PROOF_TX.AttestRecord, { arguments: [key] }).endorse();
    return endorsed.getBytes();
  }

  /** The first checkpoint at or after the block; read as the gateway (checkpoints are public). */
  checkpointFrom(blockNumber: number): Promise<Checkpoint | undefined> {
    return orUndefined(
      this.#contract.evaluateAsService<Checkpoint>(PROOF_TX.GetCheckpointFrom, [String(blockNumber)]),
    );
  }

  latestCheckpoint(): Promise<Checkpoint | undefined> {
    return orUndefined(this.#contract.evaluateAsService<Checkpoint>(PROOF_TX.GetLatestCheckpoint, []));
  }

  listCheckpoints(pageSize: number, bookmark: string): Promise<CheckpointPage> {
    return this.#contract.evaluateAsService(PROOF_TX.ListCheckpoints, [String(pageSize), bookmark]);
  }

  /** As a regulator (on demand). */
  recordCheckpoint(as: FastifyRequest, input: CheckpointInput): Promise<Committed<Checkpoint>> {
    return this.#contract.submit(as, PROOF_TX.RecordCheckpoint, [JSON.stringify(input)]);
  }

  /** As the regulator gateway's service identity (its schedule). */
  recordCheckpointAsService(input: CheckpointInput, log: FastifyBaseLogger): Promise<Committed<Checkpoint>> {
    return this.#contract.submitAsService(PROOF_TX.RecordCheckpoint, [JSON.stringify(input)], log);
  }
}
