/**
 * Connects to an org's peer through @hyperledger/fabric-gateway as one of that org's enrolled
 * identities (crypto laid out by ca/src/enroll.ts), for integration tests on the real network.
 */
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers, type Contract, type Gateway } from '@hyperledger/fabric-gateway';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cryptoPaths } from '../../network/src/paths';
import { loadTopology, orgByName, type Org, type Topology } from '../../network/src/topology';

export const topology: Topology = loadTopology();

export function orgNamed(name: string): Org {
  return orgByName(topology, name);
}

export interface Connection {
  gateway: Gateway;
  client: grpc.Client;
  contract(name: string): Contract;
  close(): void;
}

export function connectAs(orgName: string, user: 'admin' | 'appuser'): Connection {
  const msp = cryptoPaths.userMsp(orgName, user);
  return connectWith(
    orgName,
    readFileSync(path.join(msp, 'signcerts', 'cert.pem'), 'utf8'),
    readFileSync(path.join(msp, 'keystore', 'key.pem'), 'utf8'),
  );
}

/** A fabric-gateway connection to the org's peer that signs with the given certificate and key. */
export function connectWith(orgName: string, certPem: string, keyPem: string): Connection {
  const org = orgNamed(orgName);
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
    contract: (name) => network.getContract(topology.chaincode.name, name),
    close: () => {
      gateway.close();
      client.close();
    },
  };
}

export const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
