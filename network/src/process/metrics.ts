/** Reads gauges from a Fabric node's Prometheus endpoint (the operations port's /metrics). */
import { setTimeout as sleep } from 'node:timers/promises';
import { httpRequest } from '../../../platform/src/http/http-client';

export async function channelGauge(
  host: string,
  port: number,
  name: string,
  channel: string,
): Promise<number> {
  const { text } = await httpRequest(`http://${host}:${port}`, '/metrics', { timeoutMs: 5_000 });
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`channel="${channel}"`));
  if (!line) throw new Error(`${name} for channel ${channel} is not reported by ${host}:${port}`);
  return Number(line.split(' ').at(-1));
}

/** Polls `check` until it holds; throws naming `what` after the bound. Errors count as "not yet". */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(250);
  }
}
