// `npm run demo` on the real network, one interval: the demo's own run (demo/src/vpp-day.ts) must
// finish, and what it reports must hold together — each behaviour's outcome, every figure consistent
// with the settlement formula, the regulator's verifications, the credit records — so the demo cannot
// rot unnoticed. The figures themselves are recomputed independently in
// test/integration/gateway/vpp-day.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadFleet } from '../../../demo/src/fleet-store';
import type { VppOutcome } from '../../../demo/src/report';
import { runVppDay } from '../../../demo/src/vpp-day';

const dir = mkdtempSync(path.join(os.tmpdir(), 'vpp-demo-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The settlement formula's relations between a settled VPP's figures (fee 5 %, tolerance 5 %). */
function assertConsistent(vpp: VppOutcome, price: number): void {
  const settled = vpp.settlement!;
  const award = vpp.awardedWh!;
  assert.equal(settled.grossMinor, Math.floor((Math.min(settled.deliveredWh, award) * price) / 1_000_000));
  const balance = settled.grossMinor - settled.penaltyMinor;
  assert.ok(balance > 0, `${vpp.vppId} keeps a positive balance`);
  assert.equal(settled.feeMinor, Math.floor((balance * 500) / 10_000));
  assert.equal(settled.netToDersMinor, balance - settled.feeMinor);
  assert.equal(settled.owedMinor, 0);
  assert.equal(settled.verified, true, `the regulator verified ${vpp.vppId}'s settlement`);
  assert.equal(settled.topDers.length, 3);
  const amounts = settled.topDers.map((der) => der.amountMinor);
  assert.deepEqual(
    amounts,
    [...amounts].sort((x, y) => y - x),
    'the DERs paid most, in order',
  );
  assert.ok(amounts.reduce((sum, a) => sum + a, 0) <= settled.netToDersMinor);
}

describe('npm run demo (real network)', () => {
  it('should run a VPP day of one interval and report every behaviour’s outcome, verified', async () => {
    const fleetFile = path.join(dir, 'fleet.json');
    const progress: string[] = [];
    const result = await runVppDay({ intervals: 1, fleetFile, progress: (line) => progress.push(line) });

    assert.ok(
      progress.some((line) => /operators revealed 2 bids \(1 left sealed\)/.test(line)),
      progress.join('\n'),
    );
    const fleet = loadFleet(fleetFile)!;
    assert.deepEqual(
      Object.values(fleet.vpps).map((ders) => ders.length),
      [8, 8, 8],
    );

    assert.equal(result.intervals.length, 1);
    const [interval] = result.intervals;
    assert.equal(interval!.clearingVerified, true);
    assert.equal(interval!.totalAwardedWh, interval!.demandWh, 'the revealed offers cover the demand');
    const price = interval!.clearingPrice!;
    const [north, south, east] = interval!.vpps;
    assert.deepEqual(
      [north!.behaviour, south!.behaviour, east!.behaviour],
      ['delivers', 'falls-short', 'never-reveals'],
    );
    assert.equal(north!.awardedWh! + south!.awardedWh!, interval!.totalAwardedWh);

    // The VPP that delivers: within the 5 % band, no penalty.
    assertConsistent(north!, price);
    const northDeviation = Math.abs(north!.settlement!.deliveredWh - north!.awardedWh!);
    assert.ok(
      northDeviation <= Math.floor((north!.awardedWh! * 500) / 10_000),
      `deviation ${northDeviation}`,
    );
    assert.equal(north!.settlement!.penaltyMinor, 0);
    // The VPP that falls short delivers 60 % of its setpoints and pays a penalty.
    assertConsistent(south!, price);
    assert.ok(south!.settlement!.deliveredWh < south!.awardedWh! * 0.65);
    assert.ok(south!.settlement!.penaltyMinor > 0);
    // The VPP that never reveals takes no part in the clearing and is not settled.
    assert.equal(east!.awardedWh, undefined);
    assert.equal(east!.settlement, undefined);

    const credit = new Map(result.credit.map((c) => [c.vppId, c]));
    assert.deepEqual(credit.get(north!.vppId)!.reasons, [
      'BID_REVEALED',
      'DISPATCH_ACKNOWLEDGED',
      'DELIVERY_WITHIN_TOLERANCE',
    ]);
    assert.deepEqual(credit.get(south!.vppId)!.reasons, [
      'BID_REVEALED',
      'DISPATCH_ACKNOWLEDGED',
      'DELIVERY_DEVIATION',
    ]);
    assert.deepEqual(credit.get(east!.vppId)!.reasons, ['BID_NOT_REVEALED']);
    const moved = (vppId: string) => credit.get(vppId)!.after.score - credit.get(vppId)!.before.score;
    assert.ok(moved(north!.vppId) > 0 && moved(south!.vppId) < 0 && moved(east!.vppId) < 0);
  });
});
