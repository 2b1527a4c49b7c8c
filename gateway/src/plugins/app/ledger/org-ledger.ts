/** The org contract as the gateway calls it: each member's public profile. */
import type { FastifyRequest } from 'fastify';
import {
  ORG_CONTRACT_NAME,
  ORG_TX,
  type OrgProfile,
  type OrgProfileInput,
} from '../../../../../chaincode/src/api';
import type { FabricPort } from '../fabric-connection';
import { ContractClient, type Committed } from './contract-client';

/** TSDoc'd facade: member profiles, typed as the chaincode answers them. */
export class OrgLedger {
  readonly #contract: ContractClient<keyof typeof ORG_TX>;

  constructor(fabric: FabricPort) {
    this.#contract = new ContractClient(fabric, ORG_CONTRACT_NAME);
  }

  profiles(as: FastifyRequest): Promise<OrgProfile[]> {
    return this.#contract.evaluate(as, ORG_TX.ListOrgProfiles, []);
  }

  profile(as: FastifyRequest, mspId: string): Promise<OrgProfile> {
    return this.#contract.evaluate(as, ORG_TX.GetOrgProfile, [mspId]);
  }

  /** The profile of the caller's own org (the chaincode takes the org from the certificate). */
  putOwnProfile(as: FastifyRequest, profile: OrgProfileInput): Promise<Committed<OrgProfile>> {
    return this.#contract.submit(as, ORG_TX.PutOrgProfile, [JSON.stringify(profile)]);
  }
}
