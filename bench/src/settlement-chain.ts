/**
 * Settlement on the real network: two VPPs of 1,000 and 10,000 DERs (bulk-registered), one energy-up
 * interval of one metering interval on the development calendar, both awarded, one signed reading per
 * DER, then SettleInterval for each VPP through the trading centre's gateway, timed from request to
 * commit (endorsed by MAJORITY), side by side. Each settlement writes one line per DER under its own
 * key. Every figure is checked: one DER line per DER, Σ DER lines = the VPP line's net to DERs.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { computeCommitment, intervalIdOf, type SignedReading } from '../../chaincode/src/api';
import { postReadings } from '../../gateway/device-kit/device-api';
import {
  blockOf,
  call,
  gatewayTarget,
  laterBlock,
  loginAdmin,
  marketCalendarNow,
  MARKET_ROLES,
  registerAndLogin,
  type HttpResult,
  type MarketOrg,
} from '../../platform/src/http/gateway-rest';
import { certificateFactory, registerInBatches, type Registration } from './bulk-fleet';
import { benchOperator, inParallel, registerVpp } from './fleet-setup';

const READING_WH = 40;
/** 40 Wh in a 10-second interval is 14.4 kW: a capacity of 20 kW leaves room. */
const CAPACITY_W = 20_000;
const MARGIN_MS = 1500;

const sleepUntil = async (ms: number) => {
  const wait = ms + MARGIN_MS - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
};

function expect<T>(res: HttpResult<T>, status: number, what: string): HttpResult<T> {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

interface Settled {
  vppLine: { netToDersMinor: number; deliveredWh: number };
  derLines: { derId: string; amountMinor: number }[];
}

export async function settlementChainBench(sizes: readonly number[]): Promise<void> {
  const stamp = Date.now().toString(36);
  const operator = await benchOperator(stamp);
  const tokens = {} as Record<MarketOrg, string>;
  for (const [org, role] of Object.entries(MARKET_ROLES) as [MarketOrg, string][]) {
    const admin = await loginAdmin(org);
    tokens[org] = (await registerAndLogin(org, admin, `bench-stl-${role}-${stamp}`, role)).token;
  }
  let seen: bigint | undefined;
  /** A request as `org`'s market user that sees every earlier write (X-Min-Block). */
  const as = async <T>(org: MarketOrg, method: string, url: string, body?: unknown) => {
    const res = await call<T>(org, method, url, { token: tokens[org], body, minBlock: seen });
    seen = laterBlock(seen, blockOf(res));
    return res;
  };

  // Fleets: VPP ids of one length and DER ids of one length, for the certificate copies.
  const vppIds = sizes.map((_, v) => `stl${stamp}-v${String(v).padStart(3, '0')}`);
  for (const vppId of vppIds) await registerVpp(operator, vppId);
  const derIdOf = (v: number, i: number) => `stl${stamp}-d${v}${String(i).padStart(6, '0')}`;
  const factory = await certificateFactory(operator, `stl${stamp}-dtemplat`, vppIds[0] as string);
  const registrations: Registration[] = sizes.flatMap((size, v) =>
    Array.from({ length: size }, (_, i) => {
      const derId = derIdOf(v, i);
      const vppId = vppIds[v] as string;
      return {
        derId,
        vppId,
        derType: 'battery' as const,
        capacityW: CAPACITY_W,
        zone: 'bench',
        certificatePem: factory.certificateOf(derId, vppId),
      };
    }),
  );
  const setup = await registerInBatches(operator, registrations, { batchSize: 500, concurrency: 4 });
  if (setup.registered !== registrations.length) throw new Error(`registered ${setup.registered} DERs only`);
  seen = undefined; // the market users read on other peers; the DERs are committed everywhere by now
  for (const [v, size] of sizes.entries()) {
    expect(
      await as('regulator', 'PUT', `/v1/market/quotas/${vppIds[v]}`, { quantity: size * READING_WH * 2 }),
      200,
      'set quota',
    );
  }

  // One interval: bids for 8 s, reveals for 8 s, one metering interval of delivery 10 s later.
  const calendar = await marketCalendarNow('cvpp', operator.token);
  const meteringMs = calendar.meteringIntervalSeconds * 1000;
  const gateClosure = Date.now() + 8000;
  const revealDeadline = gateClosure + 8000;
  const deliveryStart = Math.ceil((revealDeadline + 10_000) / meteringMs) * meteringMs;
  const deliveryEnd = deliveryStart + meteringMs;
  const intervalId = `stl-${stamp}`;
  const base = `/v1/market/intervals/${intervalId}`;
  const iso = (ms: number) => new Date(ms).toISOString();
  expect(
    await as('trading', 'POST', '/v1/market/intervals', {
      intervalId,
      product: 'energy-up',
      gateClosure: iso(gateClosure),
      revealDeadline: iso(revealDeadline),
      deliveryStart: iso(deliveryStart),
      deliveryEnd: iso(deliveryEnd),
    }),
    201,
    'open interval',
  );
  const offered = sizes.map((size) => size * READING_WH);
  const demand = offered.reduce((sum, q) => sum + q, 0);
  expect(
    await as('control', 'POST', `${base}/demand`, {
      product: 'energy-up',
      quantity: demand,
      priceCap: 1_000_000,
    }),
    201,
    'post demand',
  );
  const bids = vppIds.map((vppId, v) => ({
    bid: {
      bidId: `b-${v}`,
      intervalId,
      vppId,
      steps: [{ price: 400_000 - v, quantity: offered[v] as number }],
    },
    salt: randomBytes(32).toString('hex'),
  }));
  for (const { bid, salt } of bids) {
    const commitment = { commitment: computeCommitment(bid, salt), bidId: bid.bidId, vppId: bid.vppId };
    expect(await as('cvpp', 'POST', `${base}/commitments`, commitment), 201, 'commit');
  }
  await sleepUntil(gateClosure);
  for (const reveal of bids) expect(await as('cvpp', 'POST', `${base}/reveals`, reveal), 201, 'reveal');
  await sleepUntil(revealDeadline);
  expect(await as('trading', 'POST', `${base}/clearing`), 201, 'clear');

  // One reading per DER for the delivery's metering interval, posted once it has ended.
  await sleepUntil(deliveryEnd);
  const meteringId = intervalIdOf(iso(deliveryStart), calendar.meteringIntervalSeconds);
  const readings: SignedReading[] = registrations.map((r) =>
    factory.deviceOf(r.derId, r.certificatePem).sign({
      intervalId: meteringId,
      sequence: 0,
      energyWh: READING_WH,
      timestamp: new Date().toISOString(),
    }),
  );
  const requests: SignedReading[][] = [];
  for (let i = 0; i < readings.length; i += 100) requests.push(readings.slice(i, i + 100));
  const postedStarted = performance.now();
  await inParallel(requests, 32, async (batch) => {
    const answer = await postReadings(gatewayTarget('cvpp'), batch);
    if (answer.accepted !== batch.length) {
      throw new Error(`readings: ${JSON.stringify(answer.results.find((r) => r.status !== 'accepted'))}`);
    }
  });
  const postedSeconds = (performance.now() - postedStarted) / 1000;

  await sleepUntil(deliveryEnd + calendar.readingWindowSeconds * 1000);
  console.log(
    `settlement on chain: SettleInterval through the trading gateway, endorsed and committed (${registrations.length} DERs bulk-registered in ${setup.seconds.toFixed(0)} s, ${readings.length} readings in ${postedSeconds.toFixed(1)} s)`,
  );
  const times: number[] = [];
  for (const [v, size] of sizes.entries()) {
    const started = performance.now();
    const res = expect(
      await as<Settled>('trading', 'POST', `/v1/settlement/${intervalId}/${vppIds[v]}`),
      201,
      `settle ${vppIds[v]}`,
    );
    const ms = performance.now() - started;
    times.push(ms);
    const { vppLine, derLines } = res.body;
    const sum = derLines.reduce((total, line) => total + line.amountMinor, 0);
    // The first VPP also holds the certificate template's DER (registered through the RA, no reading).
    const ders = v === 0 ? size + 1 : size;
    if (
      derLines.length !== ders ||
      sum !== vppLine.netToDersMinor ||
      vppLine.deliveredWh !== size * READING_WH
    ) {
      throw new Error(
        `settlement of ${vppIds[v]}: ${derLines.length} lines, Σ ${sum} vs ${vppLine.netToDersMinor}, delivered ${vppLine.deliveredWh}`,
      );
    }
    const verifyStarted = performance.now();
    const verified = expect(
      await as<{ matches: boolean }>('regulator', 'GET', `/v1/settlement/${intervalId}/${vppIds[v]}/verify`),
      200,
      'verify',
    );
    const verifyMs = performance.now() - verifyStarted;
    console.log(
      `  ${String(ders).padStart(6)} DERs: ${ms.toFixed(0).padStart(6)} ms (${derLines.length} DER lines, Σ = net to DERs ${vppLine.netToDersMinor}); VerifySettlement as the regulator ${verifyMs.toFixed(0)} ms, matches: ${verified.body.matches}`,
    );
  }
  if (times.length === 2) {
    console.log(
      `  ratio ${sizes[1]} / ${sizes[0]} DERs: ${((times[1] as number) / (times[0] as number)).toFixed(1)}x (floor for 10,000: 5 s, goal 2 s)`,
    );
  }
}
