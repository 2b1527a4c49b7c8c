/**
 * `--profile`: CPU profiles of the network under a bench's load, over one window. The Node processes
 * (chaincode servers, gateways) profile themselves between two SIGUSR2 (chaincode/src/ops/
 * cpu-profile-signal.ts); the peers serve Go's pprof on the topology's `profilePort`. The window has
 * a fixed length because pprof's CPU profile does (`?seconds=`); the Node profiles are stopped when it
 * ends, so both cover the same seconds. Files land in the run folder's profiles/; the summary prints
 * the top frames by self time per role (Go's through `go tool pprof -top`, when Go is installed).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cpuProfileFile, PROFILE_SIGNAL } from '../../chaincode/src/api';
import { runPaths } from '../../platform/src/paths';
import { loadTopology } from '../../platform/src/topology';
import { formatSelfTimes, summarizeCpuProfiles, type CpuProfile } from './cpu-profile-summary';
import { networkPids } from './network-processes';

const NODE_ROLES = ['chaincode', 'gateway'];
const FILE_WAIT_MS = 15_000;

export interface ProfileWindow {
  /** Waits for the window's end, collects every profile and prints the summary. */
  finish(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForFile(file: string): Promise<boolean> {
  const deadline = Date.now() + FILE_WAIT_MS;
  while (!existsSync(file)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

async function fetchPeerProfile(url: string, file: string): Promise<string | undefined> {
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    return file;
  } catch (err) {
    console.log(`  profile: ${url} failed (${String(err)}); is profilePort set in the topology?`);
    return undefined;
  }
}

function printGoTop(files: string[]): void {
  if (files.length === 0) return;
  try {
    const top = execFileSync('go', ['tool', 'pprof', '-top', '-nodecount=15', ...files], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    console.log(
      top
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => `  ${line}`)
        .join('\n'),
    );
  } catch {
    console.log(`  (Go is needed to read them: go tool pprof -top ${files.join(' ')})`);
  }
}

/** Starts profiling every chaincode server, gateway and peer for `seconds`. */
export function startProfileWindow(seconds: number): ProfileWindow {
  const dir = runPaths.profiles();
  mkdirSync(dir, { recursive: true });
  const nodes = [...networkPids()].filter(([node]) => NODE_ROLES.includes(node.split('.')[0] ?? ''));
  for (const [, pid] of nodes) {
    rmSync(cpuProfileFile(dir, pid), { force: true });
    process.kill(pid, PROFILE_SIGNAL);
  }
  const peers = loadTopology().orgs.flatMap((org) =>
    org.peer.profilePort === undefined
      ? []
      : [
          fetchPeerProfile(
            `http://${org.peer.host}:${org.peer.profilePort}/debug/pprof/profile?seconds=${seconds}`,
            path.join(dir, `peer.${org.name}.pb.gz`),
          ),
        ],
  );
  // The Node profiles stop when the peers' do, whether or not the load is still running.
  const stopped = sleep(seconds * 1000).then(() => {
    for (const [, pid] of nodes) process.kill(pid, PROFILE_SIGNAL);
  });
  return {
    async finish() {
      await stopped;
      const byRole = new Map<string, CpuProfile[]>();
      for (const [node, pid] of nodes) {
        const file = cpuProfileFile(dir, pid);
        if (!(await waitForFile(file))) {
          console.log(`  profile: ${node} wrote no profile (restart it after a build to load the hook)`);
          continue;
        }
        const role = node.split('.')[0] ?? node;
        byRole.set(role, [...(byRole.get(role) ?? []), JSON.parse(readFileSync(file, 'utf8')) as CpuProfile]);
      }
      console.log(`profile: ${seconds} s of load, files in ${path.relative(process.cwd(), dir)}`);
      for (const [role, profiles] of byRole) {
        const summary = summarizeCpuProfiles(profiles, 15);
        console.log(
          `${role} (${profiles.length} processes, ${(summary.busyMicros / 1e6).toFixed(1)} CPU-s sampled), self time by source:`,
        );
        console.log(formatSelfTimes(summary.bySource).join('\n'));
        console.log(`${role}, top frames by self time:`);
        console.log(formatSelfTimes(summary.topFrames).join('\n'));
      }
      const peerFiles = (await Promise.all(peers)).filter((file): file is string => file !== undefined);
      console.log(`peer (${peerFiles.length} processes), top frames by self time (go tool pprof -top):`);
      printGoTop(peerFiles);
    },
  };
}
