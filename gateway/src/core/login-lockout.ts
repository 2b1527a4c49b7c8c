/**
 * Login lockout: after `max` failed logins of one enrollment id within `windowMs`, every login of
 * that id is refused (429 LOGIN_LOCKED) until the oldest of those failures is `windowMs` old, even
 * with the right secret, so that guessing a secret costs a window per `max` guesses. A successful
 * login clears the id's failures. Kept in memory, per gateway; the clock is injectable for tests.
 */

/** Ids with recent failures kept at most; beyond it the entries of the longest-quiet ids go first. */
const MAX_TRACKED_IDS = 10_000;

export class LoginLockout {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `id` may log in again, or 0 when it is not locked. */
  retryAfterSeconds(id: string): number {
    const recent = this.#recent(id);
    const oldestCounted = recent.at(-this.max);
    if (recent.length < this.max || oldestCounted === undefined) return 0;
    const unlocksAt = oldestCounted + this.windowMs;
    return Math.max(1, Math.ceil((unlocksAt - this.now()) / 1000));
  }

  failed(id: string): void {
    const recent = [...this.#recent(id), this.now()].slice(-this.max);
    this.#failures.delete(id);
    this.#failures.set(id, recent);
    if (this.#failures.size > MAX_TRACKED_IDS) {
      const quietest = this.#failures.keys().next().value;
      if (quietest !== undefined) this.#failures.delete(quietest);
    }
  }

  succeeded(id: string): void {
    this.#failures.delete(id);
  }

  /** The id's failures still inside the window, oldest first (expired ones forgotten). */
  #recent(id: string): number[] {
    const since = this.now() - this.windowMs;
    const recent = (this.#failures.get(id) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.#failures.delete(id);
    return recent;
  }
}
