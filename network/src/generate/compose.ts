/**
 * docker-compose.yaml: the same topology on the official Fabric images of the pinned versions.
 * In compose every node is its own container, so its host is its service name: the environment
 * comes from nodeEnvOf on a topology copy whose hosts are the service names, with container paths.
 * Each service starts its node the way the native launcher (process/launch.ts) does.
 */
import path from 'node:path';
import { Document, isScalar, visit } from 'yaml';
import { tlsCaConfigFile } from '../../../ca/src';
import { caHome } from '../../../platform/src/ca-layout';
import {
  nodeOf,
  nodesOf,
  serviceNameOf,
  type NetworkNode,
  type OrgNodeRole,
  type Org,
  type Topology,
} from '../../../platform/src/topology';
import { composeSourceOf, containerLayout, type RunLayout } from './layout';
import { nodeEnvOf } from './node-env';

export const COMPOSE_NETWORK = 'vpp';
export const COMPOSE_HEADER = 'generated from network/topology.yaml by `npm run generate`; do not edit';
/** The rest of the file's opening comment: what the deployment expects to find in ./network/run. */
export const COMPOSE_NOTES = [
  '',
  '`npm run generate` also prepares each CA home, ./network/run/data/ca.<org>, bind-mounted into',
  'its CA service: the identity CA config (which holds the bootstrap registrar, so no secret is',
  'on a command line or in this file) and the TLS CA config, tlsca/, loaded with --cafiles. The',
  'CA keeps its keys and database there, the same as the native run (`npm start`).',
  'The crypto of the other nodes comes from the same enrollment as the native run: `npm start`',
  'enrolls every node and user into ./network/run/crypto, which these services mount read-only.',
  'Chaincode servers take the installed package id from VPP_CHAINCODE_ID.',
  'The LDAP certificate directory (topology `directory`, OpenLDAP slapd) has no service here: it runs',
  'natively only (`npm start`), and the gateways of this deployment publish nowhere without it.',
];
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

// platform/src/topology.ts keeps its own role → section table private; this mirrors it.
const SECTION: Record<OrgNodeRole, 'ca' | 'orderer' | 'peer' | 'chaincodeServer' | 'gateway'> = {
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
    for (const role of Object.keys(SECTION) as OrgNodeRole[]) {
      org[SECTION[role]].host = serviceNameOf(nodeOf(org, role));
    }
  }
  return copy;
}

/** Only the folders a node reads are mounted: a container never sees another node's keys. */
function cryptoMountsOf(role: OrgNodeRole, org: Org, layout: RunLayout): string[] {
  switch (role) {
    case 'peer':
      // The chaincode server's TLS root: the peer's ccaas builder config must carry it (peerCommand).
      return [layout.crypto(org.name, role), layout.tls(org.name, 'chaincode', 'ca.crt')];
    case 'orderer':
    case 'chaincode':
      return [layout.crypto(org.name, role)];
    case 'gateway':
      return [
        layout.crypto(org.name, 'users'),
        layout.tls(org.name, 'peer', 'ca.crt'),
        layout.crypto(org.name, 'gateway', 'tls'),
        layout.tlsRoots(),
      ];
    case 'ca':
      // The CA's keys live in its home, bind-mounted read-write from the run folder (runOf).
      return [];
  }
}

function imageOf(role: OrgNodeRole, fabric: Topology['fabric']): string {
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
  /** The whole environment, instead of nodeEnvOf's. */
  environment?: Record<string, string>;
  mounts?: string[];
  /** The data folder is the run folder's, bind-mounted, rather than a named volume. */
  bindData?: boolean;
}

/**
 * The peer image runs `peer node start` with its own core.yaml, which declares the ccaas builder
 * (/opt/hyperledger/ccaas_builder, propagating CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG) as the
 * project's core.yaml does natively. The builder config must also carry the chaincode server's
 * TLS root (the package's connection.json requires TLS, and the builder fails on a missing
 * template key), but that PEM exists only after enrollment: the peer's shell appends it, read
 * from the mounted file, to the generated config before it starts the peer. POSIX sh only; a PEM
 * needs no JSON escaping beyond its line breaks. Compose reads `$$` as a literal `$`.
 */
export function peerCommand(rootCertFile: string): string[] {
  const script = [
    '[ -r "$1" ] || { echo "$1 is missing: enroll first (npm start)" >&2; exit 1; }',
    "pem=''",
    'while IFS= read -r line || [ -n "$line" ]; do pem="$pem$line\\n"; done < "$1"',
    'export CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG="${CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG%\\}},\\"ccrootcert\\":\\"$pem\\"}"',
    'exec peer node start',
  ].join('; ');
  return ['sh', '-c', script.replaceAll('$', '$$$$'), 'peer', rootCertFile];
}

/** What differs per node beyond the image defaults (the orderer runs its image's CMD). */
function runOf(node: ComposedNode, env: Record<string, string>, layout: RunLayout): RoleRun {
  const repo = (from: string, to: string) => `./${from}:${APP_DIR}/${to}:ro`;
  const org = node.org.name;
  switch (node.role) {
    case 'ca': {
      // As the native launch (prepareCaServer): the identity CA from the home's config, which
      // names the bootstrap registrar, and the TLS CA with --cafiles. No -b, no secret here.
      const relative = path.relative(caHome(org), tlsCaConfigFile(org)).split(path.sep);
      return {
        command: [
          'fabric-ca-server',
          'start',
          '--cafiles',
          path.posix.join(layout.data(node.id), ...relative),
        ],
        bindData: true,
      };
    }
    case 'peer':
      return { command: peerCommand(layout.tls(org, 'chaincode', 'ca.crt')) };
    case 'chaincode':
      // The native launch's arguments, run by the image's Node 24. The package id exists only
      // after `peer lifecycle chaincode install`: the lifecycle step exports it.
      return {
        command: [
          'node',
          `${APP_DIR}/node_modules/fabric-shim/cli.js`,
          'server',
          '--chaincode-address',
          required(env, 'CORE_CHAINCODE_ADDRESS'),
          '--chaincode-id',
          '${VPP_CHAINCODE_ID:-}',
          '--chaincode-tls-cert-file',
          required(env, 'CORE_CHAINCODE_TLS_CERT_FILE'),
          '--chaincode-tls-key-file',
          required(env, 'CORE_CHAINCODE_TLS_KEY_FILE'),
          '--module-path',
          `${APP_DIR}/chaincode`,
        ],
        working_dir: APP_DIR,
        // Everything is on the command line, as natively: fabric-shim would also read CORE_* variables.
        environment: {},
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
    case 'orderer':
      return {};
  }
}

function required(env: Record<string, string>, key: string): string {
  const value = env[key];
  if (value === undefined) throw new Error(`generated environment lacks ${key}`);
  return value;
}

function sorted(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `inCompose` is the topology with service names as hosts (composeTopologyOf). */
function serviceOf(inCompose: Topology, node: ComposedNode): ComposeService {
  const layout = containerLayout();
  const name = serviceNameOf(node);
  const env = nodeEnvOf(inCompose, node, { layout });
  const { environment, mounts, bindData, ...run } = runOf(node, env, layout);
  const data = layout.data(node.id);
  return {
    image: imageOf(node.role, inCompose.fabric),
    hostname: name,
    ...run,
    environment: sorted(environment ?? env),
    // pprof (the peer's profilePort) is a debugging endpoint: published on the host's loopback only.
    ports: Object.entries(node.ports).map(([key, port]) =>
      key === 'profilePort' ? `127.0.0.1:${port}:${port}` : `${port}:${port}`,
    ),
    volumes: [
      ...cryptoMountsOf(node.role, node.org, layout).map(
        (target) => `${composeSourceOf(target)}:${target}:ro`,
      ),
      ...(mounts ?? []),
      bindData ? `${composeSourceOf(data)}:${data}:rw` : `${dataVolumeOf(node)}:${data}`,
    ],
    networks: [COMPOSE_NETWORK],
    restart: 'unless-stopped',
  };
}

export function dataVolumeOf(node: Pick<NetworkNode, 'id'>): string {
  return `${serviceNameOf(node)}-data`;
}

/** Whether the node's data folder is a named volume (every node but the CAs, whose home is bind-mounted). */
export function hasDataVolume(node: Pick<NetworkNode, 'role'>): boolean {
  return node.role !== 'ca';
}

/** A node with a compose service: every node but the LDAP directory (see COMPOSE_NOTES). */
export type ComposedNode = NetworkNode & { role: OrgNodeRole };

export function composedNodesOf(topology: Topology): ComposedNode[] {
  return nodesOf(topology).filter((node): node is ComposedNode => node.role !== 'directory');
}

export function composeOf(topology: Topology): ComposeFile {
  const nodes = composedNodesOf(topology);
  const inCompose = composeTopologyOf(topology);
  return {
    name: topology.name,
    services: Object.fromEntries(nodes.map((node) => [serviceNameOf(node), serviceOf(inCompose, node)])),
    networks: { [COMPOSE_NETWORK]: {} },
    volumes: Object.fromEntries(nodes.filter(hasDataVolume).map((node) => [dataVolumeOf(node), {}])),
  };
}

export function composeYaml(topology: Topology): string {
  const doc = new Document(composeOf(topology), { aliasDuplicateObjects: false });
  doc.commentBefore = [COMPOSE_HEADER, ...COMPOSE_NOTES].map((line) => (line ? ` ${line}` : '')).join('\n');
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
