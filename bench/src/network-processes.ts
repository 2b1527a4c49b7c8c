/** The running network's processes, by node id, from the run folder's pid files. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readKeeperState } from '../../platform/src/keeper-state';
import { runPaths } from '../../platform/src/paths';

/** Node id → pid of every running node (CAs left out: idle under the benches). */
export function networkPids(): Map<string, number> {
  const dir = path.dirname(runPaths.pid('x'));
  const pids = new Map<string, number>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.pid') && !f.startsWith('ca.'))) {
    const pidFile = path.join(dir, file);
    // The pid file names the node's keeper; the node itself is the pid its keeper records.
    const pid = Number(readKeeperState(pidFile)?.pid ?? readFileSync(pidFile, 'utf8').trim());
    if (Number.isSafeInteger(pid) && pid > 0) pids.set(file.replace(/\.pid$/, ''), pid);
  }
  return pids;
}

/** CPU seconds used so far by each running node (user + system, its children included). */
export function networkCpu(): Map<string, number> {
  const ticks = Number(process.env.CLK_TCK ?? 100);
  const usage = new Map<string, number>();
  for (const [node, pid] of networkPids()) {
    try {
      const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
      // utime, stime, cutime, cstime are fields 14-17 of /proc/<pid>/stat (11-14 after the name).
      usage.set(node, [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) / ticks);
    } catch {
      // a process that is not running uses no CPU
    }
  }
  return usage;
}

/** CPU used since `before` (a networkCpu reading): total seconds and the share of each role. */
export function cpuSince(before: Map<string, number>): { total: number; byRole: string } {
  const roles = new Map<string, number>();
  let total = 0;
  for (const [node, seconds] of networkCpu()) {
    const used = seconds - (before.get(node) ?? 0);
    total += used;
    const role = node.split('.')[0] ?? node;
    roles.set(role, (roles.get(role) ?? 0) + used);
  }
  const byRole = [...roles.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([role, used]) => `${role} ${((used / total) * 100).toFixed(0)}%`)
    .join(', ');
  return { total, byRole };
}
