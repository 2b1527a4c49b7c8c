/**
 * Connects to an org's peer through @hyperledger/fabric-gateway as one of that org's enrolled
 * identities (crypto laid out by ca/src/enroll.ts), for integration tests on the real network.
 */
import {
  connectAs as connectAsIdentity,
  connectWith as connectWithKey,
  type Connection,
} from '../../platform/src/fabric/org-connection';
import { loadTopology, orgByName, type Org, type Topology } from '../../platform/src/topology';

export const topology: Topology = loadTopology();

export function orgNamed(name: string): Org {
  return orgByName(topology, name);
}

export type { Connection };

export function connectAs(orgName: string, user: 'admin' | 'appuser' | 'ingest'): Connection {
  return connectAsIdentity(topology, orgName, user);
}

/** A fabric-gateway connection to the org's peer that signs with the given certificate and key. */
export function connectWith(orgName: string, certPem: string, keyPem: string): Connection {
  return connectWithKey(topology, orgName, certPem, keyPem);
}

export const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
