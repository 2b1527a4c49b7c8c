/**
 * The pinned Fabric binaries in the official release layout, and `go install` of them into the
 * user cache, the last of the sources that platform/src/fabric-home.ts tries.
 */
import { execFile, spawn } from 'node:child_process';
import { accessSync, chmodSync, constants, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Topology } from './topology';

type FabricPin = Topology['fabric'];

export interface FabricBinary {
  name: string;
  /** `go install` argument: module path of the command, @ version. */
  target: string;
  /** Folder of the release layout that holds it (and that GOBIN points at when it is built). */
  dir: 'bin' | 'builders/ccaas/bin';
  cgo: boolean;
  /** Stamps the release version into the build, as the release Makefiles do, so `version` prints the pin. */
  ldflags: string;
}

const FABRIC_MODULE = 'github.com/hyperledger/fabric';
const FABRIC_CA_MODULE = 'github.com/hyperledger/fabric-ca';

export function fabricBinaries(fabric: FabricPin): FabricBinary[] {
  const stamp = `-X ${FABRIC_MODULE}/common/metadata.Version=${fabric.version} -X ${FABRIC_MODULE}/common/metadata.CommitSHA=${fabric.commit}`;
  const core = ['peer', 'orderer', 'configtxgen', 'configtxlator', 'osnadmin'].map((name) => ({
    name,
    target: `${FABRIC_MODULE}/cmd/${name}@${fabric.commit}`,
    dir: 'bin' as const,
    cgo: false,
    ldflags: stamp,
  }));
  // The peer runs its external builder as <path>/bin/{detect,build,release}: builders/ccaas in the release.
  const ccaas = ['detect', 'build', 'release'].map((name) => ({
    name,
    target: `${FABRIC_MODULE}/ccaas_builder/cmd/${name}@${fabric.commit}`,
    dir: 'builders/ccaas/bin' as const,
    cgo: false,
    ldflags: stamp,
  }));
  // fabric-ca stores identities in SQLite, which needs cgo.
  const ca = ['fabric-ca-server', 'fabric-ca-client'].map((name) => ({
    name,
    target: `${FABRIC_CA_MODULE}/cmd/${name}@v${fabric.caVersion}`,
    dir: 'bin' as const,
    cgo: true,
    ldflags: `-X ${FABRIC_CA_MODULE}/lib/metadata.Version=${fabric.caVersion}`,
  }));
  return [...core, ...ccaas, ...ca];
}

export function binaryPath(home: string, binary: FabricBinary): string {
  return path.join(home, binary.dir, binary.name);
}

/** The path of one pinned binary in a Fabric folder of the release layout. */
export function binaryIn(home: string, fabric: FabricPin, name: string): string {
  const binary = fabricBinaries(fabric).find((b) => b.name === name);
  if (!binary) throw new Error(`${name} is not a pinned Fabric binary`);
  return binaryPath(home, binary);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function missingBinaries(home: string, binaries: FabricBinary[]): FabricBinary[] {
  return binaries.filter((b) => !isExecutable(binaryPath(home, b)));
}

/** The release's default core.yaml and orderer.yaml, which the network copies and edits. */
export const DEFAULT_CONFIG_FILES = ['core.yaml', 'orderer.yaml'];

/** What a folder lacks to be a Fabric release folder, as paths relative to it (empty when complete). */
export function missingFromRelease(home: string, fabric: FabricPin): string[] {
  return [
    ...missingBinaries(home, fabricBinaries(fabric)).map((b) => path.join(b.dir, b.name)),
    ...DEFAULT_CONFIG_FILES.map((f) => path.join('config', f)).filter((f) => !existsSync(path.join(home, f))),
  ];
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
      'Fabric cannot be built on this machine until the proxy serves that module: point VPP_FABRIC_HOME ' +
      'at an unpacked Fabric release instead; see README, Troubleshooting.'
    );
  }
  if (/could not resolve host|dial tcp|i\/o timeout|connection refused/i.test(output)) {
    return `cannot build ${binary.name}: the Go module proxy is unreachable (${lines.at(-1)?.trim() ?? ''})`;
  }
  return `cannot build ${binary.name} (go install ${binary.target}):\n${lines.slice(-15).join('\n')}`;
}

export interface BuildOptions {
  log: (line: string) => void;
  /** The environment `go` runs in (PATH, GOPROXY, GOPATH…); this process's by default. */
  env?: NodeJS.ProcessEnv;
  /** How often to print a progress line while one binary builds. */
  progressEveryMs?: number;
}

/** Builds every pinned binary missing from the cache with `go install`, and adds the default config. */
export async function buildIntoCache(fabric: FabricPin, cache: string, options: BuildOptions): Promise<void> {
  const missing = missingBinaries(cache, fabricBinaries(fabric));
  options.log(
    `building ${missing.length} Fabric binaries (Fabric ${fabric.version} at ${fabric.commit}, ` +
      `fabric-ca ${fabric.caVersion}) into ${cache}; a cold build takes 10-20 minutes`,
  );
  const started = Date.now();
  for (const [i, binary] of missing.entries()) {
    options.log(`[${i + 1}/${missing.length}] go install ${binary.target}`);
    const gobin = path.join(cache, binary.dir);
    mkdirSync(gobin, { recursive: true });
    await goInstall(binary, gobin, options);
  }
  if (!DEFAULT_CONFIG_FILES.every((f) => existsSync(path.join(cache, 'config', f))))
    await copyDefaultConfig(fabric, cache, options.env ?? process.env);
  options.log(`Fabric binaries built in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** The release's core.yaml and orderer.yaml ship in the module: copy them next to the binaries. */
async function copyDefaultConfig(fabric: FabricPin, cache: string, env: NodeJS.ProcessEnv): Promise<void> {
  const out = await run('go', ['mod', 'download', '-json', `${FABRIC_MODULE}@${fabric.commit}`], env);
  const dir = (JSON.parse(out) as { Dir?: string }).Dir;
  if (!dir) throw new FabricInstallError(`go mod download gave no folder for Fabric ${fabric.commit}`);
  mkdirSync(path.join(cache, 'config'), { recursive: true });
  for (const file of DEFAULT_CONFIG_FILES) {
    const target = path.join(cache, 'config', file);
    copyFileSync(path.join(dir, 'sampleconfig', file), target);
    chmodSync(target, 0o644); // the module cache is read-only
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err)
        reject(new FabricInstallError(`${command} ${args.join(' ')}: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

function goInstall(binary: FabricBinary, gobin: string, options: BuildOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('go', ['install', `-ldflags=${binary.ldflags}`, binary.target], {
      env: {
        ...(options.env ?? process.env),
        GOBIN: gobin,
        CGO_ENABLED: binary.cgo ? '1' : '0',
        GOFLAGS: '-buildvcs=false',
      },
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
