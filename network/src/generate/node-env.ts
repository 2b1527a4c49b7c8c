/**
 * The environment of each node process. Fabric reads every setting not in its core.yaml /
 * orderer.yaml defaults from CORE_* / ORDERER_* / FABRIC_CA_SERVER_* variables, so this is the
 * whole per-node configuration. Advertised addresses always use the topology host; only a
 * node's main port binds 0.0.0.0 (other hosts dial it), admin and operations bind the topology host.
 */
import { nodeOf, orgByName, type NetworkNode, type Org, type Topology } from '../../../platform/src/topology';
import { hostLayout, type RunLayout } from './layout';

export interface NodeEnvOptions {
  layout?: RunLayout;
  /**
   * PEM of the TLS root that signed the org's chaincode server certificate. The crypto exists only
   * after enrollment, so the launcher passes it; without it the builder config has no root cert.
   */
  chaincodeTlsRootPem?: string;
}

export type NodeEnv = Record<string, string>;

const ANY = '0.0.0.0';
const at = (host: string, port: number) => `${host}:${port}`;
/** Fabric reads a list from one variable written as a YAML flow sequence. */
const list = (...items: string[]) => `[${items.join(',')}]`;

/**
 * The node is looked up again in `topology` by role and org, so a topology copy with other hosts
 * (the compose deployment's) yields that deployment's addresses for the same node.
 */
export function nodeEnvOf(topology: Topology, node: NetworkNode, options: NodeEnvOptions = {}): NodeEnv {
  // slapd takes its whole configuration from the slapd.conf the launcher writes (directory/slapd.ts).
  if (node.role === 'directory') return {};
  const org = orgByName(topology, node.org.name);
  const self = nodeOf(org, node.role);
  const layout = options.layout ?? hostLayout();
  switch (node.role) {
    case 'peer':
      return peerEnv(org, self, layout, options);
    case 'orderer':
      return ordererEnv(org, self, layout);
    case 'ca':
      return caEnv(org, self, layout);
    case 'chaincode':
      return chaincodeEnv(org, self, layout);
    case 'gateway':
      return gatewayEnv(org, self, layout);
  }
}

function peerEnv(org: Org, node: NetworkNode, layout: RunLayout, options: NodeEnvOptions): NodeEnv {
  const { peer, chaincodeServer } = org;
  const { chaincodeTlsRootPem } = options;
  const address = at(peer.host, peer.port);
  const data = layout.data(node.id);
  return {
    CORE_PEER_ID: node.id,
    CORE_PEER_ADDRESS: address,
    CORE_PEER_LISTENADDRESS: at(ANY, peer.port),
    // Only chaincode launched by the peer dials this; CCaaS servers are dialled by the peer instead.
    CORE_PEER_CHAINCODELISTENADDRESS: at(peer.host, peer.chaincodePort),
    CORE_PEER_CHAINCODEADDRESS: at(peer.host, peer.chaincodePort),
    // Without an external endpoint, peers of other orgs never learn of this one.
    CORE_PEER_GOSSIP_EXTERNALENDPOINT: address,
    // The org's only peer: it bootstraps gossip from itself.
    CORE_PEER_GOSSIP_BOOTSTRAP: address,
    // Peers of other orgs are found by re-dialling anchor peers that were not on the channel yet
    // at join time; the default (25 s) delays every start by that much.
    CORE_PEER_GOSSIP_RECONNECTINTERVAL: '5s',
    CORE_PEER_LOCALMSPID: org.mspId,
    CORE_PEER_MSPCONFIGPATH: layout.nodeMsp(org.name, 'peer'),
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_CERT_FILE: layout.tls(org.name, 'peer', 'server.crt'),
    CORE_PEER_TLS_KEY_FILE: layout.tls(org.name, 'peer', 'server.key'),
    CORE_PEER_TLS_ROOTCERT_FILE: layout.tls(org.name, 'peer', 'ca.crt'),
    CORE_PEER_FILESYSTEMPATH: data,
    // The default is one fixed folder shared by every peer of the machine.
    CORE_LEDGER_SNAPSHOTS_ROOTDIR: `${data}/snapshots`,
    CORE_LEDGER_STATE_STATEDATABASE: 'goleveldb',
    CORE_OPERATIONS_LISTENADDRESS: at(peer.host, peer.operationsPort),
    CORE_METRICS_PROVIDER: 'prometheus',
    // Go's pprof on the peer's own host, for the bench's --profile: off unless the topology names a port.
    ...(peer.profilePort === undefined
      ? {}
      : {
          CORE_PEER_PROFILE_ENABLED: 'true',
          CORE_PEER_PROFILE_LISTENADDRESS: at(peer.host, peer.profilePort),
        }),
    // Empty: no Docker engine; chaincode runs as a service reached through the ccaas builder.
    CORE_VM_ENDPOINT: '',
    // The ccaas builder itself is declared in core.yaml (bring-up writes the project's copy; the
    // official image's declares /opt/hyperledger/ccaas_builder). This fills the templates of the
    // shared package's connection.json, so each peer dials its own org's chaincode server.
    CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG: JSON.stringify({
      peername: org.name,
      ccaddress: at(chaincodeServer.host, chaincodeServer.port),
      ...(chaincodeTlsRootPem ? { ccrootcert: chaincodeTlsRootPem } : {}),
    }),
  };
}

function ordererEnv(org: Org, node: NetworkNode, layout: RunLayout): NodeEnv {
  const { orderer } = org;
  const tlsCert = layout.tls(org.name, 'orderer', 'server.crt');
  const tlsKey = layout.tls(org.name, 'orderer', 'server.key');
  const tlsCa = layout.tls(org.name, 'orderer', 'ca.crt');
  const data = layout.data(node.id);
  return {
    ORDERER_GENERAL_LISTENADDRESS: ANY,
    ORDERER_GENERAL_LISTENPORT: String(orderer.port),
    ORDERER_GENERAL_LOCALMSPID: org.mspId,
    ORDERER_GENERAL_LOCALMSPDIR: layout.nodeMsp(org.name, 'orderer'),
    ORDERER_GENERAL_TLS_ENABLED: 'true',
    ORDERER_GENERAL_TLS_CERTIFICATE: tlsCert,
    ORDERER_GENERAL_TLS_PRIVATEKEY: tlsKey,
    ORDERER_GENERAL_TLS_ROOTCAS: list(tlsCa),
    // Consenters dial each other with the TLS pair the ConsenterMapping names as ClientTLSCert.
    ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE: tlsCert,
    ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY: tlsKey,
    ORDERER_GENERAL_CLUSTER_ROOTCAS: list(tlsCa),
    // No system channel in v3: channels are joined with osnadmin through the admin endpoint.
    ORDERER_GENERAL_BOOTSTRAPMETHOD: 'none',
    ORDERER_CHANNELPARTICIPATION_ENABLED: 'true',
    ORDERER_ADMIN_LISTENADDRESS: at(orderer.host, orderer.adminPort),
    ORDERER_ADMIN_TLS_ENABLED: 'true',
    ORDERER_ADMIN_TLS_CERTIFICATE: tlsCert,
    ORDERER_ADMIN_TLS_PRIVATEKEY: tlsKey,
    ORDERER_ADMIN_TLS_ROOTCAS: list(tlsCa),
    // Only holders of a certificate from the org's TLS CA may join or remove channels.
    ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED: 'true',
    ORDERER_ADMIN_TLS_CLIENTROOTCAS: list(tlsCa),
    ORDERER_OPERATIONS_LISTENADDRESS: at(orderer.host, orderer.operationsPort),
    ORDERER_METRICS_PROVIDER: 'prometheus',
    ORDERER_FILELEDGER_LOCATION: `${data}/ledger`,
    ORDERER_CONSENSUS_WALDIR: `${data}/consensus/wal`,
    ORDERER_CONSENSUS_SNAPDIR: `${data}/consensus/snapshot`,
  };
}

function caEnv(org: Org, node: NetworkNode, layout: RunLayout): NodeEnv {
  const { ca } = org;
  // The server's own TLS certificate must be valid for every name clients use to reach it.
  const hosts = [...new Set([ca.host, 'localhost', '127.0.0.1'])];
  return {
    FABRIC_CA_SERVER_HOME: layout.data(node.id),
    FABRIC_CA_SERVER_ADDRESS: ANY,
    FABRIC_CA_SERVER_PORT: String(ca.port),
    FABRIC_CA_SERVER_TLS_ENABLED: 'true',
    FABRIC_CA_SERVER_CSR_HOSTS: hosts.join(','),
    FABRIC_CA_SERVER_OPERATIONS_LISTENADDRESS: at(ca.host, ca.operationsPort),
    FABRIC_CA_SERVER_METRICS_PROVIDER: 'prometheus',
  };
}

/**
 * fabric-chaincode-node reads its options from CORE_* variables. CORE_CHAINCODE_ID is not here:
 * it is the package id that `peer lifecycle chaincode install` prints, so the lifecycle step adds it.
 * TLS is server-side only (no client CA): the shared package's connection.json carries no client pair.
 */
function chaincodeEnv(org: Org, node: NetworkNode, layout: RunLayout): NodeEnv {
  return {
    CORE_CHAINCODE_ADDRESS: at(ANY, node.port),
    CORE_CHAINCODE_TLS_CERT_FILE: layout.tls(org.name, 'chaincode', 'server.crt'),
    CORE_CHAINCODE_TLS_KEY_FILE: layout.tls(org.name, 'chaincode', 'server.key'),
  };
}

function gatewayEnv(org: Org, node: NetworkNode, layout: RunLayout): NodeEnv {
  return {
    VPP_GATEWAY_ORG: org.name,
    VPP_GATEWAY_MSPID: org.mspId,
    VPP_GATEWAY_PORT: String(node.port),
    VPP_PEER_ENDPOINT: at(org.peer.host, org.peer.port),
    VPP_PEER_TLS_CA: layout.tls(org.name, 'peer', 'ca.crt'),
    VPP_GATEWAY_TLS_CERT: layout.tls(org.name, 'gateway', 'server.crt'),
    VPP_GATEWAY_TLS_KEY: layout.tls(org.name, 'gateway', 'server.key'),
    VPP_GATEWAY_TLS_ROOTS: layout.tlsRoots(),
  };
}

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A value as POSIX sh reads it back unchanged: bare when safe, else single-quoted. */
export function shQuote(value: string): string {
  return SAFE.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Sorted KEY=value lines, read back by `set -a; . file` in POSIX sh. */
export function envFileText(env: NodeEnv): string {
  return Object.entries(env)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${shQuote(value)}`)
    .join('\n')
    .concat('\n');
}
