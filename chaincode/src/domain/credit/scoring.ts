// Credit scoring: events reported by settlement, telemetry, market and dispatch move the indicators of
// VPP operators and DERs as the rulebook in force prescribes; every change leaves a score record.
// Levels (standing.ts) derive from the weighted total score; the regulator can suspend a participant
// (suspension.ts). Pure rules only; the contract supplies identities, transaction ids and times, and
// stores indicator values, records and suspensions.
//
// Ranges and rounding:
// - every indicator value is an integer clamped to SCORE_MIN..SCORE_MAX (0..1000); an indicator the
//   participant has no value for yet starts at the rulebook's initialScore;
// - totalScore = floor(Σ value × weight / WEIGHT_TOTAL) over the rulebook's indicators: rounding
//   down, so a score is never rounded up into a better level;
// - a score record is written only for an indicator that actually changed; its delta is the change
//   applied after clamping (the nominal points are recorded beside it).

import {
  ENTITY_ID,
  invalid,
  MARKET_ID,
  POSITIVE,
  requireId,
  requireInteger,
  requireIsoTimestamp,
  requireObject,
  requireOneOf,
  TX_ID,
} from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';
import {
  eventRule,
  INDICATOR_ID_PATTERN,
  KNOWN_CREDIT_EVENT_TYPES,
  POINTS_RULE,
  SCORE_MAX,
  SCORE_MIN,
  SCORE_RULE,
  WEIGHT_TOTAL,
  type CreditEventType,
  type RulebookVersion,
} from './rulebook';

export const ParticipantType = {
  VPP: 'vpp',
  DER: 'der',
} as const;

export type ParticipantType = (typeof ParticipantType)[keyof typeof ParticipantType];

export const KNOWN_PARTICIPANT_TYPES: readonly ParticipantType[] = Object.values(ParticipantType);

export interface Participant {
  readonly type: ParticipantType;
  readonly id: string;
}

/** Indicator id → integer value in SCORE_MIN..SCORE_MAX. */
export type IndicatorValues = Readonly<Record<string, number>>;

export interface CreditEvent {
  readonly participant: Participant;
  readonly eventType: CreditEventType;
  /** The market interval the event concerns; absent for events tied to none (e.g. a violation). */
  readonly intervalId?: string;
  /** The transaction that reported the event. */
  readonly txId: string;
  /** Its transaction time, ISO-8601 UTC. */
  readonly at: string;
}

/** What a transaction observed about a participant, before it is stamped with its tx id and time. */
export interface CreditObservation {
  readonly participant: Participant;
  readonly eventType: CreditEventType;
  readonly intervalId?: string;
}

export interface ScoreRecord {
  readonly participant: Participant;
  readonly indicator: string;
  /** The change actually applied, after clamping; never 0. */
  readonly delta: number;
  /** The rulebook's nominal points; differs from delta when the value hit a bound. */
  readonly points: number;
  readonly valueAfter: number;
  /** The event type that caused the change. */
  readonly reasonCode: CreditEventType;
  readonly ruleVersion: number;
  readonly intervalId?: string;
  readonly txId: string;
  readonly at: string;
}

export interface CreditEventOutcome {
  /** Every indicator of the rulebook (plus any older ones the participant had), after the event. */
  readonly indicators: IndicatorValues;
  /** One per indicator that changed, ordered by indicator id. */
  readonly records: readonly ScoreRecord[];
}

const PARTICIPANT_FIELDS = ['type', 'id'] as const;
const EVENT_FIELDS = ['participant', 'eventType', 'intervalId', 'txId', 'at'] as const;
const RECORD_FIELDS = [
  'participant',
  'indicator',
  'delta',
  'points',
  'valueAfter',
  'reasonCode',
  'ruleVersion',
  'intervalId',
  'txId',
  'at',
] as const;

export function parseParticipant(value: unknown, what = 'participant'): Participant {
  const fields = requireObject(value, what, PARTICIPANT_FIELDS);
  return {
    type: requireOneOf(fields, 'type', KNOWN_PARTICIPANT_TYPES),
    id: requireId(fields, 'id', ENTITY_ID),
  };
}

export function sameParticipant(a: Participant, b: Participant): boolean {
  return a.type === b.type && a.id === b.id;
}

/** How messages name a participant: `vpp "vpp-1"`. */
export function participantLabel(participant: Participant): string {
  return `${participant.type} ${JSON.stringify(participant.id)}`;
}

/** Validates an event (as built by a producing contract or sent by the regulator). */
export function parseCreditEvent(value: unknown): CreditEvent {
  const fields = requireObject(value, 'credit event', EVENT_FIELDS);
  const base = {
    participant: parseParticipant(fields.participant),
    eventType: requireOneOf(fields, 'eventType', KNOWN_CREDIT_EVENT_TYPES),
    txId: requireId(fields, 'txId', TX_ID),
    at: requireIsoTimestamp(fields, 'at'),
  };
  return fields.intervalId === undefined
    ? base
    : { ...base, intervalId: requireId(fields, 'intervalId', MARKET_ID) };
}

/** Validates stored or supplied indicator values: known-shaped ids, integers in range. */
export function parseIndicatorValues(value: unknown): IndicatorValues {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('indicator values must be a JSON object');
  }
  const fields = value as Readonly<Record<string, unknown>>;
  const result: Record<string, number> = {};
  for (const id of Object.keys(fields).sort()) {
    if (!INDICATOR_ID_PATTERN.test(id)) {
      throw invalid(`indicator id ${JSON.stringify(id)} is not an UPPER_SNAKE identifier`);
    }
    result[id] = requireInteger(fields, id, SCORE_RULE);
  }
  return result;
}

/** What vpp.creditIndicators holds for one participant. */
export interface StoredCreditIndicators {
  readonly participant: Participant;
  /** Indicator id → value; only indicators some event has set (others read as their initialScore). */
  readonly values: IndicatorValues;
  /** Rulebook version of the last change. */
  readonly ruleVersion: number;
  /** Event time and transaction of the last change. */
  readonly updatedAt: string;
  readonly txId: string;
}

const INDICATORS_FIELDS = ['participant', 'values', 'ruleVersion', 'updatedAt', 'txId'] as const;

export function parseStoredCreditIndicators(value: unknown): StoredCreditIndicators {
  const fields = requireObject(value, 'stored credit indicators', INDICATORS_FIELDS);
  return {
    participant: parseParticipant(fields.participant),
    values: parseIndicatorValues(fields.values),
    ruleVersion: requireInteger(fields, 'ruleVersion', POSITIVE),
    updatedAt: requireIsoTimestamp(fields, 'updatedAt'),
    txId: requireId(fields, 'txId', TX_ID),
  };
}

/** The values a participant starts with under `rulebook`. */
export function initialIndicators(rulebook: RulebookVersion): IndicatorValues {
  return withRulebookIndicators({}, rulebook);
}

/**
 * `current` completed with the initial value of every rulebook indicator it lacks (a newer version may
 * add indicators). Indicators the rulebook no longer lists are kept but no longer weigh in.
 */
function withRulebookIndicators(current: IndicatorValues, rulebook: RulebookVersion): Record<string, number> {
  const values: Record<string, number> = { ...current };
  for (const indicator of rulebook.indicators) {
    values[indicator.id] ??= indicator.initialScore;
  }
  return values;
}

/** The value of an indicator that withRulebookIndicators guarantees to be present. */
function valueOf(values: Readonly<Record<string, number>>, indicator: string): number {
  const value = values[indicator];
  if (value === undefined) {
    throw new VppError(ErrorCode.INTERNAL, `indicator ${indicator} has no value`);
  }
  return value;
}

function clamp(value: number): number {
  return Math.min(SCORE_MAX, Math.max(SCORE_MIN, value));
}

/**
 * Applies one event under `rulebook` (which the caller picks with rulebookEffectiveAt for event.at;
 * a version that only takes effect after the event is refused). `current` is undefined for a
 * participant without indicators yet. Returns the new values and one record per changed indicator.
 */
export function applyCreditEvent(
  current: IndicatorValues | undefined,
  event: CreditEvent,
  rulebook: RulebookVersion,
): CreditEventOutcome {
  const checked = parseCreditEvent(event);
  if (Date.parse(rulebook.effectiveFrom) > Date.parse(checked.at)) {
    throw invalid(
      `rulebook version ${rulebook.version} takes effect at ${rulebook.effectiveFrom}, after the event at ${checked.at}`,
    );
  }
  const values = withRulebookIndicators(current === undefined ? {} : parseIndicatorValues(current), rulebook);
  const effects = [...eventRule(rulebook, checked.eventType).effects].sort((a, b) =>
    a.indicator < b.indicator ? -1 : a.indicator > b.indicator ? 1 : 0,
  );
  const records: ScoreRecord[] = [];
  for (const effect of effects) {
    const before = valueOf(values, effect.indicator);
    const after = clamp(before + effect.points);
    if (after === before) continue;
    values[effect.indicator] = after;
    records.push({
      participant: checked.participant,
      indicator: effect.indicator,
      delta: after - before,
      points: effect.points,
      valueAfter: after,
      reasonCode: checked.eventType,
      ruleVersion: rulebook.version,
      ...(checked.intervalId === undefined ? {} : { intervalId: checked.intervalId }),
      txId: checked.txId,
      at: checked.at,
    });
  }
  return { indicators: values, records };
}

/**
 * Weighted total: floor(Σ value × weight / WEIGHT_TOTAL) over the rulebook's indicators, missing
 * values counting at their initialScore. Integer in SCORE_MIN..SCORE_MAX (the weights sum to 100, so
 * the sum is at most 1000 × 100 and exact in a double).
 */
export function totalScore(indicators: IndicatorValues | undefined, rulebook: RulebookVersion): number {
  const values = withRulebookIndicators(
    indicators === undefined ? {} : parseIndicatorValues(indicators),
    rulebook,
  );
  const weighted = rulebook.indicators.reduce(
    (sum, indicator) => sum + valueOf(values, indicator.id) * indicator.weight,
    0,
  );
  return Math.floor(weighted / WEIGHT_TOTAL);
}

export function parseStoredScoreRecord(value: unknown): ScoreRecord {
  const fields = requireObject(value, 'stored score record', RECORD_FIELDS);
  const indicator = fields.indicator;
  if (typeof indicator !== 'string' || !INDICATOR_ID_PATTERN.test(indicator)) {
    throw invalid('indicator must be an UPPER_SNAKE identifier');
  }
  const delta = requireInteger(fields, 'delta', POINTS_RULE);
  if (delta === 0) {
    throw invalid('delta must not be 0');
  }
  return {
    participant: parseParticipant(fields.participant),
    indicator,
    delta,
    points: requireInteger(fields, 'points', POINTS_RULE),
    valueAfter: requireInteger(fields, 'valueAfter', SCORE_RULE),
    reasonCode: requireOneOf(fields, 'reasonCode', KNOWN_CREDIT_EVENT_TYPES),
    ruleVersion: requireInteger(fields, 'ruleVersion', POSITIVE),
    ...(fields.intervalId === undefined ? {} : { intervalId: requireId(fields, 'intervalId', MARKET_ID) }),
    txId: requireId(fields, 'txId', TX_ID),
    at: requireIsoTimestamp(fields, 'at'),
  };
}

/** One page of a participant's score records, oldest first (ListScoreRecords); bookmark '' at the end. */
export interface ScoreRecordPage {
  readonly records: readonly ScoreRecord[];
  /**
   * Each record's ledger-key attributes (participant type and id, time, transaction, event sequence,
   * indicator), in the order of `records`: what a proof bundle of the record is asked for with.
   */
  readonly keys: readonly (readonly string[])[];
  readonly bookmark: string;
}
