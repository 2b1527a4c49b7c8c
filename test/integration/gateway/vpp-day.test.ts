// The whole VPP day on the real network, over REST only, each step through the gateway of the
// organisation that performs it and signed by a user of that organisation with the role the step
// needs: two VPPs with five device-backed DERs each (and a third VPP that commits a bid and never
// reveals it) bid into one interval; it is cleared, verified by a third organisation, dispatched
// down to DER setpoints and acknowledged; the devices sign and post their readings (one VPP delivers,
// the other falls short); both VPPs are settled, the regulator verifies each settlement, the DER
// statements show every DER's share, and the credit records show the delivery, the shortfall and the
// violation, with the standings that follow.
//
// Every figure is asserted against a value this file computes on its own from the published rules
// (merit order, uniform price, largest-remainder splits, the settlement formula of
// chaincode/src/domain/settlement/settlement.ts, the credit rulebook read over REST), never from
// the chaincode's modules.
//
// It runs in a few minutes because the network's market calendar (network/topology.yaml) has
// 10-second metering intervals and a 30-second reading window: the delivery here is two metering
// intervals, and settlement may run once the reading window of the last one has closed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { computeCommitment } from '../../../chaincode/src/domain/market/bid';
import type { Device } from '../../../gateway/device-kit/device';
import { postReadings } from '../../../gateway/device-kit/device-api';
import { gatewayTarget } from '../../../platform/src/http/gateway-rest';
import {
  expectStatus,
  intervalInstants,
  loginMarketUsers,
  openInterval,
  registerVppWithDers,
  requestsAs,
  sleepUntil,
  visibleTo,
  type DerSpec,
  type Org,
} from '../../support/market-rest';
import { provedBy } from '../../support/proof-bundles';

const stamp = Date.now().toString(36);
const INTERVAL = `i-day-${stamp}`;
const BASE = `/v1/market/intervals/${INTERVAL}`;
/** Metering intervals in the delivery period. */
const DELIVERY_METERING_INTERVALS = 2;
/** Enough for the opening, the demand and three commits to be endorsed, committed and seen. */
const OPEN_FOR_MS = 30_000;
/** Enough for two reveals. */
const REVEAL_FOR_MS = 15_000;
/** Between the reveal deadline and delivery: violations, clearing, dispatch, acks and setpoints. */
const DISPATCH_LEAD_MS = 50_000;
/** The operator's fee every VPP here is registered with (registerVppWithDers). */
const FEE_BPS = 500;
/** The settlement tolerance band (domain/settlement: 5 % of the award). */
const TOLERANCE_BPS = 500;

/**
 * A DER of the test: its type, and the most energy it can deliver in one metering interval (Wh); its
 * capacity is derived from the calendar so that the energy figures below hold whatever its metering
 * length. They are C&I-sized (hundreds of kW at 10-second metering) so that a delivery of seconds is
 * worth enough minor units for the rounding of the splits to be visible.
 */
type DerPlan = readonly [suffix: string, derType: string, capWhPerMetering: number];

/** VPP A delivers what it was dispatched (and a little more); VPP B falls short; VPP C never reveals. */
const VPP_A = `vpp-day-a-${stamp}`;
const VPP_B = `vpp-day-b-${stamp}`;
const VPP_C = `vpp-day-c-${stamp}`;
const DERS_A: readonly DerPlan[] = [
  ['pv', 'pv', 1000],
  ['bat', 'battery', 1500],
  ['ev', 'ev-charger', 800],
  ['load', 'flexible-load', 500],
  ['pv2', 'pv', 1200],
];
const DERS_B: readonly DerPlan[] = [
  ['pv', 'pv', 900],
  ['bat', 'battery', 1100],
  ['ev', 'ev-charger', 700],
  ['load', 'flexible-load', 600],
  ['bat2', 'battery', 1300],
];
const DERS_C: readonly DerPlan[] = [['bat', 'battery', 1000]];

/**
 * What each DER's device reports for each metering interval of the delivery (Wh), in DERS_* order.
 * A: its setpoints' energy (0.7 of each DER's cap, see the dispatch) and 50 Wh more from its PV in
 * the second interval: 7,050 Wh for a 7,000 Wh award, within tolerance. B: 6,000 Wh for an 8,000 Wh
 * award: its flexible load stops and its second battery runs low in the second interval.
 */
const DELIVERED_A = [
  [700, 1050, 560, 350, 840],
  [750, 1050, 560, 350, 840],
];
const DELIVERED_B = [
  [700, 850, 550, 500, 1000],
  [700, 850, 550, 0, 300],
];

interface Step {
  price: number;
  quantity: number;
}
interface Bid {
  bidId: string;
  intervalId: string;
  vppId: string;
  steps: Step[];
}
const bidOf = (vppId: string, name: string, steps: [price: number, quantity: number][]): Bid => ({
  bidId: `b-day-${name}-${stamp}`,
  intervalId: INTERVAL,
  vppId,
  steps: steps.map(([price, quantity]) => ({ price, quantity })),
});
const BID_A = bidOf(VPP_A, 'a', [
  [300_000, 6000],
  [500_000, 3000],
]);
const BID_B = bidOf(VPP_B, 'b', [[400_000, 8000]]);
/** The cheapest offer of all: had it been revealed, it would have been accepted first. */
const BID_C = bidOf(VPP_C, 'c', [[200_000, 1500]]);
/** What the market scores before settlement, in order, for a VPP that reveals and acknowledges. */
const SCORED_BEFORE_SETTLEMENT = ['BID_REVEALED', 'DISPATCH_ACKNOWLEDGED'] as const;
const DEMAND = { product: 'energy-up', quantity: 15_000, priceCap: 600_000 };

// ---- independent computations ----

/** Merit order and uniform price: cheapest offers first, the marginal one in part; price = the last. */
function expectedClearing(demand: typeof DEMAND, bids: readonly Bid[]) {
  const offers = bids
    .flatMap((bid) => bid.steps.map((step) => ({ bid, ...step })))
    .filter((offer) => offer.price <= demand.priceCap)
    .sort((x, y) => x.price - y.price);
  assert.equal(new Set(offers.map((o) => o.price)).size, offers.length, 'test data: prices distinct');
  let left = demand.quantity;
  let price: number | null = null;
  const awarded = new Map<string, number>();
  for (const offer of offers) {
    if (left === 0) break;
    const quantity = Math.min(left, offer.quantity);
    left -= quantity;
    price = offer.price;
    awarded.set(offer.bid.bidId, (awarded.get(offer.bid.bidId) ?? 0) + quantity);
  }
  return {
    clearingPrice: price,
    totalAwarded: demand.quantity - left,
    awards: [...awarded].map(([bidId, quantity]) => ({ bidId, quantity })),
  };
}

/**
 * Largest-remainder split of `amount` by `weights`. The chaincode breaks equal remainders with a
 * hash; the data here is chosen so that no tie sits at the cut, which this checks.
 */
function splitExactly(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const floors = weights.map((w) => Math.floor((amount * w) / total));
  const remainders = weights.map((w) => (amount * w) % total);
  let left = amount - floors.reduce((sum, f) => sum + f, 0);
  const order = weights.map((_, i) => i).sort((i, j) => (remainders[j] ?? 0) - (remainders[i] ?? 0));
  if (left > 0 && left < order.length) {
    assert.notEqual(
      remainders[order[left - 1]!],
      remainders[order[left]!],
      'test data: no tie at the cut of a split',
    );
  }
  for (const i of order) {
    if (left === 0) break;
    floors[i]! += 1;
    left -= 1;
  }
  return floors;
}

interface ExpectedSettlement {
  deliveredWh: number;
  paidWh: number;
  deviationWh: number;
  toleranceWh: number;
  excessDeviationWh: number;
  grossMinor: number;
  penaltyMinor: number;
  feeMinor: number;
  netToDersMinor: number;
  owedMinor: number;
  derAmounts: number[];
}

/** The settlement formula (version 1), in plain integers: every product here is far below 2^53. */
function expectedSettlement(
  awardedWh: number,
  price: number,
  deliveredByDer: readonly number[],
  penaltyFactorPermille: number,
): ExpectedSettlement {
  const deliveredWh = deliveredByDer.reduce((sum, wh) => sum + wh, 0);
  const paidWh = Math.min(deliveredWh, awardedWh);
  const grossMinor = Math.floor((paidWh * price) / 1_000_000);
  const deviationWh = deliveredWh - awardedWh;
  const toleranceWh = Math.floor((awardedWh * TOLERANCE_BPS) / 10_000);
  const excessDeviationWh = Math.max(0, Math.abs(deviationWh) - toleranceWh);
  const penaltyMinor = Math.floor((excessDeviationWh * price * penaltyFactorPermille) / 1_000_000_000);
  const balance = grossMinor - penaltyMinor;
  const feeMinor = balance > 0 ? Math.floor((balance * FEE_BPS) / 10_000) : 0;
  const netToDersMinor = balance > 0 ? balance - feeMinor : 0;
  return {
    deliveredWh,
    paidWh,
    deviationWh,
    toleranceWh,
    excessDeviationWh,
    grossMinor,
    penaltyMinor,
    feeMinor,
    netToDersMinor,
    owedMinor: balance < 0 ? -balance : 0,
    derAmounts: splitExactly(netToDersMinor, deliveredByDer),
  };
}

interface Rulebook {
  version: number;
  indicators: { id: string; weight: number; initialScore: number }[];
  events: { eventType: string; effects: { indicator: string; points: number }[] }[];
  levels: { level: string; minScore: number; bidQuotaWh: number; penaltyFactorPermille: number }[];
}

/**
 * A participant's score records and standing after `events` (in order), from the published rulebook:
 * each event moves its indicators by the rulebook's points (no value here comes near a bound, so no
 * clamping), one record per moved indicator; the score is the weighted mean, rounded down.
 */
function expectedCredit(rulebook: Rulebook, events: readonly string[]) {
  const values = new Map(rulebook.indicators.map((i) => [i.id, i.initialScore]));
  const records: [reasonCode: string, indicator: string, delta: number, valueAfter: number][] = [];
  for (const eventType of events) {
    const rule = rulebook.events.find((e) => e.eventType === eventType);
    assert.ok(rule, `the rulebook prices ${eventType}`);
    for (const { indicator, points } of [...rule.effects].sort((x, y) =>
      x.indicator < y.indicator ? -1 : 1,
    )) {
      values.set(indicator, values.get(indicator)! + points);
      records.push([eventType, indicator, points, values.get(indicator)!]);
    }
  }
  const weightTotal = rulebook.indicators.reduce((sum, i) => sum + i.weight, 0);
  const score = Math.floor(
    rulebook.indicators.reduce((sum, i) => sum + values.get(i.id)! * i.weight, 0) / weightTotal,
  );
  const level = [...rulebook.levels]
    .sort((x, y) => y.minScore - x.minScore)
    .find((l) => score >= l.minScore)!;
  return {
    records,
    standing: {
      score,
      level: level.level,
      bidQuotaWh: level.bidQuotaWh,
      penaltyFactorPermille: level.penaltyFactorPermille,
    },
  };
}

// ---- shapes of the answers read here ----

interface Standing {
  score: number;
  level: string;
  bidQuotaWh: number;
  penaltyFactorPermille: number;
  suspended: boolean;
}
interface ScoreRecord {
  indicator: string;
  delta: number;
  valueAfter: number;
  reasonCode: string;
  intervalId?: string;
}
interface VppLine extends Omit<ExpectedSettlement, 'derAmounts'> {
  awardedWh: number;
  clearingPrice: number;
  feeBps: number;
  toleranceBps: number;
  penaltyFactorPermille: number;
  derCount: number;
  readingCount: number;
  txId: string;
}
interface DerLine {
  derId: string;
  deliveredWh: number;
  readingCount: number;
  amountMinor: number;
  netToDersMinor: number;
  txId: string;
}
interface Settled {
  vppLine: VppLine;
  derLines: DerLine[];
  creditEvent: { eventType: string };
  scoreRecords: ScoreRecord[];
}

const ids = (vppId: string, plan: readonly DerPlan[]) => plan.map(([suffix]) => `${vppId}-${suffix}`);
const sum = (values: readonly number[]) => values.reduce((total, v) => total + v, 0);

describe('a whole VPP day over REST (real network)', () => {
  const tokens = {} as Record<Org, string>;
  const as = requestsAs(tokens);
  const devices = new Map<string, Device>();
  let meteringSeconds = 0;
  let readingWindowSeconds = 0;
  let rulebook: Rulebook;
  /** What the day wrote that the proof test below asks bundles of; set as the day goes. */
  const written = {
    clearing: undefined as { clearingPrice: number; totalAwarded: number } | undefined,
    derLine: undefined as DerLine | undefined,
    creditRecord: undefined as { record: ScoreRecord; key: string[] } | undefined,
  };

  /** The DER specs of a plan: capacity (W) = the cap per metering interval × 3600 / its length. */
  const specsOf = (vppId: string, plan: readonly DerPlan[]): DerSpec[] =>
    plan.map(([suffix, derType, capWh]) => [`${vppId}-${suffix}`, derType, (capWh * 3600) / meteringSeconds]);

  before(async () => {
    Object.assign(tokens, await loginMarketUsers('day', stamp));
    const calendar = await as<{ meteringIntervalSeconds: number; readingWindowSeconds: number }>(
      'regulator',
      'GET',
      '/v1/market/calendar',
    );
    expectStatus(calendar, 200, 'read the market calendar');
    ({ meteringIntervalSeconds: meteringSeconds, readingWindowSeconds } = calendar.body);
    // A whole day in minutes needs a short calendar (network/topology.yaml installs one).
    assert.ok(
      meteringSeconds <= 30 && readingWindowSeconds <= 60,
      `the network's calendar (${meteringSeconds} s metering, ${readingWindowSeconds} s window) is too long for this test`,
    );
    const rules = await as<Rulebook>('cvpp', 'GET', '/v1/credit/rulebook');
    expectStatus(rules, 200, 'read the credit rulebook');
    rulebook = rules.body;
    const registered = await Promise.all(
      [
        [VPP_A, DERS_A],
        [VPP_B, DERS_B],
        [VPP_C, DERS_C],
      ].map(([vppId, plan]) =>
        registerVppWithDers(
          as,
          { vppId: vppId as string, displayName: `VPP day ${vppId as string}` },
          specsOf(vppId as string, plan as DerPlan[]),
          20_000,
        ),
      ),
    );
    for (const fleet of registered) for (const [derId, device] of fleet) devices.set(derId, device);
  });

  it('should trade, dispatch, meter, settle and score one interval, every figure recomputed', async () => {
    const meteringMs = meteringSeconds * 1000;
    const instants = intervalInstants(OPEN_FOR_MS, REVEAL_FOR_MS, meteringMs, {
      leadMs: DISPATCH_LEAD_MS,
      deliveryMs: DELIVERY_METERING_INTERVALS * meteringMs,
    });
    const deliverySeconds = DELIVERY_METERING_INTERVALS * meteringSeconds;
    const standingUrl = (vppId: string) => `/v1/credit/participants/vpp/${vppId}`;
    const newcomer = expectedCredit(rulebook, []).standing;
    for (const vppId of [VPP_A, VPP_B, VPP_C]) {
      const standing = await as<Standing>('regulator', 'GET', standingUrl(vppId));
      expectStatus(standing, 200, `standing of ${vppId}`);
      assert.deepEqual(
        [standing.body.score, standing.body.level, standing.body.bidQuotaWh, standing.body.suspended],
        [newcomer.score, newcomer.level, newcomer.bidQuotaWh, false],
      );
    }

    // ---- the trading centre opens the interval, the control centre posts demand ----
    await openInterval(as, INTERVAL, instants);
    await visibleTo(as, 'control', BASE);
    expectStatus(await as('control', 'POST', `${BASE}/demand`, DEMAND), 201, 'post demand');
    await visibleTo(as, 'cvpp', BASE, (body) => (body as { demand: unknown }).demand !== null);

    // ---- the operators of the three VPPs commit sealed bids ----
    const salts = new Map([BID_A, BID_B, BID_C].map((bid) => [bid.bidId, randomBytes(32).toString('hex')]));
    await Promise.all(
      [BID_A, BID_B, BID_C].map(async (bid) => {
        const commitment = computeCommitment(bid, salts.get(bid.bidId));
        const res = await as<{ record: { commitment: string } }>('cvpp', 'POST', `${BASE}/commitments`, {
          commitment,
          bidId: bid.bidId,
          vppId: bid.vppId,
        });
        expectStatus(res, 201, `commit ${bid.bidId}`);
        assert.equal(res.body.record.commitment, commitment);
      }),
    );

    // ---- A and B reveal; C does not ----
    await sleepUntil(instants.gateClosure);
    await Promise.all(
      [BID_A, BID_B].map(async (bid) =>
        expectStatus(
          await as('cvpp', 'POST', `${BASE}/reveals`, { bid, salt: salts.get(bid.bidId) }),
          201,
          `reveal ${bid.bidId}`,
        ),
      ),
    );

    // ---- the trading centre records the unrevealed bid and clears ----
    await sleepUntil(instants.revealDeadline);
    const violations = await as<{ recorded: { bidId: string; vppId: string }[] }>(
      'trading',
      'POST',
      `${BASE}/violations`,
    );
    expectStatus(violations, 200, 'record violations');
    assert.deepEqual(
      violations.body.recorded.map((v) => [v.bidId, v.vppId]),
      [[BID_C.bidId, VPP_C]],
    );
    const cleared = await as<{
      record: {
        result: {
          clearingPrice: number;
          totalAwarded: number;
          awards: { bidId: string; vppId: string; quantity: number }[];
        };
      };
    }>('trading', 'POST', `${BASE}/clearing`);
    expectStatus(cleared, 201, 'clear');
    const { result } = cleared.body.record;
    written.clearing = { clearingPrice: result.clearingPrice, totalAwarded: result.totalAwarded };
    // Merit order: A 6000 Wh at 300,000, B 8000 Wh at 400,000, then 1000 of A's 3000 Wh at 500,000.
    const clearing = expectedClearing(DEMAND, [BID_A, BID_B]);
    assert.deepEqual(clearing, {
      clearingPrice: 500_000,
      totalAwarded: 15_000,
      awards: [
        { bidId: BID_A.bidId, quantity: 7000 },
        { bidId: BID_B.bidId, quantity: 8000 },
      ],
    });
    assert.deepEqual(
      [result.clearingPrice, result.totalAwarded],
      [clearing.clearingPrice, clearing.totalAwarded],
    );
    assert.deepEqual(
      result.awards.map((a) => ({ bidId: a.bidId, quantity: a.quantity })),
      clearing.awards,
    );
    assert.deepEqual(
      result.awards.map((a) => a.vppId),
      [VPP_A, VPP_B],
    );
    const price = clearing.clearingPrice!;
    const awardOf = new Map([
      [VPP_A, 7000],
      [VPP_B, 8000],
    ]);

    // ---- a third organisation (the regulator) verifies the clearing by recomputation ----
    await visibleTo(as, 'regulator', `${BASE}/clearing`);
    const verified = await as<{ matches: boolean }>('regulator', 'GET', `${BASE}/clearing/verify`);
    expectStatus(verified, 200, 'verify clearing');
    assert.equal(verified.body.matches, true);

    // ---- dispatch, acknowledgement and DER setpoints ----
    await visibleTo(as, 'control', `${BASE}/clearing`);
    const fleets: [string, readonly DerPlan[]][] = [
      [VPP_A, DERS_A],
      [VPP_B, DERS_B],
    ];
    await Promise.all(
      fleets.map(async ([vppId]) => {
        const issued = await as<{ record: { quantity: number; requiredW: number; status: string } }>(
          'control',
          'POST',
          `/v1/dispatch/${INTERVAL}/${vppId}`,
        );
        expectStatus(issued, 201, `dispatch ${vppId}`);
        // Constant power that delivers the award over the delivery period, rounded up to a watt.
        const requiredW = Math.ceil((awardOf.get(vppId)! * 3600) / deliverySeconds);
        assert.deepEqual(
          [issued.body.record.quantity, issued.body.record.requiredW, issued.body.record.status],
          [awardOf.get(vppId), requiredW, 'issued'],
        );
      }),
    );
    const setpointsOf = new Map<string, number[]>();
    await Promise.all(
      fleets.map(async ([vppId, plan]) => {
        const url = `/v1/dispatch/${INTERVAL}/${vppId}`;
        await visibleTo(as, 'cvpp', url);
        const acked = await as<{ record: { status: string } }>('cvpp', 'POST', `${url}/ack`);
        expectStatus(acked, 200, `acknowledge ${vppId}`);
        assert.equal(acked.body.record.status, 'acknowledged');
        const allocated = await as<{ requiredW: number; setpoints: { derId: string; setpointW: number }[] }>(
          'cvpp',
          'POST',
          `${url}/setpoints`,
        );
        expectStatus(allocated, 201, `setpoints of ${vppId}`);
        // Proportional to each DER's capacity, largest remainder; listed by DER id.
        const capacities = specsOf(vppId, plan).map(([, , capacityW]) => capacityW);
        const expected = splitExactly(allocated.body.requiredW, capacities);
        const byId = new Map(allocated.body.setpoints.map((s) => [s.derId, s.setpointW]));
        assert.deepEqual(
          ids(vppId, plan).map((derId) => byId.get(derId)),
          expected,
        );
        assert.equal(sum(expected), Math.ceil((awardOf.get(vppId)! * 3600) / deliverySeconds));
        setpointsOf.set(vppId, expected);
      }),
    );
    // A's setpoints are 0.7 of each capacity, i.e. the energies DELIVERED_A reports in its first interval.
    assert.deepEqual(
      setpointsOf.get(VPP_A)!.map((w) => (w * meteringSeconds) / 3600),
      DELIVERED_A[0],
    );

    // ---- the devices sign and post their readings, each metering interval once it has ended ----
    const cvpp = gatewayTarget('cvpp');
    for (let k = 0; k < DELIVERY_METERING_INTERVALS; k++) {
      const intervalStartMs = Date.parse(instants.deliveryStart) + k * meteringMs;
      const intervalEnd = new Date(intervalStartMs + meteringMs).toISOString();
      await sleepUntil(intervalEnd);
      const readings = [
        ...ids(VPP_A, DERS_A).map((derId, i) => [derId, DELIVERED_A[k]![i]!] as const),
        ...ids(VPP_B, DERS_B).map((derId, i) => [derId, DELIVERED_B[k]![i]!] as const),
      ].map(([derId, energyWh]) =>
        devices.get(derId)!.sign({
          intervalId: new Date(intervalStartMs).toISOString(),
          sequence: 0,
          energyWh,
          timestamp: intervalEnd,
        }),
      );
      const answer = await postReadings(cvpp, readings);
      assert.deepEqual(
        [answer.accepted, answer.rejected, answer.duplicates],
        [readings.length, 0, 0],
        JSON.stringify(answer.results.filter((r) => r.status !== 'accepted')),
      );
    }

    // ---- settlement once the last metering interval's reading window has closed ----
    await sleepUntil(new Date(Date.parse(instants.deliveryEnd) + readingWindowSeconds * 1000).toISOString());
    const deliveredByDer = (rows: number[][]) => rows[0]!.map((_, i) => sum(rows.map((row) => row[i]!)));
    const cases = [
      {
        vppId: VPP_A,
        plan: DERS_A,
        delivered: deliveredByDer(DELIVERED_A),
        event: 'DELIVERY_WITHIN_TOLERANCE',
      },
      { vppId: VPP_B, plan: DERS_B, delivered: deliveredByDer(DELIVERED_B), event: 'DELIVERY_DEVIATION' },
    ];
    const settledOf = new Map<string, Settled>();
    await Promise.all(
      cases.map(async ({ vppId }) => {
        // Each VPP was written to by the CVPP gateway (readings): settle through the trading centre
        // once its peer has them all.
        const settled = await as<Settled>('trading', 'POST', `/v1/settlement/${INTERVAL}/${vppId}`);
        expectStatus(settled, 201, `settle ${vppId}`);
        settledOf.set(vppId, settled.body);
      }),
    );
    for (const { vppId, plan, delivered, event } of cases) {
      const { vppLine, derLines, creditEvent } = settledOf.get(vppId)!;
      written.derLine ??= derLines[0];
      // The penalty factor is the level's at settlement: the market scored the reveal and the
      // acknowledgement by then.
      const { penaltyFactorPermille } = expectedCredit(rulebook, [...SCORED_BEFORE_SETTLEMENT]).standing;
      const expected = expectedSettlement(awardOf.get(vppId)!, price, delivered, penaltyFactorPermille);
      const { derAmounts, ...figures } = expected;
      assert.deepEqual(
        {
          deliveredWh: vppLine.deliveredWh,
          paidWh: vppLine.paidWh,
          deviationWh: vppLine.deviationWh,
          toleranceWh: vppLine.toleranceWh,
          excessDeviationWh: vppLine.excessDeviationWh,
          grossMinor: vppLine.grossMinor,
          penaltyMinor: vppLine.penaltyMinor,
          feeMinor: vppLine.feeMinor,
          netToDersMinor: vppLine.netToDersMinor,
          owedMinor: vppLine.owedMinor,
        },
        figures,
        `settlement of ${vppId}`,
      );
      assert.deepEqual(
        [
          vppLine.awardedWh,
          vppLine.clearingPrice,
          vppLine.feeBps,
          vppLine.toleranceBps,
          vppLine.penaltyFactorPermille,
          vppLine.derCount,
          vppLine.readingCount,
        ],
        [awardOf.get(vppId), price, FEE_BPS, TOLERANCE_BPS, penaltyFactorPermille, 5, 10],
      );
      assert.deepEqual(
        derLines.map((line) => [line.derId, line.deliveredWh, line.readingCount, line.amountMinor]),
        ids(vppId, plan)
          .map((derId, i) => [derId, delivered[i], DELIVERY_METERING_INTERVALS, derAmounts[i]] as const)
          .sort(([x], [y]) => (x < y ? -1 : 1)),
      );
      assert.equal(sum(derLines.map((line) => line.amountMinor)), vppLine.netToDersMinor);
      assert.equal(creditEvent.eventType, event);
    }
    // The figures the formula gives, written out: A is paid its award, B is paid what it delivered
    // less the penalty on its shortfall beyond the 5 % band.
    assert.deepEqual(
      [VPP_A, VPP_B].map((vppId) => {
        const line = settledOf.get(vppId)!.vppLine;
        return [line.grossMinor, line.penaltyMinor, line.feeMinor, line.netToDersMinor];
      }),
      [
        [3500, 0, 175, 3325],
        [3000, 960, 102, 1938],
      ],
    );

    // ---- the regulator verifies each settlement by recomputation ----
    for (const { vppId } of cases) {
      const url = `/v1/settlement/${INTERVAL}/${vppId}`;
      await visibleTo(as, 'regulator', url);
      const check = await as<{ matches: boolean; differences: string[] }>(
        'regulator',
        'GET',
        `${url}/verify`,
      );
      expectStatus(check, 200, `verify settlement of ${vppId}`);
      assert.deepEqual([check.body.matches, check.body.differences], [true, []]);
    }

    // ---- DER statements (as the CVPP operator and as the regulator) show each DER's share ----
    const day = instants.deliveryStart.slice(0, 10);
    for (const { vppId, plan } of cases) {
      const { vppLine, derLines } = settledOf.get(vppId)!;
      const amountOf = new Map(derLines.map((line) => [line.derId, line.amountMinor]));
      let total = 0;
      for (const derId of ids(vppId, plan)) {
        for (const org of ['cvpp', 'regulator'] as const) {
          const statement = await as<{
            lines: DerLine[];
            total: { intervalCount: number; amountMinor: number; deliveredWh: number };
          }>(org, 'GET', `/v1/ders/${derId}/statement?period=${day}`);
          expectStatus(statement, 200, `statement of ${derId} as ${org}`);
          assert.deepEqual(
            statement.body.lines.map((line) => [
              line.derId,
              line.amountMinor,
              line.netToDersMinor,
              line.txId,
            ]),
            [[derId, amountOf.get(derId), vppLine.netToDersMinor, vppLine.txId]],
          );
          assert.equal(statement.body.total.amountMinor, amountOf.get(derId));
          assert.equal(statement.body.total.intervalCount, 1);
        }
        total += amountOf.get(derId)!;
      }
      assert.equal(total, vppLine.netToDersMinor, `the DER statements of ${vppId} sum to its net`);
    }

    // ---- credit: the delivery, the shortfall and the violation, and the standings that follow ----
    const eventsOf: [string, string[]][] = [
      [VPP_A, [...SCORED_BEFORE_SETTLEMENT, 'DELIVERY_WITHIN_TOLERANCE']],
      [VPP_B, [...SCORED_BEFORE_SETTLEMENT, 'DELIVERY_DEVIATION']],
      [VPP_C, ['BID_NOT_REVEALED']],
    ];
    for (const [vppId, events] of eventsOf) {
      const expected = expectedCredit(rulebook, events);
      const url = `${standingUrl(vppId)}/records`;
      await visibleTo(
        as,
        'control',
        url,
        (body) => (body as { records: unknown[] }).records.length === events.length,
      );
      const records = await as<{ records: ScoreRecord[]; keys: string[][] }>('control', 'GET', url);
      expectStatus(records, 200, `score records of ${vppId}`);
      assert.equal(records.body.keys.length, records.body.records.length);
      const last = records.body.records.length - 1;
      written.creditRecord ??= { record: records.body.records[last]!, key: records.body.keys[last]! };
      assert.deepEqual(
        records.body.records.map((r) => [r.reasonCode, r.indicator, r.delta, r.valueAfter]),
        expected.records,
        `score records of ${vppId}`,
      );
      assert.deepEqual(
        records.body.records.map((r) => r.intervalId),
        events.map(() => INTERVAL),
      );
      const standing = await as<Standing>('control', 'GET', standingUrl(vppId));
      expectStatus(standing, 200, `standing of ${vppId}`);
      assert.deepEqual(
        {
          score: standing.body.score,
          level: standing.body.level,
          bidQuotaWh: standing.body.bidQuotaWh,
          penaltyFactorPermille: standing.body.penaltyFactorPermille,
        },
        expected.standing,
        `standing of ${vppId} after ${events.join(', ')}`,
      );
    }
    // The rulebook in force has the default rules (set up by the network, republished unchanged by the
    // credit test): a newcomer's 745 moves to 749 for a revealed, acknowledged and delivered award
    // (+0.5, +0.75, +3), to 737 when the delivery falls short (−9 instead of +3), to 740 for an
    // unrevealed bid (−5); every one stays at level A.
    assert.deepEqual(
      [[], ...eventsOf.map(([, events]) => events)].map((events) => {
        const { score, level } = expectedCredit(rulebook, events).standing;
        return [score, level];
      }),
      [
        [745, 'A'],
        [749, 'A'],
        [737, 'A'],
        [740, 'A'],
      ],
    );
  });

  // Proof bundles (README, "Proof bundles"): what the day wrote, proved offline against the
  // regulator's public checkpoints by the independent verifier, each value as the day saw it.
  it("should prove the day's clearing, a DER's settlement line and a credit record offline", async () => {
    const { clearing, derLine, creditRecord } = written;
    assert.ok(clearing && derLine && creditRecord, 'the day above ran to its end');
    const cleared = await provedBy(as, 'control', `/v1/proofs/clearing?key=${INTERVAL}`);
    assert.equal(cleared.kind, 'clearing');
    const clearingValue = cleared.value as { intervalId: string; result: typeof clearing };
    assert.equal(clearingValue.intervalId, INTERVAL);
    assert.deepEqual(
      [clearingValue.result.clearingPrice, clearingValue.result.totalAwarded],
      [clearing.clearingPrice, clearing.totalAwarded],
    );
    assert.ok(cleared.endorsingMsps.length >= 3, JSON.stringify(cleared.endorsingMsps));

    const line = await provedBy(
      as,
      'cvpp',
      `/v1/proofs/settlement-line?key=${derLine.derId}&key=${INTERVAL}`,
    );
    assert.equal(line.txId, derLine.txId);
    const lineValue = line.value as DerLine;
    assert.deepEqual(
      [lineValue.derId, lineValue.deliveredWh, lineValue.amountMinor],
      [derLine.derId, derLine.deliveredWh, derLine.amountMinor],
    );

    const query = creditRecord.key.map((part) => `key=${encodeURIComponent(part)}`).join('&');
    const credit = await provedBy(as, 'regulator', `/v1/proofs/credit-record?${query}`);
    const creditValue = credit.value as ScoreRecord;
    assert.deepEqual(
      [creditValue.reasonCode, creditValue.indicator, creditValue.delta, creditValue.valueAfter],
      [
        creditRecord.record.reasonCode,
        creditRecord.record.indicator,
        creditRecord.record.delta,
        creditRecord.record.valueAfter,
      ],
    );
    assert.deepEqual(credit.keyParts, ['vpp.scoreRecord', ...creditRecord.key]);
  });
});
