/**
 * Clearing at scale on the real network: one interval with N revealed bids and one with N/10, each
 * cleared by a single ClearInterval transaction (a merit-order scan up to the marginal offer, one
 * write), timed from proposal to commit status, then VerifyClearing timed as an evaluate. Books are
 * prepared with portfolio transactions (CommitBids / RevealBids, up to 500 bids each), each VPP's
 * reveals one batch after the other (a reveal reads its VPP's earlier offers), the VPPs in parallel.
 * Default N = 1000 (`VPP_BENCH_BIDS`).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { computeCommitment, MAX_PORTFOLIO_BIDS, type PortfolioResult } from '../../chaincode/src/api';
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

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Submits a portfolio transaction and fails the bench if any bid of it was refused. */
async function submitPortfolio(cvpp: Connection, tx: string, args: string[]): Promise<void> {
  const outcome = await cvpp.submit('market', tx, args);
  const answer = JSON.parse(Buffer.from(outcome.result).toString('utf8')) as PortfolioResult;
  const refused = answer.results.find((result) => result.status === 'refused');
  if (refused !== undefined) {
    throw new Error(`${tx}: bid ${refused.bidId} refused: ${refused.code} ${refused.message}`);
  }
}

/** Opens an interval sized for `count` bids, posts demand, commits and reveals them; returns its id. */
async function preparedInterval(
  orgs: { cvpp: Connection; trading: Connection; control: Connection },
  vppIds: string[],
  count: number,
  label: string,
): Promise<string> {
  const intervalId = `bench-${label}`;
  const now = Date.now();
  // Room for the portfolio commits and reveals (a few hundred bids per second each), plus a margin.
  const gateClosure = new Date(now + 20_000 + count * 5).toISOString();
  const revealDeadline = new Date(Date.parse(gateClosure) + 20_000 + count * 5).toISOString();
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
  const byVpp = vppIds.map((vppId) =>
    bids.flatMap((bid, i) => (bid.vppId === vppId ? [{ bid, salt: salts[i] as string }] : [])),
  );
  const commitBatches = byVpp.flatMap((items) => chunks(items, MAX_PORTFOLIO_BIDS));
  await inParallel(commitBatches, 4, async (batch) => {
    const commitments = batch.map(({ bid, salt }) => ({
      commitment: computeCommitment(bid, salt),
      bidId: bid.bidId,
      intervalId,
      vppId: bid.vppId,
    }));
    await submitPortfolio(orgs.cvpp, 'CommitBids', [JSON.stringify(commitments)]);
  });
  await sleepUntil(gateClosure);
  // Each VPP reveals its batches one after the other; the VPPs in parallel.
  await inParallel(byVpp, 4, async (items) => {
    for (const batch of chunks(items, MAX_PORTFOLIO_BIDS)) {
      await submitPortfolio(orgs.cvpp, 'RevealBids', [intervalId, JSON.stringify(batch)]);
    }
  });
  await sleepUntil(revealDeadline);
  return intervalId;
}

async function timeClearing(
  trading: Connection,
  intervalId: string,
): Promise<{ ms: number; awards: number; bidsRead: number }> {
  const started = performance.now();
  const outcome = await trading.submit('market', 'ClearInterval', [intervalId]);
  const ms = performance.now() - started;
  const record = JSON.parse(Buffer.from(outcome.result).toString('utf8')) as {
    bidCount: number;
    result: { awards: unknown[] };
  };
  return { ms, awards: record.result.awards.length, bidsRead: record.bidCount };
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
    // One after the other: each interval's phases are timed for the whole network's throughput. The
    // preparation time includes the waits for gate closure and the reveal deadline.
    const prepared = performance.now();
    const smallId = await preparedInterval(orgs, vppIds, small, `${stamp}-small`);
    const preparedLarge = performance.now();
    const largeId = await preparedInterval(orgs, vppIds, bids, `${stamp}-large`);
    const largeSetupSeconds = (performance.now() - preparedLarge) / 1000;
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
      `clearing: ClearInterval endorsed and committed, one transaction each (preparation ${setupSeconds.toFixed(0)} s in all, ${largeSetupSeconds.toFixed(0)} s for the ${bids}-bid book, deadlines included)`,
    );
    console.log(
      `  ${String(small).padStart(6)} revealed bids: ${smallRun.ms.toFixed(0).padStart(6)} ms, ${smallRun.awards} awards, ${smallRun.bidsRead} bids read`,
    );
    console.log(
      `  ${String(bids).padStart(6)} revealed bids: ${largeRun.ms.toFixed(0).padStart(6)} ms, ${largeRun.awards} awards, ${largeRun.bidsRead} bids read`,
    );
    console.log(
      `  ratio ${bids} / ${small} bids: ${(largeRun.ms / smallRun.ms).toFixed(1)}x; VerifyClearing (any org) ${verifyMs.toFixed(0)} ms, matches: ${verified.matches}`,
    );
  } finally {
    for (const connection of Object.values(orgs)) connection.close();
  }
}
