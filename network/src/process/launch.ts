/**
 * One launcher per role: how each kind of node is started, from the topology and the generated
 * environment. Nothing here is per node; the node only picks its org's ports and paths.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { prepareCaServer } from '../../../ca/src';
import type { FabricTools } from '../fabric-cli';
import { prepareDirectory } from '../directory/slapd';
import { nodeEnvOf } from '../generate/node-env';
import { cryptoPaths, repoRoot, runPaths } from '../../../platform/src/paths';
import { keyStoreOf, softhsmConfFile } from '../../../platform/src/keys/key-store';
import type { NetworkNode, Topology } from '../../../platform/src/topology';
import { statusOf, type HealthProbe, type LaunchSpec, type NodeStatus } from './supervisor';

export interface LaunchContext {
  topology: Topology;
  tools: FabricTools;
  /** Package id of the installed chaincode; needed only to launch chaincode servers. */
  chaincodePackageId?: string;
}

/** The node's identity in the run folder: its id, ports, pid file and log file. */
function runFilesOf(node: NetworkNode) {
  return { id: node.id, ports: node.ports, pidFile: runPaths.pid(node.id), logFile: runPaths.log(node.id) };
}

/** Whether the node runs, by its pid file (no binary or crypto needed, unlike a launch spec). */
export function nodeStatus(node: NetworkNode): NodeStatus {
  return statusOf(runFilesOf(node));
}

export function launchSpecOf(node: NetworkNode, context: LaunchContext): LaunchSpec {
  const { topology, tools } = context;
  const org = node.org.name;
  const base = { ...runFilesOf(node), host: node.host };
  switch (node.role) {
    case 'ca': {
      const server = prepareCaServer(topology, node.org);
      return {
        ...base,
        command: server.command,
        args: server.args,
        env: nodeEnvOf(topology, node),
        health: healthOf(node),
      };
    }
    case 'directory': {
      // slapd reads everything from the slapd.conf written here; the seed needs the CAs' roots.
      const slapd = prepareDirectory(topology, node);
      return { ...base, command: slapd.command, args: slapd.args, env: {}, health: healthOf(node) };
    }
    case 'orderer':
    case 'peer': {
      const env = nodeEnvOf(topology, node, {
        chaincodeTlsRootPem: readFileSync(cryptoPaths.tls(org, 'chaincode', 'ca.crt'), 'utf8'),
      });
      return {
        ...base,
        command: path.join(tools.bin, node.role),
        args: node.role === 'peer' ? ['node', 'start'] : [],
        env: { ...env, FABRIC_CFG_PATH: tools.configDir },
        health: healthOf(node),
      };
    }
    case 'chaincode': {
      if (!context.chaincodePackageId)
        throw new Error(`${node.id}: the chaincode package id is not known yet`);
      const env = nodeEnvOf(topology, node);
      // Run on this project's Node (24) rather than whatever `node` the shell would find.
      return {
        ...base,
        command: process.execPath,
        args: [
          path.join(repoRoot(), 'node_modules', 'fabric-shim', 'cli.js'),
          'server',
          '--chaincode-address',
          required(env, 'CORE_CHAINCODE_ADDRESS'),
          '--chaincode-id',
          context.chaincodePackageId,
          '--chaincode-tls-cert-file',
          required(env, 'CORE_CHAINCODE_TLS_CERT_FILE'),
          '--chaincode-tls-key-file',
          required(env, 'CORE_CHAINCODE_TLS_KEY_FILE'),
          '--module-path',
          path.join(repoRoot(), 'chaincode'),
        ],
        env: { VPP_PROFILE_DIR: runPaths.profiles() },
        health: healthOf(node),
      };
    }
    case 'gateway':
      // The compiled gateway on this project's Node.
      return {
        ...base,
        command: process.execPath,
        args: [path.join(repoRoot(), 'dist', 'gateway', 'src', 'server.js')],
        env: {
          ...nodeEnvOf(topology, node),
          ...hsmEnvOf(topology, node),
          VPP_PROFILE_DIR: runPaths.profiles(),
        },
        cwd: repoRoot(),
        health: healthOf(node),
      };
  }
}

/** SOFTHSM2_CONF of the org's token folder, for a gateway whose keys the topology puts in SoftHSM2. */
function hsmEnvOf(topology: Topology, node: NetworkNode): Record<string, string> {
  if (keyStoreOf(topology.keys, node.org.name).kind !== 'softhsm') return {};
  return { SOFTHSM2_CONF: softhsmConfFile(runPaths.hsm(node.org.name)) };
}

/** How the node's readiness is seen; every probe must pass. */
function healthOf(node: NetworkNode): HealthProbe[] {
  switch (node.role) {
    case 'ca':
      return [{ kind: 'http', port: healthPortOf(node) }];
    case 'orderer':
    case 'peer':
      // /healthz answers before the node serves. An orderer first syncs its channels from the
      // other orderers (its gRPC port is bound but not served meanwhile) and opens its admin
      // port after that, so the admin port is its readiness.
      return [
        { kind: 'http', port: healthPortOf(node) },
        { kind: 'tcp', port: node.role === 'orderer' ? (node.ports.adminPort ?? node.port) : node.port },
      ];
    case 'chaincode':
    case 'directory':
      return [{ kind: 'tcp', port: node.port }];
    case 'gateway':
      // GET /healthz is 200 only while its peer connection is up; over HTTPS, verified like any
      // client does, unless the gateway was switched to plain HTTP on loopback.
      return [
        process.env.VPP_GATEWAY_PLAIN_HTTP === '1'
          ? { kind: 'http', port: node.port }
          : { kind: 'http', port: node.port, caFile: cryptoPaths.tlsRoots() },
      ];
  }
}

/** What it takes to watch a running node (its files and readiness), without what it takes to launch it. */
export function watchSpecOf(
  node: NetworkNode,
): Pick<LaunchSpec, 'id' | 'pidFile' | 'logFile' | 'host' | 'health'> {
  return { ...runFilesOf(node), host: node.host, health: healthOf(node) };
}

function healthPortOf(node: NetworkNode): number {
  if (node.healthPort === undefined) throw new Error(`${node.id}: the topology gives it no health port`);
  return node.healthPort;
}

function required(env: Record<string, string>, key: string): string {
  const value = env[key];
  if (value === undefined) throw new Error(`generated environment lacks ${key}`);
  return value;
}
