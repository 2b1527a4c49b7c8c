/**
 * REST overhead: the same transaction (the CVPP admin writing its org profile) submitted through
 * the org's REST gateway and directly with @hyperledger/fabric-gateway, in alternating rounds of
 * one run so that both see the same network state. Prints throughput of each and their ratio.
 */
import { performance } from 'node:perf_hooks';
import { connectAs } from '../../platform/src/fabric/org-connection';
import { loadTopology } from '../../platform/src/topology';
import { call, loginAdmin } from '../../platform/src/http/gateway-rest';

const ORG = 'cvpp';

export interface RestOverheadOptions {
  rounds: number;
  perRound: number;
}

function profile(label: string): Record<string, string> {
  return { displayName: `bench ${label}`, orgRole: 'cvpp', contactEmail: 'bench@cvpp.example' };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export async function restOverhead(options: RestOverheadOptions): Promise<void> {
  const direct = connectAs(loadTopology(), ORG, 'admin');
  const token = await loginAdmin(ORG);
  const latencies = { rest: [] as number[], direct: [] as number[] };
  const elapsed = { rest: 0, direct: 0 };
  const viaRest = async (label: string) => {
    const res = await call(ORG, 'PUT', '/v1/orgs/self', { token, body: profile(label) });
    if (res.status !== 200) throw new Error(`REST submit failed: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const viaDirect = async (label: string) => {
    await direct.submit('org', 'PutOrgProfile', [JSON.stringify(profile(label))]);
  };
  const runRound = async (path: 'rest' | 'direct', round: number) => {
    const submit = path === 'rest' ? viaRest : viaDirect;
    const started = performance.now();
    for (let i = 0; i < options.perRound; i += 1) {
      const t0 = performance.now();
      await submit(`${path} ${round}.${i}`);
      latencies[path].push(performance.now() - t0);
    }
    elapsed[path] += performance.now() - started;
  };
  try {
    await viaRest('warm-up');
    await viaDirect('warm-up');
    for (let round = 0; round < options.rounds; round += 1) {
      // Alternate which path goes first so that neither always meets a fresher block timer.
      const order: ('rest' | 'direct')[] = round % 2 === 0 ? ['rest', 'direct'] : ['direct', 'rest'];
      for (const path of order) await runRound(path, round);
    }
  } finally {
    direct.close();
  }
  const count = options.rounds * options.perRound;
  const rate = (path: 'rest' | 'direct') => (count / elapsed[path]) * 1000;
  const line = (path: 'rest' | 'direct') => {
    const sorted = [...latencies[path]].sort((a, b) => a - b);
    return `${path.padEnd(7)} ${rate(path).toFixed(2).padStart(7)} tx/s  p50 ${percentile(sorted, 50).toFixed(0)} ms  p95 ${percentile(sorted, 95).toFixed(0)} ms`;
  };
  console.log(`rest-overhead: ${count} sequential submits per path (PutOrgProfile as ${ORG} admin)`);
  console.log(line('direct'));
  console.log(line('rest'));
  console.log(`ratio REST/direct throughput: ${(rate('rest') / rate('direct')).toFixed(3)} (goal >= 0.9)`);
}
