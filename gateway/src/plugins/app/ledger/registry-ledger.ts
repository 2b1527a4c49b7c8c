/** The registry contract as the gateway calls it: VPPs, DERs and their device certificates. */
import type { FastifyRequest } from 'fastify';
import {
  REGISTRY_CONTRACT_NAME,
  REGISTRY_TX,
  type Der,
  type DerBatchResult,
  type DerInput,
  type DerPage,
  type Vpp,
  type VppInput,
  type VppPage,
} from '../../../../../chaincode/src/api';
import type { FabricPort } from '../fabric-connection';
import { ContractClient, type Committed } from './contract-client';

/** TSDoc'd facade: the registry's records, typed as the chaincode answers them. */
export class RegistryLedger {
  readonly #contract: ContractClient<keyof typeof REGISTRY_TX>;

  constructor(fabric: FabricPort) {
    this.#contract = new ContractClient(fabric, REGISTRY_CONTRACT_NAME);
  }

  registerVpp(as: FastifyRequest, vpp: VppInput): Promise<Committed<Vpp>> {
    return this.#contract.submit(as, REGISTRY_TX.RegisterVpp, [JSON.stringify(vpp)]);
  }

  /** One page of the registered VPPs in id order; `bookmark` is the previous page's ('' for the first). */
  vpps(as: FastifyRequest, pageSize: number, bookmark: string): Promise<VppPage> {
    return this.#contract.evaluate(as, REGISTRY_TX.ListVpps, [String(pageSize), bookmark]);
  }

  vpp(as: FastifyRequest, vppId: string): Promise<Vpp> {
    return this.#contract.evaluate(as, REGISTRY_TX.GetVpp, [vppId]);
  }

  /** One page of a VPP's DERs in id order; `bookmark` is the previous page's ('' for the first). */
  dersOfVpp(as: FastifyRequest, vppId: string, pageSize: number, bookmark: string): Promise<DerPage> {
    return this.#contract.evaluate(as, REGISTRY_TX.ListDersByVpp, [vppId, String(pageSize), bookmark]);
  }

  registerDer(as: FastifyRequest, der: DerInput): Promise<Committed<Der>> {
    return this.#contract.submit(as, REGISTRY_TX.RegisterDer, [JSON.stringify(der)]);
  }

  /** Registers many DERs in one transaction; the answer has one outcome per DER. */
  async registerDers(as: FastifyRequest, ders: readonly unknown[]): Promise<DerBatchResult> {
    const { result } = await this.#contract.submit<DerBatchResult>(as, REGISTRY_TX.RegisterDers, [
      JSON.stringify(ders),
    ]);
    return result;
  }

  der(as: FastifyRequest, derId: string): Promise<Der> {
    return this.#contract.evaluate(as, REGISTRY_TX.GetDer, [derId]);
  }

  suspendDer(as: FastifyRequest, derId: string, reason: string): Promise<Committed<Der>> {
    return this.#contract.submit(as, REGISTRY_TX.SuspendDer, [derId, reason]);
  }

  reinstateDer(as: FastifyRequest, derId: string, reason: string): Promise<Committed<Der>> {
    return this.#contract.submit(as, REGISTRY_TX.ReinstateDer, [derId, reason]);
  }

  revokeDerCertificate(
    as: FastifyRequest,
    derId: string,
    serial: string,
    reason: string,
  ): Promise<Committed<Der>> {
    return this.#contract.submit(as, REGISTRY_TX.RevokeDerCertificate, [derId, serial, reason]);
  }

  /**
   * DERs as stored (parsed JSON, unchecked), read as the gateway's ingest identity in one query, in
   * the order of `derIds`; undefined where no such DER is registered. Left unchecked: the reader checks
   * each with the chaincode's own parser.
   */
  async storedDersAsService(derIds: readonly string[]): Promise<unknown[]> {
    const bytes = await this.#contract.evaluateAsServiceRaw(REGISTRY_TX.GetDers, [JSON.stringify(derIds)]);
    const values: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    if (!Array.isArray(values)) throw new Error('GetDers did not answer a list');
    return values.map((value: unknown) => (value === null ? undefined : value));
  }
}
