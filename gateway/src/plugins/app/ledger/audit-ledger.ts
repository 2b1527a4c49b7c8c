/** The audit contract as the gateway calls it: the history of one ledger key, for the regulator. */
import type { FastifyRequest } from 'fastify';
import { AUDIT_CONTRACT_NAME, AUDIT_TX, type HistoryPage } from '../../../../../chaincode/src/api';
import type { FabricPort } from '../fabric-connection';
import { ContractClient } from './contract-client';

/** TSDoc'd facade: key history, newest first. */
export class AuditLedger {
  readonly #contract: ContractClient<keyof typeof AUDIT_TX>;

  constructor(fabric: FabricPort) {
    this.#contract = new ContractClient(fabric, AUDIT_CONTRACT_NAME);
  }

  /**
   * One page of a key's history, newest first; `key` is the composite key exactly as the chaincode
   * stores it, `bookmark` the previous page's ('' for the first).
   */
  keyHistory(as: FastifyRequest, key: string, pageSize: number, bookmark: string): Promise<HistoryPage> {
    return this.#contract.evaluate(as, AUDIT_TX.GetKeyHistory, [key, String(pageSize), bookmark]);
  }
}
