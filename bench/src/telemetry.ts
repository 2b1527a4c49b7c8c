/**
 * Telemetry throughput: a simulated fleet posts device-signed readings to the CVPP gateway, which
 * checks each signature (node:crypto) and batches the good ones; the chaincode checks every signature
 * again. Compared, in the same run, with one reading per transaction submitted straight to the
 * ledger by the ingest identity. Prints committed readings/s of both, their ratio, CPU-ms per reading
 * (all network processes: orderers, peers, chaincode servers, gateways) and MVCC conflicts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { peer } from '@hyperledger/fabric-protos';
import { intervalIdOf, type MarketCalendarRules, type SignedReading } from '../../chaincode/src/api';
import type { Device } from '../../gateway/device-kit/device';
import { energyOf, newFleet, type FleetMember } from '../../gateway/device-kit/fleet';
import { postReadings } from '../../gateway/device-kit/device-api';
import { readKeeperState } from '../../platform/src/keeper-state';
import { runPaths } from '../../platform/src/paths';
import { NotCommittedError } from '../../platform/src/fabric/bft-submit';
import { connectAs } from '../../platform/src/fabric/org-connection';
import { loadTopology } from '../../platform/src/topology';
import { call, gatewayTarget, marketCalendarNow } from '../../platform/src/http/gateway-rest';
import { benchOperator, enrollFleet, inParallel, registerVpp } from './fleet-setup';

const ORG = 'cvpp';
const MVCC_READ_CONFLICT = peer.TxValidationCode.MVCC_READ_CONFLICT;

export interface TelemetryBenchOptions {
  devices: number;
  /** Readings per device in the batched phase (sequences 0..n-1 of one interval; at most 60). */
  readingsPerDevice: number;
  /** Readings per HTTP request (a site concentrator posting for several devices). */
  readingsPerRequest: number;
  /** HTTP requests in flight. */
  concurrency: number;
  /** Readings in the one-per-transaction phase, and how many transactions in flight there. */
  singleReadings: number;
  singleConcurrency: number;
}

/** CPU seconds used so far by each process the network runs, by node id (CAs left out: idle here). */
function networkCpu(): Map<string, number> {
  const dir = runPaths.pid('x').replace(/x\.pid$/, '');
  const ticks = Number(process.env.CLK_TCK ?? 100);
  const usage = new Map<string, number>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.pid') && !f.startsWith('ca.'))) {
    try {
      // The pid file names the node's keeper; the node itself is the pid its keeper records.
      const pid = readKeeperState(`${dir}${file}`)?.pid ?? readFileSync(`${dir}${file}`, 'utf8').trim();
      const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
      // utime, stime, cutime, cstime are fields 14-17 of /proc/<pid>/stat (11-14 after the name).
      usage.set(
        file.replace(/\.pid$/, ''),
        [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) / ticks,
      );
    } catch {
      // a process that is not running uses no CPU
    }
  }
  return usage;
}

/** CPU used between two readings of networkCpu: total seconds and the share of each role. */
function cpuSince(before: Map<string, number>): { total: number; byRole: string } {
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

async function metric(name: string): Promise<number> {
  const res = await call<string>(ORG, 'GET', '/metrics');
  return String(res.body)
    .split('\n')
    .filter((line) => line.startsWith(name))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

function readingsOf(
  fleet: FleetMember[],
  devices: Map<string, Device>,
  intervalId: string,
  sequences: number[],
  calendar: MarketCalendarRules,
) {
  const readings: SignedReading[] = [];
  for (const sequence of sequences) {
    for (const member of fleet) {
      const energyWh = Math.floor(energyOf(member, intervalId, calendar) / 60);
      const device = devices.get(member.derId);
      if (!device) throw new Error(`device ${member.derId} was not enrolled`);
      readings.push(device.sign({ intervalId, sequence, energyWh, timestamp: new Date().toISOString() }));
    }
  }
  return readings;
}

export async function telemetryBench(options: TelemetryBenchOptions): Promise<void> {
  const stamp = Date.now().toString(36);
  const operator = await benchOperator(stamp);
  const vppId = await registerVpp(operator, `bench-${stamp}`);
  const fleet = newFleet(options.devices, stamp, 7);
  const setupStarted = performance.now();
  const devices = await enrollFleet(fleet, vppId, operator);
  console.log(
    `telemetry: ${fleet.length} devices enrolled and registered in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
  );

  // Two recently ended metering intervals of the market calendar in force. Their readings must land
  // within the calendar's reading window: on a calendar with a short window (a test network's), run
  // fewer readings per device.
  const calendar = await marketCalendarNow(ORG, operator.token);
  const length = calendar.meteringIntervalSeconds * 1000;
  const now = Date.now();
  const batchedInterval = intervalIdOf(
    new Date(now - length).toISOString(),
    calendar.meteringIntervalSeconds,
  );
  const singleInterval = intervalIdOf(
    new Date(now - 2 * length).toISOString(),
    calendar.meteringIntervalSeconds,
  );

  // --- batched, through the gateway ---
  const sequences = Array.from({ length: options.readingsPerDevice }, (_, i) => i);
  const batched = readingsOf(fleet, devices, batchedInterval, sequences, calendar);
  const requests: SignedReading[][] = [];
  for (let i = 0; i < batched.length; i += options.readingsPerRequest)
    requests.push(batched.slice(i, i + options.readingsPerRequest));
  const conflictsBefore = await metric('vpp_gateway_fabric_read_conflicts_total');
  let accepted = 0;
  let cpu = networkCpu();
  let started = performance.now();
  await inParallel(requests, options.concurrency, async (request) => {
    const answer = await postReadings(gatewayTarget(ORG), request);
    accepted += answer.accepted;
    if (answer.rejected > 0)
      throw new Error(`rejected: ${JSON.stringify(answer.results.find((r) => r.code))}`);
  });
  const batchedSeconds = (performance.now() - started) / 1000;
  const batchedCpu = cpuSince(cpu);
  const batchedConflicts = (await metric('vpp_gateway_fabric_read_conflicts_total')) - conflictsBefore;

  // --- one reading per transaction, straight to the ledger ---
  const ingest = connectAs(loadTopology(), ORG, 'ingest');
  const singles = readingsOf(fleet, devices, singleInterval, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], calendar).slice(
    0,
    options.singleReadings,
  );
  let singleAccepted = 0;
  let singleConflicts = 0;
  cpu = networkCpu();
  started = performance.now();
  try {
    await inParallel(singles, options.singleConcurrency, async (reading) => {
      try {
        await ingest.submit('telemetry', 'RecordReadings', [JSON.stringify([reading])]);
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

  const batchedRate = accepted / batchedSeconds;
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
    `  ratio batched / single: ${(batchedRate / singleRate).toFixed(1)}x (goal >= 10x); goal >= 2000 readings/s`,
  );
}
