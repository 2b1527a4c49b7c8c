/**
 * Builds the pinned Fabric binaries with `go install` into a cache keyed by the pin
 * (topology.fabric), and skips the build when they are all present.
 */
import { execFile, spawn } from 'node:child_process';
import { accessSync, chmodSync, constants, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fabricCacheDir } from './paths';
import type { Topology } from './topology';

export interface FabricBinary {
  name: string;
  /** `go install` argument: module path of the command, @ version. */
  target: string;
  /** Folder under the cache that GOBIN points at. */
  dir: 'bin' | 'ccaas/bin';
  cgo: boolean;
}

export function fabricBinaries(fabric: Topology['fabric']): FabricBinary[] {
  const core = ['peer', 'orderer', 'configtxgen', 'configtxlator', 'osnadmin'].map((name) => ({
    name,
    target: `github.com/hyperledger/fabric/cmd/${name}@${fabric.commit}`,
    dir: 'bin' as const,
    cgo: false,
  }));
  // The peer runs its external builder as <path>/bin/{detect,build,release}: its own GOBIN.
  const ccaas = ['detect', 'build', 'release'].map((name) => ({
    name,
    target: `github.com/hyperledger/fabric/ccaas_builder/cmd/${name}@${fabric.commit}`,
    dir: 'ccaas/bin' as const,
    cgo: false,
  }));
  // fabric-ca stores identities in SQLite, which needs cgo.
  const ca = ['fabric-ca-server', 'fabric-ca-client'].map((name) => ({
    name,
    target: `github.com/hyperledger/fabric-ca/cmd/${name}@v${fabric.caVersion}`,
    dir: 'bin' as const,
    cgo: true,
  }));
  return [...core, ...ccaas, ...ca];
}

export function binaryPath(cache: string, binary: FabricBinary): string {
  return path.join(cache, binary.dir, binary.name);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function missingBinaries(cache: string, binaries: FabricBinary[]): FabricBinary[] {
  return binaries.filter((b) => !isExecutable(binaryPath(cache, b)));
}

export class FabricInstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FabricInstallError';
  }
}

/** Turns `go install` output into one sentence a user can act on. */
export function explainGoFailure(binary: FabricBinary, output: string): string {
  const lines = output.trim().split('\n');
  if (/403 Forbidden|not available|410 Gone/.test(output)) {
    return (
      `cannot build ${binary.name}: the Go module proxy refused ${binary.target} ` +
      `(${lines.find((l) => /Forbidden|Gone|not available/.test(l))?.trim() ?? 'refused'}). ` +
      'Fabric cannot be built on this machine until the proxy serves that module; see README, Troubleshooting.'
    );
  }
  if (/could not resolve host|dial tcp|i\/o timeout|connection refused/i.test(output)) {
    return `cannot build ${binary.name}: the Go module proxy is unreachable (${lines.at(-1)?.trim() ?? ''})`;
  }
  return `cannot build ${binary.name} (go install ${binary.target}):\n${lines.slice(-15).join('\n')}`;
}

export interface InstallOptions {
  log: (line: string) => void;
  /** How often to print a progress line while one binary builds. */
  progressEveryMs?: number;
}

/** Ensures every pinned binary is in the cache; returns the cache folder. */
export async function installFabricBinaries(topology: Topology, options: InstallOptions): Promise<string> {
  const cache = fabricCacheDir(topology.fabric.commit, topology.fabric.caVersion);
  const missing = missingBinaries(cache, fabricBinaries(topology.fabric));
  if (missing.length === 0 && hasDefaultConfig(cache)) {
    options.log(`Fabric ${topology.fabric.version} binaries present in ${cache}`);
    return cache;
  }
  options.log(
    `building ${missing.length} Fabric binaries (Fabric ${topology.fabric.version} at ${topology.fabric.commit}, ` +
      `fabric-ca ${topology.fabric.caVersion}) into ${cache}; a cold build takes 10-20 minutes`,
  );
  const started = Date.now();
  for (const [i, binary] of missing.entries()) {
    options.log(`[${i + 1}/${missing.length}] go install ${binary.target}`);
    const gobin = path.join(cache, binary.dir);
    mkdirSync(gobin, { recursive: true });
    await goInstall(binary, gobin, options);
  }
  if (!hasDefaultConfig(cache)) await copyDefaultConfig(topology.fabric, cache);
  options.log(`Fabric binaries built in ${Math.round((Date.now() - started) / 1000)} s`);
  return cache;
}

const DEFAULT_CONFIG_FILES = ['core.yaml', 'orderer.yaml'];

function hasDefaultConfig(cache: string): boolean {
  return DEFAULT_CONFIG_FILES.every((f) => existsSync(path.join(cache, 'config', f)));
}

/** The release's core.yaml and orderer.yaml ship in the module: copy them next to the binaries. */
async function copyDefaultConfig(fabric: Topology['fabric'], cache: string): Promise<void> {
  const out = await run(
    'go',
    ['mod', 'download', '-json', `github.com/hyperledger/fabric@${fabric.commit}`],
    {},
  );
  const dir = (JSON.parse(out) as { Dir?: string }).Dir;
  if (!dir) throw new FabricInstallError(`go mod download gave no folder for Fabric ${fabric.commit}`);
  mkdirSync(path.join(cache, 'config'), { recursive: true });
  for (const file of DEFAULT_CONFIG_FILES) {
    const target = path.join(cache, 'config', file);
    copyFileSync(path.join(dir, 'sampleconfig', file), target);
    chmodSync(target, 0o644); // the module cache is read-only
  }
}

function run(command: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err)
          reject(new FabricInstallError(`${command} ${args.join(' ')}: ${stderr.trim() || err.message}`));
        else resolve(stdout);
      },
    );
  });
}

function goInstall(binary: FabricBinary, gobin: string, options: InstallOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('go', ['install', binary.target], {
      env: { ...process.env, GOBIN: gobin, CGO_ENABLED: binary.cgo ? '1' : '0', GOFLAGS: '-buildvcs=false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const started = Date.now();
    const ticker = setInterval(
      () => options.log(`    still building ${binary.name} (${Math.round((Date.now() - started) / 1000)} s)`),
      options.progressEveryMs ?? 30_000,
    );
    child.on('error', (err) => {
      clearInterval(ticker);
      reject(new FabricInstallError(`cannot run go (${err.message}); Go 1.26 must be on PATH`));
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      if (code === 0) resolve();
      else reject(new FabricInstallError(explainGoFailure(binary, output)));
    });
  });
}
