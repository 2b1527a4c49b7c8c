/**
 * `npm start`, `npm stop`, `npm run status|reset|install-fabric|add-user`: one entry for the
 * network's process control, driven by network/topology.yaml.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { bringUp, deployChaincode, waitForChaincode, writeFabricConfig } from './bring-up';
import { queryCommitted } from './chaincode-lifecycle';
import { FabricCommandError, toolsAt } from './fabric-cli';
import { FabricInstallError } from '../../platform/src/fabric-binaries';
import { installFabric } from '../../platform/src/fabric-home';
import { call, loginAdmin } from '../../platform/src/http/gateway-rest';
import { directoryUrl } from '../../platform/src/directory-layout';
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
  const urls = topology.orgs.map((org) => {
    const base = `https://${org.gateway.host}:${org.gateway.port}`;
    return `  ${org.name.padEnd(10)} ${base}/console/  (API docs ${base}/docs)`;
  });
  return [
    `\ngateways: web console and API (HTTPS; verify with curl --cacert ${bundle}; README: Web console):`,
    ...urls,
  ].join('\n');
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
  if (topology.directory)
    log(
      `\nLDAP certificate directory (anonymous read; README: LDAP certificate directory):\n  ${directoryUrl(topology.directory)}  base ${topology.directory.baseDn}`,
    );
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

const USER_ROLES = ['operator', 'trading', 'control', 'regulator', 'admin'];

/**
 * `npm run add-user -- <org> <role> [enrollment id]`: registers a person through the org gateway's
 * registration authority, as the org admin, and prints the one secret to log in with (web console or
 * POST /v1/auth/token). The gateway checks the role again; this only saves a curl.
 */
async function addUser(): Promise<void> {
  const [orgName = '', role = '', given] = process.argv.slice(3);
  const topology = loadTopology();
  const org = topology.orgs.find((o) => o.name === orgName);
  if (!org || !USER_ROLES.includes(role))
    throw new UsageError(
      `usage: npm run add-user -- <${topology.orgs.map((o) => o.name).join('|')}> <${USER_ROLES.join('|')}> [enrollment id]`,
    );
  const enrollmentId = given ?? `${role}-${Date.now().toString(36)}`;
  const registered = await call<{ secret: string }>(org.name, 'POST', '/v1/identities', {
    token: await loginAdmin(org.name),
    body: { enrollmentId, role },
  });
  if (registered.status !== 201)
    throw new UsageError(`the gateway refused: ${registered.status} ${JSON.stringify(registered.body)}`);
  const base = `https://${org.gateway.host}:${org.gateway.port}`;
  log(`registered ${enrollmentId} (${role}) with ${org.mspId}; log in at ${base}/console/ with`);
  log(`  enrollment id  ${enrollmentId}`);
  log(`  secret         ${registered.body.secret}`);
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
  'add-user': addUser,
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
