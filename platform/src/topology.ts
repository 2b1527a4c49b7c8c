/**
 * The network topology: loaded from network/topology.yaml, validated, and turned into the
 * list of nodes every generator and the process supervisor work from.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { isVppError, parseMarketCalendarInput } from '../../chaincode/src/api';
import { KeysSchema } from './keys/key-store';
import { repoRoot } from './paths';

export const ORG_ROLES = ['cvpp', 'trading', 'control', 'regulator'] as const;
/**
 * In start order. `directory` is the deployment's one LDAP directory (slapd), run by one org: it
 * starts after the CAs because its tree is seeded with their roots, before the gateways that write it.
 */
export const NODE_ROLES = ['ca', 'directory', 'orderer', 'peer', 'chaincode', 'gateway'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];
/** The roles every org runs one node of (the directory is one per deployment). */
export type OrgNodeRole = Exclude<NodeRole, 'directory'>;

const port = z.number().int().min(1024).max(65535);
// A DNS name or an IPv4 literal; compose service names and real host names both pass.
const host = z
  .string()
  .regex(
    /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/,
    {
      message: 'must be a host name or IPv4 address',
    },
  );
const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h)$/, { message: 'must be a duration such as 100ms, 5s or 3m' });
const byteSize = z.string().regex(/^\d+ (KB|MB)$/, { message: 'must be a size such as 512 KB or 10 MB' });

/** At most `max` within any `windowSeconds`. */
const Limit = z.strictObject({
  max: z.number().int().positive(),
  windowSeconds: z.number().int().positive(),
});

/** Rate limits when the topology names none (see TopologySchema.rateLimits). */
export const DEFAULT_RATE_LIMITS = {
  readingsPerDevice: { max: 360, windowSeconds: 60 },
  readingRequestsPerAddress: { max: 6000, windowSeconds: 60 },
  enrollmentsPerDer: { max: 10, windowSeconds: 60 },
  enrollmentsPerAddress: { max: 1200, windowSeconds: 60 },
  loginsPerAddress: { max: 1200, windowSeconds: 60 },
  loginsPerEnrollmentId: { max: 300, windowSeconds: 60 },
  loginLockout: { max: 5, windowSeconds: 900 },
  checkpointReadsPerAddress: { max: 600, windowSeconds: 60 },
} as const;

const OrgSchema = z.strictObject({
  name: z.enum(ORG_ROLES),
  mspId: z.string().regex(/^[A-Z][A-Za-z0-9]*MSP$/, { message: 'must look like CvppMSP' }),
  description: z.string().min(1),
  ca: z.strictObject({ host, port, operationsPort: port }),
  // profilePort: Go's pprof endpoint on the peer's host (`npm run bench -- telemetry --profile`).
  peer: z.strictObject({
    host,
    port,
    chaincodePort: port,
    operationsPort: port,
    profilePort: port.optional(),
  }),
  orderer: z.strictObject({ host, port, adminPort: port, operationsPort: port }),
  chaincodeServer: z.strictObject({ host, port }),
  gateway: z.strictObject({ host, port }),
});

/**
 * The LDAP certificate directory (OpenLDAP slapd): where it listens, its base DN and the org that
 * runs it. Each org's registration authority publishes its certificates and CRL under o=<mspId>.
 */
const DirectorySchema = z.strictObject({
  host,
  port,
  baseDn: z.string().regex(/^dc=[a-z0-9-]+(,dc=[a-z0-9-]+)*$/, {
    message: 'must be a base DN such as dc=vpp-ledger,dc=example',
  }),
  org: z.enum(ORG_ROLES),
});
export type Directory = z.infer<typeof DirectorySchema>;

export const TopologySchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  fabric: z.strictObject({
    version: z.string().regex(/^3\.\d+\.\d+$/, { message: 'must be a Fabric 3.x release such as 3.1.5' }),
    commit: z.string().regex(/^[0-9a-f]{12,40}$/, { message: 'must be a hex commit id (12 to 40 digits)' }),
    caVersion: z.string().regex(/^1\.5\.\d+$/, { message: 'must be a fabric-ca 1.5.x release' }),
  }),
  channel: z.strictObject({
    // Fabric channel names: lower case, start with a letter, [a-z0-9.-], under 250 characters.
    name: z.string().regex(/^[a-z][a-z0-9.-]{0,248}$/),
    consensus: z.literal('BFT'),
    capabilities: z.literal('V3_0'),
    smartBft: z.strictObject({
      requestBatchMaxInterval: duration,
      requestForwardTimeout: duration,
      requestComplainTimeout: duration,
      requestAutoRemoveTimeout: duration,
      viewChangeResendInterval: duration,
      viewChangeTimeout: duration,
      leaderHeartbeatTimeout: duration,
      leaderHeartbeatCount: z.number().int().positive(),
      collectTimeout: duration,
    }),
    batch: z.strictObject({
      maxMessageCount: z.number().int().positive(),
      absoluteMaxBytes: byteSize,
      preferredMaxBytes: byteSize,
    }),
  }),
  chaincode: z.strictObject({
    name: z.string().regex(/^[a-z][a-z0-9_-]*$/),
    version: z.string().min(1),
    sequence: z.number().int().positive(),
    endorsementPolicy: z.enum(['MAJORITY', 'ANY', 'ALL']),
    collections: z
      .array(
        z.strictObject({
          name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
          members: z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/)).min(1),
          requiredPeerCount: z.number().int().nonnegative(),
          maxPeerCount: z.number().int().nonnegative(),
          blockToLive: z.number().int().nonnegative(),
          memberOnlyRead: z.boolean(),
          memberOnlyWrite: z.boolean(),
          /** Signature policy for writes to the collection; the chaincode's policy when absent. */
          endorsementPolicy: z.string().min(1).optional(),
        }),
      )
      .default([]),
  }),
  /**
   * The market calendar the setup installs as version 1 (chaincode domain/market/calendar.ts); the
   * default calendar (15-minute metering, 60-minute reading window) when absent. Figures in seconds.
   */
  marketCalendar: z
    .strictObject({
      description: z.string().min(1),
      meteringIntervalSeconds: z.number().int().positive(),
      readingWindowSeconds: z.number().int().positive(),
      clockSkewSeconds: z.number().int().nonnegative(),
      maxDeliverySeconds: z.number().int().positive(),
      maxLeadSeconds: z.number().int().positive(),
    })
    .optional(),
  /**
   * Limits on the gateways' public and login routes (each gateway counts on its own, in memory).
   * The defaults fit the test suite and the benches, which post thousands of readings and log in
   * many times from one address; the per-device limit is what protects a device's quota.
   */
  rateLimits: z
    .strictObject({
      readingsPerDevice: Limit,
      readingRequestsPerAddress: Limit,
      enrollmentsPerDer: Limit,
      enrollmentsPerAddress: Limit,
      loginsPerAddress: Limit,
      loginsPerEnrollmentId: Limit,
      /** After `max` failed logins of one enrollment id within the window, 429 LOGIN_LOCKED. */
      loginLockout: Limit,
      /** The public checkpoint list (each read queries the peer), per client address. */
      checkpointReadsPerAddress: Limit.default(DEFAULT_RATE_LIMITS.checkpointReadsPerAddress),
    })
    .default(DEFAULT_RATE_LIMITS),
  orgs: z.array(OrgSchema).min(1),
  /** The LDAP certificate directory; none when absent (the RAs then publish nowhere). */
  directory: DirectorySchema.optional(),
  /** Where signing keys live (keys/key-store.ts): 0600 files unless it selects a SoftHSM2 token. */
  keys: KeysSchema,
});

export type Topology = z.infer<typeof TopologySchema>;
export type Org = Topology['orgs'][number];

/** One process of the network, with the ports it listens on. */
export interface NetworkNode {
  /** Stable id used for pid, log, data and env file names: `<role>.<org>`, e.g. `peer.cvpp`. */
  id: string;
  role: NodeRole;
  org: Org;
  host: string;
  /** Main listen port (gRPC for Fabric nodes, HTTP for CA and gateway). */
  port: number;
  /** Every port the node binds, by purpose; each is unique per host across the network. */
  ports: Record<string, number>;
  /** Port of the HTTP endpoint that answers GET /healthz, if the node has one. */
  healthPort?: number;
}

export class TopologyError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: invalid topology\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'TopologyError';
  }
}

export function loadTopology(file: string = path.join(repoRoot(), 'network', 'topology.yaml')): Topology {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TopologyError(file, [`cannot read YAML: ${(err as Error).message}`]);
  }
  return validateTopology(raw, file);
}

/** Validates shape (each bad field named by its path) and the rules that span fields. */
export function validateTopology(raw: unknown, source = 'topology'): Topology {
  const parsed = TopologySchema.safeParse(raw);
  if (!parsed.success) {
    throw new TopologyError(
      source,
      parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`),
    );
  }
  const problems = crossFieldProblems(parsed.data);
  if (problems.length > 0) throw new TopologyError(source, problems);
  return parsed.data;
}

function formatPath(parts: readonly PropertyKey[]): string {
  if (parts.length === 0) return '(root)';
  return parts
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/**
 * The ports browsers refuse to open (the WHATWG Fetch standard's "bad ports"): a gateway there would
 * serve its API to scripts but its web console to no browser, so the topology refuses them for
 * gateways.
 */
export const BROWSER_BLOCKED_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
  109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515,
  526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

function crossFieldProblems(topology: Topology): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  topology.orgs.forEach((org, i) => {
    for (const [other, field] of [
      [topology.orgs.findIndex((o) => o.name === org.name), 'name'],
      [topology.orgs.findIndex((o) => o.mspId === org.mspId), 'mspId'],
    ] as const) {
      if (other !== i) problems.push(`orgs[${i}].${field}: duplicates orgs[${other}].${field}`);
    }
  });
  const mspIds = new Set(topology.orgs.map((org) => org.mspId));
  topology.chaincode.collections.forEach((collection, i) => {
    for (const member of collection.members) {
      if (!mspIds.has(member))
        problems.push(`chaincode.collections[${i}].members: ${member} is not an org's mspId`);
    }
    if (collection.requiredPeerCount > collection.maxPeerCount) {
      problems.push(`chaincode.collections[${i}]: requiredPeerCount exceeds maxPeerCount`);
    }
  });
  for (const node of nodesOf(topology)) {
    for (const [purpose, value] of Object.entries(node.ports)) {
      const where =
        node.role === 'directory'
          ? `directory.${purpose}`
          : `orgs[${topology.orgs.indexOf(node.org)}].${SECTION_OF[node.role]}.${purpose}`;
      const key = `${node.host}:${value}`;
      const previous = seen.get(key);
      if (previous) problems.push(`${where}: port ${value} on ${node.host} is already used by ${previous}`);
      else seen.set(key, where);
    }
    if (node.role === 'gateway' && BROWSER_BLOCKED_PORTS.has(node.port))
      problems.push(
        `orgs[${topology.orgs.indexOf(node.org)}].gateway.port: browsers refuse port ${node.port} (a "bad port"), so the console could not be opened there`,
      );
  }
  if (topology.directory && !topology.orgs.some((org) => org.name === topology.directory?.org))
    problems.push(`directory.org: ${topology.directory.org} is not an org of the topology`);
  if (topology.marketCalendar !== undefined) {
    try {
      parseMarketCalendarInput(topology.marketCalendar);
    } catch (err) {
      problems.push(`marketCalendar: ${isVppError(err) ? err.detail : String(err)}`);
    }
  }
  // SmartBFT tolerates f faulty orderers out of 3f+1: fewer than four tolerates none.
  if (topology.orgs.length < 4) {
    problems.push(
      `orgs: BFT consensus needs at least 4 orderers (one per org), found ${topology.orgs.length}`,
    );
  }
  return problems;
}

/** Every process of the network, in start order (CAs, the directory, orderers, peers, chaincode, gateways). */
export function nodesOf(topology: Topology): NetworkNode[] {
  const nodes: NetworkNode[] = [];
  for (const role of NODE_ROLES) {
    if (role === 'directory') {
      const directory = directoryNodeOf(topology);
      if (directory) nodes.push(directory);
    } else {
      for (const org of topology.orgs) nodes.push(nodeOf(org, role));
    }
  }
  return nodes;
}

/** The directory's node (id `directory.<org>`), when the topology has one and names a known org. */
export function directoryNodeOf(topology: Topology): NetworkNode | undefined {
  const { directory } = topology;
  const org = directory && topology.orgs.find((o) => o.name === directory.org);
  if (!directory || !org) return undefined;
  // No HTTP health endpoint: readiness is the LDAP port accepting connections.
  return {
    id: `directory.${org.name}`,
    role: 'directory',
    org,
    host: directory.host,
    port: directory.port,
    ports: { port: directory.port },
  };
}

const SECTION_OF: Record<OrgNodeRole, 'ca' | 'orderer' | 'peer' | 'chaincodeServer' | 'gateway'> = {
  ca: 'ca',
  orderer: 'orderer',
  peer: 'peer',
  chaincode: 'chaincodeServer',
  gateway: 'gateway',
};
// The chaincode server speaks only gRPC; the peer watches it, so it has no health endpoint.
const HEALTH_PORT_OF: Record<OrgNodeRole, string | undefined> = {
  ca: 'operationsPort',
  orderer: 'operationsPort',
  peer: 'operationsPort',
  chaincode: undefined,
  gateway: 'port',
};

export function nodeOf(org: Org, role: OrgNodeRole): NetworkNode {
  const section: { host: string; port: number } = org[SECTION_OF[role]];
  const ports = Object.fromEntries(
    Object.entries(section).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
  );
  const healthKey = HEALTH_PORT_OF[role];
  return {
    id: `${role}.${org.name}`,
    role,
    org,
    host: section.host,
    port: section.port,
    ports,
    ...(healthKey ? { healthPort: ports[healthKey] } : {}),
  };
}

/**
 * A node's DNS label (no dots, so no resolver search-domain surprises): `peer.cvpp` → `peer-cvpp`.
 * The compose service name, and so one of the names in the node's TLS certificate.
 */
export function serviceNameOf(node: Pick<NetworkNode, 'id'>): string {
  return node.id.replace(/[^a-z0-9-]/gi, '-').toLowerCase();
}

/** The org whose admin drives channel-wide steps (chaincode commit): the first one listed. */
export function leadOrg(topology: Topology): Org {
  const org = topology.orgs[0];
  if (!org) throw new TopologyError('topology', ['orgs: at least one org is required']);
  return org;
}

/** The org of that name; an error naming it when the topology has none. */
export function orgByName(topology: Topology, name: string): Org {
  const org = topology.orgs.find((o) => o.name === name);
  if (!org) throw new Error(`org ${name} is not in the topology`);
  return org;
}
