/**
 * What a node's keeper (network/src/process/keeper.ts) records about the node it runs, beside the
 * node's pid file: read by `npm run status` and by the gateway's /metrics, written only by the keeper.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface KeeperState {
  nodeId: string;
  /** The node's own process (the keeper's child); absent while it is down between restarts. */
  pid?: number;
  /** Restarts after unexpected exits since `npm start` started the keeper. */
  restarts: number;
  /** How the node last ended unexpectedly, e.g. `signal SIGKILL` or `code 1`. */
  lastExit?: string;
  /** When the node was last (re)started, ISO 8601. */
  startedAt: string;
}

/** The keeper's state file lies next to the pid file: `x.pid` → `x.keeper.json`. */
export function keeperStateFile(pidFile: string): string {
  return `${pidFile.replace(/\.pid$/, '')}.keeper.json`;
}

/** The recorded state, or undefined when there is none or it cannot be read as one. */
export function readKeeperState(pidFile: string): KeeperState | undefined {
  const file = keeperStateFile(pidFile);
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as Partial<KeeperState>;
    if (typeof state.nodeId !== 'string' || !Number.isSafeInteger(state.restarts)) return undefined;
    return state as KeeperState;
  } catch {
    return undefined;
  }
}

/** Replaces the state in one rename, so a reader never sees half a file. */
export function writeKeeperState(pidFile: string, state: KeeperState): void {
  const file = keeperStateFile(pidFile);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state)}\n`);
  renameSync(`${file}.tmp`, file);
}
