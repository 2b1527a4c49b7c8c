/**
 * `npm run bench [-- <suite>]`: benchmarks on the running network (`npm start` first). Each suite
 * measures its variants side by side in one run and prints their ratio.
 */
import { clearingBench } from './clearing';
import { loadBench } from './load';
import { registryBench } from './registry';
import { restOverhead } from './rest-overhead';
import { settlementBench } from './settlement';
import { settlementChainBench } from './settlement-chain';
import { signatureSchemeBench } from './signature-schemes';
import { telemetryBench } from './telemetry';

const FLAGS = new Set(process.argv.slice(2).filter((arg) => arg.startsWith('--')));

/** 200 devices × 10 readings per scheme and round: enough for stable figures in a few seconds. */
const SIGNATURE_BENCH = { devices: 200, readingsPerDevice: 10, rounds: 3 };

const SUITES: Record<string, () => Promise<void>> = {
  clearing: () => clearingBench(Number(process.env.VPP_BENCH_BIDS ?? 1000)),
  load: () =>
    loadBench({
      levels: (process.env.VPP_BENCH_LOAD_LEVELS ?? '8,32,64,128').split(',').map(Number),
      seconds: Number(process.env.VPP_BENCH_LOAD_SECONDS ?? 15),
    }),
  registry: () =>
    registryBench({
      ders: Number(process.env.VPP_BENCH_DERS ?? 100_000),
      vpps: 10,
      batchSize: Number(process.env.VPP_BENCH_DER_BATCH ?? 500),
      concurrency: Number(process.env.VPP_BENCH_CONCURRENCY ?? 4),
      singles: 300,
      lookups: 1000,
    }),
  rest: () => restOverhead({ rounds: 6, perRound: 10 }),
  signatures: async () => signatureSchemeBench(SIGNATURE_BENCH),
  settlement: async () => {
    settlementBench();
    await settlementChainBench(
      (process.env.VPP_BENCH_SETTLEMENT_DERS ?? '1000,10000').split(',').map(Number),
    );
  },
  // 400 devices: a device sends at most 60 readings per 10-second interval of the development
  // calendar (and the topology's rate limit allows 6/s), so 400 can sustain 2,400 readings/s.
  // Requests of 100 readings (a site concentrator posting for its devices), 32 in flight: enough
  // outstanding readings (3,200) to keep the gateway's batches full (500 readings, 4 in flight).
  telemetry: async () => {
    // The per-reading verify cost of each scheme first: the part of the pipeline a scheme changes.
    signatureSchemeBench(SIGNATURE_BENCH);
    await telemetryBench({
      devices: Number(process.env.VPP_BENCH_DEVICES ?? 400),
      batchedReadings: Number(process.env.VPP_BENCH_READINGS ?? 12_000),
      readingsPerRequest: Number(process.env.VPP_BENCH_READINGS_PER_REQUEST ?? 100),
      concurrency: Number(process.env.VPP_BENCH_CONCURRENCY ?? 32),
      singleReadings: 400,
      singleConcurrency: 16,
      latencySeconds: 10,
      profileSeconds: FLAGS.has('--profile') ? Number(process.env.VPP_BENCH_PROFILE_SECONDS ?? 8) : 0,
      scheme: process.env.VPP_BENCH_SCHEME === 'sm2-sm3' ? 'sm2-sm3' : 'ecdsa-p256-sha256',
    });
  },
};

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  const chosen = names.length > 0 ? names : Object.keys(SUITES);
  for (const name of chosen) {
    const suite = SUITES[name];
    if (!suite) throw new Error(`unknown suite ${name}; known: ${Object.keys(SUITES).join(', ')}`);
    await suite();
  }
}

main().catch((err: unknown) => {
  const details = (err as { details?: unknown }).details;
  console.error(
    `bench failed: ${err instanceof Error ? (process.env.VPP_BENCH_DEBUG ? err.stack : err.message) : String(err)}`,
  );
  if (details) console.error(JSON.stringify(details));
  console.error('the benchmarks need the network: run `npm start` first');
  process.exit(1);
});
