import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CreditEventType } from '../../../../../chaincode/src/domain/credit/rulebook';
import { DEFAULT_RULEBOOK } from '../../../../../chaincode/src/domain/credit/default-rulebook';
import {
  buildRulebookVersion,
  rulebookEffectiveAt,
} from '../../../../../chaincode/src/domain/credit/rulebook-versions';
import {
  applyCreditEvent,
  initialIndicators,
  parseCreditEvent,
  parseIndicatorValues,
  parseStoredScoreRecord,
  totalScore,
  type CreditEvent,
  type IndicatorValues,
} from '../../../../../chaincode/src/domain/credit/scoring';
import { creditStanding, levelOf } from '../../../../../chaincode/src/domain/credit/standing';
import {
  deliveryCreditEvent,
  settleInterval,
} from '../../../../../chaincode/src/domain/settlement/settlement';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { REGULATOR, T0, T1, T2, V1, V2, VPP, DER, event, uniform } from '../../../../support/credit-rules';
import {
  entityIds,
  marketIds,
  NARROWED_ENTITY_IDS,
  NARROWED_MARKET_IDS,
  NARROWED_TX_IDS,
  TX_IDS,
} from '../../../../support/id-kinds';
import { prng, randomInt } from '../../../../support/prng';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('domain/credit/scoring', () => {
  describe('#initialIndicators and #totalScore', () => {
    it('should start from the rulebook initial values: 745, level A', () => {
      assert.deepEqual(initialIndicators(V1), {
        DELIVERY_ACCURACY: 700,
        TELEMETRY_AVAILABILITY: 700,
        TELEMETRY_VALIDITY: 700,
        BID_REVEAL_COMPLIANCE: 700,
        DISPATCH_ACKNOWLEDGEMENT: 700,
        VIOLATIONS: 1000,
      });
      // (700 × 85 + 1000 × 15) / 100 = 745
      assert.equal(totalScore(undefined, V1), 745);
      assert.equal(totalScore({}, V1), 745);
      assert.equal(levelOf(745, V1), 'A');
    });

    it('should weight the indicators and round the total down', () => {
      const score = (deliveryAccuracy: number) =>
        totalScore({ ...initialIndicators(V1), DELIVERY_ACCURACY: deliveryAccuracy }, V1);
      // 701 × 30 + 700 × 55 + 1000 × 15 = 74 530 → 745.3 → 745
      assert.equal(score(701), 745);
      // 703 × 30 + ... = 74 590 → 745.9 → 745 (never rounded up)
      assert.equal(score(703), 745);
      // 704 × 30 + ... = 74 620 → 746.2 → 746
      assert.equal(score(704), 746);
      assert.equal(totalScore(uniform(0), V1), 0);
      assert.equal(totalScore(uniform(1000), V1), 1000);
      // A missing indicator counts at its initial value: 0 × 30 + 700 × 55 + 1000 × 15 = 53 500 → 535.
      assert.equal(totalScore({ DELIVERY_ACCURACY: 0 }, V1), 535);
    });

    it('should refuse malformed indicator values', () => {
      assert.throws(
        () => totalScore({ DELIVERY_ACCURACY: 1001 }, V1),
        invalid(/DELIVERY_ACCURACY must be an integer in 0\.\.1000/),
      );
      assert.throws(() => totalScore({ DELIVERY_ACCURACY: 7.5 }, V1), invalid(/DELIVERY_ACCURACY/));
      assert.throws(() => totalScore({ 'bad id': 5 }, V1), invalid(/indicator id "bad id"/));
      assert.throws(() => parseIndicatorValues([]), invalid(/indicator values must be a JSON object/));
    });
  });
  describe('#applyCreditEvent', () => {
    it('should apply each event type as the default rulebook prescribes', () => {
      const expected: [CreditEventType, string, number][] = [
        ['DELIVERY_WITHIN_TOLERANCE', 'DELIVERY_ACCURACY', 10],
        ['DELIVERY_DEVIATION', 'DELIVERY_ACCURACY', -30],
        ['READINGS_COMPLETE', 'TELEMETRY_AVAILABILITY', 5],
        ['READING_REJECTED', 'TELEMETRY_VALIDITY', -20],
        ['BID_REVEALED', 'BID_REVEAL_COMPLIANCE', 5],
        ['BID_NOT_REVEALED', 'BID_REVEAL_COMPLIANCE', -50],
        ['DISPATCH_ACKNOWLEDGED', 'DISPATCH_ACKNOWLEDGEMENT', 5],
        ['DISPATCH_NOT_ACKNOWLEDGED', 'DISPATCH_ACKNOWLEDGEMENT', -40],
        ['VIOLATION', 'VIOLATIONS', -200],
      ];
      for (const [eventType, indicator, delta] of expected) {
        const before = initialIndicators(V1);
        const outcome = applyCreditEvent(undefined, event(eventType), V1);
        assert.deepEqual(
          outcome.indicators,
          { ...before, [indicator]: before[indicator]! + delta },
          eventType,
        );
        assert.deepEqual(outcome.records, [
          {
            participant: { type: 'vpp', id: 'vpp-1' },
            indicator,
            delta,
            points: delta,
            valueAfter: before[indicator]! + delta,
            reasonCode: eventType,
            ruleVersion: 1,
            intervalId: 'iv-42',
            txId: 'tx-9',
            at: '2025-01-15T10:00:00.000Z',
          },
        ]);
      }
    });

    it('should change the level through the score: one violation takes a newcomer from A to B', () => {
      // VIOLATIONS 1000 → 800: (700 × 85 + 800 × 15) / 100 = 715 → still A (≥ 650).
      // A second: 600 → (59 500 + 9000) / 100 = 685 → A; a third: 400 → 655 → A; a fourth: 200 → 625 → B.
      let values: IndicatorValues | undefined;
      const levels: string[] = [];
      for (let i = 0; i < 4; i++) {
        values = applyCreditEvent(values, event('VIOLATION', { txId: `tx-v${i}` }), V1).indicators;
        levels.push(levelOf(totalScore(values, V1), V1));
      }
      assert.deepEqual(
        [715, 685, 655, 625].map((score) => levelOf(score, V1)),
        levels,
      );
      assert.deepEqual(levels, ['A', 'A', 'A', 'B']);
    });

    it('should clamp to 0..1000 and record the change actually applied', () => {
      const near = applyCreditEvent({ DELIVERY_ACCURACY: 995 }, event('DELIVERY_WITHIN_TOLERANCE'), V1);
      assert.equal(near.indicators.DELIVERY_ACCURACY, 1000);
      assert.equal(near.records[0]!.delta, 5);
      assert.equal(near.records[0]!.points, 10);

      const floor = applyCreditEvent({ VIOLATIONS: 150 }, event('VIOLATION'), V1);
      assert.equal(floor.indicators.VIOLATIONS, 0);
      assert.equal(floor.records[0]!.delta, -150);
      assert.equal(floor.records[0]!.valueAfter, 0);

      // Already at the bound: nothing changes, so nothing is recorded.
      const atMax = applyCreditEvent({ DELIVERY_ACCURACY: 1000 }, event('DELIVERY_WITHIN_TOLERANCE'), V1);
      assert.equal(atMax.indicators.DELIVERY_ACCURACY, 1000);
      assert.deepEqual(atMax.records, []);
      const atMin = applyCreditEvent({ VIOLATIONS: 0 }, event('VIOLATION'), V1);
      assert.deepEqual(atMin.records, []);
    });

    it('should write no record for an event the rulebook gives no effect', () => {
      const quiet = buildRulebookVersion(
        { ...DEFAULT_RULEBOOK, events: DEFAULT_RULEBOOK.events.map((e) => ({ ...e, effects: [] })) },
        undefined,
        T0,
        REGULATOR,
      );
      const outcome = applyCreditEvent(undefined, event('VIOLATION'), quiet);
      assert.deepEqual(outcome.records, []);
      assert.deepEqual(outcome.indicators, initialIndicators(quiet));
    });

    it('should score DERs the same way and omit the interval when the event has none', () => {
      const outcome = applyCreditEvent(
        undefined,
        { participant: DER, eventType: 'READING_REJECTED', txId: 'tx-r', at: T1 },
        V1,
      );
      assert.deepEqual(outcome.records, [
        {
          participant: { type: 'der', id: 'der-7' },
          indicator: 'TELEMETRY_VALIDITY',
          delta: -20,
          points: -20,
          valueAfter: 680,
          reasonCode: 'READING_REJECTED',
          ruleVersion: 1,
          txId: 'tx-r',
          at: T1,
        },
      ]);
    });

    it('should not modify the current values it is given', () => {
      const current = { ...initialIndicators(V1) };
      const copy = { ...current };
      applyCreditEvent(current, event('VIOLATION'), V1);
      assert.deepEqual(current, copy);
    });

    it('should give the same event a different outcome under the next rulebook version', () => {
      const before = '2025-02-28T23:59:59.999Z';
      const history = [V1, V2];
      const under = (at: string) =>
        applyCreditEvent(undefined, event('DELIVERY_DEVIATION', { at }), rulebookEffectiveAt(history, at));
      const old = under(before);
      assert.equal(old.records[0]!.delta, -30);
      assert.equal(old.records[0]!.ruleVersion, 1);
      const next = under(T2);
      assert.equal(next.records[0]!.delta, -100);
      assert.equal(next.records[0]!.ruleVersion, 2);
      // Score: v1 (670 × 30 + 700 × 55 + 15 000) / 100 = 736; v2 adds RESPONSE_TIME at 600 and weighs
      // DELIVERY_ACCURACY 20: (600 × 20 + 700 × 55 + 1000 × 15 + 600 × 10) / 100 = 715.
      assert.equal(totalScore(old.indicators, V1), 736);
      assert.equal(totalScore(next.indicators, V2), 715);
    });

    it('should add indicators a new version introduces and keep ones it dropped', () => {
      const underV1 = applyCreditEvent(undefined, event('DISPATCH_ACKNOWLEDGED'), V1).indicators;
      const underV2 = applyCreditEvent(underV1, event('DISPATCH_ACKNOWLEDGED', { at: T2 }), V2);
      assert.equal(underV2.indicators.DISPATCH_ACKNOWLEDGEMENT, 710);
      assert.equal(underV2.indicators.RESPONSE_TIME, 603);
      assert.deepEqual(
        underV2.records.map((record) => [record.indicator, record.delta]),
        [
          ['DISPATCH_ACKNOWLEDGEMENT', 5],
          ['RESPONSE_TIME', 3],
        ],
      );
      // Back under v1 (e.g. a late replay of the history), RESPONSE_TIME is kept but not weighted.
      const v1Again = applyCreditEvent(underV2.indicators, event('VIOLATION'), V1);
      assert.equal(v1Again.indicators.RESPONSE_TIME, 603);
      assert.equal(
        totalScore(v1Again.indicators, V1),
        totalScore({ ...v1Again.indicators, RESPONSE_TIME: 0 }, V1),
      );
    });

    it('should refuse a rulebook version that is not yet in force at the event', () => {
      assert.throws(
        () => applyCreditEvent(undefined, event('VIOLATION', { at: T1 }), V2),
        invalid(/rulebook version 2 takes effect at 2025-03-01T00:00:00.000Z, after the event at 2025-02-01/),
      );
    });

    it('should refuse malformed events', () => {
      const cases: [unknown, RegExp][] = [
        [{ ...event('VIOLATION'), eventType: 'LATE' }, /eventType must be one of/],
        [{ ...event('VIOLATION'), participant: { type: 'org', id: 'x' } }, /type must be one of vpp, der/],
        [
          { ...event('VIOLATION'), participant: { type: 'vpp' } },
          /id must be 1\.\.64 characters of A-Z, a-z, 0-9, '\.', '_' or '-', starting alphanumeric/,
        ],
        [{ ...event('VIOLATION'), txId: '' }, /txId must be 1\.\.128 printable ASCII characters/],
        [{ ...event('VIOLATION'), at: 'today' }, /at must be an ISO-8601/],
        [{ ...event('VIOLATION'), note: 'x' }, /credit event has unsupported field\(s\): note/],
      ];
      for (const [value, message] of cases) {
        assert.throws(
          () => applyCreditEvent(undefined, value as CreditEvent, V1),
          invalid(message),
          String(message),
        );
      }
      assert.throws(
        () => applyCreditEvent({ VIOLATIONS: -1 }, event('VIOLATION'), V1),
        invalid(/VIOLATIONS/),
      );
    });

    it('should take any participant and interval id the registry and the market accept', () => {
      const intervals = marketIds(32);
      entityIds(31).forEach((id, i) => {
        const txId = TX_IDS[i % TX_IDS.length]!;
        const parsed = parseCreditEvent(
          event('VIOLATION', { participant: { type: 'der', id }, intervalId: intervals[i]!, txId }),
        );
        assert.deepEqual([parsed.participant.id, parsed.intervalId, parsed.txId], [id, intervals[i], txId]);
      });
    });

    it('should refuse, with INVALID_ARGUMENT, ids that no participant, interval or transaction can have', () => {
      const cases: [Partial<CreditEvent>, RegExp][] = [
        ...NARROWED_ENTITY_IDS.map((id): [Partial<CreditEvent>, RegExp] => [
          { participant: { type: 'vpp', id } },
          /^INVALID_ARGUMENT: id must be 1\.\.64/,
        ]),
        ...NARROWED_MARKET_IDS.map((intervalId): [Partial<CreditEvent>, RegExp] => [
          { intervalId },
          /^INVALID_ARGUMENT: intervalId must be 1\.\.64/,
        ]),
        ...NARROWED_TX_IDS.map((txId): [Partial<CreditEvent>, RegExp] => [
          { txId },
          /^INVALID_ARGUMENT: txId must be 1\.\.128 printable ASCII/,
        ]),
      ];
      for (const [change, message] of cases) {
        assert.throws(
          () => parseCreditEvent(event('VIOLATION', change)),
          invalid(message),
          JSON.stringify(change),
        );
      }
    });

    it('should keep every value in range and every record consistent on 300 random event sequences', () => {
      const random = prng(777);
      const types = DEFAULT_RULEBOOK.events.map((e) => e.eventType);
      for (let round = 0; round < 300; round++) {
        let values = initialIndicators(V1);
        for (let step = 0; step < 40; step++) {
          const eventType = types[randomInt(random, 0, types.length - 1)]!;
          const outcome = applyCreditEvent(values, event(eventType, { txId: `tx-${round}-${step}` }), V1);
          for (const record of outcome.records) {
            assert.equal(record.valueAfter, values[record.indicator]! + record.delta);
            assert.notEqual(record.delta, 0);
            assert.ok(Math.abs(record.delta) <= Math.abs(record.points));
            assert.equal(Math.sign(record.delta), Math.sign(record.points));
          }
          for (const value of Object.values(outcome.indicators)) assert.ok(value >= 0 && value <= 1000);
          values = outcome.indicators;
        }
        const score = totalScore(values, V1);
        assert.ok(score >= 0 && score <= 1000);
      }
    });
  });
  describe('stored score records', () => {
    it('should decode what applyCreditEvent produces and reject corrupted records', () => {
      const [record] = applyCreditEvent(undefined, event('BID_NOT_REVEALED'), V1).records;
      assert.deepEqual(parseStoredScoreRecord(JSON.parse(JSON.stringify(record))), record);
      const corrupt: [unknown, RegExp][] = [
        [{ ...record, delta: 0 }, /delta must not be 0/],
        [{ ...record, reasonCode: 'LATE' }, /reasonCode must be one of/],
        [{ ...record, valueAfter: 1001 }, /valueAfter/],
        [{ ...record, indicator: 'x' }, /indicator must be an UPPER_SNAKE/],
        [{ ...record, ruleVersion: 0 }, /ruleVersion/],
      ];
      for (const [value, message] of corrupt) {
        assert.throws(() => parseStoredScoreRecord(value), invalid(message), String(message));
      }
    });
  });
  describe('with settlement', () => {
    it('should feed the level penalty factor into settlement and its delivery outcome back into the score', () => {
      // A level-B VPP (score 600): penalty factor 1.5×.
      const standing = creditStanding(VPP, uniform(600), V1, undefined);
      assert.equal(standing.level, 'B');
      const result = settleInterval({
        intervalId: 'iv-42',
        intervalStart: '2025-01-15T09:00:00.000Z',
        vppId: 'vpp-1',
        award: { awardId: 'award-1', quantityWh: 10_000, clearingPrice: 50_000 },
        ders: [{ derId: 'der-7', readings: [{ sequence: 1, energyWh: 8000 }] }],
        toleranceBps: 500,
        penaltyFactorPermille: standing.penaltyFactorPermille,
        feeBps: 1000,
        ruleVersion: standing.ruleVersion,
        settledAt: '2025-01-15T10:00:00.000Z',
        txId: 'tx-9',
      });
      // excess 1500 Wh × 50 000 /MWh × 1.5 = 112.5 → 112
      assert.equal(result.vppLine.penaltyMinor, 112);
      const outcome = applyCreditEvent(uniform(600), deliveryCreditEvent(result.vppLine), V1);
      assert.deepEqual(
        outcome.records.map((record) => [record.indicator, record.delta, record.reasonCode, record.txId]),
        [['DELIVERY_ACCURACY', -30, 'DELIVERY_DEVIATION', 'tx-9']],
      );
      assert.deepEqual(
        parseCreditEvent(deliveryCreditEvent(result.vppLine)),
        deliveryCreditEvent(result.vppLine),
      );
    });
  });
});
