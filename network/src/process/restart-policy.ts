/**
 * When a keeper restarts a node that exited unexpectedly: after a pause that doubles with each
 * crash in a row and is capped, so a node that cannot run costs little and one that crashed once
 * is back within a second. A node that ran for `stableAfterMs` starts a new streak.
 */
export interface RestartPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  stableAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  firstDelayMs: 500,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
};

/** The number of crashes in a row once the node, which ran `ranMs`, has exited again. */
export function nextCrashStreak(streak: number, ranMs: number, policy: RestartPolicy): number {
  return ranMs >= policy.stableAfterMs ? 1 : streak + 1;
}

/** The pause before the restart that follows crash number `streak` (1-based) of a streak. */
export function restartDelayMs(streak: number, policy: RestartPolicy): number {
  const doublings = Math.min(Math.max(streak - 1, 0), 30);
  return Math.min(policy.firstDelayMs * 2 ** doublings, policy.maxDelayMs);
}
