// The credit rulebook: how events change the credit indicators of VPP operators and DERs, how
// indicators combine into a score, and what each level (derived from the score) means for the
// market's bid quota and settlement's penalty factor. The regulator owns it and every member reads it.
//
// Versioned, never edited: a change is a new version (previous + 1) with an effective time that is
// not before its transaction time and strictly after the previous version's, so the rules that
// applied at any past instant can always be recovered (rulebookEffectiveAt). A version scheduled for
// the future cannot be withdrawn, only superseded by a later one.
//
// Pure rules only; the contract supplies caller identity and transaction time.

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
import { MspId, KNOWN_MSP_IDS, KNOWN_ROLES, type Role } from '../../types/consortium';
import { ErrorCode, VppError } from '../../types/errors';

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
  /** Largest total quantity (Wh) a VPP at this level may offer for one interval. */
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

const INPUT_FIELDS = ['effectiveFrom', 'description', 'indicators', 'events', 'levels'] as const;
const VERSION_FIELDS = [...INPUT_FIELDS, 'version', 'createdAt', 'createdBy'] as const;
const INDICATOR_FIELDS = ['id', 'weight', 'initialScore'] as const;
const EVENT_FIELDS = ['eventType', 'effects'] as const;
const EFFECT_FIELDS = ['indicator', 'points'] as const;
const LEVEL_FIELDS = ['level', 'minScore', 'bidQuotaWh', 'penaltyFactorPermille'] as const;
const AUTHOR_FIELDS = ['mspId', 'role'] as const;

const SCORE_RULE = { min: SCORE_MIN, max: SCORE_MAX } as const;
const POINTS_RULE = { min: -(SCORE_MAX - SCORE_MIN), max: SCORE_MAX - SCORE_MIN } as const;

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
  const fields = requireObject(value, 'rulebook', INPUT_FIELDS);
  const indicators = parseIndicators(fields);
  const events = parseEvents(fields, new Set(indicators.map((indicator) => indicator.id)));
  const levels = parseLevels(fields);
  const description = requireText(fields, 'description', DESCRIPTION_RULE);
  const base = { description, indicators, events, levels };
  return fields.effectiveFrom === undefined
    ? base
    : { effectiveFrom: requireIsoTimestamp(fields, 'effectiveFrom'), ...base };
}

function checkAuthor(author: RulebookAuthor): void {
  if (author.mspId !== MspId.REGULATOR) {
    throw new VppError(
      ErrorCode.FORBIDDEN,
      `only ${MspId.REGULATOR} may publish the credit rulebook, not ${author.mspId}`,
    );
  }
}

/**
 * The next rulebook version: `previous` must be the latest stored version (undefined for the first).
 * effectiveFrom (default: txTime) must not lie before txTime and must lie strictly after the
 * previous version's effectiveFrom, so no instant that has already passed changes its rules.
 * Only the regulator may publish (FORBIDDEN otherwise); role checks are the contract's.
 */
export function buildRulebookVersion(
  input: unknown,
  previous: RulebookVersion | undefined,
  txTime: string,
  author: RulebookAuthor,
): RulebookVersion {
  checkAuthor(author);
  const now = requireIsoTimestamp({ txTime }, 'txTime');
  const parsed = parseRulebookInput(input);
  const effectiveFrom = parsed.effectiveFrom ?? now;
  if (Date.parse(effectiveFrom) < Date.parse(now)) {
    throw invalid(
      `effectiveFrom ${effectiveFrom} lies before the transaction time ${now}: past rules cannot be changed`,
    );
  }
  if (previous !== undefined && Date.parse(effectiveFrom) <= Date.parse(previous.effectiveFrom)) {
    throw invalid(
      `effectiveFrom ${effectiveFrom} must be after version ${previous.version}'s ${previous.effectiveFrom}`,
    );
  }
  return {
    version: previous === undefined ? 1 : previous.version + 1,
    effectiveFrom,
    description: parsed.description,
    indicators: parsed.indicators,
    events: parsed.events,
    levels: parsed.levels,
    createdAt: now,
    createdBy: { mspId: author.mspId, role: author.role },
  };
}

/** Decoder for stored versions: re-validates every rule so corrupted state is never trusted. */
export function parseStoredRulebookVersion(value: unknown): RulebookVersion {
  const fields = requireObject(value, 'stored rulebook version', VERSION_FIELDS);
  const input = parseRulebookInput({
    effectiveFrom: fields.effectiveFrom,
    description: fields.description,
    indicators: fields.indicators,
    events: fields.events,
    levels: fields.levels,
  });
  const author = requireObject(fields.createdBy, 'createdBy', AUTHOR_FIELDS);
  return {
    version: requireInteger(fields, 'version', POSITIVE),
    effectiveFrom: requireIsoTimestamp(fields, 'effectiveFrom'),
    description: input.description,
    indicators: input.indicators,
    events: input.events,
    levels: input.levels,
    createdAt: requireIsoTimestamp(fields, 'createdAt'),
    createdBy: {
      mspId: requireOneOf(author, 'mspId', KNOWN_MSP_IDS),
      role: requireOneOf(author, 'role', KNOWN_ROLES),
    },
  };
}

/**
 * The version in force at `time`: the one with the latest effectiveFrom ≤ time (a version applies
 * from its effectiveFrom inclusive). `versions` may come in any order but must form one history:
 * numbers 1..n without gaps and effectiveFrom strictly increasing with the number (else INTERNAL).
 * NOT_FOUND if `time` precedes the first version.
 */
export function rulebookEffectiveAt(versions: readonly RulebookVersion[], time: string): RulebookVersion {
  const at = Date.parse(requireIsoTimestamp({ time }, 'time'));
  const ordered = [...versions].sort((a, b) => a.version - b.version);
  ordered.forEach((version, i) => {
    if (version.version !== i + 1) {
      throw new VppError(
        ErrorCode.INTERNAL,
        `rulebook history is broken: expected version ${i + 1}, found ${version.version}`,
      );
    }
    const before = ordered[i - 1];
    if (before !== undefined && Date.parse(version.effectiveFrom) <= Date.parse(before.effectiveFrom)) {
      throw new VppError(
        ErrorCode.INTERNAL,
        `rulebook history is broken: version ${version.version} does not take effect after version ${before.version}`,
      );
    }
  });
  let inForce: RulebookVersion | undefined;
  for (const version of ordered) {
    if (Date.parse(version.effectiveFrom) > at) break;
    inForce = version;
  }
  if (inForce === undefined) {
    throw new VppError(ErrorCode.NOT_FOUND, `no credit rulebook is in force at ${time}`);
  }
  return inForce;
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

/**
 * The first rulebook the setup installs (no effectiveFrom: it takes effect at its transaction).
 *
 * Indicators start at 700 (VIOLATIONS at 1000, i.e. none recorded), which makes a newcomer's total
 * score floor((700 × 85 + 1000 × 15) / 100) = 745: level A. Weights: delivery accuracy 30, telemetry
 * availability 15, telemetry validity 15, bid reveal compliance 10, dispatch acknowledgement 15,
 * violations 15. Good behaviour earns a few points per event, failures cost several times more, so a
 * level is earned slowly and lost quickly. Quotas: 50/30/20/10/2 MWh per interval; penalty factors
 * 1.0/1.0/1.2/1.5/2.0×.
 */
export const DEFAULT_RULEBOOK: RulebookInput = {
  description:
    'Default VPP credit rulebook: delivery accuracy, telemetry availability and validity, bid reveal ' +
    'compliance, dispatch acknowledgement and violations; levels AAA, AA, A, B, C.',
  indicators: [
    { id: 'DELIVERY_ACCURACY', weight: 30, initialScore: 700 },
    { id: 'TELEMETRY_AVAILABILITY', weight: 15, initialScore: 700 },
    { id: 'TELEMETRY_VALIDITY', weight: 15, initialScore: 700 },
    { id: 'BID_REVEAL_COMPLIANCE', weight: 10, initialScore: 700 },
    { id: 'DISPATCH_ACKNOWLEDGEMENT', weight: 15, initialScore: 700 },
    { id: 'VIOLATIONS', weight: 15, initialScore: 1000 },
  ],
  events: [
    { eventType: 'DELIVERY_WITHIN_TOLERANCE', effects: [{ indicator: 'DELIVERY_ACCURACY', points: 10 }] },
    { eventType: 'DELIVERY_DEVIATION', effects: [{ indicator: 'DELIVERY_ACCURACY', points: -30 }] },
    { eventType: 'READINGS_COMPLETE', effects: [{ indicator: 'TELEMETRY_AVAILABILITY', points: 5 }] },
    { eventType: 'READING_REJECTED', effects: [{ indicator: 'TELEMETRY_VALIDITY', points: -20 }] },
    { eventType: 'BID_REVEALED', effects: [{ indicator: 'BID_REVEAL_COMPLIANCE', points: 5 }] },
    { eventType: 'BID_NOT_REVEALED', effects: [{ indicator: 'BID_REVEAL_COMPLIANCE', points: -50 }] },
    { eventType: 'DISPATCH_ACKNOWLEDGED', effects: [{ indicator: 'DISPATCH_ACKNOWLEDGEMENT', points: 5 }] },
    {
      eventType: 'DISPATCH_NOT_ACKNOWLEDGED',
      effects: [{ indicator: 'DISPATCH_ACKNOWLEDGEMENT', points: -40 }],
    },
    { eventType: 'VIOLATION', effects: [{ indicator: 'VIOLATIONS', points: -200 }] },
  ],
  levels: [
    { level: 'AAA', minScore: 900, bidQuotaWh: 50_000_000, penaltyFactorPermille: 1000 },
    { level: 'AA', minScore: 800, bidQuotaWh: 30_000_000, penaltyFactorPermille: 1000 },
    { level: 'A', minScore: 650, bidQuotaWh: 20_000_000, penaltyFactorPermille: 1200 },
    { level: 'B', minScore: 500, bidQuotaWh: 10_000_000, penaltyFactorPermille: 1500 },
    { level: 'C', minScore: 0, bidQuotaWh: 2_000_000, penaltyFactorPermille: 2000 },
  ],
};
