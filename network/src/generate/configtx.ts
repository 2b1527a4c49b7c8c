/**
 * configtx.yaml for the application channel: four orgs, each an application org and a SmartBFT
 * consenter. Field names follow Fabric v3.1's configtxgen (internal/configtxgen/genesisconfig).
 */
import { Document } from 'yaml';
import type { Org, Topology } from '../../../platform/src/topology';
import { hostLayout, type RunLayout } from './layout';

export const PROFILE_NAME = 'VppChannel';

interface Policy {
  Type: 'Signature' | 'ImplicitMeta';
  Rule: string;
}
type Policies = Record<string, Policy>;

export interface ConfigtxOrganization {
  Name: string;
  ID: string;
  MSPDir: string;
  Policies: Policies;
  OrdererEndpoints: string[];
  AnchorPeers: { Host: string; Port: number }[];
}

export interface Consenter {
  ID: number;
  Host: string;
  Port: number;
  MSPID: string;
  Identity: string;
  ClientTLSCert: string;
  ServerTLSCert: string;
}

const signature = (rule: string): Policy => ({ Type: 'Signature', Rule: rule });
const implicitMeta = (rule: string): Policy => ({ Type: 'ImplicitMeta', Rule: rule });
/** `OR('CvppMSP.admin', 'CvppMSP.peer')`: roles come from the NodeOUs of the org's MSP. */
const anyOf = (mspId: string, ...roles: string[]) => `OR(${roles.map((r) => `'${mspId}.${r}'`).join(', ')})`;

/** Fabric reads "10 MB" itself only for 32-bit fields; the 64-bit SmartBFT sizes need plain bytes. */
export function bytesOf(size: string): number {
  const match = /^(\d+) (KB|MB)$/.exec(size);
  if (!match) throw new Error(`not a byte size: ${size}`);
  return Number(match[1]) * (match[2] === 'KB' ? 1024 : 1024 * 1024);
}

export function organizationOf(org: Org, layout: RunLayout): ConfigtxOrganization {
  const id = org.mspId;
  return {
    // The org's group in the channel config is keyed by Name; using the MSP ID keeps config updates readable.
    Name: id,
    ID: id,
    MSPDir: layout.orgMsp(org.name),
    Policies: {
      // Every org runs an orderer: consenters sign votes and blocks and pull blocks, which the
      // orderer group checks against these Readers/Writers policies.
      Readers: signature(anyOf(id, 'admin', 'peer', 'client', 'orderer')),
      Writers: signature(anyOf(id, 'admin', 'client', 'orderer')),
      Admins: signature(anyOf(id, 'admin')),
      Endorsement: signature(anyOf(id, 'peer')),
    },
    // Under V3_0 every orderer org lists its own orderers, one to one with the consenters.
    OrdererEndpoints: [`${org.orderer.host}:${org.orderer.port}`],
    AnchorPeers: [{ Host: org.peer.host, Port: org.peer.port }],
  };
}

export function consentersOf(topology: Topology, layout: RunLayout): Consenter[] {
  return topology.orgs.map((org, i) => ({
    ID: i + 1,
    Host: org.orderer.host,
    Port: org.orderer.port,
    MSPID: org.mspId,
    // The enrollment (signing) certificate: blocks are signed with it, so peers verify against it.
    Identity: layout.signCert(org.name, 'orderer'),
    // One TLS pair serves both directions of the cluster connection.
    ClientTLSCert: layout.tls(org.name, 'orderer', 'server.crt'),
    ServerTLSCert: layout.tls(org.name, 'orderer', 'server.crt'),
  }));
}

/** SmartBFT options; configtxgen takes none from defaults once the section exists, so all are set. */
export function smartBftOf(channel: Topology['channel']) {
  const bft = channel.smartBft;
  const batchBytes = bytesOf(channel.batch.absoluteMaxBytes);
  return {
    // The orderer overrides these two with BatchSize.MaxMessageCount and AbsoluteMaxBytes; kept equal.
    RequestBatchMaxCount: channel.batch.maxMessageCount,
    RequestBatchMaxBytes: batchBytes,
    // The block timer under BFT (BatchTimeout is ignored).
    RequestBatchMaxInterval: bft.requestBatchMaxInterval,
    IncomingMessageBufferSize: 200,
    RequestPoolSize: 100000,
    RequestForwardTimeout: bft.requestForwardTimeout,
    RequestComplainTimeout: bft.requestComplainTimeout,
    RequestAutoRemoveTimeout: bft.requestAutoRemoveTimeout,
    // SmartBFT rejects a request limit above the batch limit: one transaction may fill a block.
    RequestMaxBytes: batchBytes,
    ViewChangeResendInterval: bft.viewChangeResendInterval,
    ViewChangeTimeout: bft.viewChangeTimeout,
    LeaderHeartbeatTimeout: bft.leaderHeartbeatTimeout,
    LeaderHeartbeatCount: bft.leaderHeartbeatCount,
    CollectTimeout: bft.collectTimeout,
    // A restarted orderer pulls the blocks it missed at once, rather than when traffic shows it is behind.
    SyncOnStart: true,
    SpeedUpViewChange: false,
    // LeaderRotation is left out: configtxgen v3.1 forces it off for BFT channels.
  };
}

const STANDARD_POLICIES = {
  Readers: implicitMeta('ANY Readers'),
  Writers: implicitMeta('ANY Writers'),
  Admins: implicitMeta('MAJORITY Admins'),
};

export function configtxOf(topology: Topology, layout: RunLayout = hostLayout()) {
  const organizations = topology.orgs.map((org) => organizationOf(org, layout));
  const capabilities = {
    Channel: { [topology.channel.capabilities]: true },
    Orderer: { V2_0: true },
    Application: { V2_5: true },
  };
  // Top-level sections are the defaults (orgs left out, as in Fabric's samples); the profile lists the orgs.
  const application = {
    Organizations: [] as ConfigtxOrganization[],
    Policies: {
      ...STANDARD_POLICIES,
      LifecycleEndorsement: implicitMeta('MAJORITY Endorsement'),
      Endorsement: implicitMeta('MAJORITY Endorsement'),
    },
    Capabilities: capabilities.Application,
  };
  const orderer = {
    OrdererType: topology.channel.consensus,
    // Ignored under BFT (RequestBatchMaxInterval cuts blocks); configtxgen still encodes a value.
    BatchTimeout: topology.channel.smartBft.requestBatchMaxInterval,
    BatchSize: {
      MaxMessageCount: topology.channel.batch.maxMessageCount,
      AbsoluteMaxBytes: topology.channel.batch.absoluteMaxBytes,
      PreferredMaxBytes: topology.channel.batch.preferredMaxBytes,
    },
    SmartBFT: smartBftOf(topology.channel),
    ConsenterMapping: consentersOf(topology, layout),
    Organizations: [] as ConfigtxOrganization[],
    Policies: {
      ...STANDARD_POLICIES,
      // configtxgen requires the key, then replaces it for BFT with "2f+1 of the consenters' identities".
      BlockValidation: implicitMeta('ANY Writers'),
    },
    Capabilities: capabilities.Orderer,
  };
  const channel = { Policies: STANDARD_POLICIES, Capabilities: capabilities.Channel };
  return {
    Organizations: organizations,
    Capabilities: capabilities,
    Application: application,
    Orderer: orderer,
    Channel: channel,
    Profiles: {
      [PROFILE_NAME]: {
        ...channel,
        Orderer: { ...orderer, Organizations: organizations },
        Application: { ...application, Organizations: organizations },
      },
    },
  };
}

const headerOf = (topology: Topology) =>
  [
    ` configtx.yaml for channel ${topology.channel.name}: generated from network/topology.yaml; do not edit.`,
    ` Use: configtxgen -profile ${PROFILE_NAME} -channelID ${topology.channel.name} -outputBlock <file>`,
    ' Orderer.BatchTimeout is ignored under BFT: SmartBFT.RequestBatchMaxInterval cuts blocks.',
    ' Orderer.Policies.BlockValidation is replaced by configtxgen with a 2f+1 consenter signature policy.',
  ].join('\n');

/** Stable text; no anchors or aliases, so every org section is spelled out where it is used. */
export function configtxYaml(topology: Topology, layout: RunLayout = hostLayout()): string {
  const doc = new Document(configtxOf(topology, layout), { aliasDuplicateObjects: false });
  doc.commentBefore = headerOf(topology);
  return doc.toString({ lineWidth: 0 });
}
