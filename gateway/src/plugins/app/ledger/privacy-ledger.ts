/** The privacy contract as the gateway calls it: owner data, consent grants, accesses, sample anchors. */
import type { FastifyRequest } from 'fastify';
import {
  OWNER_DATA_TRANSIENT,
  ownerDataBytes,
  PRIVACY_CONTRACT_NAME,
  PRIVACY_TX,
  type AccessLogEntry,
  type AccessLogPage,
  type ConsentGrant,
  type DataSet,
  type GrantPage,
  type OwnerData,
  type OwnerDataFingerprint,
  type OwnerDataHash,
  type SampleAnchor,
} from '../../../../../chaincode/src/api';
import type { GrantBody } from '../../../schemas/privacy';
import type { FabricPort } from '../fabric-connection';
import { ContractClient, type Committed } from './contract-client';

/** TSDoc'd facade: the privacy contract's records, typed as the chaincode answers them. */
export class PrivacyLedger {
  readonly #contract: ContractClient<keyof typeof PRIVACY_TX>;

  /** `ownerDataEndorsers`: the MSPs of the owner-data collection, the only ones to see its data. */
  constructor(
    fabric: FabricPort,
    private readonly ownerDataEndorsers: readonly string[],
  ) {
    this.#contract = new ContractClient(fabric, PRIVACY_CONTRACT_NAME);
  }

  /**
   * The private collection gets the data through the transient map only, never as a proposal
   * argument, and only its members endorse (they alone may hold it).
   */
  putOwnerData(as: FastifyRequest, data: OwnerData): Promise<Committed<OwnerDataFingerprint>> {
    return this.#contract.submit(as, PRIVACY_TX.PutOwnerData, [data.derId], {
      transient: { [OWNER_DATA_TRANSIENT]: ownerDataBytes(data) },
      endorsers: this.ownerDataEndorsers,
    });
  }

  ownerData(as: FastifyRequest, derId: string): Promise<OwnerData> {
    return this.#contract.evaluate(as, PRIVACY_TX.GetOwnerData, [derId]);
  }

  ownerDataHash(as: FastifyRequest, derId: string): Promise<OwnerDataHash> {
    return this.#contract.evaluate(as, PRIVACY_TX.GetOwnerDataHash, [derId]);
  }

  /** The grant as the operator sent it: the chaincode checks grantee, period and DER. */
  grantAccess(as: FastifyRequest, grant: GrantBody): Promise<Committed<ConsentGrant>> {
    return this.#contract.submit(as, PRIVACY_TX.GrantAccess, [JSON.stringify(grant)]);
  }

  revokeGrant(as: FastifyRequest, grantId: string): Promise<Committed<ConsentGrant>> {
    return this.#contract.submit(as, PRIVACY_TX.RevokeGrant, [grantId]);
  }

  grant(as: FastifyRequest, grantId: string): Promise<ConsentGrant> {
    return this.#contract.evaluate(as, PRIVACY_TX.GetGrant, [grantId]);
  }

  /** One page of the grants on a DER's data by grant id (the owner's operator and the regulator). */
  grantsOfDer(as: FastifyRequest, derId: string, pageSize: number, bookmark: string): Promise<GrantPage> {
    return this.#contract.evaluate(as, PRIVACY_TX.ListGrantsOfDer, [derId, String(pageSize), bookmark]);
  }

  /** One page of a grant's accesses by transaction id; `bookmark` is the previous page's ('' first). */
  accessLog(as: FastifyRequest, grantId: string, pageSize: number, bookmark: string): Promise<AccessLogPage> {
    return this.#contract.evaluate(as, PRIVACY_TX.ListAccessLog, [grantId, String(pageSize), bookmark]);
  }

  /** Records the caller's access to `dataSet` under the grant; refused without a valid grant. */
  recordAccess(as: FastifyRequest, grantId: string, dataSet: DataSet): Promise<Committed<AccessLogEntry>> {
    return this.#contract.submit(as, PRIVACY_TX.RecordAccess, [grantId, JSON.stringify(dataSet)]);
  }

  sampleAnchor(as: FastifyRequest, anchorId: string): Promise<SampleAnchor> {
    return this.#contract.evaluate(as, PRIVACY_TX.GetSampleAnchor, [anchorId]);
  }

  /** The access recorded by transaction `txId`, read as the gateway itself (no user asks for it). */
  accessTicketAsService(txId: string): Promise<AccessLogEntry> {
    return this.#contract.evaluateAsService(PRIVACY_TX.GetAccessTicket, [txId]);
  }

  /** A grant, read as the gateway itself (to check an access ticket against it). */
  grantAsService(grantId: string): Promise<ConsentGrant> {
    return this.#contract.evaluateAsService(PRIVACY_TX.GetGrant, [grantId]);
  }
}
