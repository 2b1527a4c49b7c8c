/**
 * A large DER registry: N DERs (default 100,000) across several VPPs, registered through the CVPP
 * gateway in bulk (POST /v1/ders/batch, one transaction per batch, every check kept per DER), beside
 * the same number of single registrations per second (POST /v1/ders) in the same run; then point
 * lookups and paged listings per VPP at that size. Device certificates are copies of one that
 * fabric-ca issued through the RA, signed offline with the CA's key (device-certificates.ts says why).
 */
import { performance } from 'node:perf_hooks';
import { MAX_DER_PAGE_SIZE, type DerType } from '../../chaincode/src/api';
import { call } from '../../platform/src/http/gateway-rest';
import { certificateFactory, registerInBatches, type Registration } from './bulk-fleet';
import { benchOperator, inParallel, registerVpp, type Operator } from './fleet-setup';
import { percentile } from './load';
import { cpuSince, networkCpu } from './network-processes';

const ORG = 'cvpp';

export interface RegistryBenchOptions {
  ders: number;
  vpps: number;
  batchSize: number;
  /** Batches in flight. */
  concurrency: number;
  /** DERs registered one per transaction, for the ratio. */
  singles: number;
  lookups: number;
}

const TYPES = ['pv', 'battery', 'ev-charger', 'flexible-load'] as const;

function latencyLine(label: string, sorted: readonly number[]): string {
  return `  ${label.padEnd(34)} p50 ${percentile(sorted, 50).toFixed(0).padStart(4)} ms  p95 ${percentile(sorted, 95).toFixed(0).padStart(4)} ms  p99 ${percentile(sorted, 99).toFixed(0).padStart(4)} ms  (${sorted.length})`;
}

async function timed<T>(work: () => Promise<T>, into: number[]): Promise<T> {
  const started = performance.now();
  const result = await work();
  into.push(performance.now() - started);
  return result;
}

/** Walks every page of a VPP's DERs; returns the DER count and each page's latency. */
async function walkVpp(operator: Operator, vppId: string): Promise<{ count: number; pages: number[] }> {
  const pages: number[] = [];
  let count = 0;
  let bookmark = '';
  do {
    const query = `pageSize=${MAX_DER_PAGE_SIZE}&bookmark=${encodeURIComponent(bookmark)}`;
    const res = await timed(
      () =>
        call<{ ders: unknown[]; bookmark: string }>(ORG, 'GET', `/v1/vpps/${vppId}/ders?${query}`, {
          token: operator.token,
        }),
      pages,
    );
    if (res.status !== 200)
      throw new Error(`list ders of ${vppId}: ${res.status} ${JSON.stringify(res.body)}`);
    count += res.body.ders.length;
    bookmark = res.body.bookmark;
  } while (bookmark !== '');
  return { count, pages };
}

export async function registryBench(options: RegistryBenchOptions): Promise<void> {
  const stamp = Date.now().toString(36);
  const operator = await benchOperator(stamp);
  // Ids of one length each, so that certificate copies keep the template's layout.
  const vppIds = Array.from({ length: options.vpps }, (_, v) => `reg${stamp}-v${String(v).padStart(3, '0')}`);
  for (const vppId of vppIds) await registerVpp(operator, vppId);
  const derIdOf = (i: number) => `reg${stamp}-d${String(i).padStart(7, '0')}`;
  const total = options.ders + options.singles;
  const factory = await certificateFactory(operator, derIdOf(0), vppIds[0] as string);
  const issueStarted = performance.now();
  const registrations: Registration[] = [];
  for (let i = 1; i < total; i++) {
    const vppId = vppIds[i % vppIds.length] as string;
    registrations.push({
      derId: derIdOf(i),
      vppId,
      derType: TYPES[i % TYPES.length] as DerType,
      capacityW: 1000 + (i % 50) * 200,
      zone: 'bench',
      certificatePem: factory.certificateOf(derIdOf(i), vppId),
    });
  }
  const issueSeconds = (performance.now() - issueStarted) / 1000;
  const singles = registrations.slice(0, options.singles - 1);
  const bulk = registrations.slice(options.singles - 1);

  // One per transaction, 16 in flight: the reference the batches are compared with.
  const singleCpu = networkCpu();
  const singleStarted = performance.now();
  await inParallel(singles, 16, async (registration) => {
    const res = await call(ORG, 'POST', '/v1/ders', { token: operator.token, body: registration });
    if (res.status !== 201)
      throw new Error(`register ${registration.derId}: ${res.status} ${JSON.stringify(res.body)}`);
  });
  const singleSeconds = (performance.now() - singleStarted) / 1000;
  const singleCpuMs = (cpuSince(singleCpu).total * 1000) / singles.length;

  const bulkCpuBefore = networkCpu();
  const outcome = await registerInBatches(operator, bulk, {
    batchSize: options.batchSize,
    concurrency: options.concurrency,
    progressEvery: 20,
  });
  const bulkCpu = cpuSince(bulkCpuBefore);
  const { registered, refusals, latencies: batchLatencies, seconds: bulkSeconds } = outcome;

  // Point lookups of random DERs of the whole registry, one in flight, then 8.
  const lookupIds = Array.from({ length: options.lookups }, (_, i) => derIdOf((i * 7919) % total));
  const lookup = async (latencies: number[], derId: string) => {
    const res = await timed(
      () => call(ORG, 'GET', `/v1/ders/${derId}`, { token: operator.token }),
      latencies,
    );
    if (res.status !== 200) throw new Error(`get ${derId}: ${res.status}`);
  };
  const sequential: number[] = [];
  for (const derId of lookupIds) await lookup(sequential, derId);
  const parallel: number[] = [];
  await inParallel(lookupIds, 8, (derId) => lookup(parallel, derId));
  const walk = await walkVpp(operator, vppIds[1] as string);
  const expectedInVpp = registrations.filter((r) => r.vppId === vppIds[1]).length;

  const rate = (n: number, s: number) => (n / s).toFixed(0);
  console.log(
    `registry: ${total} DERs in ${options.vpps} VPPs (certificates: 1 through the RA, ${total - 1} copies signed offline in ${issueSeconds.toFixed(1)} s)`,
  );
  console.log(
    `  single  (POST /v1/ders, 16 in flight):        ${singles.length} DERs in ${singleSeconds.toFixed(1)} s = ${rate(singles.length, singleSeconds)} DERs/s, ${singleCpuMs.toFixed(1)} CPU-ms/DER`,
  );
  console.log(
    `  bulk    (POST /v1/ders/batch, ${options.batchSize}/tx, ${options.concurrency} in flight): ${registered} DERs in ${bulkSeconds.toFixed(1)} s = ${rate(registered, bulkSeconds)} DERs/s, ${((bulkCpu.total * 1000) / Math.max(1, registered)).toFixed(2)} CPU-ms/DER (${bulkCpu.byRole})`,
  );
  console.log(
    `  ratio bulk/single: ${(registered / bulkSeconds / (singles.length / singleSeconds)).toFixed(1)}x; refused: ${refusals.size === 0 ? 'none' : JSON.stringify(Object.fromEntries(refusals))}`,
  );
  console.log(latencyLine('batch submit → commit', batchLatencies));
  console.log(
    latencyLine(
      'GET /v1/ders/:id, 1 in flight',
      sequential.sort((a, b) => a - b),
    ),
  );
  console.log(
    latencyLine(
      'GET /v1/ders/:id, 8 in flight',
      parallel.sort((a, b) => a - b),
    ),
  );
  console.log(
    latencyLine(
      `GET /v1/vpps/:id/ders (${MAX_DER_PAGE_SIZE}/page)`,
      [...walk.pages].sort((a, b) => a - b),
    ),
  );
  const walkSeconds = walk.pages.reduce((sum, ms) => sum + ms, 0) / 1000;
  console.log(
    `  listing VPP ${vppIds[1]}: ${walk.count} DERs (expected ${expectedInVpp}) in ${walk.pages.length} pages, ${walkSeconds.toFixed(1)} s`,
  );
  if (registered !== bulk.length || walk.count !== expectedInVpp) {
    throw new Error(
      `registry incomplete: ${registered}/${bulk.length} registered, ${walk.count}/${expectedInVpp} listed`,
    );
  }
}
