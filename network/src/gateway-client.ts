/**
 * A fabric-gateway connection to an org's peer as one of that org's enrolled identities (crypto laid
 * out by ca/src/enroll.ts). Used by setup steps that transact (recording trust anchors) and by the
 * integration tests; the REST gateway has its own per-caller connection cache.
 */
import * as grpc from '@grpc/grpc-js';
import {
  connect,
  hash,
  signers,
  type Contract,
  type Gateway,
  type Network,
} from '@hyperledger/fabric-gateway';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cryptoPaths } from '../../platform/src/paths';
import { orgByName, type Topology } from '../../platform/src/topology';

export interface Connection {
  gateway: Gateway;
  client: grpc.Client;
  network: Network;
  contract(name: string): Contract;
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

/** A connection to the org's peer that signs with the given certificate and key. */
export function connectWith(
  topology: Topology,
  orgName: string,
  certPem: string,
  keyPem: string,
): Connection {
  const org = orgByName(topology, orgName);
  const client = new grpc.Client(
    `${org.peer.host}:${org.peer.port}`,
    grpc.credentials.createSsl(readFileSync(cryptoPaths.tls(org.name, 'peer', 'ca.crt'))),
  );
  const gateway = connect({
    client,
    identity: { mspId: org.mspId, credentials: Buffer.from(certPem) },
    signer: signers.newPrivateKeySigner(createPrivateKey(keyPem)),
    hash: hash.sha256,
    evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
    endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
    submitOptions: () => ({ deadline: Date.now() + 30_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 120_000 }),
  });
  const network = gateway.getNetwork(topology.channel.name);
  return {
    gateway,
    client,
    network,
    contract: (name) => network.getContract(topology.chaincode.name, name),
    close: () => {
      gateway.close();
      client.close();
    },
  };
}
