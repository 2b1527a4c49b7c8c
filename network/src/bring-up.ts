/**
 * Brings the whole network up from the topology, idempotently: every step first checks whether
 * its work is already done, so `npm start` on a running or half-started network only adds what
 * is missing, and a stopped network restarts from its data.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { enrollOrg, writeTlsRoots } from '../../ca/src';
import {
  approve,
  approvedBy,
  commit,
  installOnPeer,
  packageChaincode,
  queryCommitted,
} from './chaincode-lifecycle';
import { peerAdminEnv, runTool, toolsAt, type FabricTools } from './fabric-cli';
import { generateAll, nativeCcaasBuilderDir } from './generate';
import { locateFabricHome } from '../../platform/src/fabric-home';
import { cryptoPaths, runPaths } from '../../platform/src/paths';
import { keyStoreOf } from '../../platform/src/keys/key-store';
import { channelGauge, waitUntil } from './process/metrics';
import { isLocalHost } from './process/ports';
import { launchSpecOf, type LaunchContext } from './process/launch';
import { startNode } from './process/supervisor';
import { leadOrg, nodesOf, type NodeRole, type Org, type Topology } from '../../platform/src/topology';
import { prepareLedger } from './ledger-setup';
import { systemdUnitOf, unitNameOf } from './generate/systemd';

const HEALTH_TIMEOUT_MS = 60_000;
const GOSSIP_TIMEOUT_MS = 120_000;
const CHAINCODE_TIMEOUT_MS = 60_000;

export interface BringUpOptions {
  log: (line: string) => void;
}

/**
 * Fabric reads its defaults from core.yaml / orderer.yaml in FABRIC_CFG_PATH. The peer's list of
 * external builders cannot be set from the environment, so the project keeps its own core.yaml:
 * the release's defaults with the ccaas builder of the binary cache.
 */
export function writeFabricConfig(topology: Topology, tools: FabricTools): FabricTools {
  const configDir = runPaths.config('fabric');
  mkdirSync(configDir, { recursive: true });
  const core = parse(readFileSync(path.join(tools.configDir, 'core.yaml'), 'utf8')) as {
    chaincode: { externalBuilders: unknown[] };
  };
  core.chaincode.externalBuilders = [
    {
      name: 'ccaas_builder',
      path: nativeCcaasBuilderDir(topology),
      propagateEnvironment: ['CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG'],
    },
  ];
  writeFileSync(path.join(configDir, 'core.yaml'), stringify(core));
  writeFileSync(
    path.join(configDir, 'orderer.yaml'),
    readFileSync(path.join(tools.configDir, 'orderer.yaml')),
  );
  return { bin: tools.bin, configDir };
}

/**
 * Starts every node of a role at once and waits for all: a restarted orderer syncs from the
 * others before it serves, so one at a time would wait on peers that are not started yet.
 */
async function startRole(role: NodeRole, context: LaunchContext, options: BringUpOptions): Promise<void> {
  const nodes = nodesOf(context.topology).filter((n) => n.role === role);
  await Promise.all(
    nodes.map(async (node) => {
      if (!(await isLocalHost(node.host))) {
        options.log(`${node.id}: on ${node.host}, not started here`);
        return;
      }
      const spec = launchSpecOf(node, context);
      // For hosts that run the nodes as systemd services instead of under keepers.
      mkdirSync(runPaths.config('systemd'), { recursive: true });
      writeFileSync(runPaths.config('systemd', unitNameOf(node.id)), systemdUnitOf(spec));
      const outcome = await startNode(spec, HEALTH_TIMEOUT_MS);
      options.log(`${node.id}: ${outcome}`);
    }),
  );
}

function channelBlock(topology: Topology): string {
  return runPaths.config(`${topology.channel.name}.block`);
}

async function createChannel(topology: Topology, tools: FabricTools, options: BringUpOptions): Promise<void> {
  const block = channelBlock(topology);
  if (!existsSync(block)) {
    // configtxgen reads configtx.yaml from FABRIC_CFG_PATH, so point it at the generated one.
    await runTool({ ...tools, configDir: runPaths.config() }, 'configtxgen', [
      '-profile',
      'VppChannel',
      '-channelID',
      topology.channel.name,
      '-outputBlock',
      block,
    ]);
    options.log(`channel ${topology.channel.name}: genesis block written`);
  }
  // All orderers join at once: with SyncOnStart each joining orderer first tries to pull from the
  // others, which stalls (and breaks the cluster streams for a while) if they have not joined yet.
  await Promise.all(
    topology.orgs.map(async (org) => {
      const admin = osnadminFlags(org);
      const listed = await runTool(tools, 'osnadmin', ['channel', 'list', ...admin]);
      if (listed.includes(`"${topology.channel.name}"`)) return;
      await runTool(tools, 'osnadmin', [
        'channel',
        'join',
        '--channelID',
        topology.channel.name,
        '--config-block',
        block,
        ...admin,
      ]);
      options.log(`orderer.${org.name}: joined ${topology.channel.name}`);
    }),
  );
  await waitForConsensus(topology, options);
}

/** Every orderer reports the same SmartBFT leader: the channel can order transactions. */
export async function waitForConsensus(topology: Topology, options: BringUpOptions): Promise<void> {
  await waitUntil(
    `the ${topology.orgs.length} orderers to agree on a SmartBFT leader`,
    async () => {
      const leaders = await Promise.all(
        topology.orgs.map((o) =>
          channelGauge(
            o.orderer.host,
            o.orderer.operationsPort,
            'consensus_BFT_leader_id',
            topology.channel.name,
          ),
        ),
      );
      return new Set(leaders).size === 1;
    },
    GOSSIP_TIMEOUT_MS,
  );
  options.log(`channel ${topology.channel.name}: orderers agree on the leader`);
}

function osnadminFlags(org: Org): string[] {
  return [
    '-o',
    `${org.orderer.host}:${org.orderer.adminPort}`,
    '--ca-file',
    cryptoPaths.tls(org.name, 'orderer', 'ca.crt'),
    '--client-cert',
    cryptoPaths.tls(org.name, 'orderer', 'server.crt'),
    '--client-key',
    cryptoPaths.tls(org.name, 'orderer', 'server.key'),
  ];
}

async function joinPeers(topology: Topology, tools: FabricTools, options: BringUpOptions): Promise<void> {
  for (const org of topology.orgs) {
    const env = peerAdminEnv(org);
    const joined = await runTool(tools, 'peer', ['channel', 'list'], env);
    if (joined.split('\n').some((line) => line.trim() === topology.channel.name)) continue;
    await runTool(tools, 'peer', ['channel', 'join', '-b', channelBlock(topology)], env);
    options.log(`peer.${org.name}: joined ${topology.channel.name}`);
  }
}

/**
 * The peers' gateways find endorsers of other orgs through gossip membership, which forms only
 * after each peer has joined the channel and re-dialled the anchor peers: wait for it.
 */
export async function waitForGossip(topology: Topology, options: BringUpOptions): Promise<void> {
  const others = topology.orgs.length - 1;
  for (const org of topology.orgs) {
    await waitUntil(
      `peer.${org.name} to know the ${others} other peers through gossip`,
      async () =>
        (await channelGauge(
          org.peer.host,
          org.peer.operationsPort,
          'gossip_membership_total_peers_known',
          topology.channel.name,
        )) >= others,
      GOSSIP_TIMEOUT_MS,
    );
  }
  options.log(`gossip: every peer knows the other ${others}`);
}

/**
 * Each peer dials its chaincode server on the first invocation: query every peer once (bounded)
 * so that `npm start` ends with the chaincode answering everywhere, not just committed.
 */
export async function waitForChaincode(
  topology: Topology,
  tools: FabricTools,
  options: BringUpOptions,
): Promise<void> {
  const query = JSON.stringify({ Args: ['org:ListOrgProfiles'] });
  for (const org of topology.orgs) {
    await waitUntil(
      `the chaincode to answer on peer.${org.name}`,
      async () => {
        await runTool(
          tools,
          'peer',
          ['chaincode', 'query', '-C', topology.channel.name, '-n', topology.chaincode.name, '-c', query],
          peerAdminEnv(org),
          15_000,
        );
        return true;
      },
      CHAINCODE_TIMEOUT_MS,
    );
  }
  options.log(`${topology.chaincode.name}: answering on every peer`);
}

/**
 * Installs the package everywhere, starts the chaincode servers with its id, and defines the
 * chaincode at `target.sequence` unless a definition is already committed (or `redefine` asks
 * for a new one). A restart reuses the committed version: its package bytes, hence its id, are
 * reproducible from the label.
 */
export async function deployChaincode(
  context: LaunchContext,
  options: BringUpOptions,
  target: { sequence: number; redefine: boolean },
): Promise<string> {
  const { tools } = context;
  const committed = await queryCommitted(tools, context.topology, leadOrg(context.topology));
  const keep = committed !== undefined && !target.redefine;
  const version = keep ? committed.version : context.topology.chaincode.version;
  const topology = { ...context.topology, chaincode: { ...context.topology.chaincode, version } };
  const { file, packageId } = packageChaincode(topology);
  for (const org of topology.orgs) {
    if (await installOnPeer(tools, org, file, packageId))
      options.log(`peer.${org.name}: installed ${packageId}`);
  }
  await startRole('chaincode', { ...context, topology, chaincodePackageId: packageId }, options);
  if (keep) return packageId;
  const approvals = await approvedBy(tools, topology, target.sequence);
  for (const org of topology.orgs) {
    if (approvals[org.mspId]) continue;
    await approve(tools, topology, org, packageId, target.sequence);
    options.log(`${org.mspId}: approved ${topology.chaincode.name} ${version} sequence ${target.sequence}`);
  }
  await commit(tools, topology, target.sequence);
  options.log(
    `${topology.chaincode.name}: ${version} committed at sequence ${target.sequence} (endorsement MAJORITY)`,
  );
  return packageId;
}

/**
 * The orgs' SoftHSM2 tokens (under network/run/hsm, fresh PINs 0600 beside them) when the topology
 * keeps keys there; the gateways make their keys in them. pkcs11js is loaded only then.
 */
async function prepareKeyStores(topology: Topology, options: BringUpOptions): Promise<void> {
  for (const org of topology.orgs) {
    const store = keyStoreOf(topology.keys, org.name);
    if (store.kind !== 'softhsm') continue;
    const { ensureSoftToken } = await import('../../platform/src/keys/softhsm.js');
    const token = ensureSoftToken(runPaths.hsm(org.name), store.tokenLabel);
    options.log(`${org.name}: SoftHSM2 token ${token.label} ready`);
  }
}

export async function bringUp(
  topology: Topology,
  baseTools: FabricTools,
  options: BringUpOptions,
): Promise<void> {
  generateAll(topology);
  const tools = writeFabricConfig(topology, baseTools);
  const context: LaunchContext = { topology, tools };
  await startRole('ca', context, options);
  for (const org of topology.orgs) await enrollOrg(topology, org, { log: options.log });
  writeTlsRoots(topology);
  // The directory's seed holds the CAs' roots, so it starts once the orgs are enrolled.
  await startRole('directory', context, options);
  await startRole('orderer', context, options);
  await createChannel(topology, tools, options);
  await startRole('peer', context, options);
  await joinPeers(topology, tools, options);
  await waitForGossip(topology, options);
  await deployChaincode(context, options, { sequence: topology.chaincode.sequence, redefine: false });
  await waitForChaincode(topology, tools, options);
  await prepareLedger(topology, options.log);
  await prepareKeyStores(topology, options);
  await startRole('gateway', context, options);
}

/** The tools as bring-up left them configured (binaries of the Fabric folder, the project's core.yaml). */
export function configuredTools(topology: Topology): FabricTools {
  return { bin: toolsAt(locateFabricHome(topology.fabric).dir).bin, configDir: runPaths.config('fabric') };
}
