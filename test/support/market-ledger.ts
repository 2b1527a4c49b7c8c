// A memory ledger ready for market and dispatch contract tests: the registry fixture (CVPP CA, VPP
// 'vpp-north' with DERs bound to real device certificates), one energy-up interval with a 15-minute
// delivery period opened by the trading centre, its demand, and the VPP's quota; plus helpers to
// commit and reveal bids as the CVPP operator at the right moments.

import { DispatchContract } from '../../chaincode/src/contracts/dispatch-contract';
import { MarketContract } from '../../chaincode/src/contracts/market-contract';
import { computeCommitment } from '../../chaincode/src/domain/market/bid';
import type { MemoryLedger, Caller, TxOptions } from './memory-stub';
import { SALT, type BidInput } from './market-fixtures';
import {
  cvppOperator,
  derJson,
  newFixture,
  registry,
  regulator,
  tradingOperator,
  VPP_ID,
  type DerSpec,
  type Fixture,
} from './registry-fixture';
import { deviceAttrs, newTestDevice } from './test-pki';

export const market = new MarketContract();
export const dispatch = new DispatchContract();

export const controlOperator: Caller = { mspId: 'ControlMSP', attributes: { 'vpp.role': 'control' } };
export const controlAdmin: Caller = { mspId: 'ControlMSP', attributes: { 'vpp.role': 'admin' } };
export const regulatorAdmin: Caller = { mspId: 'RegulatorMSP', attributes: { 'vpp.role': 'admin' } };

export { SALT };

/** The interval's instants; the registry fixture's setup runs on 2026-01-01. */
export const T = {
  open: '2026-01-02T08:00:00.000Z',
  commit: '2026-01-02T09:00:00.000Z',
  gate: '2026-01-02T10:00:00.000Z',
  reveal: '2026-01-02T10:30:00.000Z',
  deadline: '2026-01-02T11:00:00.000Z',
  closed: '2026-01-02T11:30:00.000Z',
  start: '2026-01-02T12:00:00.000Z',
  end: '2026-01-02T12:15:00.000Z',
} as const;

export const IID = 'i-20260102-1200-up';

export function intervalInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    intervalId: IID,
    product: 'energy-up',
    deliveryStart: T.start,
    deliveryEnd: T.end,
    gateClosure: T.gate,
    revealDeadline: T.deadline,
    ...overrides,
  };
}

/** 8000 W + 4000 W of active DERs with valid certificates: backs 3000 Wh over 15 minutes. */
export const DEFAULT_DERS: readonly DerSpec[] = [
  { derId: 'pv-001', capacityW: 8000 },
  { derId: 'bat-002', derType: 'battery', capacityW: 4000 },
];

export interface MarketFixtureOptions {
  readonly ders?: readonly DerSpec[];
  /** Interval fields to override; null opens no interval. */
  readonly interval?: Record<string, unknown> | null;
  /** Demand of the interval; null posts none. */
  readonly demand?: { quantity: number; priceCap: number } | null;
  /** The regulator's quota for VPP_ID; null sets none. */
  readonly quota?: number | null;
}

export interface MarketFixture extends Fixture {
  readonly intervalId: string;
}

/**
 * Opens the interval `input` as the trading centre and, unless `demand` is null, posts its demand
 * (same interval and product) as the control centre, both at `time`.
 */
export async function openWithDemand(
  ledger: MemoryLedger,
  input: Record<string, unknown>,
  demand: { quantity: number; priceCap: number } | null,
  time: string,
): Promise<void> {
  await ledger.submit({ caller: tradingOperator, time }, (ctx) =>
    market.OpenInterval(ctx, JSON.stringify(input)),
  );
  if (demand !== null) {
    await ledger.submit({ caller: controlOperator, time }, (ctx) =>
      market.PostDemand(
        ctx,
        JSON.stringify({ intervalId: input.intervalId, product: input.product, ...demand }),
      ),
    );
  }
}

/** Sets the regulator's bid quota (Wh) of `vppId` at `time`. */
export async function setQuota(
  ledger: MemoryLedger,
  vppId: string,
  quota: number,
  time: string,
): Promise<void> {
  await ledger.submit({ caller: regulator, time }, (ctx) => market.SetVppQuota(ctx, vppId, String(quota)));
}

export async function newMarketFixture(options: MarketFixtureOptions = {}): Promise<MarketFixture> {
  const fixture = await newFixture(options.ders ?? DEFAULT_DERS);
  const { ledger } = fixture;
  const input = intervalInput(options.interval ?? {});
  if (options.interval !== null) {
    const demand = options.demand === undefined ? { quantity: 2000, priceCap: 10_000 } : options.demand;
    await openWithDemand(ledger, input, demand, T.open);
  }
  const quota = options.quota === undefined ? 1_000_000 : options.quota;
  if (quota !== null) await setQuota(ledger, VPP_ID, quota, T.open);
  return { ...fixture, intervalId: input.intervalId as string };
}

/** Registers one more DER (with its own device) under `vppId` at `time`; its key joins fixture.devices. */
export async function addDer(fixture: Fixture, spec: DerSpec, time: string): Promise<void> {
  const device = newTestDevice(fixture.ca, { attrs: deviceAttrs(spec.derId, spec.vppId ?? VPP_ID) });
  fixture.devices.set(spec.derId, device);
  await fixture.ledger.submit({ caller: cvppOperator, time }, (ctx) =>
    registry.RegisterDer(ctx, derJson(spec, device.certPem)),
  );
}

/** Registers another VPP (fee 300 bps) with its own DERs (each with a fresh device certificate) at `time`. */
export async function addVpp(
  fixture: Fixture,
  vppId: string,
  ders: readonly DerSpec[],
  time: string = T.open,
): Promise<void> {
  await fixture.ledger.submit({ caller: cvppOperator, time }, (ctx) =>
    registry.RegisterVpp(ctx, JSON.stringify({ vppId, displayName: `VPP ${vppId}`, feeBps: 300 })),
  );
  for (const spec of ders) await addDer(fixture, { ...spec, vppId }, time);
}

export function bidOf(
  bidId: string,
  steps: readonly [price: number, quantity: number][],
  vppId = VPP_ID,
  intervalId = IID,
): BidInput {
  return { bidId, intervalId, vppId, steps: steps.map(([price, quantity]) => ({ price, quantity })) };
}

export function commitmentJson(bid: BidInput, salt = SALT): string {
  return JSON.stringify({
    commitment: computeCommitment(bid, salt),
    bidId: bid.bidId,
    intervalId: bid.intervalId,
    vppId: bid.vppId,
  });
}

export const asOperator = (time: string): TxOptions => ({ caller: cvppOperator, time });

export async function commitBid(
  ledger: MemoryLedger,
  bid: BidInput,
  options: { salt?: string; time?: string } = {},
) {
  return ledger.submit(asOperator(options.time ?? T.commit), (ctx) =>
    market.CommitBid(ctx, commitmentJson(bid, options.salt)),
  );
}

export async function revealBid(
  ledger: MemoryLedger,
  bid: BidInput,
  options: { salt?: string; time?: string } = {},
) {
  return ledger.submit(asOperator(options.time ?? T.reveal), (ctx) =>
    market.RevealBid(ctx, bid.intervalId, JSON.stringify(bid), options.salt ?? SALT),
  );
}

export const parse = <T = Record<string, unknown>>(text: string): T => JSON.parse(text) as T;
