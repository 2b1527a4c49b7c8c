/**
 * Concurrent REST load (autocannon) on the CVPP gateway, at several concurrency levels:
 * - a write: a DER status change (suspend / reinstate), each request on its own DER's key (a DER is
 *   taken from a pool while its request is in flight, so no two in-flight writes share a key); the
 *   gateway answers after the commit, so latency is submit → commit (endorsed by MAJORITY);
 * - a read: one DER record (evaluate on the org's own peer).
 * Per level: committed tx/s, p50/p95/p99 latency, errors by status and code, MVCC conflicts. Then the
 * write at half the best rate, paced by autocannon, for the latency a loaded but unsaturated gateway
 * gives.
 */
import { availableParallelism } from 'node:os';
import autocannon from 'autocannon';
import { gatewayUrl, call } from '../../platform/src/http/gateway-rest';
import { newFleet } from '../../gateway/device-kit/fleet';
import { cpuSince, networkCpu } from './network-processes';
import { benchOperator, enrollFleet, registerVpp, type Operator } from './fleet-setup';

const ORG = 'cvpp';
const CONFLICT_CODES = new Set(['MVCC_READ_CONFLICT', 'PHANTOM_READ_CONFLICT']);

export interface LoadBenchOptions {
  /** Connections (requests in flight) per level. */
  levels: number[];
  /** Seconds per level. */
  seconds: number;
}

interface LevelFigures {
  connections: number;
  ratePerSecond: number;
  /** Requests answered 2xx per second. */
  okPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Answers by HTTP status, with the error code of non-2xx answers. */
  outcomes: Map<string, number>;
  conflicts: number;
  /** Requests that got no answer (timeouts, resets). */
  noAnswer: number;
  /** CPU of the network's processes per 2xx answer, in ms, and its share by role. */
  cpuMsPerOk: number;
  cpuByRole: string;
  /** Share of the machine's CPU time the bench process itself (autocannon) took. */
  clientCpuShare: number;
}

type DerStatus = 'active' | 'suspended';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function errorCodeOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === 'string' ? parsed.error.code : 'NO_CODE';
  } catch {
    return 'NOT_JSON';
  }
}

/** The DERs' statuses as the ledger has them now (after a level, requests cut short may have committed). */
async function statusesOf(operator: Operator, derIds: readonly string[]): Promise<Map<string, DerStatus>> {
  const statuses = new Map<string, DerStatus>();
  for (const derId of derIds) {
    const res = await call<{ status: DerStatus }>(ORG, 'GET', `/v1/ders/${derId}`, { token: operator.token });
    if (res.status !== 200) throw new Error(`read der ${derId}: ${res.status} ${JSON.stringify(res.body)}`);
    statuses.set(derId, res.body.status);
  }
  return statuses;
}

interface LevelRun {
  connections: number;
  seconds: number;
  /** Paced total rate (requests/s), or 0 for as fast as answers come. */
  overallRate?: number;
}

async function runLevel(
  operator: Operator,
  kind: 'write' | 'read',
  derIds: readonly string[],
  run: LevelRun,
): Promise<LevelFigures> {
  const statuses = kind === 'write' ? await statusesOf(operator, derIds) : new Map<string, DerStatus>();
  const free = [...derIds];
  const latencies: number[] = [];
  const outcomes = new Map<string, number>();
  let conflicts = 0;
  const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  const headers = { authorization: `Bearer ${operator.token}`, 'content-type': 'application/json' };
  const request: autocannon.Request = {
    setupRequest: (req, context) => {
      const derId = free.shift() ?? (derIds[0] as string);
      (context as { derId?: string }).derId = derId;
      if (kind === 'read') return { ...req, method: 'GET', path: `/v1/ders/${derId}`, headers };
      const action = statuses.get(derId) === 'suspended' ? 'reinstate' : 'suspend';
      return {
        ...req,
        method: 'POST',
        path: `/v1/ders/${derId}/${action}`,
        headers,
        body: JSON.stringify({ reason: 'load bench' }),
      };
    },
    onResponse: (status, body, context) => {
      const derId = (context as { derId?: string }).derId as string;
      if (status >= 200 && status < 300) {
        count(String(status));
        if (kind === 'write')
          statuses.set(derId, statuses.get(derId) === 'suspended' ? 'active' : 'suspended');
      } else {
        const code = errorCodeOf(body);
        count(`${status} ${code}`);
        if (CONFLICT_CODES.has(code)) conflicts += 1;
      }
      free.push(derId);
    },
  };
  const cpuBefore = networkCpu();
  const clientBefore = process.cpuUsage();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: gatewayUrl(ORG),
        connections: run.connections,
        duration: run.seconds,
        pipelining: 1,
        timeout: 30,
        overallRate: run.overallRate,
        requests: [request],
      },
      (err, finished) => (err ? reject(err as Error) : resolve(finished)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const cpu = cpuSince(cpuBefore);
  const client = process.cpuUsage(clientBefore);
  latencies.sort((a, b) => a - b);
  const ok = [...outcomes].filter(([key]) => key.startsWith('2')).reduce((sum, [, n]) => sum + n, 0);
  return {
    connections: run.connections,
    ratePerSecond: latencies.length / result.duration,
    okPerSecond: ok / result.duration,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    outcomes,
    conflicts,
    noAnswer: result.errors + result.timeouts,
    cpuMsPerOk: ok === 0 ? Number.NaN : (cpu.total * 1000) / ok,
    cpuByRole: cpu.byRole,
    clientCpuShare: (client.user + client.system) / 1e6 / (result.duration * availableParallelism()),
  };
}

function line(figures: LevelFigures, label: string): string {
  const outcomes = [...figures.outcomes]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, n]) => `${key}: ${n}`)
    .join(', ');
  return (
    `  ${label.padEnd(14)} ${figures.okPerSecond.toFixed(1).padStart(7)} ok/s` +
    `  p50 ${figures.p50.toFixed(0).padStart(5)} ms  p95 ${figures.p95.toFixed(0).padStart(5)} ms` +
    `  p99 ${figures.p99.toFixed(0).padStart(5)} ms  MVCC ${figures.conflicts}  no answer ${figures.noAnswer}` +
    `  CPU ${figures.cpuMsPerOk.toFixed(1)} ms/ok (client ${(figures.clientCpuShare * 100).toFixed(0)}% of machine)` +
    `  [${outcomes}]`
  );
}

/** Lets writes cut short at the end of a level commit before the next level reads the statuses. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 3000));

export async function loadBench(options: LoadBenchOptions): Promise<void> {
  const stamp = Date.now().toString(36);
  const operator = await benchOperator(stamp);
  const vppId = await registerVpp(operator, `load-${stamp}`);
  // A DER per connection of the largest level, and a spare fifth so a request that never got an
  // answer (its DER stays out of the pool) does not starve the rest.
  const derCount = Math.ceil(Math.max(...options.levels) * 1.25);
  const members = newFleet(derCount, `load-${stamp}`);
  const enrolled = Date.now();
  await enrollFleet(members, vppId, operator);
  const derIds = members.map((member) => member.derId);
  console.log(
    `load: autocannon on the ${ORG} gateway, ${options.seconds} s per level, ${derCount} DERs (enrolled in ${((Date.now() - enrolled) / 1000).toFixed(0)} s)`,
  );
  console.log(
    'write: POST /v1/ders/:derId/suspend|reinstate, one DER per request in flight, answer after commit',
  );
  const writes: LevelFigures[] = [];
  for (const connections of options.levels) {
    const figures = await runLevel(operator, 'write', derIds, { connections, seconds: options.seconds });
    writes.push(figures);
    console.log(line(figures, `${connections} in flight`));
    await settle();
  }
  const best = writes.reduce((a, b) => (b.okPerSecond > a.okPerSecond ? b : a));
  const halfRate = Math.max(1, Math.floor(best.okPerSecond / 2));
  const paced = await runLevel(operator, 'write', derIds, {
    connections: best.connections,
    seconds: options.seconds,
    overallRate: halfRate,
  });
  console.log(line(paced, `paced ${halfRate}/s`));
  await settle();
  console.log('read: GET /v1/ders/:derId (evaluate on the own peer)');
  for (const connections of options.levels) {
    const figures = await runLevel(operator, 'read', derIds, { connections, seconds: options.seconds });
    console.log(line(figures, `${connections} in flight`));
  }
  console.log(`write: network CPU by role at ${best.connections} in flight: ${best.cpuByRole}`);
  console.log(
    `write: best ${best.okPerSecond.toFixed(1)} committed tx/s at ${best.connections} in flight (floor 100, goal 200);` +
      ` at half that rate p50 ${paced.p50.toFixed(0)} ms, p99 ${paced.p99.toFixed(0)} ms (floor 600 / 2000, goal 350 / 1000)`,
  );
  // Leave every DER active, as the bench found them.
  const statuses = await statusesOf(operator, derIds);
  for (const [derId, status] of statuses) {
    if (status === 'suspended')
      await call(ORG, 'POST', `/v1/ders/${derId}/reinstate`, {
        token: operator.token,
        body: { reason: 'load bench done' },
      });
  }
}
