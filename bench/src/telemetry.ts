/**
 * Telemetry throughput: a simulated fleet posts device-signed readings to the CVPP gateway, which
 * checks each signature (node:crypto) and batches the good ones; the chaincode checks every signature
 * again. Compared, in the same run, with one reading per transaction submitted straight to the
 * ledger by the ingest identity. Prints committed readings/s of both, their ratio, CPU-ms per reading
 * (all network processes: orderers, peers, chaincode servers, gateways) and MVCC conflicts.
 */
import { performance } from 'node:perf_hooks';
import { peer } from '@hyperledger/fabric-protos';
import {
  intervalIdOf,
  MAX_SEQUENCE,
  type BatchResult,
  type MarketCalendarRules,
  type SignatureScheme,
  type SignedReading,
} from '../../chaincode/src/api';
import type { Device } from '../../gateway/device-kit/device';
import { energyOf, newFleet, type FleetMember } from '../../gateway/device-kit/fleet';
import { postReadings } from '../../gateway/device-kit/device-api';
import { NotCommittedError } from '../../platform/src/fabric/bft-submit';
import { connectAs } from '../../platform/src/fabric/org-connection';
import { loadTopology } from '../../platform/src/topology';
import { call, gatewayTarget, marketCalendarNow } from '../../platform/src/http/gateway-rest';
import { benchOperator, enrollFleet, inParallel, registerVpp } from './fleet-setup';
import { cpuSince, networkCpu } from './network-processes';
import { startProfileWindow } from './profiling';

const ORG = 'cvpp';
const MVCC_READ_CONFLICT = peer.TxValidationCode.MVCC_READ_CONFLICT;

export interface TelemetryBenchOptions {
  devices: number;
  /** Readings in the batched phase. */
  batchedReadings: number;
  /** Readings per HTTP request (a site concentrator posting for several devices). */
  readingsPerRequest: number;
  /** HTTP requests in flight. */
  concurrency: number;
  /** Readings in the one-per-transaction phase, and how many transactions in flight there. */
  singleReadings: number;
  singleConcurrency: number;
  /** Seconds of the latency phase, paced at half the batched rate. */
  latencySeconds: number;
  /** Seconds of CPU profile to take at the start of the batched phase (0: none). */
  profileSeconds: number;
  /** The scheme the fleet's devices sign with. */
  scheme: SignatureScheme;
}

async function metric(name: string): Promise<number> {
  const res = await call<string>(ORG, 'GET', '/metrics');
  return String(res.body)
    .split('\n')
    .filter((line) => line.startsWith(name))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/**
 * Fresh signed readings, signed when asked for: devices in turn, each reading for the metering interval
 * that ended last (so every reading is inside the calendar's reading window however long a phase
 * lasts), sequences counted per device and interval (at most MAX_SEQUENCE + 1 per interval).
 */
class ReadingSource {
  #next = 0;
  readonly #sequences = new Map<string, number>();

  constructor(
    private readonly fleet: readonly FleetMember[],
    private readonly devices: ReadonlyMap<string, Device>,
    private readonly calendar: MarketCalendarRules,
  ) {}

  take(count: number): SignedReading[] {
    const seconds = this.calendar.meteringIntervalSeconds;
    const intervalId = intervalIdOf(new Date(Date.now() - seconds * 1000).toISOString(), seconds);
    return Array.from({ length: count }, () => {
      const member = this.fleet[this.#next++ % this.fleet.length] as FleetMember;
      const device = this.devices.get(member.derId);
      if (!device) throw new Error(`device ${member.derId} was not enrolled`);
      const place = `${member.derId}/${intervalId}`;
      const sequence = this.#sequences.get(place) ?? 0;
      if (sequence > MAX_SEQUENCE)
        throw new Error(`more than ${MAX_SEQUENCE + 1} readings per device and interval: use more devices`);
      this.#sequences.set(place, sequence + 1);
      const energyWh = Math.floor(energyOf(member, intervalId, this.calendar) / 60);
      return device.sign({ intervalId, sequence, energyWh, timestamp: new Date().toISOString() });
    });
  }
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

async function postRequest(readings: SignedReading[]): Promise<number> {
  const answer = await postReadings(gatewayTarget(ORG), readings);
  if (answer.accepted !== readings.length)
    throw new Error(`not accepted: ${JSON.stringify(answer.results.find((r) => r.status !== 'accepted'))}`);
  return answer.accepted;
}

export async function telemetryBench(options: TelemetryBenchOptions): Promise<void> {
  const stamp = Date.now().toString(36);
  const operator = await benchOperator(stamp);
  const vppId = await registerVpp(operator, `bench-${stamp}`);
  const fleet = newFleet(options.devices, stamp, 7);
  const setupStarted = performance.now();
  const devices = await enrollFleet(fleet, vppId, operator, options.scheme);
  console.log(
    `telemetry: ${fleet.length} devices (${options.scheme}) enrolled and registered in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
  );
  const calendar = await marketCalendarNow(ORG, operator.token);
  const source = new ReadingSource(fleet, devices, calendar);

  // --- batched, through the gateway ---
  // Signed before the clock starts: devices sign on their own hardware, not on the network's cores.
  // The last ended interval leaves at least (reading window - interval) seconds to record them all.
  const requests = Array.from(
    { length: Math.ceil(options.batchedReadings / options.readingsPerRequest) },
    (_, i) =>
      source.take(
        Math.min(options.readingsPerRequest, options.batchedReadings - i * options.readingsPerRequest),
      ),
  );
  const conflictsBefore = await metric('vpp_gateway_fabric_read_conflicts_total');
  let accepted = 0;
  let cpu = networkCpu();
  let started = performance.now();
  const profile = options.profileSeconds > 0 ? startProfileWindow(options.profileSeconds) : undefined;
  await inParallel(requests, options.concurrency, async (readings) => {
    // Awaited first: `accepted += await ...` would read `accepted` before the other requests add to it.
    const recorded = await postRequest(readings);
    accepted += recorded;
  });
  const batchedSeconds = (performance.now() - started) / 1000;
  const batchedCpu = cpuSince(cpu);
  const batchedConflicts = (await metric('vpp_gateway_fabric_read_conflicts_total')) - conflictsBefore;
  const batchedRate = accepted / batchedSeconds;
  await profile?.finish();

  // --- latency: device POST -> committed, paced at half the batched rate ---
  const latencies: number[] = [];
  const paced: Promise<void>[] = [];
  const requestsPerSecond = batchedRate / 2 / options.readingsPerRequest;
  const latencyStarted = performance.now();
  for (let i = 0; i < requestsPerSecond * options.latencySeconds; i += 1) {
    const due = latencyStarted + (i * 1000) / requestsPerSecond;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    const sent = performance.now();
    paced.push(
      postRequest(source.take(options.readingsPerRequest)).then(() => {
        latencies.push(performance.now() - sent);
      }),
    );
  }
  await Promise.all(paced);
  latencies.sort((a, b) => a - b);

  // --- one reading per transaction, straight to the ledger ---
  const ingest = connectAs(loadTopology(), ORG, 'ingest');
  const singles = Array.from({ length: options.singleReadings }, () => source.take(1));
  let singleAccepted = 0;
  let singleConflicts = 0;
  cpu = networkCpu();
  started = performance.now();
  try {
    await inParallel(singles, options.singleConcurrency, async (reading) => {
      try {
        const result = await ingest.submit('telemetry', 'RecordReadings', [JSON.stringify(reading)]);
        const outcome = JSON.parse(Buffer.from(result.result).toString('utf8')) as BatchResult;
        if (outcome.accepted !== 1) throw new Error(`not accepted: ${JSON.stringify(outcome.results)}`);
        singleAccepted += 1;
      } catch (err) {
        if (!(err instanceof NotCommittedError) || err.code !== MVCC_READ_CONFLICT) throw err;
        singleConflicts += 1;
      }
    });
  } finally {
    ingest.close();
  }
  const singleSeconds = (performance.now() - started) / 1000;
  const singleCpu = cpuSince(cpu);
  const singleRate = singleAccepted / singleSeconds;

  const row = (label: string, n: number, s: number, rate: number, cpuS: number, conflicts: number) =>
    `  ${label.padEnd(34)} ${String(n).padStart(6)} readings in ${s.toFixed(1).padStart(5)} s = ${rate
      .toFixed(0)
      .padStart(
        5,
      )} readings/s, ${((cpuS * 1000) / n).toFixed(2).padStart(6)} CPU-ms/reading, ${conflicts} MVCC conflicts`;
  console.log(`telemetry: committed readings, every signature checked by the gateway and by the chaincode`);
  console.log(
    row(
      'batched via REST gateway',
      accepted,
      batchedSeconds,
      batchedRate,
      batchedCpu.total,
      batchedConflicts,
    ),
  );
  console.log(
    row(
      'one reading per transaction',
      singleAccepted,
      singleSeconds,
      singleRate,
      singleCpu.total,
      singleConflicts,
    ),
  );
  console.log(`  CPU by role, batched: ${batchedCpu.byRole}`);
  console.log(`  CPU by role, single:  ${singleCpu.byRole}`);
  console.log(
    `  device POST -> committed at ${(requestsPerSecond * options.readingsPerRequest).toFixed(0)} readings/s (half the batched rate), ${latencies.length} requests of ${options.readingsPerRequest}: p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`,
  );
  console.log(
    `  ratio batched / single: ${(batchedRate / singleRate).toFixed(1)}x (floor 10x, goal 20x); floor 1000 readings/s and 2.0 CPU-ms/reading, goal 2000 and 1.0`,
  );
}
