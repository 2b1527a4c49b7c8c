// A VPP day on the running network, over the gateways' REST API only, each step by a user of the
// organisation that performs it: three VPPs of eight device-backed DERs each bid into several market
// intervals; the trading centre clears them and the regulator verifies each clearing; the control
// centre dispatches, the operator acknowledges and sets DER setpoints; the devices sign their readings
// (one VPP delivers, one falls short; the third never revealed its bids); the trading centre settles,
// the regulator verifies each settlement; the credit scores move. All intervals bid and clear
// together; their deliveries follow one another.

import { randomBytes } from 'node:crypto';
import {
  computeCommitment,
  MAX_PAGE_SIZE,
  SALT_BYTES,
  type MarketCalendarVersion,
  type SignedReading,
} from '../../chaincode/src/api';
import type { Device } from '../../gateway/device-kit/device';
import { enrollDevice, postReadings } from '../../gateway/device-kit/device-api';
import type { FleetMember } from '../../gateway/device-kit/fleet';
import { gatewayTarget, gatewayUrl } from '../../platform/src/http/gateway-rest';
import { deviceOf, loadFleet, saveFleet, storedDer, type StoredDer } from './fleet-store';
import {
  bidSteps,
  DEMO_VPPS,
  demandWh,
  demoFleet,
  demoVppId,
  deliverableWh,
  MAX_DEMO_METERING_SECONDS,
  PRICE_CAP,
  reportedWh,
  timetable,
  type BidStepPlan,
  type DeliveryWindow,
  type DemoVppSpec,
} from './plan';
import type { CreditOutcome, IntervalOutcome, Standing, VppOutcome } from './report';
import { RestSession, sleepPast } from './rest-session';

/** The fee (basis points of the balance) every demo VPP's operator takes. */
const FEE_BPS = 500;
const TOP_DERS = 3;

export interface DemoOptions {
  readonly intervals: number;
  /** Where the fleet's device keys are kept between runs. */
  readonly fleetFile: string;
  readonly progress: (line: string) => void;
}

export interface DemoResult {
  readonly intervals: IntervalOutcome[];
  readonly credit: CreditOutcome[];
  readonly links: string[];
}

/** A DER of a demo VPP and the device that signs its readings. */
interface DemoDer {
  readonly member: FleetMember;
  readonly device: Device;
}

interface DemoVpp {
  readonly spec: DemoVppSpec;
  readonly vppId: string;
  readonly ders: readonly DemoDer[];
}

/** A demo VPP in this run: what it can deliver per interval and its credit standing before the run. */
interface RunVpp extends DemoVpp {
  readonly deliverableWh: number;
  readonly before: StandingBody;
}

interface StandingBody extends Standing {
  readonly bidQuotaWh: number;
  readonly suspended: boolean;
}

interface Bid {
  readonly bidId: string;
  readonly intervalId: string;
  readonly vppId: string;
  readonly steps: readonly BidStepPlan[];
}

/** One market interval of the run as it goes: its plan, then what the ledger answered. */
interface RunInterval {
  readonly intervalId: string;
  readonly window: DeliveryWindow;
  readonly bids: Map<string, { bid: Bid; salt: string }>;
  demandWh: number;
  clearingPrice: number | null;
  totalAwardedWh: number;
  clearingVerified: boolean;
  /** Only VPPs whose bid took part in the clearing are here. */
  readonly awardedWh: Map<string, number>;
  /** DER setpoints (W) of the dispatched VPPs. */
  readonly setpoints: Map<string, Map<string, number>>;
  readonly settlements: Map<string, NonNullable<VppOutcome['settlement']>>;
}

interface SettledBody {
  vppLine: {
    deliveredWh: number;
    grossMinor: number;
    penaltyMinor: number;
    feeMinor: number;
    netToDersMinor: number;
    owedMinor: number;
  };
  derLines: { derId: string; amountMinor: number }[];
}

export async function runVppDay(options: DemoOptions): Promise<DemoResult> {
  const { progress } = options;
  const started = Date.now();
  const step = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
    const at = Date.now();
    const result = await work();
    const clock = clockOf(new Date().toISOString());
    progress(`[${clock}] ${label} (${((Date.now() - at) / 1000).toFixed(1)} s)`);
    return result;
  };
  const runTag = started.toString(36);

  const session = await step('logged in one user per organisation', () => RestSession.open(runTag));
  const calendar = await session.expect<MarketCalendarVersion>(
    'read the market calendar',
    'regulator',
    'GET',
    '/v1/market/calendar',
  );
  if (calendar.meteringIntervalSeconds > MAX_DEMO_METERING_SECONDS)
    throw new Error(
      `the network's market calendar has ${calendar.meteringIntervalSeconds}-second metering intervals; ` +
        `the demo needs ${MAX_DEMO_METERING_SECONDS} s or less (network/topology.yaml, marketCalendar)`,
    );
  const fleet = await step('fleet ready: 3 VPPs × 8 device-backed DERs', () =>
    ensureFleet(session, options.fleetFile),
  );
  const standingUrl = (vpp: DemoVpp) => `/v1/credit/participants/vpp/${vpp.vppId}`;
  const vpps: RunVpp[] = await Promise.all(
    fleet.map(async (vpp) => ({
      ...vpp,
      deliverableWh: deliverableWh(
        vpp.ders.map((der) => der.member),
        calendar,
      ),
      before: await session.expect<StandingBody>('read a standing', 'regulator', 'GET', standingUrl(vpp)),
    })),
  );
  await step('regulator set each VPP’s bid quota', () =>
    Promise.all(
      vpps.map((vpp) =>
        session.expect('set a quota', 'regulator', 'PUT', `/v1/market/quotas/${vpp.vppId}`, {
          quantity: vpp.deliverableWh,
        }),
      ),
    ),
  );

  // ---- the trading centre opens the intervals; the control centre posts demand ----
  const plan = timetable(Date.now(), options.intervals, calendar);
  const lastDelivery = plan.deliveries.at(-1)?.deliveryEnd ?? plan.revealDeadline;
  progress(
    `timetable (UTC): bids close ${clockOf(plan.gateClosure)}, reveals close ${clockOf(plan.revealDeadline)}, ` +
      `deliveries ${clockOf(plan.deliveries[0]?.deliveryStart ?? lastDelivery)}–${clockOf(lastDelivery)}, ` +
      `each settled ${calendar.readingWindowSeconds} s after it ends (the reading window)`,
  );
  const intervals: RunInterval[] = plan.deliveries.map((window, k) => {
    const intervalId = `demo-${runTag}-${k + 1}`;
    const bids = new Map(
      vpps.map((vpp) => {
        const quota = Math.min(vpp.deliverableWh, vpp.before.bidQuotaWh);
        const bid: Bid = {
          bidId: `${intervalId}-${vpp.spec.name}`,
          intervalId,
          vppId: vpp.vppId,
          steps: bidSteps(vpp.spec, vpp.deliverableWh, k, quota),
        };
        return [vpp.vppId, { bid, salt: randomBytes(SALT_BYTES).toString('hex') }];
      }),
    );
    const offered = [...bids.values()].reduce((sum, { bid }) => sum + totalOf(bid.steps), 0);
    return {
      intervalId,
      window,
      bids,
      demandWh: demandWh(offered, k),
      clearingPrice: null,
      totalAwardedWh: 0,
      clearingVerified: false,
      awardedWh: new Map(),
      setpoints: new Map(),
      settlements: new Map(),
    };
  });
  const urlOf = (interval: RunInterval) => `/v1/market/intervals/${interval.intervalId}`;
  await step(`trading centre opened ${intervals.length} intervals, control centre posted demand`, () =>
    Promise.all(
      intervals.map(async (interval) => {
        await session.expect('open an interval', 'trading', 'POST', '/v1/market/intervals', {
          intervalId: interval.intervalId,
          product: 'energy-up',
          gateClosure: plan.gateClosure,
          revealDeadline: plan.revealDeadline,
          ...interval.window,
        });
        await session.whenVisible('the new interval', 'control', urlOf(interval));
        await session.expect('post demand', 'control', 'POST', `${urlOf(interval)}/demand`, {
          product: 'energy-up',
          quantity: interval.demandWh,
          priceCap: PRICE_CAP,
        });
        await session.whenVisible<{ demand: unknown }>(
          'the demand',
          'cvpp',
          urlOf(interval),
          (body) => body.demand !== null,
        );
      }),
    ),
  );

  // ---- sealed bids: commit, then reveal (but the VPP that never reveals) ----
  const everyBid = intervals.flatMap((interval) =>
    [...interval.bids.values()].map((sealed) => ({ interval, ...sealed })),
  );
  await step(`operators committed ${everyBid.length} sealed bids`, () =>
    Promise.all(
      everyBid.map(({ interval, bid, salt }) =>
        session.expect('commit a bid', 'cvpp', 'POST', `${urlOf(interval)}/commitments`, {
          commitment: computeCommitment(bid, salt),
          bidId: bid.bidId,
          vppId: bid.vppId,
        }),
      ),
    ),
  );
  await sleepPast(plan.gateClosure);
  const behaviourOf = new Map(vpps.map((vpp) => [vpp.vppId, vpp.spec.behaviour]));
  const revealed = everyBid.filter(({ bid }) => behaviourOf.get(bid.vppId) !== 'never-reveals');
  const revealingVpps = vpps.filter((vpp) => vpp.spec.behaviour !== 'never-reveals').map((vpp) => vpp.vppId);
  await step(
    `operators revealed ${revealed.length} bids (${everyBid.length - revealed.length} left sealed)`,
    () =>
      Promise.all(
        revealed.map(({ interval, bid, salt }) =>
          session.expect('reveal a bid', 'cvpp', 'POST', `${urlOf(interval)}/reveals`, { bid, salt }),
        ),
      ),
  );

  // ---- the trading centre records the unrevealed bids and clears; the regulator verifies ----
  await sleepPast(plan.revealDeadline);
  await step('trading centre recorded unrevealed bids and cleared every interval', () =>
    Promise.all(intervals.map((interval) => clear(session, interval, urlOf(interval), revealingVpps))),
  );
  await step('regulator verified every clearing by recomputation', () =>
    Promise.all(
      intervals.map(async (interval) => {
        await session.whenVisible('the clearing', 'regulator', `${urlOf(interval)}/clearing`);
        const check = await session.expect<{ matches: boolean }>(
          'verify a clearing',
          'regulator',
          'GET',
          `${urlOf(interval)}/clearing/verify`,
        );
        interval.clearingVerified = check.matches;
      }),
    ),
  );

  // ---- dispatch down to DER setpoints ----
  const awarded = intervals.flatMap((interval) =>
    vpps.filter((vpp) => (interval.awardedWh.get(vpp.vppId) ?? 0) > 0).map((vpp) => ({ interval, vpp })),
  );
  await step(
    `control centre dispatched ${awarded.length} awards, operators acknowledged and set DER setpoints`,
    () =>
      Promise.all(
        awarded.map(async ({ interval, vpp }) => {
          const url = `/v1/dispatch/${interval.intervalId}/${vpp.vppId}`;
          await session.whenVisible('the clearing', 'control', `${urlOf(interval)}/clearing`);
          await session.expect('dispatch', 'control', 'POST', url);
          await session.whenVisible('the dispatch', 'cvpp', url);
          await session.expect('acknowledge', 'cvpp', 'POST', `${url}/ack`);
          const allocated = await session.expect<{ setpoints: { derId: string; setpointW: number }[] }>(
            'set DER setpoints',
            'cvpp',
            'POST',
            `${url}/setpoints`,
          );
          interval.setpoints.set(vpp.vppId, new Map(allocated.setpoints.map((s) => [s.derId, s.setpointW])));
        }),
      ),
  );

  // ---- delivery: readings at the end of each metering interval, settlement after each window ----
  const meteringMs = calendar.meteringIntervalSeconds * 1000;
  const events: { at: number; run: () => Promise<void> }[] = [];
  for (const interval of intervals) {
    const startMs = Date.parse(interval.window.deliveryStart);
    for (let at = startMs + meteringMs; at <= Date.parse(interval.window.deliveryEnd); at += meteringMs) {
      events.push({ at, run: () => meter(vpps, interval, at - meteringMs, meteringMs, calendar, step) });
    }
    const settleAt = Date.parse(interval.window.deliveryEnd) + calendar.readingWindowSeconds * 1000;
    events.push({ at: settleAt, run: () => settle(session, vpps, interval, step) });
  }
  events.sort((x, y) => x.at - y.at);
  for (const event of events) {
    await sleepPast(new Date(event.at).toISOString());
    await event.run();
  }

  // ---- credit after the run ----
  const credit = await step('read every VPP’s credit standing and this run’s score records', () =>
    Promise.all(
      vpps.map(async (vpp): Promise<CreditOutcome> => {
        const after = await session.expect<StandingBody>(
          'read a standing',
          'regulator',
          'GET',
          standingUrl(vpp),
        );
        const reasons = await recordsOfRun(session, `${standingUrl(vpp)}/records`, `demo-${runTag}-`);
        const was = vpp.before;
        return {
          vppId: vpp.vppId,
          before: { score: was.score, level: was.level },
          after: { score: after.score, level: after.level },
          reasons,
        };
      }),
    ),
  );
  progress(`The day took ${Math.round((Date.now() - started) / 1000)} s.`);
  return {
    intervals: intervals.map((interval) => outcomeOf(interval, vpps)),
    credit,
    links: linksOf(intervals, vpps),
  };
}

/** The time of day of an ISO instant (UTC). */
const clockOf = (iso: string) => iso.slice(11, 19);
const totalOf = (steps: readonly { quantity: number }[]) => steps.reduce((sum, s) => sum + s.quantity, 0);

/** Reuses the stored fleet if the ledger still has it; otherwise registers a new one and stores it. */
async function ensureFleet(session: RestSession, fleetFile: string): Promise<DemoVpp[]> {
  const stored = loadFleet(fleetFile);
  if (stored) {
    const kept = await Promise.all(
      DEMO_VPPS.map(async (spec): Promise<DemoVpp | undefined> => {
        const vppId = demoVppId(stored.fleetTag, spec);
        const ders = stored.vpps[vppId] ?? [];
        // The ledger may have been reset since (npm run reset deletes this file too, but not always).
        const onLedger = await session.request('regulator', 'GET', `/v1/vpps/${vppId}`);
        if (ders.length === 0 || onLedger.status !== 200) return undefined;
        return {
          spec,
          vppId,
          ders: ders.map((der) => ({
            member: { derId: der.derId, derType: der.derType, capacityW: der.capacityW },
            device: deviceOf(der),
          })),
        };
      }),
    );
    if (kept.every((vpp) => vpp !== undefined)) return kept;
  }
  const fleetTag = Date.now().toString(36);
  const registered = await Promise.all(
    DEMO_VPPS.map((spec) => registerVpp(session, spec, demoVppId(fleetTag, spec))),
  );
  saveFleet(fleetFile, {
    fleetTag,
    vpps: Object.fromEntries(registered.map(({ vpp, stored: ders }) => [vpp.vppId, ders])),
  });
  return registered.map(({ vpp }) => vpp);
}

/** A VPP, and for each DER a device that enrolls through the CVPP gateway's RA with its own key. */
async function registerVpp(
  session: RestSession,
  spec: DemoVppSpec,
  vppId: string,
): Promise<{ vpp: DemoVpp; stored: StoredDer[] }> {
  await session.expect('register a VPP', 'cvpp', 'POST', '/v1/vpps', {
    vppId,
    displayName: spec.displayName,
    feeBps: FEE_BPS,
  });
  const ders = await Promise.all(
    demoFleet(vppId, spec).map(async (member): Promise<DemoDer> => {
      const { secret } = await session.expect<{ secret: string }>(
        'register a device',
        'cvpp',
        'POST',
        '/v1/devices',
        {
          derId: member.derId,
          vppId,
        },
      );
      const device = await enrollDevice(gatewayTarget('cvpp'), member.derId, secret);
      await session.expect('register a DER', 'cvpp', 'POST', '/v1/ders', {
        ...member,
        vppId,
        zone: `zone-${spec.name}`,
        certificatePem: device.credentials.certPem,
      });
      return { member, device };
    }),
  );
  return {
    vpp: { spec, vppId, ders },
    stored: ders.map(({ member, device }) => storedDer(device, member.derType, member.capacityW)),
  };
}

/** Records the interval's unrevealed bids, clears it, and notes each revealing VPP's award (0 if none). */
async function clear(
  session: RestSession,
  interval: RunInterval,
  url: string,
  revealingVpps: readonly string[],
): Promise<void> {
  await session.expect('record unrevealed bids', 'trading', 'POST', `${url}/violations`);
  const cleared = await session.expect<{
    record: {
      result: {
        clearingPrice: number | null;
        totalAwarded: number;
        awards: { vppId: string; quantity: number }[];
      };
    };
  }>('clear', 'trading', 'POST', `${url}/clearing`);
  const { result } = cleared.record;
  interval.clearingPrice = result.clearingPrice;
  interval.totalAwardedWh = result.totalAwarded;
  for (const vppId of revealingVpps) interval.awardedWh.set(vppId, 0);
  for (const award of result.awards)
    interval.awardedWh.set(award.vppId, (interval.awardedWh.get(award.vppId) ?? 0) + award.quantity);
}

type Step = <T>(label: string, work: () => Promise<T>) => Promise<T>;

/** Every dispatched device signs and posts its reading of the metering interval starting at `fromMs`. */
async function meter(
  vpps: readonly DemoVpp[],
  interval: RunInterval,
  fromMs: number,
  meteringMs: number,
  calendar: MarketCalendarVersion,
  step: Step,
): Promise<void> {
  const readings: SignedReading[] = [];
  for (const vpp of vpps) {
    const setpoints = interval.setpoints.get(vpp.vppId);
    if (!setpoints) continue;
    for (const { member, device } of vpp.ders) {
      readings.push(
        device.sign({
          intervalId: new Date(fromMs).toISOString(),
          sequence: 0,
          energyWh: reportedWh(
            vpp.spec.behaviour,
            setpoints.get(member.derId) ?? 0,
            member.capacityW,
            calendar,
          ),
          timestamp: new Date(fromMs + meteringMs).toISOString(),
        }),
      );
    }
  }
  if (readings.length === 0) return;
  const answer = await step(
    `devices posted ${readings.length} signed readings for ${clockOf(new Date(fromMs).toISOString())}`,
    () => postReadings(gatewayTarget('cvpp'), readings),
  );
  if (answer.accepted !== readings.length)
    throw new Error(
      `readings of ${interval.intervalId}: ${answer.accepted} of ${readings.length} accepted: ` +
        JSON.stringify(answer.results.filter((r) => r.status !== 'accepted')),
    );
}

/** The trading centre settles every awarded VPP of the interval; the regulator verifies each. */
async function settle(
  session: RestSession,
  vpps: readonly DemoVpp[],
  interval: RunInterval,
  step: Step,
): Promise<void> {
  const due = vpps.filter((vpp) => (interval.awardedWh.get(vpp.vppId) ?? 0) > 0);
  await step(`trading centre settled ${interval.intervalId}, regulator verified it`, () =>
    Promise.all(
      due.map(async (vpp) => {
        const url = `/v1/settlement/${interval.intervalId}/${vpp.vppId}`;
        const settled = await session.expect<SettledBody>('settle', 'trading', 'POST', url);
        await session.whenVisible('the settlement', 'regulator', url);
        const check = await session.expect<{ matches: boolean }>(
          'verify a settlement',
          'regulator',
          'GET',
          `${url}/verify`,
        );
        const topDers = [...settled.derLines]
          .sort((x, y) => y.amountMinor - x.amountMinor || (x.derId < y.derId ? -1 : 1))
          .slice(0, TOP_DERS)
          .map(({ derId, amountMinor }) => ({ derId, amountMinor }));
        interval.settlements.set(vpp.vppId, { ...settled.vppLine, verified: check.matches, topDers });
      }),
    ),
  );
}

/** The reason codes of the score records on intervals whose id starts with `prefix`, in order. */
async function recordsOfRun(session: RestSession, url: string, prefix: string): Promise<string[]> {
  const reasons: string[] = [];
  let bookmark = '';
  do {
    const page = await session.expect<{
      records: { reasonCode: string; intervalId?: string }[];
      bookmark: string;
    }>(
      'read score records',
      'regulator',
      'GET',
      `${url}?pageSize=${MAX_PAGE_SIZE}&bookmark=${encodeURIComponent(bookmark)}`,
    );
    for (const record of page.records)
      if (record.intervalId?.startsWith(prefix)) reasons.push(record.reasonCode);
    bookmark = page.records.length < MAX_PAGE_SIZE ? '' : page.bookmark;
  } while (bookmark !== '');
  return reasons;
}

function outcomeOf(interval: RunInterval, vpps: readonly DemoVpp[]): IntervalOutcome {
  return {
    intervalId: interval.intervalId,
    deliveryStart: interval.window.deliveryStart,
    deliveryEnd: interval.window.deliveryEnd,
    demandWh: interval.demandWh,
    clearingPrice: interval.clearingPrice,
    totalAwardedWh: interval.totalAwardedWh,
    clearingVerified: interval.clearingVerified,
    vpps: vpps.map((vpp) => {
      const settlement = interval.settlements.get(vpp.vppId);
      const awardedWh = interval.awardedWh.get(vpp.vppId);
      return {
        vppId: vpp.vppId,
        behaviour: vpp.spec.behaviour,
        offeredWh: totalOf(interval.bids.get(vpp.vppId)?.bid.steps ?? []),
        ...(awardedWh === undefined ? {} : { awardedWh }),
        ...(settlement === undefined ? {} : { settlement }),
      };
    }),
  };
}

/** Where to read the last interval's figures for the first VPP and its first DER. */
function linksOf(intervals: readonly RunInterval[], vpps: readonly DemoVpp[]): string[] {
  const last = intervals.at(-1);
  const delivering = vpps[0];
  const firstDer = delivering?.ders[0]?.member.derId;
  if (!last || !delivering || !firstDer) return [];
  const day = last.window.deliveryStart.slice(0, 10);
  return [
    `API docs (Swagger UI): ${(['cvpp', 'trading', 'control', 'regulator'] as const).map((org) => `${gatewayUrl(org)}/docs`).join('  ')}`,
    `clearing:   GET ${gatewayUrl('regulator')}/v1/market/intervals/${last.intervalId}/clearing/verify`,
    `settlement: GET ${gatewayUrl('regulator')}/v1/settlement/${last.intervalId}/${delivering.vppId}/verify`,
    `statement:  GET ${gatewayUrl('cvpp')}/v1/ders/${firstDer}/statement?period=${day}`,
    `credit:     GET ${gatewayUrl('regulator')}/v1/credit/participants/vpp/${delivering.vppId}/records`,
    'Every route needs a bearer token: POST /v1/auth/token with a user the org admin registered (README, REST gateway).',
  ];
}
