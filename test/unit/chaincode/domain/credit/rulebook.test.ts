import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildRulebookVersion,
  DEFAULT_RULEBOOK,
  KNOWN_CREDIT_EVENT_TYPES,
  parseRulebookInput,
  parseStoredRulebookVersion,
  rulebookEffectiveAt,
  type RulebookVersion,
} from '../../../../../chaincode/src/domain/credit/rulebook';
import { MspId, Role } from '../../../../../chaincode/src/types/consortium';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

const REGULATOR = { mspId: MspId.REGULATOR, role: Role.REGULATOR };
const T0 = '2025-01-01T00:00:00.000Z';
const T1 = '2025-02-01T00:00:00.000Z';
const T2 = '2025-03-01T00:00:00.000Z';
const T3 = '2025-04-01T00:00:00.000Z';

type Book = {
  indicators: Record<string, unknown>[];
  events: { eventType: string; effects: Record<string, unknown>[] }[];
  levels: Record<string, unknown>[];
  [key: string]: unknown;
};

/** A deep copy of the default rulebook with `change` applied, for one-field-at-a-time rejections. */
function edit(change: (book: Book) => void): unknown {
  const book = JSON.parse(JSON.stringify(DEFAULT_RULEBOOK)) as Book;
  change(book);
  return book;
}

describe('domain/credit/rulebook', () => {
  describe('#parseRulebookInput', () => {
    it('should accept the default rulebook as it is', () => {
      const parsed = parseRulebookInput(DEFAULT_RULEBOOK);
      assert.deepEqual(parsed, DEFAULT_RULEBOOK);
      assert.equal(
        parsed.indicators.reduce((sum, indicator) => sum + indicator.weight, 0),
        100,
      );
      assert.deepEqual(
        parsed.levels.map((level) => level.level),
        ['AAA', 'AA', 'A', 'B', 'C'],
      );
      assert.deepEqual(
        parsed.events.map((event) => event.eventType),
        KNOWN_CREDIT_EVENT_TYPES,
      );
    });

    it('should store events in the canonical event-type order whatever the input order', () => {
      const reversed = edit((book) => book.events.reverse());
      assert.deepEqual(parseRulebookInput(reversed).events, DEFAULT_RULEBOOK.events);
    });

    it('should accept an event without effects and an indicator of weight 0', () => {
      const parsed = parseRulebookInput(
        edit((book) => {
          book.events.find((event) => event.eventType === 'BID_REVEALED')!.effects = [];
          book.indicators.push({ id: 'TRACKED_ONLY', weight: 0, initialScore: 500 });
        }),
      );
      assert.deepEqual(parsed.events.find((event) => event.eventType === 'BID_REVEALED')!.effects, []);
      assert.equal(parsed.indicators.at(-1)!.id, 'TRACKED_ONLY');
    });

    it('should refuse malformed rulebooks, each with its reason', () => {
      const cases: [unknown, RegExp][] = [
        [null, /rulebook must be a JSON object/],
        [edit((b) => (b.version = 3)), /rulebook has unsupported field\(s\): version/],
        [edit((b) => (b.indicators[0]!.weight = 29)), /indicator weights must sum to 100, got 99/],
        [edit((b) => (b.indicators[0]!.weight = 30.5)), /weight must be an integer in 0\.\.100/],
        [edit((b) => (b.indicators[0]!.weight = -1)), /weight must be an integer in 0\.\.100/],
        [
          edit((b) => (b.indicators[1]!.id = 'DELIVERY_ACCURACY')),
          /indicator DELIVERY_ACCURACY is defined twice/,
        ],
        [
          edit((b) => (b.indicators[0]!.id = 'delivery')),
          /indicators\[0\]\.id must be an UPPER_SNAKE identifier/,
        ],
        [edit((b) => (b.indicators[0]!.initialScore = 1001)), /initialScore must be an integer in 0\.\.1000/],
        [
          edit((b) => (b.indicators[0]!.colour = 'red')),
          /indicators\[0\] has unsupported field\(s\): colour/,
        ],
        [edit((b) => (b.indicators = [])), /indicators must have 1\.\.20 entries, got 0/],
        [
          edit((b) => (b.events[1]!.effects[0]!.indicator = 'PUNCTUALITY')),
          /event DELIVERY_DEVIATION names unknown indicator "PUNCTUALITY"/,
        ],
        [
          edit((b) => (b.events[0]!.eventType = 'DELIVERY_LATE')),
          /eventType must be one of DELIVERY_WITHIN_TOLERANCE/,
        ],
        [edit((b) => b.events.push({ ...b.events[8]!, effects: [] })), /event VIOLATION is defined twice/],
        [
          edit((b) => b.events.pop()),
          /events must define every event type \(effects may be empty\); missing VIOLATION/,
        ],
        [edit((b) => (b.events[0]!.effects[0]!.points = 0)), /gives 0 points to DELIVERY_ACCURACY/],
        [edit((b) => (b.events[0]!.effects[0]!.points = 1001)), /points must be an integer in -1000\.\.1000/],
        [
          edit((b) => b.events[0]!.effects.push({ indicator: 'DELIVERY_ACCURACY', points: 1 })),
          /event DELIVERY_WITHIN_TOLERANCE changes indicator DELIVERY_ACCURACY twice/,
        ],
        [
          edit((b) => (b.levels[1]!.minScore = 900)),
          /thresholds must strictly decrease .*AA \(900\) is not below AAA \(900\)/,
        ],
        [edit((b) => (b.levels[2]!.minScore = 850)), /A \(850\) is not below AA \(800\)/],
        [edit((b) => (b.levels[4]!.minScore = 100)), /the lowest level \(C\) must start at 0/],
        [edit((b) => (b.levels[0]!.level = 'aaa')), /levels\[0\]\.level must be 1\.\.8 capital letters/],
        [
          edit((b) => (b.levels[4]!.level = 'SUSPENDED')),
          /levels\[4\]\.level must be 1\.\.8 capital letters/,
        ],
        [edit((b) => (b.levels[1]!.level = 'AAA')), /level AAA is defined twice/],
        [edit((b) => (b.levels[0]!.bidQuotaWh = 0)), /bidQuotaWh must be a positive integer/],
        [edit((b) => (b.levels[3]!.bidQuotaWh = 25_000_000)), /bidQuotaWh of B must not exceed that of A/],
        [
          edit((b) => (b.levels[3]!.penaltyFactorPermille = 1100)),
          /penaltyFactorPermille of B must not be below that of A/,
        ],
        [
          edit((b) => (b.levels[4]!.penaltyFactorPermille = 10_001)),
          /penaltyFactorPermille must be an integer in 0\.\.10000/,
        ],
        [edit((b) => (b.levels = [b.levels[4]])), /levels must have 2\.\.10 entries, got 1/],
        [edit((b) => (b.description = '  ')), /description must be 1\.\.500 characters/],
        [edit((b) => (b.effectiveFrom = '2025-01-01')), /effectiveFrom must be an ISO-8601 UTC timestamp/],
      ];
      for (const [value, message] of cases) {
        assert.throws(() => parseRulebookInput(value), invalid(message), String(message));
      }
    });
  });

  describe('#buildRulebookVersion', () => {
    const v1 = buildRulebookVersion(DEFAULT_RULEBOOK, undefined, T0, REGULATOR);

    it('should create version 1, in force from its transaction time by default', () => {
      assert.deepEqual(v1, {
        version: 1,
        effectiveFrom: T0,
        ...DEFAULT_RULEBOOK,
        createdAt: T0,
        createdBy: { mspId: 'RegulatorMSP', role: 'regulator' },
      });
    });

    it('should append version previous + 1 with a later effective time', () => {
      const v2 = buildRulebookVersion({ ...DEFAULT_RULEBOOK, effectiveFrom: T2 }, v1, T1, REGULATOR);
      assert.equal(v2.version, 2);
      assert.equal(v2.effectiveFrom, T2);
      assert.equal(v2.createdAt, T1);
      const v3 = buildRulebookVersion(DEFAULT_RULEBOOK, v2, T3, REGULATOR);
      assert.equal(v3.version, 3);
      assert.equal(v3.effectiveFrom, T3);
    });

    it('should never rewrite history: no effective time in the past, none at or before the previous one', () => {
      assert.throws(
        () => buildRulebookVersion({ ...DEFAULT_RULEBOOK, effectiveFrom: T0 }, undefined, T1, REGULATOR),
        invalid(
          /effectiveFrom 2025-01-01T00:00:00.000Z lies before the transaction time .*past rules cannot be changed/,
        ),
      );
      const v2 = buildRulebookVersion({ ...DEFAULT_RULEBOOK, effectiveFrom: T3 }, v1, T1, REGULATOR);
      // v2 is scheduled for T3; a v3 at T2 (after its tx time but before v2) would reorder history.
      assert.throws(
        () => buildRulebookVersion({ ...DEFAULT_RULEBOOK, effectiveFrom: T2 }, v2, T1, REGULATOR),
        invalid(/effectiveFrom 2025-03-01T00:00:00.000Z must be after version 2's 2025-04-01T00:00:00.000Z/),
      );
      assert.throws(
        () => buildRulebookVersion({ ...DEFAULT_RULEBOOK, effectiveFrom: T3 }, v2, T1, REGULATOR),
        invalid(/must be after version 2's/),
      );
      // Same instant as the previous version's (defaulted from the same tx time): refused too.
      assert.throws(
        () => buildRulebookVersion(DEFAULT_RULEBOOK, v1, T0, REGULATOR),
        invalid(/must be after version 1's/),
      );
    });

    it('should not take a version number, or any server field, from the input', () => {
      for (const field of ['version', 'createdAt', 'createdBy']) {
        assert.throws(
          () => buildRulebookVersion({ ...DEFAULT_RULEBOOK, [field]: 1 }, v1, T1, REGULATOR),
          invalid(new RegExp(`unsupported field\\(s\\): ${field}`)),
        );
      }
    });

    it('should leave the previous version untouched', () => {
      const frozen = JSON.parse(JSON.stringify(v1)) as RulebookVersion;
      const changed = edit((b) => (b.events[1]!.effects[0]!.points = -100));
      buildRulebookVersion(changed, v1, T1, REGULATOR);
      assert.deepEqual(v1, frozen);
    });

    it('should let only the regulator publish', () => {
      for (const mspId of [MspId.CVPP, MspId.TRADING, MspId.CONTROL]) {
        assert.throws(
          () => buildRulebookVersion(DEFAULT_RULEBOOK, undefined, T0, { mspId, role: Role.ADMIN }),
          vppError(ErrorCode.FORBIDDEN, /only RegulatorMSP may publish the credit rulebook/),
        );
      }
    });

    it('should refuse a malformed transaction time', () => {
      assert.throws(
        () => buildRulebookVersion(DEFAULT_RULEBOOK, undefined, 'now', REGULATOR),
        invalid(/txTime/),
      );
    });
  });

  describe('#parseStoredRulebookVersion', () => {
    const v1 = buildRulebookVersion(DEFAULT_RULEBOOK, undefined, T0, REGULATOR);

    it('should accept what buildRulebookVersion produces', () => {
      assert.deepEqual(parseStoredRulebookVersion(JSON.parse(JSON.stringify(v1))), v1);
    });

    it('should reject corrupted versions', () => {
      const corrupt: unknown[] = [
        { ...v1, version: 0 },
        { ...v1, effectiveFrom: undefined },
        { ...v1, createdAt: 'x' },
        { ...v1, createdBy: { mspId: 'EvilMSP', role: 'regulator' } },
        { ...v1, levels: [] },
        { ...v1, extra: 1 },
      ];
      for (const value of corrupt) {
        assert.throws(() => parseStoredRulebookVersion(value), invalid(), JSON.stringify(value).slice(0, 80));
      }
    });
  });

  describe('#rulebookEffectiveAt', () => {
    const v1 = buildRulebookVersion(DEFAULT_RULEBOOK, undefined, T0, REGULATOR);
    const v2 = buildRulebookVersion({ ...DEFAULT_RULEBOOK, effectiveFrom: T2 }, v1, T1, REGULATOR);
    const v3 = buildRulebookVersion({ ...DEFAULT_RULEBOOK, effectiveFrom: T3 }, v2, T2, REGULATOR);
    const history = [v3, v1, v2];
    const at = (time: string) => rulebookEffectiveAt(history, time).version;

    it('should pick the version in force, a new version applying from its effective instant', () => {
      assert.equal(at(T0), 1);
      assert.equal(at('2025-02-28T23:59:59.999Z'), 1);
      assert.equal(at(T2), 2);
      assert.equal(at('2025-03-31T23:59:59.999Z'), 2);
      assert.equal(at(T3), 3);
      assert.equal(at('2030-01-01T00:00:00.000Z'), 3);
    });

    it('should report NOT_FOUND before the first version', () => {
      assert.throws(
        () => rulebookEffectiveAt(history, '2024-12-31T23:59:59.999Z'),
        vppError(ErrorCode.NOT_FOUND, /no credit rulebook is in force at 2024-12-31T23:59:59.999Z/),
      );
      assert.throws(() => rulebookEffectiveAt([], T0), vppError(ErrorCode.NOT_FOUND));
    });

    it('should refuse a broken history with INTERNAL', () => {
      assert.throws(
        () => rulebookEffectiveAt([v1, v3], T3),
        vppError(ErrorCode.INTERNAL, /expected version 2, found 3/),
      );
      assert.throws(
        () => rulebookEffectiveAt([v1, { ...v2, effectiveFrom: T0 }], T3),
        vppError(ErrorCode.INTERNAL, /version 2 does not take effect after version 1/),
      );
      assert.throws(() => rulebookEffectiveAt([v1, v1], T3), vppError(ErrorCode.INTERNAL));
    });

    it('should refuse a malformed time', () => {
      assert.throws(() => rulebookEffectiveAt(history, '2025-03-01'), invalid(/time must be an ISO-8601/));
    });
  });
});
