/**
 * One connection profile per org: what a client of that org (the gateway, the CLI scripts) needs to
 * reach the network. The gateway talks to its own org's peer; orderers are listed for tools such as
 * `peer channel` and osnadmin.
 */
import type { Org, Topology } from '../../../platform/src/topology';
import { hostLayout, type RunLayout } from './layout';

export interface Endpoint {
  org: string;
  mspId: string;
  /** host:port as advertised in the topology. */
  endpoint: string;
  /** The TLS CA certificate that signed this node's server certificate. */
  tlsCACert: string;
}

export interface ConnectionProfile {
  name: string;
  org: string;
  mspId: string;
  channel: string;
  chaincode: string;
  peer: Endpoint;
  orderers: Endpoint[];
}

export function connectionProfileOf(
  topology: Topology,
  org: Org,
  layout: RunLayout = hostLayout(),
): ConnectionProfile {
  return {
    name: `${topology.name}-${org.name}`,
    org: org.name,
    mspId: org.mspId,
    channel: topology.channel.name,
    chaincode: topology.chaincode.name,
    peer: {
      org: org.name,
      mspId: org.mspId,
      endpoint: `${org.peer.host}:${org.peer.port}`,
      tlsCACert: layout.tls(org.name, 'peer', 'ca.crt'),
    },
    // Own org first: a client tries it before the others.
    orderers: [org, ...topology.orgs.filter((o) => o !== org)].map((o) => ({
      org: o.name,
      mspId: o.mspId,
      endpoint: `${o.orderer.host}:${o.orderer.port}`,
      tlsCACert: layout.tls(o.name, 'orderer', 'ca.crt'),
    })),
  };
}

export const connectionProfileFile = (org: Pick<Org, 'name'>) => `connection-${org.name}.json`;
