/** The dispatch contract as the gateway calls it: instructions, acknowledgements, per-DER setpoints. */
import type { FastifyRequest } from 'fastify';
import {
  DISPATCH_CONTRACT_NAME,
  DISPATCH_TX,
  type AllocatedSetpoints,
  type DispatchInstruction,
  type DispatchView,
} from '../../../../../chaincode/src/api';
import type { FabricPort } from '../fabric-connection';
import { ContractClient, type Committed } from './contract-client';

/** TSDoc'd facade: a VPP's dispatch in an interval, as the chaincode answers it. */
export class DispatchLedger {
  readonly #contract: ContractClient<keyof typeof DISPATCH_TX>;

  constructor(fabric: FabricPort) {
    this.#contract = new ContractClient(fabric, DISPATCH_CONTRACT_NAME);
  }

  issue(as: FastifyRequest, intervalId: string, vppId: string): Promise<Committed<DispatchInstruction>> {
    return this.#contract.submit(as, DISPATCH_TX.IssueDispatch, [intervalId, vppId]);
  }

  acknowledge(
    as: FastifyRequest,
    intervalId: string,
    vppId: string,
  ): Promise<Committed<DispatchInstruction>> {
    return this.#contract.submit(as, DISPATCH_TX.AcknowledgeDispatch, [intervalId, vppId]);
  }

  allocateSetpoints(
    as: FastifyRequest,
    intervalId: string,
    vppId: string,
  ): Promise<Committed<AllocatedSetpoints>> {
    return this.#contract.submit(as, DISPATCH_TX.AllocateSetpoints, [intervalId, vppId]);
  }

  dispatch(as: FastifyRequest, intervalId: string, vppId: string): Promise<DispatchView> {
    return this.#contract.evaluate(as, DISPATCH_TX.GetDispatch, [intervalId, vppId]);
  }
}
