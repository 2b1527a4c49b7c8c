/** Runs Fabric's command-line tools (peer, osnadmin, configtxgen) with a bound and clear errors. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { cryptoPaths } from '../../platform/src/paths';
import type { Org } from '../../platform/src/topology';

export class FabricCommandError extends Error {
  constructor(
    readonly command: string,
    readonly output: string,
  ) {
    super(`${command} failed: ${output.trim().split('\n').slice(-6).join(' | ')}`);
    this.name = 'FabricCommandError';
  }
}

export interface FabricTools {
  bin: string;
  /** Folder with core.yaml and orderer.yaml defaults (FABRIC_CFG_PATH). */
  configDir: string;
}

export function toolsAt(cache: string): FabricTools {
  return { bin: path.join(cache, 'bin'), configDir: path.join(cache, 'config') };
}

export function runTool(
  tools: FabricTools,
  tool: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<string> {
  const command = `${tool} ${args.join(' ')}`;
  return new Promise((resolve, reject) => {
    execFile(
      path.join(tools.bin, tool),
      args,
      {
        env: { ...process.env, FABRIC_CFG_PATH: tools.configDir, FABRIC_LOGGING_SPEC: 'warning', ...env },
        timeout: timeoutMs,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        if (err) reject(new FabricCommandError(command, `${stderr}\n${stdout}\n${err.message}`));
        else resolve(`${stdout}${stderr}`);
      },
    );
  });
}

/** The environment under which the peer CLI acts as the org's admin against its own peer. */
export function peerAdminEnv(org: Org): Record<string, string> {
  return {
    CORE_PEER_LOCALMSPID: org.mspId,
    CORE_PEER_MSPCONFIGPATH: cryptoPaths.userMsp(org.name, 'admin'),
    CORE_PEER_ADDRESS: `${org.peer.host}:${org.peer.port}`,
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_ROOTCERT_FILE: cryptoPaths.tls(org.name, 'peer', 'ca.crt'),
  };
}

/** Flags that point the peer CLI at an org's orderer over TLS. */
export function ordererFlags(org: Org): string[] {
  return [
    '-o',
    `${org.orderer.host}:${org.orderer.port}`,
    '--tls',
    '--cafile',
    cryptoPaths.tls(org.name, 'orderer', 'ca.crt'),
  ];
}
