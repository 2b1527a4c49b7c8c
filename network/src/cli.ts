/**
 * `npm start`, `npm stop`, `npm run status|reset|install-fabric`: one entry for the network's
 * process control, driven by network/topology.yaml.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { FabricInstallError, installFabricBinaries } from './fabric-binaries';
import { repoRoot, runDir, runPaths } from './paths';
import { PortTakenError } from './process/ports';
import { formatStatusTable, NodeStartError, readPid, isAlive, stopNode } from './process/supervisor';
import { loadTopology, nodesOf, TopologyError } from './topology';

const log = (line: string) => console.log(line);
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
  for (const id of [...ids].reverse()) {
    if ((await stopNode({ pidFile: runPaths.pid(id) }, STOP_TIMEOUT_MS)) === 'stopped') {
      log(`stopped ${id}`);
      stopped += 1;
    }
  }
  log(stopped === 0 ? 'nothing was running' : `stopped ${stopped} processes`);
}

function status(): void {
  const rows = nodesOf(loadTopology()).map((node) => {
    const pid = readPid(runPaths.pid(node.id));
    const running = pid !== undefined && isAlive(pid);
    return {
      id: node.id,
      ...(running ? { pid } : {}),
      state: running ? ('running' as const) : ('stopped' as const),
      ports: node.ports,
      logFile: runPaths.log(node.id),
    };
  });
  log(formatStatusTable(rows, repoRoot()));
}

async function start(): Promise<void> {
  const topology = loadTopology();
  await installFabricBinaries(topology, { log });
  // Bringing the nodes up needs the binaries above; see README, "Status", for what is built so far.
  throw new Error(
    'the Fabric binaries are installed, but bring-up (CA enrollment, node launch, channel, chaincode lifecycle) ' +
      'is not implemented yet: it could not be developed without the binaries',
  );
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
  'install-fabric': async () => void (await installFabricBinaries(loadTopology(), { log })),
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
    const known = [TopologyError, FabricInstallError, PortTakenError, NodeStartError].some(
      (k) => err instanceof k,
    );
    console.error(`${name} failed: ${known ? (err as Error).message : (err as Error).stack}`);
    process.exit(1);
  }
}

void main();
