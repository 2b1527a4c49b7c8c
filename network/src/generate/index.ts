/**
 * Writes everything generated from the topology: the channel's configtx.yaml, one env file per
 * node, one connection profile per org and each org's CA server home (runtime files under the
 * run folder), and the committed docker-compose.yaml at the repository root.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { identityCaConfigFile, tlsCaConfigFile, writeCaServerHome } from '../../../ca/src';
import { bootstrapSecretFile } from '../../../platform/src/ca-layout';
import { binaryIn } from '../../../platform/src/fabric-binaries';
import { locateFabricHome } from '../../../platform/src/fabric-home';
import { repoRoot, runPaths } from '../../../platform/src/paths';
import { nodesOf, type Topology } from '../../../platform/src/topology';
import { composeYaml } from './compose';
import { configtxYaml } from './configtx';
import { connectionProfileFile, connectionProfileOf } from './connection-profile';
import { envFileText, nodeEnvOf } from './node-env';
import { COLLECTIONS_CONFIG_FILE, collectionsConfigOf } from './collections';

export interface GenerateOptions {
  /** Where docker-compose.yaml goes; the repository root by default. */
  composeFile?: string;
}

export const defaultComposeFile = () => path.join(repoRoot(), 'docker-compose.yaml');

/** The release layout's builders/ccaas: the folder that holds bin/{detect,build,release}. */
export function nativeCcaasBuilderDir(topology: Topology): string {
  const detect = binaryIn(locateFabricHome(topology.fabric).dir, topology.fabric, 'detect');
  return path.dirname(path.dirname(detect));
}

function write(file: string, text: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  // Env files and profiles name key files but hold no secret themselves.
  writeFileSync(file, text, { mode: 0o644 });
  return file;
}

/**
 * The org's CA home as the native launch prepares it (bootstrap secret, identity and TLS CA
 * configs), so the compose CA services find it too. Written once: returns only the files this
 * call created. Needs no Fabric binary.
 */
function prepareCaHome(topology: Topology, org: string): string[] {
  const files = [bootstrapSecretFile(org), identityCaConfigFile(org), tlsCaConfigFile(org)];
  const missing = files.filter((file) => !existsSync(file));
  writeCaServerHome(topology, org);
  return missing;
}

/** Writes every generated file; returns their paths in write order (CA files only when created). */
export function generateAll(topology: Topology, options: GenerateOptions = {}): string[] {
  const written = [
    write(runPaths.config('configtx.yaml'), configtxYaml(topology)),
    write(
      runPaths.config(COLLECTIONS_CONFIG_FILE),
      `${JSON.stringify(collectionsConfigOf(topology), null, 2)}\n`,
    ),
  ];
  for (const node of nodesOf(topology)) {
    written.push(write(runPaths.env(node.id), envFileText(nodeEnvOf(topology, node))));
  }
  for (const org of topology.orgs) {
    const profile = connectionProfileOf(topology, org);
    written.push(write(runPaths.config(connectionProfileFile(org)), `${JSON.stringify(profile, null, 2)}\n`));
  }
  for (const org of topology.orgs) written.push(...prepareCaHome(topology, org.name));
  written.push(write(options.composeFile ?? defaultComposeFile(), composeYaml(topology)));
  return written;
}

/** True when the committed compose file is exactly what the topology generates. */
export function composeIsCurrent(topology: Topology, file: string = defaultComposeFile()): boolean {
  return existsSync(file) && readFileSync(file, 'utf8') === composeYaml(topology);
}
