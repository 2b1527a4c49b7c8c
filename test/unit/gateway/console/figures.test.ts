// The console's derived figures, run in Node (gateway/console/src/figures.ts and format.ts import
// nothing of the DOM).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  awardsPerVpp,
  MAX_METERING_INTERVALS,
  meritOrder,
  meteringIntervals,
} from '../../../../gateway/console/src/figures';
import { instant, minor, price, wh } from '../../../../gateway/console/src/format';

describe('console figures', () => {
  it('should lay accepted steps end to end in price order (the supply curve)', () => {
    const curve = meritOrder([
      { vppId: 'b', price: 360_000, quantity: 387 },
      { vppId: 'a', price: 260_000, quantity: 1_969 },
      { vppId: 'b', price: 240_000, quantity: 1_851 },
    ]);
    assert.deepEqual(
      curve.map((s) => [s.vppId, s.price, s.from, s.to]),
      [
        ['b', 240_000, 0, 1_851],
        ['a', 260_000, 1_851, 3_820],
        ['b', 360_000, 3_820, 4_207],
      ],
    );
    assert.deepEqual(meritOrder([]), []);
  });

  it('should sum awards per VPP, sorted by VPP id', () => {
    const step = (quantity: number) => ({ stepIndex: 0, price: 1, quantity });
    assert.deepEqual(
      awardsPerVpp([
        { bidId: 'x2', vppId: 'north', quantity: 30, acceptedSteps: [step(30)] },
        { bidId: 'x1', vppId: 'east', quantity: 5, acceptedSteps: [step(2), step(3)] },
        { bidId: 'x3', vppId: 'north', quantity: 12, acceptedSteps: [step(12)] },
      ]),
      [
        { vppId: 'east', bids: 1, steps: 2, quantity: 5 },
        { vppId: 'north', bids: 2, steps: 2, quantity: 42 },
      ],
    );
  });

  it('should list the metering intervals a delivery spans, bounded', () => {
    assert.deepEqual(meteringIntervals('2026-12-06T18:36:20.000Z', '2026-12-06T18:36:40.000Z', 10), [
      '2026-12-06T18:36:20.000Z',
      '2026-12-06T18:36:30.000Z',
    ]);
    assert.deepEqual(meteringIntervals('2026-12-06T18:36:20.000Z', '2026-12-06T18:36:25.000Z', 10), [
      '2026-12-06T18:36:20.000Z',
    ]);
    assert.equal(
      meteringIntervals('2026-12-06T00:00:00.000Z', '2026-12-07T00:00:00.000Z', 1).length,
      MAX_METERING_INTERVALS,
    );
  });

  it('should write figures as integers grouped by thousands, with their unit', () => {
    assert.deepEqual(
      [wh(1_234_567), minor(-3), price(360_000), price(null), instant('2026-12-06T18:36:20.000Z')],
      ['1,234,567 Wh', '-3 minor', '360,000 minor/MWh', 'no trade', '2026-12-06 18:36:20Z'],
    );
  });
});
