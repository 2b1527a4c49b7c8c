/**
 * Integration tests run on the real network: bring it up before the first test (unless it is
 * already up) and stop it afterwards only if this run started it.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { nodeStatus } from '../../network/src/process/launch';
import { loadTopology, nodesOf } from '../../network/src/topology';

const CLI = path.resolve(__dirname, '..', '..', 'network', 'src', 'cli.js');
let startedHere = false;

function cli(command: string): void {
  const result = spawnSync(process.execPath, [CLI, command], { stdio: 'inherit', timeout: 30 * 60_000 });
  if (result.status !== 0) throw new Error(`network ${command} failed (exit ${result.status})`);
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
  if (startedHere) cli('stop');
}
