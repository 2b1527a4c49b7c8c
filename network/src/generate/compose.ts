/**
 * docker-compose.yaml: the same topology on the official Fabric images of the pinned versions.
 * In compose every node is its own container, so its host is its service name: the environment
 * comes from nodeEnvOf on a topology copy whose hosts are the service names, with container paths.
 */
import { Document, isScalar, visit } from 'yaml';
import { nodeOf, nodesOf, type NetworkNode, type NodeRole, type Org, type Topology } from '../topology';
import { composeSourceOf, containerLayout, type RunLayout } from './layout';
import { nodeEnvOf } from './node-env';

export const COMPOSE_NETWORK = 'vpp';
export const COMPOSE_HEADER = 'generated from network/topology.yaml by `npm run generate`; do not edit';
/** Where the Node services see the repository (package.json, node_modules, build output). */
const APP_DIR = '/app';

export interface ComposeService {
  image: string;
  hostname: string;
  command?: string[];
  working_dir?: string;
  environment: Record<string, string>;
  ports: string[];
  volumes: string[];
  networks: string[];
  restart: string;
}

export interface ComposeFile {
  name: string;
  services: Record<string, ComposeService>;
  networks: Record<string, object>;
  volumes: Record<string, object>;
}

/** A DNS label (no dots, so no resolver search-domain surprises): `peer.cvpp` → `peer-cvpp`. */
export function serviceNameOf(node: Pick<NetworkNode, 'id'>): string {
  return node.id.replace(/[^a-z0-9-]/gi, '-').toLowerCase();
}

// topology.ts keeps its own role → section table private; this mirrors it.
const SECTION: Record<NodeRole, 'ca' | 'orderer' | 'peer' | 'chaincodeServer' | 'gateway'> = {
  ca: 'ca',
  orderer: 'orderer',
  peer: 'peer',
  chaincode: 'chaincodeServer',
  gateway: 'gateway',
};

/** The topology as the compose deployment sees it: every node's host is its service name. */
export function composeTopologyOf(topology: Topology): Topology {
  const copy = structuredClone(topology);
  for (const org of copy.orgs) {
    for (const role of Object.keys(SECTION) as NodeRole[]) {
      org[SECTION[role]].host = serviceNameOf(nodeOf(org, role));
    }
  }
  return copy;
}

/** Only the folders a node reads are mounted: a container never sees another node's keys. */
function cryptoMountsOf(role: NodeRole, org: Org, layout: RunLayout): string[] {
  switch (role) {
    case 'peer':
    case 'orderer':
    case 'chaincode':
      return [layout.crypto(org.name, role)];
    case 'gateway':
      return [layout.crypto(org.name, 'users'), layout.tls(org.name, 'peer', 'ca.crt')];
    case 'ca':
      // The CA's keys live in its home, the data volume.
      return [];
  }
}

function imageOf(role: NodeRole, fabric: Topology['fabric']): string {
  switch (role) {
    case 'ca':
      return `hyperledger/fabric-ca:${fabric.caVersion}`;
    case 'orderer':
      return `hyperledger/fabric-orderer:${fabric.version}`;
    case 'peer':
      return `hyperledger/fabric-peer:${fabric.version}`;
    case 'chaincode':
    case 'gateway':
      return 'node:24';
  }
}

interface RoleRun {
  command?: string[];
  working_dir?: string;
  env?: Record<string, string>;
  mounts?: string[];
}

/** What differs per role beyond the image defaults (peer and orderer run their image's CMD). */
function runOf(role: NodeRole): RoleRun {
  const repo = (from: string, to: string) => `./${from}:${APP_DIR}/${to}:ro`;
  switch (role) {
    case 'ca':
      // No default admin password in a committed file: the bootstrap user:pass comes from the shell.
      return {
        command: ['fabric-ca-server', 'start'],
        env: { FABRIC_CA_SERVER_BOOT: '${VPP_CA_BOOTSTRAP:-}' },
      };
    case 'chaincode':
      return {
        command: ['npx', 'fabric-chaincode-node', 'server', '--module-path', `${APP_DIR}/chaincode`],
        working_dir: APP_DIR,
        // The package id exists only after `peer lifecycle chaincode install`: the lifecycle step exports it.
        env: { CORE_CHAINCODE_ID: '${VPP_CHAINCODE_ID:-}' },
        mounts: [
          repo('package.json', 'package.json'),
          repo('node_modules', 'node_modules'),
          repo('chaincode', 'chaincode'),
        ],
      };
    case 'gateway':
      return {
        // Placeholder until the gateway exists; the service and its port are already part of the topology.
        command: ['node', 'dist/gateway/src/server.js'],
        working_dir: APP_DIR,
        mounts: [
          repo('package.json', 'package.json'),
          repo('node_modules', 'node_modules'),
          repo('dist', 'dist'),
        ],
      };
    default:
      return {};
  }
}

function sorted(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `inCompose` is the topology with service names as hosts (composeTopologyOf). */
function serviceOf(inCompose: Topology, node: NetworkNode): ComposeService {
  const layout = containerLayout();
  const name = serviceNameOf(node);
  const { env, mounts, ...run } = runOf(node.role);
  return {
    image: imageOf(node.role, inCompose.fabric),
    hostname: name,
    ...run,
    environment: sorted({ ...nodeEnvOf(inCompose, node, { layout }), ...env }),
    ports: Object.values(node.ports).map((port) => `${port}:${port}`),
    volumes: [
      ...cryptoMountsOf(node.role, node.org, layout).map(
        (target) => `${composeSourceOf(target)}:${target}:ro`,
      ),
      ...(mounts ?? []),
      `${dataVolumeOf(node)}:${layout.data(node.id)}`,
    ],
    networks: [COMPOSE_NETWORK],
    restart: 'unless-stopped',
  };
}

export function dataVolumeOf(node: Pick<NetworkNode, 'id'>): string {
  return `${serviceNameOf(node)}-data`;
}

export function composeOf(topology: Topology): ComposeFile {
  const nodes = nodesOf(topology);
  const inCompose = composeTopologyOf(topology);
  return {
    name: topology.name,
    services: Object.fromEntries(nodes.map((node) => [serviceNameOf(node), serviceOf(inCompose, node)])),
    networks: { [COMPOSE_NETWORK]: {} },
    volumes: Object.fromEntries(nodes.map((node) => [dataVolumeOf(node), {}])),
  };
}

export function composeYaml(topology: Topology): string {
  const doc = new Document(composeOf(topology), { aliasDuplicateObjects: false });
  doc.commentBefore = ` ${COMPOSE_HEADER}`;
  // YAML 1.1 parsers read an unquoted 7051:7051 as a base-60 number; quote every port mapping.
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'string' && /^\d+:\d+$/.test(node.value)) {
        node.type = 'QUOTE_DOUBLE';
      }
    },
  });
  return doc.toString({ lineWidth: 0 });
}
