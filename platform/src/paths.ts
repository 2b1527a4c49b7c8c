/** Where things live: the repository, and the gitignored runtime tree under network/run. */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let cachedRoot: string | undefined;

/** The repository root: the nearest ancestor whose package.json is this project's. */
export function repoRoot(): string {
  if (cachedRoot) return cachedRoot;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'vpp-ledger'
    ) {
      cachedRoot = dir;
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error('cannot find the vpp-ledger repository root');
  }
}

/** Runtime folders; VPP_RUN_DIR moves them (tests use a private one). */
export function runDir(): string {
  return process.env.VPP_RUN_DIR ?? path.join(repoRoot(), 'network', 'run');
}

export const runPaths = {
  data: (nodeId: string) => path.join(runDir(), 'data', nodeId),
  log: (nodeId: string) => path.join(runDir(), 'logs', `${nodeId}.log`),
  pid: (nodeId: string) => path.join(runDir(), 'pids', `${nodeId}.pid`),
  env: (nodeId: string) => path.join(runDir(), 'env', `${nodeId}.env`),
  config: (...parts: string[]) => path.join(runDir(), 'config', ...parts),
  crypto: (...parts: string[]) => path.join(runDir(), 'crypto', ...parts),
  /** An org's SoftHSM2 token folder (softhsm2.conf, tokens, PINs) when the topology selects it. */
  hsm: (org: string) => path.join(runDir(), 'hsm', org),
  /** CPU profiles the Node processes write on SIGUSR2 (`npm run bench -- telemetry --profile`). */
  profiles: () => path.join(runDir(), 'profiles'),
};

/**
 * The user cache that `go install` fills when no release folder is given: outside the work tree and
 * keyed by the pin, so clones share it. VPP_FABRIC_CACHE moves its base folder.
 */
export function fabricCacheDir(
  fabric: { version: string; commit: string; caVersion: string },
  env: NodeJS.ProcessEnv = process.env,
): string {
  const base =
    env.VPP_FABRIC_CACHE ??
    path.join(env.XDG_CACHE_HOME ?? path.join(env.HOME ?? os.homedir(), '.cache'), 'vpp-ledger');
  return path.join(base, `fabric-${fabric.version}-${fabric.commit}-ca-${fabric.caVersion}`);
}

/**
 * Crypto material of one org, as the CA enrollment scripts lay it out (Fabric MSP folders):
 *   <org>/msp                      channel MSP: cacerts, tlscacerts, config.yaml (NodeOUs)
 *   <org>/{peer,orderer}/msp       node signing identity (signcerts/cert.pem, keystore/key.pem)
 *   <org>/{peer,orderer,chaincode}/tls   server.crt, server.key, ca.crt (TLS CA root)
 *   <org>/users/<name>/msp         admin and application users
 *   tls-roots.pem                  the TLS CA roots of every org: what a gateway's client trusts
 */
export const cryptoPaths = {
  orgMsp: (org: string) => runPaths.crypto(org, 'msp'),
  nodeMsp: (org: string, node: 'peer' | 'orderer') => runPaths.crypto(org, node, 'msp'),
  signCert: (org: string, node: 'peer' | 'orderer') =>
    runPaths.crypto(org, node, 'msp', 'signcerts', 'cert.pem'),
  tls: (
    org: string,
    node: 'peer' | 'orderer' | 'chaincode' | 'gateway',
    file: 'server.crt' | 'server.key' | 'ca.crt',
  ) => runPaths.crypto(org, node, 'tls', file),
  userMsp: (org: string, user: string) => runPaths.crypto(org, 'users', user, 'msp'),
  /** Written by the bring-up (ca/src/enroll.ts writeTlsRoots) once every org is enrolled. */
  tlsRoots: () => runPaths.crypto('tls-roots.pem'),
};
