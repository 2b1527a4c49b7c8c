/**
 * Settlement computation for one interval of a large VPP: the pure rules the chaincode runs
 * (delivered energy, payment, penalty, fee, largest-remainder split to every DER, inputs hash),
 * timed in-process for 1,000 and 10,000 DERs side by side, and checked (Σ lines = net). This is the
 * computation only: on the real network the transaction also reads every reading and writes one line
 * per DER (see the closing note of the settlement issue for why the end-to-end figure is not here).
 */
import { performance } from 'node:perf_hooks';
import { settleInterval, type SettlementInputs } from '../../chaincode/src/api';

function inputsFor(ders: number): SettlementInputs {
  return {
    intervalId: `bench-${ders}`,
    intervalStart: '2026-11-25T10:00:00.000Z',
    vppId: 'vpp-bench',
    award: { awardId: 'tx-clearing', quantityWh: ders * 900, clearingPrice: 85_000 },
    ders: Array.from({ length: ders }, (_, i) => ({
      derId: `der-${String(i).padStart(6, '0')}`,
      readings: [0, 1, 2, 3].map((sequence) => ({ sequence, energyWh: 200 + ((i * 7 + sequence) % 60) })),
    })),
    toleranceBps: 500,
    penaltyFactorPermille: 1200,
    feeBps: 300,
    ruleVersion: 1,
    settledAt: '2026-11-25T12:00:00.000Z',
    txId: 'tx-settlement',
  };
}

function timeOnce(ders: number): { ms: number; sumOk: boolean } {
  const inputs = inputsFor(ders);
  const started = performance.now();
  const result = settleInterval(inputs);
  const ms = performance.now() - started;
  const sum = result.derLines.reduce((total, line) => total + line.amountMinor, 0);
  return { ms, sumOk: sum === result.vppLine.netToDersMinor };
}

export function settlementBench(rounds = 3): void {
  const sizes = [1_000, 10_000];
  const best = new Map(sizes.map((size) => [size, Number.POSITIVE_INFINITY]));
  timeOnce(1_000); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const size of sizes) {
      const { ms, sumOk } = timeOnce(size);
      if (!sumOk) throw new Error(`settlement of ${size} DERs does not sum exactly`);
      best.set(size, Math.min(best.get(size) ?? ms, ms));
    }
  }
  console.log('settlement: computing one interval (pure rules, in process; best of 3)');
  for (const size of sizes)
    console.log(`  ${String(size).padStart(6)} DERs: ${(best.get(size) ?? 0).toFixed(0)} ms`);
  console.log(
    `  ratio 10,000 / 1,000 DERs: ${((best.get(10_000) ?? 0) / (best.get(1_000) ?? 1)).toFixed(1)}x (linear would be 10x)`,
  );
}
