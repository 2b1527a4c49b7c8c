/**
 * Clearing at scale on the real network: one interval with N revealed bids and one with N/10, each
 * cleared by a single ClearInterval transaction (one range scan of the revealed bids, one write), and
 * timed from proposal to commit status, side by side in one run. Bids come from several VPPs so that
 * reveals can run in parallel (each reveal reads its own VPP's earlier offers). Default N = 1000
 * (`VPP_BENCH_BIDS`); committing and revealing N bids dominates the run time (about N/12 s each).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { computeCommitment } from '../../chaincode/src/api';
import { connectAs, type Connection } from '../../platform/src/fabric/org-connection';
import { loadTopology } from '../../platform/src/topology';
import { benchOperator, enrollFleet, inParallel, registerVpp } from './fleet-setup';

const VPPS = 16;
const BID_QUANTITY_WH = 10;

interface Bid {
  bidId: string;
  intervalId: string;
  vppId: string;
  steps: { price: number; quantity: number }[];
}

const sleepUntil = async (iso: string) => {
  const wait = Date.parse(iso) + 1500 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
};

/** Opens an interval sized for `count` bids, posts demand, commits and reveals them; returns its id. */
async function preparedInterval(
  orgs: { cvpp: Connection; trading: Connection; control: Connection },
  vppIds: string[],
  count: number,
  label: string,
): Promise<string> {
  const intervalId = `bench-${label}`;
  const now = Date.now();
  // Room for the commits and the reveals at about 12 transactions per second each, plus a margin.
  const gateClosure = new Date(now + 20_000 + (count / 12) * 1000).toISOString();
  const revealDeadline = new Date(Date.parse(gateClosure) + 20_000 + (count / 12) * 1000).toISOString();
  const start = Math.ceil((Date.parse(revealDeadline) + 60_000) / 900_000) * 900_000;
  const interval = {
    intervalId,
    product: 'energy-up',
    deliveryStart: new Date(start).toISOString(),
    deliveryEnd: new Date(start + 900_000).toISOString(),
    gateClosure,
    revealDeadline,
  };
  await orgs.trading.submit('market', 'OpenInterval', [JSON.stringify(interval)]);
  const demand = {
    intervalId,
    product: 'energy-up',
    quantity: Math.floor((count * BID_QUANTITY_WH) / 2),
    priceCap: 100_000,
  };
  await orgs.control.submit('market', 'PostDemand', [JSON.stringify(demand)]);
  const bids: Bid[] = Array.from({ length: count }, (_, i) => ({
    bidId: `b${String(i).padStart(6, '0')}`,
    intervalId,
    vppId: vppIds[i % vppIds.length] as string,
    steps: [{ price: 1000 + ((i * 7919) % 50_000), quantity: BID_QUANTITY_WH }],
  }));
  const salts = bids.map(() => randomBytes(32).toString('hex'));
  await inParallel(
    bids.map((bid, i) => ({ bid, salt: salts[i] as string })),
    16,
    async ({ bid, salt }) => {
      const commitment = {
        commitment: computeCommitment(bid, salt),
        bidId: bid.bidId,
        intervalId,
        vppId: bid.vppId,
      };
      await orgs.cvpp.submit('market', 'CommitBid', [JSON.stringify(commitment)]);
    },
  );
  await sleepUntil(gateClosure);
  // Each VPP reveals its bids one after the other; the VPPs in parallel.
  await inParallel(vppIds, vppIds.length, async (vppId) => {
    for (const [i, bid] of bids.entries()) {
      if (bid.vppId !== vppId) continue;
      await orgs.cvpp.submit('market', 'RevealBid', [intervalId, JSON.stringify(bid), salts[i] as string]);
    }
  });
  await sleepUntil(revealDeadline);
  return intervalId;
}

async function timeClearing(
  trading: Connection,
  intervalId: string,
): Promise<{ ms: number; awards: number }> {
  const started = performance.now();
  const outcome = await trading.submit('market', 'ClearInterval', [intervalId]);
  const ms = performance.now() - started;
  const record = JSON.parse(Buffer.from(outcome.result).toString('utf8')) as {
    result: { awards: unknown[] };
  };
  return { ms, awards: record.result.awards.length };
}

export async function clearingBench(bids: number): Promise<void> {
  const stamp = Date.now().toString(36);
  const operator = await benchOperator(stamp);
  const vppIds: string[] = [];
  for (let v = 0; v < VPPS; v++) {
    const vppId = await registerVpp(operator, `clr-${stamp}-${v}`);
    await enrollFleet(
      [{ derId: `clr-${stamp}-${v}-bat`, derType: 'battery', capacityW: 1_000_000 }],
      vppId,
      operator,
    );
    vppIds.push(vppId);
  }
  const topology = loadTopology();
  const orgs = {
    cvpp: connectAs(topology, 'cvpp', 'appuser'),
    trading: connectAs(topology, 'trading', 'appuser'),
    control: connectAs(topology, 'control', 'appuser'),
  };
  try {
    const small = Math.max(1, Math.floor(bids / 10));
    const prepared = performance.now();
    // One after the other: each interval's phases are timed for the whole network's throughput.
    const smallId = await preparedInterval(orgs, vppIds, small, `${stamp}-small`);
    const largeId = await preparedInterval(orgs, vppIds, bids, `${stamp}-large`);
    const setupSeconds = (performance.now() - prepared) / 1000;
    const smallRun = await timeClearing(orgs.trading, smallId);
    const largeRun = await timeClearing(orgs.trading, largeId);
    const verifyStarted = performance.now();
    const verified = JSON.parse(
      Buffer.from(
        await orgs.control.contract('market').evaluateTransaction('VerifyClearing', largeId),
      ).toString('utf8'),
    ) as { matches: boolean };
    const verifyMs = performance.now() - verifyStarted;
    console.log(
      `clearing: ClearInterval endorsed and committed, one transaction each (setup ${setupSeconds.toFixed(0)} s)`,
    );
    console.log(
      `  ${String(small).padStart(6)} revealed bids: ${smallRun.ms.toFixed(0).padStart(6)} ms, ${smallRun.awards} awards`,
    );
    console.log(
      `  ${String(bids).padStart(6)} revealed bids: ${largeRun.ms.toFixed(0).padStart(6)} ms, ${largeRun.awards} awards`,
    );
    console.log(
      `  ratio ${bids} / ${small} bids: ${(largeRun.ms / smallRun.ms).toFixed(1)}x; VerifyClearing (any org) ${verifyMs.toFixed(0)} ms, matches: ${verified.matches}`,
    );
  } finally {
    for (const connection of Object.values(orgs)) connection.close();
  }
}
