import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settleInterval } from '../../../../../chaincode/src/domain/settlement/settlement';
import {
  type DerSettlementLine,
  type VppSettlementLine,
} from '../../../../../chaincode/src/domain/settlement/lines';
import { type SettlementInputs } from '../../../../../chaincode/src/domain/settlement/inputs';
import {
  buildDerStatement,
  buildVppStatement,
  periodOf,
  type StatementUnit,
} from '../../../../../chaincode/src/domain/settlement/statement';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { entityIds, NARROWED_ENTITY_IDS } from '../../../../support/id-kinds';
import { prng, randomInt } from '../../../../support/prng';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

// Award 10 000 Wh at 50 000 /MWh, tolerance 5 %, factor 1.5×, fee 10 % (as in settlement.test).
const base = (intervalStart: string, energies: [number, number]): SettlementInputs => ({
  intervalId: `iv-${intervalStart}`,
  intervalStart,
  vppId: 'vpp-1',
  award: { awardId: `award-${intervalStart}`, quantityWh: 10_000, clearingPrice: 50_000 },
  ders: [
    { derId: 'der-a', readings: [{ sequence: 1, energyWh: energies[0] }] },
    { derId: 'der-b', readings: [{ sequence: 1, energyWh: energies[1] }] },
  ],
  toleranceBps: 500,
  penaltyFactorPermille: 1500,
  feeBps: 1000,
  ruleVersion: 1,
  settledAt: '2025-04-01T00:00:00.000Z',
  txId: `tx-${intervalStart}`,
});

// Per interval (see the settlement hand cases):
//   #1 2025-03-01T10:00 delivers 5000 + 5000: gross 500, fee 50, net 450 → a 225, b 225
//   #2 2025-03-01T23:45 delivers 8000 + 0:     gross 400, penalty 112, fee 28, net 260 → a 260, b 0
//   #3 2025-03-02T00:00 delivers 500 + 500:    gross 50, penalty floor(8500×50 000×1.5/1e6) = 637,
//                                              owed 587, nothing paid
//   #4 2025-04-10T08:00 delivers 6000 + 6000:  gross 500, penalty 112, fee 38, net 350 → a 175, b 175
const RESULTS = [
  settleInterval(base('2025-03-01T10:00:00.000Z', [5000, 5000])),
  settleInterval(base('2025-03-01T23:45:00.000Z', [8000, 0])),
  settleInterval(base('2025-03-02T00:00:00.000Z', [500, 500])),
  settleInterval(base('2025-04-10T08:00:00.000Z', [6000, 6000])),
];
const VPP_LINES: VppSettlementLine[] = RESULTS.map((result) => result.vppLine);
const linesOf = (derId: string): DerSettlementLine[] =>
  RESULTS.flatMap((result) => result.derLines.filter((line) => line.derId === derId));

describe('domain/settlement/statement', () => {
  describe('#periodOf', () => {
    it('should use the UTC day or month of the interval start', () => {
      assert.equal(periodOf('2025-03-01T23:45:00.000Z', 'day'), '2025-03-01');
      assert.equal(periodOf('2025-03-01T23:45:00.000Z', 'month'), '2025-03');
    });
  });

  describe('#buildDerStatement', () => {
    it('should total a DER per day', () => {
      const statement = buildDerStatement('der-a', [...linesOf('der-a')].reverse(), 'day');
      assert.deepEqual(statement, {
        derId: 'der-a',
        unit: 'day',
        periods: [
          // 225 + 260; 5000 + 8000 Wh
          { period: '2025-03-01', intervalCount: 2, readingCount: 2, deliveredWh: 13_000, amountMinor: 485 },
          { period: '2025-03-02', intervalCount: 1, readingCount: 1, deliveredWh: 500, amountMinor: 0 },
          { period: '2025-04-10', intervalCount: 1, readingCount: 1, deliveredWh: 6000, amountMinor: 175 },
        ],
        total: { intervalCount: 4, readingCount: 4, deliveredWh: 19_500, amountMinor: 660 },
      });
    });

    it('should total a DER per month', () => {
      const statement = buildDerStatement('der-b', linesOf('der-b'), 'month');
      assert.deepEqual(statement.periods, [
        // 225 + 0 + 0; 5000 + 0 + 500 Wh
        { period: '2025-03', intervalCount: 3, readingCount: 3, deliveredWh: 5500, amountMinor: 225 },
        { period: '2025-04', intervalCount: 1, readingCount: 1, deliveredWh: 6000, amountMinor: 175 },
      ]);
      assert.deepEqual(statement.total, {
        intervalCount: 4,
        readingCount: 4,
        deliveredWh: 11_500,
        amountMinor: 400,
      });
    });

    it('should give an empty statement for no lines', () => {
      assert.deepEqual(buildDerStatement('der-x', [], 'month'), {
        derId: 'der-x',
        unit: 'month',
        periods: [],
        total: { intervalCount: 0, readingCount: 0, deliveredWh: 0, amountMinor: 0 },
      });
    });

    it('should refuse lines of another DER, an interval counted twice and an unknown unit', () => {
      assert.throws(
        () => buildDerStatement('der-a', [...linesOf('der-a'), ...linesOf('der-b')], 'day'),
        invalid(/a line of der "der-b" is not part of the statement of der-a/),
      );
      const [first] = linesOf('der-a');
      assert.throws(
        () => buildDerStatement('der-a', [first!, first!], 'day'),
        invalid(/interval "iv-2025-03-01T10:00:00.000Z" appears twice/),
      );
      assert.throws(
        () => buildDerStatement('der-a', linesOf('der-a'), 'week' as StatementUnit),
        invalid(/unit must be one of day, month/),
      );
    });
  });

  describe('id kinds', () => {
    it('should state any DER or VPP the registry accepts and refuse ids none can have', () => {
      for (const id of entityIds(21)) {
        assert.equal(buildDerStatement(id, [], 'day').derId, id);
        assert.equal(buildVppStatement(id, [], 'month').vppId, id);
      }
      for (const id of NARROWED_ENTITY_IDS) {
        assert.throws(() => buildDerStatement(id, [], 'day'), invalid(/^INVALID_ARGUMENT: derId must be/));
        assert.throws(() => buildVppStatement(id, [], 'day'), invalid(/^INVALID_ARGUMENT: vppId must be/));
      }
    });
  });

  describe('#buildVppStatement', () => {
    it('should total the VPP per month, amounts owed included', () => {
      const statement = buildVppStatement('vpp-1', VPP_LINES, 'month');
      assert.deepEqual(statement.periods, [
        {
          period: '2025-03',
          intervalCount: 3,
          readingCount: 6,
          awardedWh: 30_000,
          deliveredWh: 19_000, // 10 000 + 8000 + 1000
          paidWh: 19_000,
          grossMinor: 950, // 500 + 400 + 50
          penaltyMinor: 749, // 0 + 112 + 637
          feeMinor: 78, // 50 + 28 + 0
          netToDersMinor: 710, // 450 + 260 + 0
          owedMinor: 587,
        },
        {
          period: '2025-04',
          intervalCount: 1,
          readingCount: 2,
          awardedWh: 10_000,
          deliveredWh: 12_000,
          paidWh: 10_000,
          grossMinor: 500,
          penaltyMinor: 112,
          feeMinor: 38,
          netToDersMinor: 350,
          owedMinor: 0,
        },
      ]);
      assert.equal(statement.total.netToDersMinor, 1060);
      assert.equal(statement.total.owedMinor, 587);
      assert.equal(statement.vppId, 'vpp-1');
    });

    it('should refuse lines of another VPP', () => {
      const other = { ...VPP_LINES[0]!, vppId: 'vpp-2' };
      assert.throws(
        () => buildVppStatement('vpp-1', [other], 'day'),
        invalid(/a line of vpp "vpp-2" is not part of the statement of vpp-1/),
      );
    });
  });

  describe('properties', () => {
    it('should make period totals add up to the grand total and to the lines, on 200 random sets', () => {
      const random = prng(4242);
      for (let round = 0; round < 200; round++) {
        const count = randomInt(random, 0, 25);
        const lines: DerSettlementLine[] = [];
        for (let i = 0; i < count; i++) {
          const day = randomInt(random, 1, 60);
          const start = new Date(Date.UTC(2025, 0, day, randomInt(random, 0, 23))).toISOString();
          const result = settleInterval({
            ...base(start, [randomInt(random, 0, 9000), randomInt(random, 0, 9000)]),
            intervalId: `iv-${round}-${i}`,
          });
          lines.push(result.derLines[0]!);
        }
        const unit: StatementUnit = random() < 0.5 ? 'day' : 'month';
        const statement = buildDerStatement('der-a', lines, unit);
        const amounts = (rows: readonly { amountMinor: number }[]) =>
          rows.reduce((total, row) => total + row.amountMinor, 0);
        assert.equal(amounts(statement.periods), statement.total.amountMinor);
        assert.equal(amounts(lines), statement.total.amountMinor);
        assert.equal(
          lines.reduce((total, line) => total + line.deliveredWh, 0),
          statement.total.deliveredWh,
        );
        assert.equal(
          statement.periods.reduce((total, period) => total + period.intervalCount, 0),
          count,
        );
        assert.equal(statement.total.intervalCount, count);
        const periods = statement.periods.map((p) => p.period);
        assert.deepEqual(periods, [...periods].sort());
        assert.equal(new Set(periods).size, periods.length);
      }
    });
  });
});
