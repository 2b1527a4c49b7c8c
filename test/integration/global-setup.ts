/**
 * Integration tests run on the real network: bring it up before the first test (unless it is
 * already up) and stop it afterwards only if this run started it.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { nodeStatus } from '../../network/src/process/launch';
import { loadTopology, nodesOf } from '../../platform/src/topology';

const CLI = path.resolve(__dirname, '..', '..', 'network', 'src', 'cli.js');
let startedHere = false;

/** Runs a network command; `quiet` keeps its output to a failure, so the test summary stays last. */
function cli(command: string, quiet = false): void {
  const result = spawnSync(process.execPath, [CLI, command], {
    stdio: quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
    timeout: 30 * 60_000,
  });
  if (result.status === 0) return;
  if (quiet) process.stderr.write(`${result.stdout}${result.stderr}`);
  throw new Error(`network ${command} failed (exit ${result.status})`);
}

export function globalSetup(): void {
  const nodes = nodesOf(loadTopology()).filter((n) => n.role !== 'gateway');
  const running = nodes.every((n) => nodeStatus(n).state === 'running');
  if (!running) {
    cli('start');
    startedHere = true;
  }
}

export function globalTeardown(): void {
  if (startedHere) cli('stop', true);
}
