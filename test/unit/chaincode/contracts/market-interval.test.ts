// One whole market interval on the memory ledger, every step through the contracts as the
// organisation that performs it: open → demand → quotas → commits → reveals → violations → clear →
// verify → dispatch → acknowledge → setpoints that sum to each award.
import '../../../support/quiet-logs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Context } from 'fabric-contract-api';
import { derSetpointKey } from '../../../../chaincode/src/encoding/keys';
import {
  addVpp,
  bidOf,
  commitmentJson,
  controlOperator,
  dispatch,
  IID,
  intervalInput,
  market,
  parse,
  SALT,
  T,
} from '../../../support/market-ledger';
import type { Caller } from '../../../support/memory-stub';
import {
  cvppOperator,
  newFixture,
  regulator,
  tradingOperator,
  VPP_ID,
} from '../../../support/registry-fixture';

const SOUTH = 'vpp-south';
const SOUTH_SALT = '5a'.repeat(32);

interface Award {
  bidId: string;
  vppId: string;
  quantity: number;
}
interface ClearingRecord {
  result: { clearingPrice: number | null; totalAwarded: number; awards: Award[]; inputsHash: string };
  bidCount: number;
}
interface Allocation {
  requiredW: number;
  setpoints: { derId: string; setpointW: number }[];
}

describe('market interval on the memory ledger', () => {
  it('should run an interval from opening to per-DER setpoints that deliver every award', async () => {
    const fixture = await newFixture([
      { derId: 'pv-001', capacityW: 8000 },
      { derId: 'bat-002', derType: 'battery', capacityW: 4000 },
    ]);
    await addVpp(fixture, SOUTH, [
      { derId: 'pv-s1', capacityW: 6000 },
      { derId: 'ev-s2', derType: 'ev-charger', capacityW: 3000 },
      { derId: 'flex-s3', derType: 'flexible-load', capacityW: 1000 },
    ]);
    const { ledger } = fixture;
    const events: string[] = [];
    const submit = async (caller: Caller, time: string, fn: (ctx: Context) => Promise<string>) => {
      const { result, tx } = await ledger.submit({ caller, time }, fn);
      events.push(tx.event?.name ?? '(none)');
      return result;
    };

    // Trading centre opens, control centre posts demand, regulator sets quotas.
    await submit(tradingOperator, T.open, (ctx) => market.OpenInterval(ctx, JSON.stringify(intervalInput())));
    await submit(controlOperator, T.open, (ctx) =>
      market.PostDemand(
        ctx,
        JSON.stringify({ intervalId: IID, product: 'energy-up', quantity: 3000, priceCap: 9000 }),
      ),
    );
    await submit(regulator, T.open, (ctx) => market.SetVppQuota(ctx, VPP_ID, '2500'));
    await submit(regulator, T.open, (ctx) => market.SetVppQuota(ctx, SOUTH, '2500'));

    // Sealed bids: north bids twice, south once, and south commits one bid it never reveals.
    const north1 = bidOf('n-1', [
      [2000, 1000],
      [5000, 500],
    ]);
    const north2 = bidOf('n-2', [[7000, 800]]);
    const south1 = bidOf(
      's-1',
      [
        [3000, 1200],
        [6000, 1000],
      ],
      SOUTH,
    );
    const southGhost = bidOf('s-ghost', [[100, 500]], SOUTH);
    for (const [bid, salt] of [
      [north1, SALT],
      [north2, SALT],
      [south1, SOUTH_SALT],
      [southGhost, SOUTH_SALT],
    ] as const) {
      await submit(cvppOperator, T.commit, (ctx) => market.CommitBid(ctx, commitmentJson(bid, salt)));
    }
    // Reveals after gate closure.
    for (const [bid, salt] of [
      [north1, SALT],
      [north2, SALT],
      [south1, SOUTH_SALT],
    ] as const) {
      await submit(cvppOperator, T.reveal, (ctx) => market.RevealBid(ctx, IID, JSON.stringify(bid), salt));
    }

    // After the deadline: the unrevealed commitment becomes a violation, then the interval clears.
    const violations = parse<{ recorded: { bidId: string; vppId: string }[] }>(
      await submit(tradingOperator, T.closed, (ctx) => market.RecordUnrevealedViolations(ctx, IID)),
    );
    assert.deepEqual(
      violations.recorded.map((v) => [v.bidId, v.vppId]),
      [['s-ghost', SOUTH]],
    );
    const clearing = parse<ClearingRecord>(
      await submit(tradingOperator, T.closed, (ctx) => market.ClearInterval(ctx, IID)),
    );
    // Merit order: n-1@2000 (1000), s-1@3000 (1200), n-1@5000 (500), s-1@6000 (300 of 1000).
    assert.equal(clearing.result.clearingPrice, 6000);
    assert.equal(clearing.result.totalAwarded, 3000);
    // The bids read: n-2 (7000) lies above the margin and is never read.
    assert.equal(clearing.bidCount, 2);
    assert.deepEqual(
      clearing.result.awards.map((a) => [a.bidId, a.vppId, a.quantity]),
      [
        ['n-1', VPP_ID, 1500],
        ['s-1', SOUTH, 1500],
      ],
    );
    const verification = parse<{ matches: boolean }>(
      await ledger.evaluate({ caller: regulator, time: T.closed }, (ctx) => market.VerifyClearing(ctx, IID)),
    );
    assert.equal(verification.matches, true);

    // Dispatch per awarded VPP; each operator acknowledges and allocates.
    const awarded = new Map<string, number>();
    for (const award of clearing.result.awards) {
      awarded.set(award.vppId, (awarded.get(award.vppId) ?? 0) + award.quantity);
    }
    for (const [vppId, quantity] of awarded) {
      await submit(controlOperator, '2026-01-02T11:35:00.000Z', (ctx) =>
        dispatch.IssueDispatch(ctx, IID, vppId),
      );
      await submit(cvppOperator, '2026-01-02T11:40:00.000Z', (ctx) =>
        dispatch.AcknowledgeDispatch(ctx, IID, vppId),
      );
      const allocation = parse<Allocation>(
        await submit(cvppOperator, '2026-01-02T11:45:00.000Z', (ctx) =>
          dispatch.AllocateSetpoints(ctx, IID, vppId),
        ),
      );
      const sumW = allocation.setpoints.reduce((sum, s) => sum + s.setpointW, 0);
      assert.equal(sumW, allocation.requiredW);
      // Constant power over the 15-minute delivery period delivers exactly the award in Wh.
      assert.equal((sumW * 15) / 60, quantity, `setpoints of ${vppId}`);
      for (const setpoint of allocation.setpoints) {
        assert.ok(Number.isInteger(setpoint.setpointW) && setpoint.setpointW >= 0);
        assert.ok(ledger.getText(derSetpointKey(IID, vppId, setpoint.derId)) !== undefined);
      }
    }
    const south = parse<Allocation>(
      await ledger.evaluate({ caller: regulator, time: T.closed }, (ctx) =>
        dispatch.GetDispatch(ctx, IID, SOUTH),
      ),
    );
    // 6,000 W needed from 6,000 / 3,000 / 1,000 W: in proportion, 3,600 / 1,800 / 600 W.
    assert.deepEqual(
      south.setpoints.map((s) => [s.derId, s.setpointW]),
      [
        ['ev-s2', 1800],
        ['flex-s3', 600],
        ['pv-s1', 3600],
      ],
    );

    assert.deepEqual(events, [
      'IntervalOpened',
      'DemandPosted',
      'VppQuotaSet',
      'VppQuotaSet',
      ...Array(4).fill('BidCommitted'),
      ...Array(3).fill('BidRevealed'),
      'UnrevealedViolationsRecorded',
      'IntervalCleared',
      ...Array(2).fill(['DispatchIssued', 'DispatchAcknowledged', 'SetpointsAllocated']).flat(),
    ]);
  });
});
