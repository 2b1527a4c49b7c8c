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

export async function newMarketFixture(options: MarketFixtureOptions = {}): Promise<MarketFixture> {
  const fixture = await newFixture(options.ders ?? DEFAULT_DERS);
  const { ledger } = fixture;
  const input = intervalInput(options.interval ?? {});
  if (options.interval !== null) {
    await ledger.submit({ caller: tradingOperator, time: T.open }, (ctx) =>
      market.OpenInterval(ctx, JSON.stringify(input)),
    );
    const demand = options.demand === undefined ? { quantity: 2000, priceCap: 10_000 } : options.demand;
    if (demand !== null) {
      await ledger.submit({ caller: controlOperator, time: T.open }, (ctx) =>
        market.PostDemand(
          ctx,
          JSON.stringify({ intervalId: input.intervalId, product: input.product, ...demand }),
        ),
      );
    }
  }
  const quota = options.quota === undefined ? 1_000_000 : options.quota;
  if (quota !== null) {
    await ledger.submit({ caller: regulator, time: T.open }, (ctx) =>
      market.SetVppQuota(ctx, VPP_ID, String(quota)),
    );
  }
  return { ...fixture, intervalId: input.intervalId as string };
}

/** Registers another VPP with its own DERs (each with a fresh device certificate). */
export async function addVpp(fixture: Fixture, vppId: string, ders: readonly DerSpec[]): Promise<void> {
  const { ledger, ca } = fixture;
  await ledger.submit({ caller: cvppOperator, time: T.open }, (ctx) =>
    registry.RegisterVpp(ctx, JSON.stringify({ vppId, displayName: `VPP ${vppId}`, feeBps: 300 })),
  );
  for (const spec of ders) {
    const device = newTestDevice(ca, { attrs: deviceAttrs(spec.derId, vppId) });
    await ledger.submit({ caller: cvppOperator, time: T.open }, (ctx) =>
      registry.RegisterDer(
        ctx,
        JSON.stringify({
          derId: spec.derId,
          vppId,
          derType: spec.derType ?? 'pv',
          capacityW: spec.capacityW ?? 8000,
          zone: 'zone-1',
          certificatePem: device.certPem,
        }),
      ),
    );
  }
}

export function bidOf(bidId: string, steps: [price: number, quantity: number][], vppId = VPP_ID): BidInput {
  return { bidId, intervalId: IID, vppId, steps: steps.map(([price, quantity]) => ({ price, quantity })) };
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
