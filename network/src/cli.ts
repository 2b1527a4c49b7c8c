/**
 * `npm start`, `npm stop`, `npm run status|reset|install-fabric`: one entry for the network's
 * process control, driven by network/topology.yaml.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { bringUp, deployChaincode, waitForChaincode, writeFabricConfig } from './bring-up';
import { queryCommitted } from './chaincode-lifecycle';
import { FabricCommandError, toolsAt } from './fabric-cli';
import { FabricInstallError } from '../../platform/src/fabric-binaries';
import { installFabric } from '../../platform/src/fabric-home';
import { cryptoPaths, repoRoot, runDir, runPaths } from '../../platform/src/paths';
import { PortTakenError } from './process/ports';
import { nodeStatus } from './process/launch';
import { formatStatusTable, NodeStartError, stopNode } from './process/supervisor';
import { leadOrg, loadTopology, nodesOf, TopologyError, type Topology } from '../../platform/src/topology';

const log = (line: string) => console.log(line);

class UsageError extends Error {}
const STOP_TIMEOUT_MS = 15_000;

/** Nodes are stopped in reverse start order: gateways and chaincode before peers, CAs last. */
async function stop(): Promise<void> {
  const ids = new Set(nodesOf(loadTopology()).map((n) => n.id));
  // Also end pid files of nodes no longer in the topology: they are still ours.
  const pidDir = path.join(runDir(), 'pids');
  for (const file of existsSync(pidDir) ? readdirSync(pidDir) : []) {
    if (file.endsWith('.pid')) ids.add(file.slice(0, -'.pid'.length));
  }
  let stopped = 0;
  // One role at a time, the nodes of a role together (ids are `<role>.<org>`).
  const roles = [...new Set([...ids].map((id) => id.split('.')[0]))].reverse();
  for (const role of roles) {
    const ofRole = [...ids].filter((id) => id.split('.')[0] === role);
    const outcomes = await Promise.all(
      ofRole.map((id) => stopNode({ pidFile: runPaths.pid(id) }, STOP_TIMEOUT_MS)),
    );
    ofRole.forEach((id, i) => {
      if (outcomes[i] !== 'stopped') return;
      log(`stopped ${id}`);
      stopped += 1;
    });
  }
  log(stopped === 0 ? 'nothing was running' : `stopped ${stopped} processes`);
}

/** Where the gateways answer, and what to verify them with (README: Calling a gateway over HTTPS). */
function gatewayUrlsText(topology: Topology): string {
  const bundle = path.relative(repoRoot(), cryptoPaths.tlsRoots());
  const urls = topology.orgs.map(
    (org) => `  ${org.name.padEnd(10)} https://${org.gateway.host}:${org.gateway.port}/docs`,
  );
  return [`\ngateways (HTTPS; verify with curl --cacert ${bundle}):`, ...urls].join('\n');
}

function status(): void {
  const rows = nodesOf(loadTopology()).map(nodeStatus);
  log(formatStatusTable(rows, repoRoot()));
}

async function start(): Promise<void> {
  const started = Date.now();
  const topology = loadTopology();
  const fabric = await installFabric(topology, { log });
  await bringUp(topology, toolsAt(fabric.dir), { log });
  log('');
  status();
  log(gatewayUrlsText(topology));
  const logs = path.relative(repoRoot(), path.dirname(runPaths.log('any')));
  log(`\nnetwork up in ${Math.round((Date.now() - started) / 1000)} s; logs in ${logs}/`);
}

/** `npm run upgrade-chaincode -- <version>`: a new definition (next sequence) without a restart of the network. */
async function upgradeChaincode(): Promise<void> {
  const version = process.argv[3];
  if (!version) throw new UsageError('usage: npm run upgrade-chaincode -- <new version>');
  const base = loadTopology();
  const topology = { ...base, chaincode: { ...base.chaincode, version } };
  const fabric = await installFabric(topology, { log });
  const tools = writeFabricConfig(topology, toolsAt(fabric.dir));
  const committed = await queryCommitted(tools, topology, leadOrg(topology));
  if (!committed) throw new UsageError('the chaincode is not deployed yet: run npm start first');
  // The servers must run the new package id before peers are told to use it.
  for (const org of topology.orgs)
    await stopNode({ pidFile: runPaths.pid(`chaincode.${org.name}`) }, STOP_TIMEOUT_MS);
  await deployChaincode({ topology, tools }, { log }, { sequence: committed.sequence + 1, redefine: true });
  await waitForChaincode(topology, tools, { log });
}

async function reset(): Promise<void> {
  await stop();
  rmSync(runDir(), { recursive: true, force: true });
  log(`removed ${path.relative(repoRoot(), runDir())}`);
}

const COMMANDS: Record<string, () => Promise<void> | void> = {
  start,
  stop,
  status,
  reset,
  'upgrade-chaincode': upgradeChaincode,
  'install-fabric': async () => void (await installFabric(loadTopology(), { log })),
};

async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  const command = COMMANDS[name];
  if (!command) {
    console.error(`usage: cli.js <${Object.keys(COMMANDS).join('|')}>`);
    process.exit(2);
  }
  try {
    await command();
  } catch (err) {
    const known = [
      TopologyError,
      FabricInstallError,
      FabricCommandError,
      PortTakenError,
      NodeStartError,
      UsageError,
    ].some((k) => err instanceof k);
    console.error(`${name} failed: ${known ? (err as Error).message : (err as Error).stack}`);
    process.exit(1);
  }
}

void main();
