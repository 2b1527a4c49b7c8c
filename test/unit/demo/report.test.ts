import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  countedReasons,
  formatCredit,
  formatInterval,
  formatReport,
  formatTable,
  type IntervalOutcome,
} from '../../../demo/src/report';

const INTERVAL: IntervalOutcome = {
  intervalId: 'demo-x-1',
  deliveryStart: '2026-12-05T10:01:00.000Z',
  deliveryEnd: '2026-12-05T10:01:20.000Z',
  demandWh: 4000,
  clearingPrice: 380_000,
  totalAwardedWh: 4000,
  clearingVerified: true,
  vpps: [
    {
      vppId: 'v-n',
      behaviour: 'delivers',
      offeredWh: 3000,
      awardedWh: 2000,
      settlement: {
        deliveredWh: 2001,
        grossMinor: 760,
        penaltyMinor: 0,
        feeMinor: 38,
        netToDersMinor: 722,
        owedMinor: 0,
        verified: true,
        topDers: [
          { derId: 'd1', amountMinor: 300 },
          { derId: 'd2', amountMinor: 200 },
        ],
      },
    },
    { vppId: 'v-s', behaviour: 'falls-short', offeredWh: 2500, awardedWh: 0 },
    { vppId: 'v-e', behaviour: 'never-reveals', offeredWh: 900 },
  ],
};

describe('demo/report', () => {
  it('should align text columns left and figures right, two spaces apart', () => {
    assert.equal(
      formatTable(
        ['name', 'n', 'note'],
        [
          ['ab', '5', 'x'],
          ['c', '123', 'long'],
        ],
      ),
      ['name    n  note', '----  ---  ----', 'ab      5  x', 'c     123  long'].join('\n'),
    );
  });

  it('should show price, verification, a row per VPP and the DERs paid most', () => {
    const lines = formatInterval(INTERVAL).split('\n');
    assert.equal(lines[0], 'Interval demo-x-1: delivery 2026-12-05T10:01:00.000Z → 2026-12-05T10:01:20.000Z');
    assert.equal(
      lines[1],
      '  demand 4000 Wh, cleared 4000 Wh at 380000 per MWh (clearing verified by the regulator)',
    );
    const row = (prefix: string) => lines.find((line) => line.startsWith(prefix))!.split(/ {2,}/);
    assert.deepEqual(row('v-n'), [
      'v-n (delivers)',
      '3000',
      '2000',
      '2001',
      '760',
      '0',
      '38',
      '722',
      'settled, verified',
    ]);
    assert.deepEqual(row('v-s'), ['v-s (falls short)', '2500', '0', '—', '—', '—', '—', '—', 'no award']);
    assert.deepEqual(row('v-e'), [
      'v-e (never reveals)',
      '900',
      '—',
      '—',
      '—',
      '—',
      '—',
      '—',
      'bid not revealed',
    ]);
    assert.deepEqual(lines.slice(-2), ['  DERs paid most:', '    v-n: d1 300, d2 200']);
  });

  it('should flag a settlement the regulator could not verify, and an interval with no price', () => {
    const vpp = INTERVAL.vpps[0]!;
    const text = formatInterval({
      ...INTERVAL,
      clearingPrice: null,
      clearingVerified: false,
      vpps: [{ ...vpp, settlement: { ...vpp.settlement!, verified: false, topDers: [] } }],
    });
    assert.match(text, /cleared 4000 Wh at none \(clearing NOT verified\)/);
    assert.match(text, /settled, MISMATCH/);
    assert.doesNotMatch(text, /DERs paid most/);
  });

  it('should count repeated reasons in order of first appearance', () => {
    assert.equal(countedReasons(['A', 'B', 'A', 'C', 'A']), 'A ×3, B, C');
    assert.equal(countedReasons([]), '');
  });

  it('should show each VPP’s score and level before and after, and what was recorded', () => {
    const lines = formatCredit([
      {
        vppId: 'v-n',
        before: { score: 745, level: 'A' },
        after: { score: 757, level: 'A' },
        reasons: ['X', 'X'],
      },
      { vppId: 'v-e', before: { score: 651, level: 'A' }, after: { score: 646, level: 'B' }, reasons: [] },
    ]).split('\n');
    assert.deepEqual(lines[2]!.split(/ {2,}/), ['v-n', '745', 'A', '757', 'A', 'X ×2']);
    assert.deepEqual(lines[3]!.split(/ {2,}/), ['v-e', '651', 'A', '646', 'B', '—']);
  });

  it('should put units first, then the intervals, the credit table and the links', () => {
    const text = formatReport([INTERVAL], [], ['http://gw/docs']);
    assert.ok(text.startsWith('Money in minor units, energy in Wh, prices in minor units per MWh.'));
    assert.ok(text.indexOf('Interval demo-x-1') < text.indexOf("Credit (regulator's view)"));
    assert.ok(text.endsWith('Look further:\n  http://gw/docs'));
  });
});
