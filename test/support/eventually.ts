// Each organisation's gateway answers a write once its OWN peer has committed the block; another
// organisation's peer may still be a block behind. A test that hands over from one org to the next
// (writes through one gateway, reads or writes through another) waits here until the next org's peer
// has caught up, bounded, instead of racing it.

const POLL_MS = 200;
const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * Calls `read` until `ready` accepts its answer or `timeoutMs` passes, and returns the last answer
 * either way: the caller's own assertions then judge it (and name what failed) as before.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  ready: (answer: T) => boolean,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await read();
    if (ready(answer) || Date.now() >= deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
