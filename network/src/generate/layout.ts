/**
 * Where one deployment keeps its runtime tree. The native network uses the run folder on this
 * machine; the compose deployment mounts the same tree at a fixed root inside every container.
 * Which file sits where stays defined once, in platform/src/paths.ts: a layout only re-roots its answers.
 */
import path from 'node:path';
import { cryptoPaths, runDir, runPaths } from '../../../platform/src/paths';

export type CryptoNode = 'peer' | 'orderer' | 'chaincode' | 'gateway';
export type TlsFile = 'server.crt' | 'server.key' | 'ca.crt';

/** The runtime paths of one deployment (absolute, POSIX). */
export interface RunLayout {
  root: string;
  data(nodeId: string): string;
  config(...parts: string[]): string;
  crypto(...parts: string[]): string;
  orgMsp(org: string): string;
  nodeMsp(org: string, node: 'peer' | 'orderer'): string;
  signCert(org: string, node: 'peer' | 'orderer'): string;
  tls(org: string, node: CryptoNode, file: TlsFile): string;
  userMsp(org: string, user: string): string;
  tlsRoots(): string;
}

/** Root of the runtime tree inside the compose containers. */
export const CONTAINER_ROOT = '/var/hyperledger/vpp';

/** The repository-relative folder the compose file mounts from (the default run folder). */
export const COMPOSE_RUN_DIR = './network/run';

export function layoutAt(root: string): RunLayout {
  const base = runDir();
  const at = (p: string) => path.posix.join(root, ...path.relative(base, p).split(path.sep));
  return {
    root,
    data: (nodeId) => at(runPaths.data(nodeId)),
    config: (...parts) => at(runPaths.config(...parts)),
    crypto: (...parts) => at(runPaths.crypto(...parts)),
    orgMsp: (org) => at(cryptoPaths.orgMsp(org)),
    nodeMsp: (org, node) => at(cryptoPaths.nodeMsp(org, node)),
    signCert: (org, node) => at(cryptoPaths.signCert(org, node)),
    tls: (org, node, file) => at(cryptoPaths.tls(org, node, file)),
    userMsp: (org, user) => at(cryptoPaths.userMsp(org, user)),
    tlsRoots: () => at(cryptoPaths.tlsRoots()),
  };
}

/** The native run folder (honours VPP_RUN_DIR), made absolute: Fabric wants absolute paths. */
export function hostLayout(): RunLayout {
  return layoutAt(path.resolve(runDir()));
}

export function containerLayout(): RunLayout {
  return layoutAt(CONTAINER_ROOT);
}

/** The compose bind-mount source of a path of the container layout, relative to the repository. */
export function composeSourceOf(containerPath: string): string {
  const relative = path.posix.relative(CONTAINER_ROOT, containerPath);
  if (relative.startsWith('..')) throw new Error(`${containerPath} is outside ${CONTAINER_ROOT}`);
  return `${COMPOSE_RUN_DIR}/${relative}`;
}
