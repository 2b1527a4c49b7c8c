/** The audit contract as the gateway calls it: the history of one ledger key, for the regulator. */
import type { FastifyRequest } from 'fastify';
import { AUDIT_CONTRACT_NAME, AUDIT_TX, type HistoryEntry } from '../../../../../chaincode/src/api';
import type { FabricPort } from '../fabric-connection';
import { ContractClient } from './contract-client';

/** TSDoc'd facade: key history, newest first. */
export class AuditLedger {
  readonly #contract: ContractClient<keyof typeof AUDIT_TX>;

  constructor(fabric: FabricPort) {
    this.#contract = new ContractClient(fabric, AUDIT_CONTRACT_NAME);
  }

  /** `key` is the composite key exactly as the chaincode stores it. */
  keyHistory(as: FastifyRequest, key: string): Promise<HistoryEntry[]> {
    return this.#contract.evaluate(as, AUDIT_TX.GetKeyHistory, [key]);
  }
}
