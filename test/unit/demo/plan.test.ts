import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bidSteps,
  DEMO_VPPS,
  demandWh,
  demoFleet,
  deliverableWh,
  DELIVERY_METERING_INTERVALS,
  DERS_PER_VPP,
  reportedWh,
  timetable,
} from '../../../demo/src/plan';

const TEN_SECONDS = { meteringIntervalSeconds: 10 };
const north = DEMO_VPPS.find((spec) => spec.behaviour === 'delivers')!;

describe('demo/plan', () => {
  it('should give three VPPs, one per behaviour, with distinct seeds and prices', () => {
    assert.deepEqual(
      DEMO_VPPS.map((spec) => spec.behaviour),
      ['delivers', 'falls-short', 'never-reveals'],
    );
    assert.equal(new Set(DEMO_VPPS.map((spec) => spec.seed)).size, 3);
    assert.equal(new Set(DEMO_VPPS.map((spec) => spec.basePrice)).size, 3);
  });

  it('should give each VPP eight DERs of the four types at ten times household size, repeatably', () => {
    const fleet = demoFleet('demo-t-north', north);
    assert.equal(fleet.length, DERS_PER_VPP);
    assert.deepEqual(
      fleet.map((m) => m.derType),
      ['pv', 'battery', 'ev-charger', 'flexible-load', 'pv', 'battery', 'ev-charger', 'flexible-load'],
    );
    for (const member of fleet) {
      assert.match(member.derId, /^demo-t-north-[a-z-]+-\d{5}$/);
      assert.ok(member.capacityW >= 10_000 && member.capacityW <= 220_000, String(member.capacityW));
      assert.equal(member.capacityW % 1000, 0, 'a household size in 100 W steps, times ten');
    }
    assert.deepEqual(demoFleet('demo-t-north', north), fleet);
  });

  it('should count deliverable energy per DER, floored per metering interval, over the delivery', () => {
    const fleet = [
      { derId: 'a', derType: 'pv' as const, capacityW: 36_000 },
      { derId: 'b', derType: 'battery' as const, capacityW: 1_000 },
    ];
    // 36 kW × 10 s = 100 Wh; 1 kW × 10 s = 2.77… → 2 Wh; two metering intervals.
    assert.equal(deliverableWh(fleet, TEN_SECONDS), (100 + 2) * DELIVERY_METERING_INTERVALS);
  });

  it('should lay out bids, reveals and consecutive deliveries on the metering grid', () => {
    const now = Date.parse('2026-12-05T10:00:00.000Z');
    const plan = timetable(now, 3, TEN_SECONDS);
    assert.equal(plan.gateClosure, '2026-12-05T10:00:18.000Z');
    assert.equal(plan.revealDeadline, '2026-12-05T10:00:29.000Z');
    // 29 s + 24 s of lead = 53 s, up to the next 10-second boundary; each delivery 20 s.
    assert.deepEqual(plan.deliveries, [
      { deliveryStart: '2026-12-05T10:01:00.000Z', deliveryEnd: '2026-12-05T10:01:20.000Z' },
      { deliveryStart: '2026-12-05T10:01:20.000Z', deliveryEnd: '2026-12-05T10:01:40.000Z' },
      { deliveryStart: '2026-12-05T10:01:40.000Z', deliveryEnd: '2026-12-05T10:02:00.000Z' },
    ]);
  });

  it('should offer 50 % and 30 % of the deliverable energy, dearer in later intervals', () => {
    assert.deepEqual(bidSteps(north, 3_000, 0, 1_000_000), [
      { price: north.basePrice, quantity: 1500 },
      { price: north.basePrice + 120_000, quantity: 900 },
    ]);
    assert.deepEqual(
      bidSteps(north, 3_000, 2, 1_000_000).map((s) => s.price),
      [north.basePrice + 30_000, north.basePrice + 150_000],
    );
  });

  it('should keep a bid within the quota, dropping steps the quota leaves nothing for', () => {
    assert.deepEqual(bidSteps(north, 3_000, 0, 2_000), [
      { price: north.basePrice, quantity: 1500 },
      { price: north.basePrice + 120_000, quantity: 500 },
    ]);
    assert.deepEqual(bidSteps(north, 3_000, 0, 1_500), [{ price: north.basePrice, quantity: 1500 }]);
    assert.deepEqual(bidSteps(north, 3_000, 0, 0), []);
  });

  it('should ask for 45 %, 55 % and 40 % of the offers in turn, at least 1 Wh', () => {
    assert.deepEqual(
      [0, 1, 2, 3].map((k) => demandWh(10_001, k)),
      [4500, 5500, 4000, 4500],
    );
    assert.equal(demandWh(1, 0), 1);
  });

  it('should report the setpoint energy, 60 % of it when falling short, never above the cap', () => {
    // 3,600 W for 10 s = 10 Wh; 1,000 W → 2.77… rounds to 3 Wh; the cap of 1 kW is 2 Wh.
    assert.equal(reportedWh('delivers', 3_600, 10_000, TEN_SECONDS), 10);
    assert.equal(reportedWh('falls-short', 3_600, 10_000, TEN_SECONDS), 6);
    assert.equal(reportedWh('delivers', 1_000, 1_000, TEN_SECONDS), 2);
    assert.equal(reportedWh('delivers', 0, 10_000, TEN_SECONDS), 0);
  });
});
