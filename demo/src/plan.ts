// What the demo does, decided before any request: its three VPPs and their fleets, the timetable of
// its market intervals on the network's calendar, each VPP's bids and demand, and what each device
// reports. Pure, so the unit tests pin it down without a network.

import { maxEnergyWh, type MarketCalendarRules } from '../../chaincode/src/api';
import { newFleet, type FleetMember } from '../../gateway/device-kit/fleet';

/** How a demo VPP behaves in every interval. */
export type Behaviour = 'delivers' | 'falls-short' | 'never-reveals';

export interface DemoVppSpec {
  /** Suffix of the VPP's id (`demo-<fleet tag>-<name>`). */
  readonly name: string;
  readonly displayName: string;
  readonly behaviour: Behaviour;
  /** Seed of its fleet's capacities, and its first bid step's price (minor units per MWh). */
  readonly seed: number;
  readonly basePrice: number;
}

export const DEMO_VPPS: readonly DemoVppSpec[] = [
  { name: 'north', displayName: 'North Solar Co-op', behaviour: 'delivers', seed: 11, basePrice: 260_000 },
  {
    name: 'south',
    displayName: 'South Storage Partners',
    behaviour: 'falls-short',
    seed: 22,
    basePrice: 240_000,
  },
  {
    name: 'east',
    displayName: 'East Flex Aggregator',
    behaviour: 'never-reveals',
    seed: 33,
    basePrice: 200_000,
  },
];

export const DERS_PER_VPP = 8;
/**
 * The fleet simulator draws household sizes (1–22 kW); the demo's DERs are commercial sites ten times
 * that, so that a delivery of seconds is worth enough minor units for every DER's share to show.
 */
const SITE_SCALE = 10;
/** Metering intervals in one market interval's delivery. */
export const DELIVERY_METERING_INTERVALS = 2;
/** The share of its fleet's deliverable energy a VPP offers, in its two bid steps (percent). */
const BID_STEPS_PERCENT = [50, 30] as const;
/** The second step costs this much more than the first (minor units per MWh). */
const STEP_PRICE_RISE = 120_000;
/** Each later interval's offers cost this much more: prices move from interval to interval. */
const INTERVAL_PRICE_RISE = 15_000;
/** The control centre's demand: this share of all offers (percent), in rotation per interval. */
const DEMAND_PERCENT = [45, 55, 40] as const;
export const PRICE_CAP = 900_000;
/** What a VPP that falls short delivers of each setpoint's energy (percent). */
const SHORTFALL_DELIVERED_PERCENT = 60;
/** The network's calendar must be this short for the demo to run in minutes. */
export const MAX_DEMO_METERING_SECONDS = 60;

export const demoVppId = (fleetTag: string, spec: DemoVppSpec) => `demo-${fleetTag}-${spec.name}`;

/** The eight DERs of a demo VPP: the four types in rotation, at commercial-site sizes. */
export function demoFleet(vppId: string, spec: DemoVppSpec): FleetMember[] {
  return newFleet(DERS_PER_VPP, vppId, spec.seed).map((member) => ({
    ...member,
    capacityW: member.capacityW * SITE_SCALE,
  }));
}

type Calendar = Pick<MarketCalendarRules, 'meteringIntervalSeconds'>;

/** The most energy a fleet can deliver in one market interval's delivery (Wh). */
export function deliverableWh(fleet: readonly FleetMember[], calendar: Calendar): number {
  const perMetering = fleet.reduce((sum, member) => sum + maxEnergyWh(member.capacityW, calendar), 0);
  return perMetering * DELIVERY_METERING_INTERVALS;
}

export interface DeliveryWindow {
  readonly deliveryStart: string;
  readonly deliveryEnd: string;
}

export interface Timetable {
  readonly gateClosure: string;
  readonly revealDeadline: string;
  /** One per market interval: consecutive deliveries, each DELIVERY_METERING_INTERVALS long. */
  readonly deliveries: readonly DeliveryWindow[];
}

/**
 * Every interval of a run bids, reveals and clears together; their deliveries follow one another.
 * The windows leave time for the gateways to endorse and commit each phase's transactions (more
 * intervals, more of them), and the first delivery starts on the metering grid.
 */
export function timetable(nowMs: number, intervals: number, calendar: Calendar): Timetable {
  // On the 2-core development machine one phase of three intervals takes 1–3 s; these leave room
  // for a machine several times slower.
  const gateClosureMs = nowMs + 12_000 + 2_000 * intervals;
  const revealDeadlineMs = gateClosureMs + 8_000 + 1_000 * intervals;
  const meteringMs = calendar.meteringIntervalSeconds * 1000;
  const firstStartMs = Math.ceil((revealDeadlineMs + 15_000 + 3_000 * intervals) / meteringMs) * meteringMs;
  const deliveryMs = DELIVERY_METERING_INTERVALS * meteringMs;
  return {
    gateClosure: new Date(gateClosureMs).toISOString(),
    revealDeadline: new Date(revealDeadlineMs).toISOString(),
    deliveries: Array.from({ length: intervals }, (_, k) => ({
      deliveryStart: new Date(firstStartMs + k * deliveryMs).toISOString(),
      deliveryEnd: new Date(firstStartMs + (k + 1) * deliveryMs).toISOString(),
    })),
  };
}

export interface BidStepPlan {
  readonly price: number;
  readonly quantity: number;
}

/**
 * A VPP's offer in interval `index` (0-based): two steps of its deliverable energy, never more than
 * `quotaWh` (the lower of its regulator quota and its credit level's), priced from its base price up.
 */
export function bidSteps(
  spec: DemoVppSpec,
  deliverable: number,
  index: number,
  quotaWh: number,
): BidStepPlan[] {
  let left = quotaWh;
  const steps: BidStepPlan[] = [];
  BID_STEPS_PERCENT.forEach((percent, step) => {
    const quantity = Math.min(left, Math.floor((deliverable * percent) / 100));
    left -= quantity;
    if (quantity > 0)
      steps.push({
        price: spec.basePrice + step * STEP_PRICE_RISE + index * INTERVAL_PRICE_RISE,
        quantity,
      });
  });
  return steps;
}

/** The control centre's demand in interval `index`: a share of everything offered, in whole Wh. */
export function demandWh(offeredWh: number, index: number): number {
  const percent = DEMAND_PERCENT[index % DEMAND_PERCENT.length] as number;
  return Math.max(1, Math.floor((offeredWh * percent) / 100));
}

/**
 * What a device reports for one metering interval of a delivery (Wh): the energy of its setpoint if
 * its VPP delivers, a share of it if its VPP falls short; never above what its capacity allows.
 */
export function reportedWh(
  behaviour: Behaviour,
  setpointW: number,
  capacityW: number,
  calendar: Calendar,
): number {
  const setpointWh = Math.round((setpointW * calendar.meteringIntervalSeconds) / 3600);
  const wh =
    behaviour === 'falls-short' ? Math.floor((setpointWh * SHORTFALL_DELIVERED_PERCENT) / 100) : setpointWh;
  return Math.min(wh, maxEnergyWh(capacityW, calendar));
}
