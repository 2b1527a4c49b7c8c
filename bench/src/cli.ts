/**
 * `npm run bench [-- <suite>]`: benchmarks on the running network (`npm start` first). Each suite
 * measures its variants side by side in one run and prints their ratio.
 */
import { clearingBench } from './clearing';
import { restOverhead } from './rest-overhead';
import { settlementBench } from './settlement';
import { telemetryBench } from './telemetry';

const SUITES: Record<string, () => Promise<void>> = {
  clearing: () => clearingBench(Number(process.env.VPP_BENCH_BIDS ?? 1000)),
  rest: () => restOverhead({ rounds: 6, perRound: 10 }),
  settlement: async () => settlementBench(),
  telemetry: () =>
    telemetryBench({
      devices: Number(process.env.VPP_BENCH_DEVICES ?? 200),
      readingsPerDevice: 50,
      readingsPerRequest: 25,
      concurrency: 64,
      singleReadings: 400,
      singleConcurrency: 16,
    }),
};

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const chosen = names.length > 0 ? names : Object.keys(SUITES);
  for (const name of chosen) {
    const suite = SUITES[name];
    if (!suite) throw new Error(`unknown suite ${name}; known: ${Object.keys(SUITES).join(', ')}`);
    await suite();
  }
}

main().catch((err: unknown) => {
  const details = (err as { details?: unknown }).details;
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  if (details) console.error(JSON.stringify(details));
  console.error('the benchmarks need the network: run `npm start` first');
  process.exit(1);
});
