/**
 * A node's keeper: the process `npm start` leaves behind for each node, leading the node's process
 * group. It runs the node as its child and restarts it when it exits unexpectedly (after the
 * restart policy's pause), recording the node's pid and restart count next to the pid file.
 *
 * A node that exits before it was first seen healthy is not restarted: the keeper ends with the
 * node's exit code, so `npm start` reports a broken node instead of looping on it. The starter says
 * "seen healthy" with SIGUSR2. SIGTERM or SIGINT (`npm stop` signals the whole group) ends the node
 * and then the keeper.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, openSync } from 'node:fs';
import { writeKeeperState, type KeeperState } from '../../../platform/src/keeper-state';
import {
  DEFAULT_RESTART_POLICY,
  nextCrashStreak,
  restartDelayMs,
  type RestartPolicy,
} from './restart-policy';

/** What the starter hands the keeper, as JSON in KEEPER_SPEC_ENV. */
export interface KeeperSpec {
  id: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  logFile: string;
  pidFile: string;
  policy?: RestartPolicy;
}

export const KEEPER_SPEC_ENV = 'VPP_KEEPER_SPEC';

function main(): void {
  const spec = JSON.parse(process.env[KEEPER_SPEC_ENV] ?? 'null') as KeeperSpec | null;
  if (!spec) {
    console.error(`keeper: ${KEEPER_SPEC_ENV} is not set`);
    process.exit(2);
  }
  const policy = spec.policy ?? DEFAULT_RESTART_POLICY;
  const childEnv = Object.fromEntries(
    Object.entries({ ...process.env, ...spec.env }).filter(([key]) => key !== KEEPER_SPEC_ENV),
  );

  let child: ChildProcess | undefined;
  let armed = false;
  let stopping = false;
  let streak = 0;
  let pendingRestart: NodeJS.Timeout | undefined;
  const state: KeeperState = { nodeId: spec.id, restarts: 0, startedAt: new Date().toISOString() };
  const note = (line: string) =>
    appendFileSync(spec.logFile, `${new Date().toISOString()} keeper: ${line}\n`);

  const run = (): void => {
    const log = openSync(spec.logFile, 'a');
    const startedAt = Date.now();
    const node = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: childEnv,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    child = node;
    state.startedAt = new Date(startedAt).toISOString();
    if (node.pid !== undefined) state.pid = node.pid;
    writeKeeperState(spec.pidFile, state);

    let ended = false;
    const onEnd = (how: string, code: number): void => {
      if (ended) return;
      ended = true;
      child = undefined;
      delete state.pid;
      if (stopping) process.exit(0);
      state.lastExit = how;
      writeKeeperState(spec.pidFile, state);
      if (!armed) process.exit(code === 0 ? 1 : code);
      streak = nextCrashStreak(streak, Date.now() - startedAt, policy);
      const delay = restartDelayMs(streak, policy);
      state.restarts += 1;
      note(`${spec.id} exited (${how}); restart ${state.restarts} in ${delay} ms`);
      pendingRestart = setTimeout(run, delay);
    };
    node.once('exit', (code, signal) => onEnd(signal ? `signal ${signal}` : `code ${code}`, code ?? 1));
    node.once('error', (err) => onEnd(`cannot start: ${err.message}`, 127));
  };

  const stop = (): void => {
    stopping = true;
    if (pendingRestart) clearTimeout(pendingRestart);
    if (!child) process.exit(0);
    child.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGUSR2', () => (armed = true));
  run();
}

if (require.main === module) main();
