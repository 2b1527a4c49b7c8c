/** The settlement contract as the gateway calls it: settling, verifying, statements per DER and VPP. */
import type { FastifyRequest } from 'fastify';
import {
  SETTLEMENT_CONTRACT_NAME,
  SETTLEMENT_TX,
  type DerStatementView,
  type SettlementCheck,
  type SettlementOutcome,
  type StatementUnit,
  type StoredSettlement,
  type VppStatementView,
} from '../../../../../chaincode/src/api';
import type { FabricPort } from '../fabric-connection';
import { ContractClient, type Committed } from './contract-client';

/** TSDoc'd facade: a VPP's settlement in an interval and the statements built from settlements. */
export class SettlementLedger {
  readonly #contract: ContractClient<keyof typeof SETTLEMENT_TX>;

  constructor(fabric: FabricPort) {
    this.#contract = new ContractClient(fabric, SETTLEMENT_CONTRACT_NAME);
  }

  settle(as: FastifyRequest, intervalId: string, vppId: string): Promise<Committed<SettlementOutcome>> {
    return this.#contract.submit(as, SETTLEMENT_TX.SettleInterval, [intervalId, vppId]);
  }

  settlement(as: FastifyRequest, intervalId: string, vppId: string): Promise<StoredSettlement> {
    return this.#contract.evaluate(as, SETTLEMENT_TX.GetVppSettlement, [intervalId, vppId]);
  }

  verify(as: FastifyRequest, intervalId: string, vppId: string): Promise<SettlementCheck> {
    return this.#contract.evaluate(as, SETTLEMENT_TX.VerifySettlement, [intervalId, vppId]);
  }

  derStatement(
    as: FastifyRequest,
    derId: string,
    period: string,
    unit: StatementUnit,
  ): Promise<DerStatementView> {
    return this.#contract.evaluate(as, SETTLEMENT_TX.GetDerStatement, [derId, period, unit]);
  }

  vppStatement(
    as: FastifyRequest,
    vppId: string,
    period: string,
    unit: StatementUnit,
  ): Promise<VppStatementView> {
    return this.#contract.evaluate(as, SETTLEMENT_TX.GetVppStatement, [vppId, period, unit]);
  }
}
