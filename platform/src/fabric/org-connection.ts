/**
 * A fabric-gateway connection to an org's peer as one of that org's enrolled identities (crypto laid
 * out by ca/src/enroll.ts). Used by setup steps that transact (recording trust anchors), by the
 * benches and by the integration tests; the REST gateway keeps its own per-caller cache, on the same
 * factory (connect.ts).
 */
import type * as grpc from '@grpc/grpc-js';
import type { Contract, Gateway, Network, Signer } from '@hyperledger/fabric-gateway';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cryptoPaths } from '../paths';
import { orgByName, type Topology } from '../topology';
import { NotCommittedError, submitAndWait, type SubmitOutcome } from './bft-submit';
import { newGateway, newPeerClient } from './connect';

export interface Connection {
  gateway: Gateway;
  client: grpc.Client;
  network: Network;
  contract(name: string): Contract;
  /**
   * Endorses, orders and waits for the commit status the BFT-aware way (bft-submit.ts); throws
   * NotCommittedError when the transaction committed as invalid.
   */
  submit(contractName: string, transaction: string, args: string[]): Promise<SubmitOutcome>;
  close(): void;
}

/** The MSP folder's user: `admin`, `appuser`, `ingest` (see enrollmentIdsOf). */
export function connectAs(topology: Topology, orgName: string, user: string): Connection {
  const msp = cryptoPaths.userMsp(orgName, user);
  return connectWith(
    topology,
    orgName,
    readFileSync(path.join(msp, 'signcerts', 'cert.pem'), 'utf8'),
    readFileSync(path.join(msp, 'keystore', 'key.pem'), 'utf8'),
  );
}

/**
 * A connection to the org's peer that signs with the given certificate and its key: a private key
 * in PEM, or a signer whose key stays in an HSM token.
 */
export function connectWith(
  topology: Topology,
  orgName: string,
  certPem: string,
  key: string | Signer,
): Connection {
  const org = orgByName(topology, orgName);
  const client = newPeerClient(
    `${org.peer.host}:${org.peer.port}`,
    readFileSync(cryptoPaths.tls(org.name, 'peer', 'ca.crt')),
  );
  const gateway = newGateway(
    client,
    typeof key === 'string'
      ? { mspId: org.mspId, certPem, keyPem: key }
      : { mspId: org.mspId, certPem, signer: key },
  );
  const channel = topology.channel.name;
  const network = gateway.getNetwork(channel);
  const contract = (name: string) => network.getContract(topology.chaincode.name, name);
  return {
    gateway,
    client,
    network,
    contract,
    async submit(contractName, transaction, args) {
      const outcome = await submitAndWait(gateway, channel, contract(contractName), transaction, args);
      if (!outcome.status.successful)
        throw new NotCommittedError(transaction, outcome.txId, outcome.status.code);
      return outcome;
    },
    close: () => {
      gateway.close();
      client.close();
    },
  };
}
