/**
 * Chaincode as a service: one package (so one package id) for every org, each peer resolving its
 * own org's chaincode server through the ccaas builder's templates; install, approve, commit.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ordererFlags, peerAdminEnv, runTool, type FabricTools } from './fabric-cli';
import { cryptoPaths, runPaths } from './paths';
import { leadOrg, type Org, type Topology } from './topology';

export const packageLabel = (topology: Topology) =>
  `${topology.chaincode.name}_${topology.chaincode.version}`;

/** connection.json: every string is a Go template filled from the peer's CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG. */
export function connectionJson(): Record<string, unknown> {
  return {
    address: '{{.ccaddress}}',
    dial_timeout: '10s',
    tls_required: true,
    client_auth_required: false,
    root_cert: '{{.ccrootcert}}',
  };
}

/** A reproducible tar.gz (sorted names, fixed owner and time, no gzip timestamp): same bytes, same package id. */
function tarGz(dir: string, names: string[], out: string): void {
  const tar = execFileSync(
    'tar',
    [
      '--sort=name',
      '--mtime=@0',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '-C',
      dir,
      '-cf',
      '-',
      ...names,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  writeFileSync(out, execFileSync('gzip', ['-n', '-9'], { input: tar }));
}

/** Writes the CCaaS package; returns its file and package id (`label:sha256 of the package`). */
export function packageChaincode(topology: Topology): { file: string; packageId: string } {
  const label = packageLabel(topology);
  const work = mkdtempSync(path.join(os.tmpdir(), 'vpp-ccpkg-'));
  try {
    mkdirSync(path.join(work, 'code'));
    writeFileSync(path.join(work, 'code', 'connection.json'), `${JSON.stringify(connectionJson())}\n`);
    tarGz(path.join(work, 'code'), ['connection.json'], path.join(work, 'code.tar.gz'));
    writeFileSync(path.join(work, 'metadata.json'), `${JSON.stringify({ type: 'ccaas', label })}\n`);
    const file = runPaths.config('chaincode', `${label}.tar.gz`);
    mkdirSync(path.dirname(file), { recursive: true });
    tarGz(work, ['code.tar.gz', 'metadata.json'], file);
    const packageId = `${label}:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
    return { file, packageId };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function installOnPeer(
  tools: FabricTools,
  org: Org,
  file: string,
  packageId: string,
): Promise<boolean> {
  const env = peerAdminEnv(org);
  const installed = await runTool(
    tools,
    'peer',
    ['lifecycle', 'chaincode', 'queryinstalled', '--output', 'json'],
    env,
  );
  if (installed.includes(packageId)) return false;
  await runTool(tools, 'peer', ['lifecycle', 'chaincode', 'install', file], env, 300_000);
  return true;
}

interface Committed {
  sequence: number;
  version: string;
}

export async function queryCommitted(
  tools: FabricTools,
  topology: Topology,
  org: Org,
): Promise<Committed | undefined> {
  try {
    const out = await runTool(
      tools,
      'peer',
      [
        'lifecycle',
        'chaincode',
        'querycommitted',
        '-C',
        topology.channel.name,
        '-n',
        topology.chaincode.name,
        '--output',
        'json',
      ],
      peerAdminEnv(org),
    );
    const parsed = JSON.parse(out) as { sequence: number; version: string };
    return { sequence: parsed.sequence, version: parsed.version };
  } catch (err) {
    if (/namespace .* is not defined|not found/i.test((err as Error).message)) return undefined;
    throw err;
  }
}

function definitionFlags(topology: Topology, sequence: number): string[] {
  return [
    '--channelID',
    topology.channel.name,
    '--name',
    topology.chaincode.name,
    '--version',
    topology.chaincode.version,
    '--sequence',
    String(sequence),
    // No --signature-policy: the definition then uses the channel's /Channel/Application/Endorsement
    // policy, which configtx sets to MAJORITY Endorsement (chaincode-level MAJORITY).
  ];
}

export async function approve(
  tools: FabricTools,
  topology: Topology,
  org: Org,
  packageId: string,
  sequence: number,
) {
  await runTool(
    tools,
    'peer',
    [
      'lifecycle',
      'chaincode',
      'approveformyorg',
      ...ordererFlags(org),
      ...definitionFlags(topology, sequence),
      '--package-id',
      packageId,
    ],
    peerAdminEnv(org),
    120_000,
  );
}

export async function commit(tools: FabricTools, topology: Topology, sequence: number) {
  const org = leadOrg(topology);
  const peers = topology.orgs.flatMap((o) => [
    '--peerAddresses',
    `${o.peer.host}:${o.peer.port}`,
    '--tlsRootCertFiles',
    cryptoPaths.tls(o.name, 'peer', 'ca.crt'),
  ]);
  await runTool(
    tools,
    'peer',
    [
      'lifecycle',
      'chaincode',
      'commit',
      ...ordererFlags(org),
      ...definitionFlags(topology, sequence),
      ...peers,
    ],
    peerAdminEnv(org),
    120_000,
  );
}

export async function approvedBy(
  tools: FabricTools,
  topology: Topology,
  sequence: number,
): Promise<Record<string, boolean>> {
  const out = await runTool(
    tools,
    'peer',
    [
      'lifecycle',
      'chaincode',
      'checkcommitreadiness',
      ...definitionFlags(topology, sequence),
      '--output',
      'json',
    ],
    peerAdminEnv(leadOrg(topology)),
  );
  return (JSON.parse(out) as { approvals: Record<string, boolean> }).approvals;
}

export const packageExists = (file: string) => existsSync(file);
