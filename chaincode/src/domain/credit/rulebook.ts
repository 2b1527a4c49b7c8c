// The credit rulebook: how events change the credit indicators of VPP operators and DERs, how
// indicators combine into a score, and what each level (derived from the score) means for the
// market's bid quota and settlement's penalty factor. The regulator owns it and every member reads
// it; it is versioned, never edited (rulebook-versions.ts). Pure rules only.

import {
  type Fields,
  invalid,
  POSITIVE,
  requireInteger,
  requireIsoTimestamp,
  requireList,
  requireObject,
  requireOneOf,
  requireText,
} from '../../rules';
import type { MspId, Role } from '../../types/consortium';

/** The events other modules report. The code emits exactly these, so the rulebook must price each. */
export const CreditEventType = {
  /** Settlement: the VPP's delivery was within the tolerance of its award. */
  DELIVERY_WITHIN_TOLERANCE: 'DELIVERY_WITHIN_TOLERANCE',
  /** Settlement: the VPP's delivery deviated from its award by more than the tolerance. */
  DELIVERY_DEVIATION: 'DELIVERY_DEVIATION',
  /** Telemetry: a DER delivered every expected reading of an interval. */
  READINGS_COMPLETE: 'READINGS_COMPLETE',
  /** Telemetry: a reading was refused (bad signature, replay, above capacity, ...). */
  READING_REJECTED: 'READING_REJECTED',
  /** Market: a sealed bid was revealed in time. */
  BID_REVEALED: 'BID_REVEALED',
  /** Market: a committed bid was never revealed. */
  BID_NOT_REVEALED: 'BID_NOT_REVEALED',
  /** Dispatch: an instruction was acknowledged in time. */
  DISPATCH_ACKNOWLEDGED: 'DISPATCH_ACKNOWLEDGED',
  /** Dispatch: an instruction was not acknowledged in time. */
  DISPATCH_NOT_ACKNOWLEDGED: 'DISPATCH_NOT_ACKNOWLEDGED',
  /** Regulator: a rule violation was recorded. */
  VIOLATION: 'VIOLATION',
} as const;

export type CreditEventType = (typeof CreditEventType)[keyof typeof CreditEventType];

export const KNOWN_CREDIT_EVENT_TYPES: readonly CreditEventType[] = Object.values(CreditEventType);

/** Every indicator value, and so every score, stays within SCORE_MIN..SCORE_MAX (clamped). */
export const SCORE_MIN = 0;
export const SCORE_MAX = 1000;
/** Indicator weights are integer percentages: they sum to exactly this. */
export const WEIGHT_TOTAL = 100;
/** Penalty factors are in permille (1000 = 1.0×); 0 waives penalties, at most 10×. */
export const MAX_PENALTY_FACTOR_PERMILLE = 10_000;
/** The level reported for a suspended participant; the level-name pattern keeps it out of rulebooks. */
export const SUSPENDED_LEVEL = 'SUSPENDED';

export const INDICATOR_ID_PATTERN = /^[A-Z][A-Z0-9_]{0,47}$/;
/** 1..8 capital letters (AAA, AA, A, B, C, ...). SUSPENDED (9 letters) can never be a level name. */
export const LEVEL_NAME_PATTERN = /^[A-Z]{1,8}$/;
export const DESCRIPTION_RULE = { min: 1, max: 500 } as const;
export const MAX_INDICATORS = 20;
export const MIN_LEVELS = 2;
export const MAX_LEVELS = 10;
/** Bounds the list before duplicates are reported; a valid rulebook has exactly one per event type. */
export const MAX_EVENT_RULES = 64;

export interface IndicatorRule {
  /** UPPER_SNAKE id, unique in the rulebook. */
  readonly id: string;
  /** Integer percentage 0..100; the weights of a rulebook sum to WEIGHT_TOTAL. 0 = tracked only. */
  readonly weight: number;
  /** Value a participant starts with (and gets when a new version adds the indicator). */
  readonly initialScore: number;
}

export interface EventEffect {
  readonly indicator: string;
  /** Points added (negative: removed) before clamping to SCORE_MIN..SCORE_MAX; never 0. */
  readonly points: number;
}

export interface EventRule {
  readonly eventType: CreditEventType;
  /** May be empty: the event is then recorded by its producer but changes no indicator. */
  readonly effects: readonly EventEffect[];
}

export interface LevelRule {
  readonly level: string;
  /** Lowest total score that still earns this level. */
  readonly minScore: number;
  /**
   * Largest total quantity (Wh) a VPP at this level may offer for one interval; a reserve interval,
   * traded in W, allows floor(bidQuotaWh × 3600 / delivery seconds) W (domain/market/quota.ts).
   */
  readonly bidQuotaWh: number;
  /** Multiplies settlement penalties, in permille (1000 = 1.0×). */
  readonly penaltyFactorPermille: number;
}

/** What the regulator submits. effectiveFrom defaults to the transaction time. */
export interface RulebookInput {
  readonly effectiveFrom?: string;
  readonly description: string;
  readonly indicators: readonly IndicatorRule[];
  /** One entry per known event type, stored in KNOWN_CREDIT_EVENT_TYPES order. */
  readonly events: readonly EventRule[];
  /** Best level first; minScore strictly decreasing; the last level starts at SCORE_MIN. */
  readonly levels: readonly LevelRule[];
}

export interface RulebookAuthor {
  readonly mspId: MspId;
  readonly role: Role;
}

export interface RulebookVersion {
  /** 1 for the first rulebook, previous + 1 after. */
  readonly version: number;
  /** From this instant (inclusive) until the next version's effectiveFrom, this version applies. */
  readonly effectiveFrom: string;
  readonly description: string;
  readonly indicators: readonly IndicatorRule[];
  readonly events: readonly EventRule[];
  readonly levels: readonly LevelRule[];
  /** Transaction time of the write. */
  readonly createdAt: string;
  readonly createdBy: RulebookAuthor;
}

export const RULEBOOK_INPUT_FIELDS = [
  'effectiveFrom',
  'description',
  'indicators',
  'events',
  'levels',
] as const;
const INDICATOR_FIELDS = ['id', 'weight', 'initialScore'] as const;
const EVENT_FIELDS = ['eventType', 'effects'] as const;
const EFFECT_FIELDS = ['indicator', 'points'] as const;
const LEVEL_FIELDS = ['level', 'minScore', 'bidQuotaWh', 'penaltyFactorPermille'] as const;

/** An indicator value or total score. */
export const SCORE_RULE = { min: SCORE_MIN, max: SCORE_MAX } as const;
/** A change of an indicator value: at most the whole range either way. */
export const POINTS_RULE = { min: -(SCORE_MAX - SCORE_MIN), max: SCORE_MAX - SCORE_MIN } as const;

function parseIndicator(value: unknown, at: string): IndicatorRule {
  const fields = requireObject(value, at, INDICATOR_FIELDS);
  const id = fields.id;
  if (typeof id !== 'string' || !INDICATOR_ID_PATTERN.test(id)) {
    throw invalid(`${at}.id must be an UPPER_SNAKE identifier of at most 48 characters`);
  }
  return {
    id,
    weight: requireInteger(fields, 'weight', { min: 0, max: WEIGHT_TOTAL }),
    initialScore: requireInteger(fields, 'initialScore', SCORE_RULE),
  };
}

function parseIndicators(fields: Fields): IndicatorRule[] {
  const list = requireList(fields, 'indicators', { min: 1, max: MAX_INDICATORS });
  const indicators = list.map((item, i) => parseIndicator(item, `indicators[${i}]`));
  const seen = new Set<string>();
  for (const indicator of indicators) {
    if (seen.has(indicator.id)) {
      throw invalid(`indicator ${indicator.id} is defined twice`);
    }
    seen.add(indicator.id);
  }
  const total = indicators.reduce((sum, indicator) => sum + indicator.weight, 0);
  if (total !== WEIGHT_TOTAL) {
    throw invalid(`indicator weights must sum to ${WEIGHT_TOTAL}, got ${total}`);
  }
  return indicators;
}

function parseEvents(fields: Fields, indicatorIds: ReadonlySet<string>): EventRule[] {
  const list = requireList(fields, 'events', { min: 0, max: MAX_EVENT_RULES });
  const byType = new Map<CreditEventType, EventRule>();
  list.forEach((item, i) => {
    const at = `events[${i}]`;
    const event = requireObject(item, at, EVENT_FIELDS);
    const eventType = requireOneOf(event, 'eventType', KNOWN_CREDIT_EVENT_TYPES);
    if (byType.has(eventType)) {
      throw invalid(`event ${eventType} is defined twice`);
    }
    const effectList = requireList(event, 'effects', { min: 0, max: MAX_INDICATORS });
    const touched = new Set<string>();
    const effects = effectList.map((effectValue, j) => {
      const effect = requireObject(effectValue, `${at}.effects[${j}]`, EFFECT_FIELDS);
      const indicator = effect.indicator;
      if (typeof indicator !== 'string' || !indicatorIds.has(indicator)) {
        throw invalid(`event ${eventType} names unknown indicator ${JSON.stringify(indicator)}`);
      }
      if (touched.has(indicator)) {
        throw invalid(`event ${eventType} changes indicator ${indicator} twice`);
      }
      touched.add(indicator);
      const points = requireInteger(effect, 'points', POINTS_RULE);
      if (points === 0) {
        throw invalid(`event ${eventType} gives 0 points to ${indicator}; leave the effect out instead`);
      }
      return { indicator, points };
    });
    byType.set(eventType, { eventType, effects });
  });
  const missing = KNOWN_CREDIT_EVENT_TYPES.filter((eventType) => !byType.has(eventType));
  if (missing.length > 0) {
    throw invalid(
      `events must define every event type (effects may be empty); missing ${missing.join(', ')}`,
    );
  }
  return KNOWN_CREDIT_EVENT_TYPES.map((eventType) => byType.get(eventType) ?? { eventType, effects: [] });
}

function parseLevels(fields: Fields): LevelRule[] {
  const list = requireList(fields, 'levels', { min: MIN_LEVELS, max: MAX_LEVELS });
  const levels = list.map((item, i): LevelRule => {
    const at = `levels[${i}]`;
    const level = requireObject(item, at, LEVEL_FIELDS);
    const name = level.level;
    if (typeof name !== 'string' || !LEVEL_NAME_PATTERN.test(name)) {
      throw invalid(`${at}.level must be 1..8 capital letters`);
    }
    return {
      level: name,
      minScore: requireInteger(level, 'minScore', SCORE_RULE),
      bidQuotaWh: requireInteger(level, 'bidQuotaWh', POSITIVE),
      penaltyFactorPermille: requireInteger(level, 'penaltyFactorPermille', {
        min: 0,
        max: MAX_PENALTY_FACTOR_PERMILLE,
      }),
    };
  });
  const names = new Set<string>();
  levels.forEach((level, i) => {
    if (names.has(level.level)) {
      throw invalid(`level ${level.level} is defined twice`);
    }
    names.add(level.level);
    const better = levels[i - 1];
    if (better === undefined) return;
    if (level.minScore >= better.minScore) {
      throw invalid(
        `level thresholds must strictly decrease from the best level: ${level.level} (${level.minScore}) ` +
          `is not below ${better.level} (${better.minScore})`,
      );
    }
    // A worse level must never be better off than a better one.
    if (level.bidQuotaWh > better.bidQuotaWh) {
      throw invalid(`bidQuotaWh of ${level.level} must not exceed that of ${better.level}`);
    }
    if (level.penaltyFactorPermille < better.penaltyFactorPermille) {
      throw invalid(`penaltyFactorPermille of ${level.level} must not be below that of ${better.level}`);
    }
  });
  const lowest = levels.at(-1);
  if (lowest !== undefined && lowest.minScore !== SCORE_MIN) {
    throw invalid(`the lowest level (${lowest.level}) must start at ${SCORE_MIN} so every score has a level`);
  }
  return levels;
}

/** Validates a rulebook submitted by a client; throws VppError INVALID_ARGUMENT. */
export function parseRulebookInput(value: unknown): RulebookInput {
  const fields = requireObject(value, 'rulebook', RULEBOOK_INPUT_FIELDS);
  const indicators = parseIndicators(fields);
  const events = parseEvents(fields, new Set(indicators.map((indicator) => indicator.id)));
  const levels = parseLevels(fields);
  const description = requireText(fields, 'description', DESCRIPTION_RULE);
  const base = { description, indicators, events, levels };
  return fields.effectiveFrom === undefined
    ? base
    : { effectiveFrom: requireIsoTimestamp(fields, 'effectiveFrom'), ...base };
}

/** Looks up a level's rule; INVALID_ARGUMENT for a level this version does not define. */
export function levelRule(rulebook: RulebookVersion, level: string): LevelRule {
  const rule = rulebook.levels.find((candidate) => candidate.level === level);
  if (rule === undefined) {
    throw invalid(`level ${JSON.stringify(level)} is not defined in rulebook version ${rulebook.version}`);
  }
  return rule;
}

/** The effects of an event type under a rulebook (empty if it changes nothing). */
export function eventRule(rulebook: RulebookVersion, eventType: CreditEventType): EventRule {
  return rulebook.events.find((rule) => rule.eventType === eventType) ?? { eventType, effects: [] };
}
