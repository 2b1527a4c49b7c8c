/**
 * Chaincode as a service: one package (so one package id) for every org, each peer resolving its
 * own org's chaincode server through the ccaas builder's templates; install, approve, commit.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FabricCommandError, ordererFlags, peerAdminEnv, runTool, type FabricTools } from './fabric-cli';
import { cryptoPaths, runPaths } from '../../platform/src/paths';
import { leadOrg, type Org, type Topology } from '../../platform/src/topology';
import { COLLECTIONS_CONFIG_FILE } from './generate/collections';

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
    ...(topology.chaincode.collections.length > 0
      ? ['--collections-config', runPaths.config(COLLECTIONS_CONFIG_FILE)]
      : []),
  ];
}

/**
 * The peer CLI sends a lifecycle transaction to one orderer. Under BFT an orderer that has just
 * restarted may accept it and not get it ordered in time; then the transaction is tried through
 * the next orderer, unless it landed after all (`landed`), so a retry never doubles it.
 */
async function throughOrderers(
  topology: Topology,
  first: Org,
  run: (orderer: Org) => Promise<unknown>,
  landed: () => Promise<boolean>,
): Promise<void> {
  const orderers = [first, ...topology.orgs.filter((o) => o !== first)];
  let lastError: unknown;
  for (const orderer of orderers) {
    try {
      await run(orderer);
      return;
    } catch (err) {
      if (!(err instanceof FabricCommandError) || !isRetryableLifecycleError(err.message)) throw err;
      lastError = err;
      if (await landed().catch(() => false)) return;
    }
  }
  throw lastError;
}

// Accepted but not ordered in time ("timed out waiting for txid", or "DeadlineExceeded" on the
// peer's deliver stream), the wait for the commit cut off (the peer closes a CLI stream that waits
// long with GOAWAY ENHANCE_YOUR_CALM "too_many_pings": seen when the peer's own orderer stalled its
// block delivery and the peer took 30 s to notice), or the orderer is unreachable.
const RETRYABLE =
  /timed out waiting for txid|DeadlineExceeded|deadline exceeded|ENHANCE_YOUR_CALM|too_many_pings|connection refused|Unavailable/i;

export function isRetryableLifecycleError(message: string): boolean {
  return RETRYABLE.test(message);
}

/** One lifecycle transaction (`approveformyorg`, `commit`) as the org's admin, through the orderers. */
function lifecycleTransaction(
  tools: FabricTools,
  topology: Topology,
  org: Org,
  verb: 'approveformyorg' | 'commit',
  sequence: number,
  extraFlags: string[],
  landed: () => Promise<boolean>,
): Promise<void> {
  return throughOrderers(
    topology,
    org,
    (orderer) =>
      runTool(
        tools,
        'peer',
        [
          'lifecycle',
          'chaincode',
          verb,
          ...ordererFlags(orderer),
          ...definitionFlags(topology, sequence),
          ...extraFlags,
        ],
        peerAdminEnv(org),
        120_000,
      ),
    landed,
  );
}

export function approve(
  tools: FabricTools,
  topology: Topology,
  org: Org,
  packageId: string,
  sequence: number,
): Promise<void> {
  return lifecycleTransaction(
    tools,
    topology,
    org,
    'approveformyorg',
    sequence,
    ['--package-id', packageId],
    async () => (await approvedBy(tools, topology, sequence))[org.mspId] === true,
  );
}

export function commit(tools: FabricTools, topology: Topology, sequence: number): Promise<void> {
  const org = leadOrg(topology);
  // Endorsed by every org's peer, so the MAJORITY lifecycle policy is met whichever is slow.
  const peers = topology.orgs.flatMap((o) => [
    '--peerAddresses',
    `${o.peer.host}:${o.peer.port}`,
    '--tlsRootCertFiles',
    cryptoPaths.tls(o.name, 'peer', 'ca.crt'),
  ]);
  return lifecycleTransaction(
    tools,
    topology,
    org,
    'commit',
    sequence,
    peers,
    async () => (await queryCommitted(tools, topology, org))?.sequence === sequence,
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
