/**
 * Starts, stops and reports on the network's processes. Each node runs under its own keeper
 * (keeper.ts), detached, leading the node's process group: the keeper restarts the node when it
 * exits unexpectedly. The pid file names the keeper; stop ends exactly that process group, never by
 * name, so the node, its keeper and any helper the node spawned end together.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpRequest } from '../../../platform/src/http/http-client';
import { keeperStateFile, readKeeperState } from '../../../platform/src/keeper-state';
import { KEEPER_SPEC_ENV, type KeeperSpec } from './keeper';
import { assertPortsFree } from './ports';
import type { RestartPolicy } from './restart-policy';

const KEEPER_SCRIPT = path.join(__dirname, 'keeper.js');

/**
 * GET /healthz answering 200 (over HTTPS verified against `caFile` when one is given), or a TCP
 * connect to host:port.
 */
export type HealthProbe = { kind: 'http'; port: number; caFile?: string } | { kind: 'tcp'; port: number };

export interface LaunchSpec {
  id: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  host: string;
  ports: Record<string, number>;
  /**
   * How readiness is seen; every probe must pass. Fabric nodes answer /healthz before they serve
   * (an orderer first syncs its channels), so they also probe their main port.
   */
  health: HealthProbe[];
  pidFile: string;
  logFile: string;
  /** Overrides the keeper's restart pauses (tests). */
  restartPolicy?: RestartPolicy;
}

export class NodeStartError extends Error {
  constructor(
    readonly nodeId: string,
    message: string,
    readonly logFile: string,
  ) {
    super(`${nodeId}: ${message} (log: ${logFile})`);
    this.name = 'NodeStartError';
  }
}

export function readPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Whether the process group led by `pid` still has a member: the keeper, or the node it ran if
 * the keeper itself was killed. An exited process stays a zombie until it is reaped and still
 * counts, because a Go node's leader thread can show as a zombie while its other threads still
 * hold the node's ports.
 */
export function isAlive(pid: number): boolean {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 0);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EPERM') return true;
    }
  }
  return false;
}

export type StartOutcome = 'started' | 'already-running';

/** Starts the node unless its pid file names a live process; waits (bounded) until it is healthy. */
export async function startNode(spec: LaunchSpec, timeoutMs: number): Promise<StartOutcome> {
  const pid = readPid(spec.pidFile);
  if (pid !== undefined && isAlive(pid)) return 'already-running';
  rmSync(spec.pidFile, { force: true });
  rmSync(keeperStateFile(spec.pidFile), { force: true });
  await assertPortsFree(spec.id, spec.host, spec.ports);

  for (const file of [spec.pidFile, spec.logFile]) mkdirSync(path.dirname(file), { recursive: true });
  const keeperSpec: KeeperSpec = {
    id: spec.id,
    command: spec.command,
    args: spec.args,
    env: spec.env,
    ...(spec.cwd === undefined ? {} : { cwd: spec.cwd }),
    logFile: spec.logFile,
    pidFile: spec.pidFile,
    ...(spec.restartPolicy ? { policy: spec.restartPolicy } : {}),
  };
  const log = openSync(spec.logFile, 'a');
  const keeper = spawn(process.execPath, [KEEPER_SCRIPT], {
    env: { ...process.env, [KEEPER_SPEC_ENV]: JSON.stringify(keeperSpec) },
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  let exit: string | undefined;
  keeper.once('exit', (code, signal) => (exit = signal ? `signal ${signal}` : `code ${code}`));
  keeper.once('error', (err) => (exit = err.message));
  // Wait a tick so that a spawn failure is reported before we write a pid file.
  await sleep(0);
  if (keeper.pid === undefined)
    throw new NodeStartError(spec.id, `cannot start its keeper: ${exit ?? 'no pid'}`, spec.logFile);
  writeFileSync(spec.pidFile, `${keeper.pid}\n`);
  keeper.unref();

  const deadline = Date.now() + timeoutMs;
  while (!(await isHealthy(spec))) {
    if (exit !== undefined) {
      rmSync(spec.pidFile, { force: true });
      // The keeper ends with the node's exit; its state says how the node ended.
      const how = readKeeperState(spec.pidFile)?.lastExit ?? `keeper ${exit}`;
      throw new NodeStartError(
        spec.id,
        `exited during start (${how}): ${lastLines(spec.logFile, 5)}`,
        spec.logFile,
      );
    }
    if (Date.now() > deadline) {
      await stopNode(spec, 5_000);
      throw new NodeStartError(spec.id, `not healthy after ${Math.round(timeoutMs / 1000)} s`, spec.logFile);
    }
    await sleep(200);
  }
  // Seen healthy: from now on the keeper restarts the node when it exits.
  process.kill(keeper.pid, 'SIGUSR2');
  return 'started';
}

export type StopOutcome = 'stopped' | 'not-running';

/** Ends the process named by the pid file (SIGTERM, then SIGKILL after the bound). */
export async function stopNode(spec: Pick<LaunchSpec, 'pidFile'>, timeoutMs: number): Promise<StopOutcome> {
  const pid = readPid(spec.pidFile);
  if (pid === undefined || !isAlive(pid)) {
    rmSync(spec.pidFile, { force: true });
    return 'not-running';
  }
  // The keeper was started detached, so it leads its own process group: signal the group so
  // that the node and any helper it spawned end with it.
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
  rmSync(spec.pidFile, { force: true });
  rmSync(keeperStateFile(spec.pidFile), { force: true });
  return 'stopped';
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export async function isHealthy(spec: Pick<LaunchSpec, 'host' | 'health'>): Promise<boolean> {
  for (const probe of spec.health) {
    if (!(await passes(spec.host, probe))) return false;
  }
  return true;
}

async function passes(host: string, probe: HealthProbe): Promise<boolean> {
  return probe.kind === 'tcp' ? canConnect(host, probe.port) : healthzOk(host, probe.port, probe.caFile);
}

/**
 * GET /healthz answering 200; only the status counts, and no answer counts as unhealthy (a server
 * whose certificate does not verify included).
 */
async function healthzOk(host: string, port: number, caFile: string | undefined): Promise<boolean> {
  try {
    const origin = `${caFile === undefined ? 'http' : 'https'}://${host}:${port}`;
    const tls = caFile === undefined ? {} : { tls: { ca: await readFile(caFile) } };
    const answer = await httpRequest(origin, '/healthz', { timeoutMs: 2_000, headOnly: true, ...tls });
    return answer.status === 200;
  } catch {
    return false;
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1_000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

function lastLines(file: string, count: number): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count).join(' | ');
}

export interface NodeStatus {
  id: string;
  /** The node's own process, as its keeper recorded it. */
  pid?: number;
  /** The node is kept but down, waiting for its keeper to restart it. */
  state: 'running' | 'restarting' | 'stopped';
  /** Restarts by its keeper since it was started. */
  restarts: number;
  ports: Record<string, number>;
  logFile: string;
}

export function statusOf(spec: Pick<LaunchSpec, 'id' | 'pidFile' | 'ports' | 'logFile'>): NodeStatus {
  const keeperPid = readPid(spec.pidFile);
  const kept = keeperPid !== undefined && isAlive(keeperPid);
  const state = kept ? readKeeperState(spec.pidFile) : undefined;
  const pid = state?.pid;
  return {
    id: spec.id,
    ...(pid === undefined ? {} : { pid }),
    state: !kept ? 'stopped' : pid === undefined ? 'restarting' : 'running',
    restarts: state?.restarts ?? 0,
    ports: spec.ports,
    logFile: spec.logFile,
  };
}

/** The status table `npm start` and `npm run status` print. */
export function formatStatusTable(rows: NodeStatus[], relativeTo: string): string {
  const lines = rows.map((r) => [
    r.id,
    r.state,
    r.pid === undefined ? '-' : String(r.pid),
    String(r.restarts),
    Object.entries(r.ports)
      .map(([purpose, port]) =>
        purpose === 'port' ? String(port) : `${purpose.replace(/Port$/, '')}:${port}`,
      )
      .join(' '),
    path.relative(relativeTo, r.logFile),
  ]);
  const header = ['node', 'state', 'pid', 'restarts', 'ports', 'log'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]?.length ?? 0)));
  return [header, ...lines]
    .map((cols) =>
      cols
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
