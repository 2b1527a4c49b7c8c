import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RULEBOOK } from '../../../../../chaincode/src/domain/credit/default-rulebook';
import {
  KNOWN_CREDIT_EVENT_TYPES,
  parseRulebookInput,
} from '../../../../../chaincode/src/domain/credit/rulebook';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { editDefaultRulebook } from '../../../../support/credit-rules';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

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
      const reversed = editDefaultRulebook((book) => book.events.reverse());
      assert.deepEqual(parseRulebookInput(reversed).events, DEFAULT_RULEBOOK.events);
    });

    it('should accept an event without effects and an indicator of weight 0', () => {
      const parsed = parseRulebookInput(
        editDefaultRulebook((book) => {
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
        [editDefaultRulebook((b) => (b.version = 3)), /rulebook has unsupported field\(s\): version/],
        [
          editDefaultRulebook((b) => (b.indicators[0]!.weight = 29)),
          /indicator weights must sum to 100, got 99/,
        ],
        [
          editDefaultRulebook((b) => (b.indicators[0]!.weight = 30.5)),
          /weight must be an integer in 0\.\.100/,
        ],
        [editDefaultRulebook((b) => (b.indicators[0]!.weight = -1)), /weight must be an integer in 0\.\.100/],
        [
          editDefaultRulebook((b) => (b.indicators[1]!.id = 'DELIVERY_ACCURACY')),
          /indicator DELIVERY_ACCURACY is defined twice/,
        ],
        [
          editDefaultRulebook((b) => (b.indicators[0]!.id = 'delivery')),
          /indicators\[0\]\.id must be an UPPER_SNAKE identifier/,
        ],
        [
          editDefaultRulebook((b) => (b.indicators[0]!.initialScore = 1001)),
          /initialScore must be an integer in 0\.\.1000/,
        ],
        [
          editDefaultRulebook((b) => (b.indicators[0]!.colour = 'red')),
          /indicators\[0\] has unsupported field\(s\): colour/,
        ],
        [editDefaultRulebook((b) => (b.indicators = [])), /indicators must have 1\.\.20 entries, got 0/],
        [
          editDefaultRulebook((b) => (b.events[1]!.effects[0]!.indicator = 'PUNCTUALITY')),
          /event DELIVERY_DEVIATION names unknown indicator "PUNCTUALITY"/,
        ],
        [
          editDefaultRulebook((b) => (b.events[0]!.eventType = 'DELIVERY_LATE')),
          /eventType must be one of DELIVERY_WITHIN_TOLERANCE/,
        ],
        [
          editDefaultRulebook((b) => b.events.push({ ...b.events[8]!, effects: [] })),
          /event VIOLATION is defined twice/,
        ],
        [
          editDefaultRulebook((b) => b.events.pop()),
          /events must define every event type \(effects may be empty\); missing VIOLATION/,
        ],
        [
          editDefaultRulebook((b) => (b.events[0]!.effects[0]!.points = 0)),
          /gives 0 points to DELIVERY_ACCURACY/,
        ],
        [
          editDefaultRulebook((b) => (b.events[0]!.effects[0]!.points = 1001)),
          /points must be an integer in -1000\.\.1000/,
        ],
        [
          editDefaultRulebook((b) =>
            b.events[0]!.effects.push({ indicator: 'DELIVERY_ACCURACY', points: 1 }),
          ),
          /event DELIVERY_WITHIN_TOLERANCE changes indicator DELIVERY_ACCURACY twice/,
        ],
        [
          editDefaultRulebook((b) => (b.levels[1]!.minScore = 900)),
          /thresholds must strictly decrease .*AA \(900\) is not below AAA \(900\)/,
        ],
        [editDefaultRulebook((b) => (b.levels[2]!.minScore = 850)), /A \(850\) is not below AA \(800\)/],
        [editDefaultRulebook((b) => (b.levels[4]!.minScore = 100)), /the lowest level \(C\) must start at 0/],
        [
          editDefaultRulebook((b) => (b.levels[0]!.level = 'aaa')),
          /levels\[0\]\.level must be 1\.\.8 capital letters/,
        ],
        [
          editDefaultRulebook((b) => (b.levels[4]!.level = 'SUSPENDED')),
          /levels\[4\]\.level must be 1\.\.8 capital letters/,
        ],
        [editDefaultRulebook((b) => (b.levels[1]!.level = 'AAA')), /level AAA is defined twice/],
        [editDefaultRulebook((b) => (b.levels[0]!.bidQuotaWh = 0)), /bidQuotaWh must be a positive integer/],
        [
          editDefaultRulebook((b) => (b.levels[3]!.bidQuotaWh = 25_000_000)),
          /bidQuotaWh of B must not exceed that of A/,
        ],
        [
          editDefaultRulebook((b) => (b.levels[3]!.penaltyFactorPermille = 1100)),
          /penaltyFactorPermille of B must not be below that of A/,
        ],
        [
          editDefaultRulebook((b) => (b.levels[4]!.penaltyFactorPermille = 10_001)),
          /penaltyFactorPermille must be an integer in 0\.\.10000/,
        ],
        [editDefaultRulebook((b) => (b.levels = [b.levels[4]])), /levels must have 2\.\.10 entries, got 1/],
        [editDefaultRulebook((b) => (b.description = '  ')), /description must be 1\.\.500 characters/],
        [
          editDefaultRulebook((b) => (b.effectiveFrom = '2025-01-01')),
          /effectiveFrom must be an ISO-8601 UTC timestamp/,
        ],
      ];
      for (const [value, message] of cases) {
        assert.throws(() => parseRulebookInput(value), invalid(message), String(message));
      }
    });
  });
});
