/**
 * Where the network's Fabric binaries come from. One folder in the official release layout
 * (bin/, config/, builders/ccaas/bin/, with fabric-ca's two binaries in bin/), taken in this order:
 *   1. VPP_FABRIC_HOME, a release folder the user names;
 *   2. ../shared/fabric beside the repository, when it exists (the project's machines);
 *   3. the user cache, built there with `go install` when anything is missing.
 * A release folder is only read, never written: it may be read-only. Whatever the source, the
 * binaries' own `version` must print the topology's pin before anything uses them.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { binaryIn, buildIntoCache, FabricInstallError, missingFromRelease } from './fabric-binaries';
import { fabricCacheDir, repoRoot } from './paths';
import type { Topology } from './topology';

type FabricPin = Topology['fabric'];

export type FabricSource = 'VPP_FABRIC_HOME' | 'shared' | 'cache';

export interface FabricHome {
  dir: string;
  source: FabricSource;
}

export interface LocateOptions {
  /** Environment to read VPP_FABRIC_HOME, VPP_FABRIC_CACHE and XDG_CACHE_HOME from; this process's by default. */
  env?: NodeJS.ProcessEnv;
  /** The shared release folder beside the repository; tests move it. */
  sharedDir?: string;
}

export const sharedFabricDir = (): string => path.resolve(repoRoot(), '..', 'shared', 'fabric');

const SOURCE_NAMES: Record<FabricSource, string> = {
  VPP_FABRIC_HOME: 'VPP_FABRIC_HOME',
  shared: 'the shared release folder',
  cache: 'the user cache',
};

/** Picks the folder without touching it: cheap enough for every caller that needs a binary's path. */
export function locateFabricHome(fabric: FabricPin, options: LocateOptions = {}): FabricHome {
  const env = options.env ?? process.env;
  const given = env.VPP_FABRIC_HOME?.trim();
  if (given) return { dir: path.resolve(given), source: 'VPP_FABRIC_HOME' };
  const shared = options.sharedDir ?? sharedFabricDir();
  if (existsSync(shared)) return { dir: shared, source: 'shared' };
  return { dir: fabricCacheDir(fabric, env), source: 'cache' };
}

/** True when the folder was named or found as a release folder, so a failure there is the user's to fix, not a missing build. */
export const isReleaseFolder = (home: FabricHome): boolean => home.source !== 'cache';

export const describeHome = (home: FabricHome): string => `${home.dir} (${SOURCE_NAMES[home.source]})`;

export interface VersionInfo {
  version: string;
  /** Fabric's abbreviated commit; fabric-ca prints none. */
  commit?: string;
}

/** Reads `Version:` and `Commit SHA:` from the output of `peer version` and its kin. */
export function parseVersionOutput(text: string): VersionInfo | undefined {
  const version = /^\s*Version:\s*(.+?)\s*$/m.exec(text)?.[1];
  if (!version) return undefined;
  const commit = /^\s*Commit SHA:\s*(.+?)\s*$/m.exec(text)?.[1];
  return commit ? { version, commit } : { version };
}

interface VersionCheck {
  binary: string;
  expected: VersionInfo;
}

function versionChecks(fabric: FabricPin): VersionCheck[] {
  const core = { version: fabric.version, commit: fabric.commit };
  return [
    { binary: 'peer', expected: core },
    { binary: 'orderer', expected: core },
    { binary: 'fabric-ca-server', expected: { version: fabric.caVersion } },
  ];
}

const describeVersion = (v: VersionInfo) => (v.commit ? `${v.version} (commit ${v.commit})` : v.version);

/** An abbreviated commit matches the pin when one is a prefix of the other. */
function matches(found: VersionInfo, expected: VersionInfo): boolean {
  if (found.version !== expected.version) return false;
  if (!expected.commit) return true;
  const commit = found.commit?.toLowerCase() ?? '';
  return commit.length >= 7 && (expected.commit.startsWith(commit) || commit.startsWith(expected.commit));
}

function versionOutput(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, ['version'], { timeout: 20_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error((stderr.trim() || err.message).split('\n')[0]));
      else resolve(stdout);
    });
  });
}

/**
 * Runs `peer version`, `orderer version` and `fabric-ca-server version` in the folder and throws a
 * one-line FabricInstallError naming the folder, the expected and the found version on a mismatch.
 */
export async function checkFabricVersions(home: FabricHome, fabric: FabricPin): Promise<void> {
  const failures = await Promise.all(
    versionChecks(fabric).map(async ({ binary, expected }) => {
      const file = binaryIn(home.dir, fabric, binary);
      let output: string;
      try {
        output = await versionOutput(file);
      } catch (err) {
        return `${binary} version failed (${(err as Error).message})`;
      }
      const found = parseVersionOutput(output);
      if (!found) return `${binary} version printed no version`;
      if (matches(found, expected)) return undefined;
      return `${binary} is ${describeVersion(found)}, expected ${describeVersion(expected)}`;
    }),
  );
  const wrong = failures.filter((f): f is string => f !== undefined);
  if (wrong.length > 0)
    throw new FabricInstallError(`Fabric folder ${describeHome(home)}: ${wrong.join('; ')}`);
}

export interface InstallOptions extends LocateOptions {
  log: (line: string) => void;
  /** How often to print a progress line while one binary builds. */
  progressEveryMs?: number;
}

/**
 * Makes sure the pinned Fabric is at hand and checked; returns its folder. A release folder must be
 * complete (nothing is built into it); only the user cache is filled with `go install`.
 */
export async function installFabric(topology: Topology, options: InstallOptions): Promise<FabricHome> {
  const { fabric } = topology;
  const home = locateFabricHome(fabric, options);
  const missing = missingFromRelease(home.dir, fabric);
  if (missing.length > 0) {
    if (isReleaseFolder(home)) {
      throw new FabricInstallError(
        `Fabric folder ${describeHome(home)} is not a Fabric release folder: missing ${missing.join(', ')}`,
      );
    }
    await buildIntoCache(fabric, home.dir, options);
  }
  await checkFabricVersions(home, fabric);
  options.log(
    `Fabric ${fabric.version} and fabric-ca ${fabric.caVersion} from ${describeHome(home)}, versions checked`,
  );
  return home;
}
