// A memory ledger ready for settlement tests: the registry fixture (VPP 'vpp-north' with device-backed
// DERs), the default credit rulebook, and helpers that drive any number of market intervals through
// opening, demand, sealed bids and clearing, record signed readings at proper times, and settle.
// Every instant is explicit, derived from the interval's delivery start, so reading windows pass.

import { SettlementContract } from '../../chaincode/src/contracts/settlement-contract';
import { TelemetryContract } from '../../chaincode/src/contracts/telemetry-contract';
import type { BatchResult } from '../../chaincode/src/domain/telemetry/batch';
import type { UnsignedReading } from '../../chaincode/src/domain/telemetry/reading';
import { installDefaultRulebook } from './credit-fixture';
import {
  addVpp as addMarketVpp,
  bidOf,
  commitBid,
  market,
  openWithDemand,
  revealBid,
  setQuota,
} from './market-ledger';
import type { Caller, MemoryLedger } from './memory-stub';
import { cvppIngest, cvppOperator, newFixture, regulator, tradingOperator, VPP_ID } from './registry-fixture';
import type { DerSpec, Fixture } from './registry-fixture';
import { signReading } from './test-pki';

export const settlement = new SettlementContract();
export const telemetry = new TelemetryContract();

export { cvppOperator, regulator, tradingOperator, VPP_ID };
export { addDer } from './market-ledger';

/** When the default rulebook (version 1) takes effect: before every delivery below. */
export const RULEBOOK_TIME = '2026-01-01T06:00:00.000Z';
/** When every VPP gets its quota (1,000,000 Wh). */
const QUOTA_TIME = '2026-01-01T05:00:00.000Z';

/** 8000 W and 4000 W: at most 2000 Wh and 1000 Wh per 15-minute metering interval. */
export const SETTLEMENT_DERS: readonly DerSpec[] = [
  { derId: 'pv-001', capacityW: 8000 },
  { derId: 'bat-002', derType: 'battery', capacityW: 4000 },
];

const MINUTE = 60_000;
export const at = (iso: string, minutes: number): string =>
  new Date(Date.parse(iso) + minutes * MINUTE).toISOString();

/** The fixture with its rulebook installed; `newFixture` registers everything on 2026-01-01. */
export async function newSettlementFixture(ders: readonly DerSpec[] = SETTLEMENT_DERS): Promise<Fixture> {
  const fixture = await newFixture(ders);
  await setQuota(fixture.ledger, VPP_ID, 1_000_000, QUOTA_TIME);
  await installDefaultRulebook(fixture.ledger, RULEBOOK_TIME);
  return fixture;
}

/** Registers another VPP (fee 300 bps) with DERs and its quota, on 2026-01-01. */
export async function addVpp(fixture: Fixture, vppId: string, ders: readonly DerSpec[]): Promise<void> {
  await addMarketVpp(fixture, vppId, ders, '2026-01-01T04:00:00.000Z');
  await setQuota(fixture.ledger, vppId, 1_000_000, QUOTA_TIME);
}

export interface IntervalPlan {
  readonly intervalId: string;
  readonly deliveryStart: string;
  /** Delivery length; 15 by default. */
  readonly minutes?: number;
  readonly product?: 'energy-up' | 'energy-down' | 'reserve';
  /** Demand quantity (Wh) and price cap (minor units per MWh). */
  readonly demand?: { quantity: number; priceCap: number };
  /** Bids as [price, quantity] steps per bid; each bid is committed, revealed (and cleared). */
  readonly bids?: readonly { bidId: string; vppId?: string; steps: [number, number][] }[];
  /** Whether to clear the interval; true by default. */
  readonly clear?: boolean;
}

/** The instants of an interval, relative to its delivery start. */
export function instantsOf(plan: IntervalPlan) {
  const start = plan.deliveryStart;
  const end = at(start, plan.minutes ?? 15);
  return {
    open: at(start, -240),
    commit: at(start, -180),
    gate: at(start, -120),
    reveal: at(start, -90),
    deadline: at(start, -60),
    clear: at(start, -30),
    start,
    end,
  };
}

/** Opens the interval, posts demand, commits and reveals every bid, and clears it. */
export async function runMarket(ledger: MemoryLedger, plan: IntervalPlan): Promise<void> {
  const t = instantsOf(plan);
  const input = {
    intervalId: plan.intervalId,
    product: plan.product ?? 'energy-up',
    deliveryStart: t.start,
    deliveryEnd: t.end,
    gateClosure: t.gate,
    revealDeadline: t.deadline,
  };
  await openWithDemand(ledger, input, plan.demand ?? { quantity: 2000, priceCap: 1_000_000 }, t.open);
  const bids = (plan.bids ?? []).map((bid) => bidOf(bid.bidId, bid.steps, bid.vppId, plan.intervalId));
  for (const bid of bids) await commitBid(ledger, bid, { time: t.commit });
  for (const bid of bids) await revealBid(ledger, bid, { time: t.reveal });
  if (plan.clear !== false) {
    await ledger.submit({ caller: tradingOperator, time: t.clear }, (ctx) =>
      market.ClearInterval(ctx, plan.intervalId),
    );
  }
}

export interface PlannedReading {
  readonly derId: string;
  /** Start of the metering interval. */
  readonly meteringIntervalId: string;
  readonly energyWh: number;
  readonly sequence?: number;
}

/**
 * Signs each reading with its DER's device key and records the batch as the CVPP ingest identity at
 * `time` (default: 5 minutes after the last metering interval's end, inside every reading window).
 * Throws unless every reading was accepted.
 */
export async function recordReadings(
  fixture: Fixture,
  readings: readonly PlannedReading[],
  time?: string,
): Promise<BatchResult> {
  const latest = readings.map((r) => Date.parse(r.meteringIntervalId)).reduce((a, b) => Math.max(a, b), 0);
  const when = time ?? at(new Date(latest).toISOString(), 20);
  const batch = readings.map((reading) => {
    const device = fixture.devices.get(reading.derId);
    if (device === undefined) throw new Error(`no device for ${reading.derId}`);
    const unsigned: UnsignedReading = {
      derId: reading.derId,
      intervalId: reading.meteringIntervalId,
      sequence: reading.sequence ?? 0,
      energyWh: reading.energyWh,
      timestamp: at(reading.meteringIntervalId, 15),
      scheme: 'ecdsa-p256-sha256',
    };
    return signReading(unsigned, device.privateKey);
  });
  const { result } = await fixture.ledger.submit({ caller: cvppIngest, time: when }, (ctx) =>
    telemetry.RecordReadings(ctx, JSON.stringify(batch)),
  );
  const outcome = JSON.parse(result) as BatchResult;
  if (outcome.accepted !== readings.length) {
    throw new Error(`readings not all accepted: ${JSON.stringify(outcome.results)}`);
  }
  return outcome;
}

/** Settles (interval, VPP) as `caller` at `time`. */
export async function settle(
  ledger: MemoryLedger,
  intervalId: string,
  vppId: string,
  caller: Caller,
  time: string,
) {
  return ledger.submit({ caller, time }, (ctx) => settlement.SettleInterval(ctx, intervalId, vppId));
}

export const asJson = <T>(text: string): T => JSON.parse(text) as T;
