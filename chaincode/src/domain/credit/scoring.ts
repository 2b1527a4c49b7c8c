// Credit scoring: events reported by settlement, telemetry, market and dispatch move the indicators of
// VPP operators and DERs as the rulebook in force prescribes; every change leaves a score record.
// Levels derive from the weighted total score and decide the market's bid quota and settlement's
// penalty factor. The regulator can suspend a participant. Pure rules only; the contract supplies
// identities, transaction ids and times, and stores indicator values, records and suspensions.
//
// Ranges and rounding:
// - every indicator value is an integer clamped to SCORE_MIN..SCORE_MAX (0..1000); an indicator the
//   participant has no value for yet starts at the rulebook's initialScore;
// - totalScore = floor(Σ value × weight / WEIGHT_TOTAL) over the rulebook's indicators: rounding
//   down, so a score is never rounded up into a better level;
// - a score record is written only for an indicator that actually changed; its delta is the change
//   applied after clamping (the nominal points are recorded beside it).

import {
  compareIds,
  ENTITY_ID,
  invalid,
  MARKET_ID,
  POSITIVE,
  requireId,
  requireInteger,
  requireIsoTimestamp,
  requireObject,
  requireOneOf,
  requireText,
  TX_ID,
} from '../../rules';
import { MspId, KNOWN_MSP_IDS, KNOWN_ROLES, type Role } from '../../types/consortium';
import { ErrorCode, VppError } from '../../types/errors';
import {
  eventRule,
  INDICATOR_ID_PATTERN,
  KNOWN_CREDIT_EVENT_TYPES,
  levelRule,
  SCORE_MAX,
  SCORE_MIN,
  SUSPENDED_LEVEL,
  WEIGHT_TOTAL,
  type CreditEventType,
  type LevelRule,
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
const SCORE_RULE = { min: SCORE_MIN, max: SCORE_MAX } as const;
const DELTA_RULE = { min: -(SCORE_MAX - SCORE_MIN), max: SCORE_MAX - SCORE_MIN } as const;

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

function label(participant: Participant): string {
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

/** The best level whose minScore the score reaches (a score exactly at a threshold earns the level). */
export function levelOf(score: number, rulebook: RulebookVersion): string {
  requireInteger({ score }, 'score', SCORE_RULE);
  // Levels are stored best first with strictly decreasing thresholds, the last one at SCORE_MIN.
  const level = rulebook.levels.find((candidate) => score >= candidate.minScore);
  if (level === undefined) {
    throw new VppError(ErrorCode.INTERNAL, `rulebook version ${rulebook.version} has no level for ${score}`);
  }
  return level.level;
}

function worstLevel(rulebook: RulebookVersion): LevelRule {
  const worst = rulebook.levels.at(-1);
  if (worst === undefined) {
    throw new VppError(ErrorCode.INTERNAL, `rulebook version ${rulebook.version} has no levels`);
  }
  return worst;
}

/** A VPP's bid quota in Wh per interval; 0 while suspended. */
export function quotaOf(level: string, rulebook: RulebookVersion): number {
  return level === SUSPENDED_LEVEL ? 0 : levelRule(rulebook, level).bidQuotaWh;
}

/** Settlement penalty factor in permille; a suspended participant pays the worst level's factor. */
export function penaltyFactorOf(level: string, rulebook: RulebookVersion): number {
  const rule = level === SUSPENDED_LEVEL ? worstLevel(rulebook) : levelRule(rulebook, level);
  return rule.penaltyFactorPermille;
}

// ---- suspension ----

export const SuspensionStatus = {
  SUSPENDED: 'suspended',
  REINSTATED: 'reinstated',
} as const;

export type SuspensionStatus = (typeof SuspensionStatus)[keyof typeof SuspensionStatus];

const KNOWN_SUSPENSION_STATUSES: readonly SuspensionStatus[] = Object.values(SuspensionStatus);

export const SUSPENSION_REASON_RULE = { min: 1, max: 500 } as const;

export interface SuspensionAuthor {
  readonly mspId: MspId;
  readonly role: Role;
}

/**
 * The latest suspension decision about a participant. A suspended participant keeps collecting score
 * records, but its level reads SUSPENDED: bid quota 0, the worst level's penalty factor.
 */
export interface SuspensionRecord {
  readonly participant: Participant;
  readonly status: SuspensionStatus;
  readonly reason: string;
  readonly by: SuspensionAuthor;
  readonly at: string;
  readonly txId: string;
}

export interface SuspensionInput {
  readonly participant: Participant;
  readonly reason: string;
}

export interface SuspensionWrite {
  /** Raw client input: { participant: { type, id }, reason }. */
  readonly input: unknown;
  /** The participant's current suspension record, if any. */
  readonly current: SuspensionRecord | undefined;
  readonly by: SuspensionAuthor;
  /** Transaction time and id. */
  readonly at: string;
  readonly txId: string;
}

const SUSPENSION_INPUT_FIELDS = ['participant', 'reason'] as const;
const SUSPENSION_FIELDS = ['participant', 'status', 'reason', 'by', 'at', 'txId'] as const;
const AUTHOR_FIELDS = ['mspId', 'role'] as const;

export function parseSuspensionInput(value: unknown): SuspensionInput {
  const fields = requireObject(value, 'suspension', SUSPENSION_INPUT_FIELDS);
  return {
    participant: parseParticipant(fields.participant),
    reason: requireText(fields, 'reason', SUSPENSION_REASON_RULE),
  };
}

export function isSuspended(record: SuspensionRecord | undefined): boolean {
  return record?.status === SuspensionStatus.SUSPENDED;
}

function buildDecision(write: SuspensionWrite, status: SuspensionStatus): SuspensionRecord {
  if (write.by.mspId !== MspId.REGULATOR) {
    throw new VppError(
      ErrorCode.FORBIDDEN,
      `only ${MspId.REGULATOR} may suspend or reinstate participants, not ${write.by.mspId}`,
    );
  }
  const input = parseSuspensionInput(write.input);
  const { current } = write;
  if (current !== undefined && !sameParticipant(current.participant, input.participant)) {
    throw new VppError(
      ErrorCode.INTERNAL,
      `stored suspension belongs to ${label(current.participant)}, not ${label(input.participant)}`,
    );
  }
  if (status === SuspensionStatus.SUSPENDED && current !== undefined && isSuspended(current)) {
    throw new VppError(
      ErrorCode.INVALID_STATE,
      `${label(input.participant)} is already suspended (since ${current.at})`,
    );
  }
  if (status === SuspensionStatus.REINSTATED && !isSuspended(current)) {
    throw new VppError(ErrorCode.INVALID_STATE, `${label(input.participant)} is not suspended`);
  }
  return {
    participant: input.participant,
    status,
    reason: input.reason,
    by: { mspId: write.by.mspId, role: write.by.role },
    at: requireIsoTimestamp({ at: write.at }, 'at'),
    txId: requireId({ txId: write.txId }, 'txId', TX_ID),
  };
}

/** Suspends a participant (regulator only; INVALID_STATE if already suspended). */
export function buildSuspension(write: SuspensionWrite): SuspensionRecord {
  return buildDecision(write, SuspensionStatus.SUSPENDED);
}

/** Lifts a suspension (regulator only; INVALID_STATE if the participant is not suspended). */
export function buildReinstatement(write: SuspensionWrite): SuspensionRecord {
  return buildDecision(write, SuspensionStatus.REINSTATED);
}

export function parseStoredSuspension(value: unknown): SuspensionRecord {
  const fields = requireObject(value, 'stored suspension', SUSPENSION_FIELDS);
  const input = parseSuspensionInput({ participant: fields.participant, reason: fields.reason });
  const author = requireObject(fields.by, 'by', AUTHOR_FIELDS);
  return {
    participant: input.participant,
    status: requireOneOf(fields, 'status', KNOWN_SUSPENSION_STATUSES),
    reason: input.reason,
    by: {
      mspId: requireOneOf(author, 'mspId', KNOWN_MSP_IDS),
      role: requireOneOf(author, 'role', KNOWN_ROLES),
    },
    at: requireIsoTimestamp(fields, 'at'),
    txId: requireId(fields, 'txId', TX_ID),
  };
}

export function parseStoredScoreRecord(value: unknown): ScoreRecord {
  const fields = requireObject(value, 'stored score record', RECORD_FIELDS);
  const indicator = fields.indicator;
  if (typeof indicator !== 'string' || !INDICATOR_ID_PATTERN.test(indicator)) {
    throw invalid('indicator must be an UPPER_SNAKE identifier');
  }
  const delta = requireInteger(fields, 'delta', DELTA_RULE);
  if (delta === 0) {
    throw invalid('delta must not be 0');
  }
  return {
    participant: parseParticipant(fields.participant),
    indicator,
    delta,
    points: requireInteger(fields, 'points', DELTA_RULE),
    valueAfter: requireInteger(fields, 'valueAfter', SCORE_RULE),
    reasonCode: requireOneOf(fields, 'reasonCode', KNOWN_CREDIT_EVENT_TYPES),
    ruleVersion: requireInteger(fields, 'ruleVersion', POSITIVE),
    ...(fields.intervalId === undefined ? {} : { intervalId: requireId(fields, 'intervalId', MARKET_ID) }),
    txId: requireId(fields, 'txId', TX_ID),
    at: requireIsoTimestamp(fields, 'at'),
  };
}

// ---- standing and ranking ----

export interface CreditStanding {
  readonly participant: Participant;
  readonly score: number;
  /** A level of the rulebook, or SUSPENDED. */
  readonly level: string;
  readonly suspended: boolean;
  readonly bidQuotaWh: number;
  readonly penaltyFactorPermille: number;
  readonly ruleVersion: number;
}

/**
 * Everything the market and settlement need about a participant at one instant, under the rulebook
 * in force then. While suspended the score is still computed and reported, but the level is
 * SUSPENDED (quota 0, worst penalty factor).
 */
export function creditStanding(
  participant: Participant,
  indicators: IndicatorValues | undefined,
  rulebook: RulebookVersion,
  suspension: SuspensionRecord | undefined,
): CreditStanding {
  const who = parseParticipant(participant);
  if (suspension !== undefined && !sameParticipant(suspension.participant, who)) {
    throw new VppError(
      ErrorCode.INTERNAL,
      `suspension of ${label(suspension.participant)} passed for ${label(who)}`,
    );
  }
  const score = totalScore(indicators, rulebook);
  const suspended = isSuspended(suspension);
  const level = suspended ? SUSPENDED_LEVEL : levelOf(score, rulebook);
  return {
    participant: who,
    score,
    level,
    suspended,
    bidQuotaWh: quotaOf(level, rulebook),
    penaltyFactorPermille: penaltyFactorOf(level, rulebook),
    ruleVersion: rulebook.version,
  };
}

export interface RankEntry {
  readonly participant: Participant;
  readonly score: number;
  readonly suspended?: boolean;
}

export interface RankedParticipant {
  /** 1-based position; no two entries share one. */
  readonly rank: number;
  readonly participant: Participant;
  readonly score: number;
  readonly suspended: boolean;
}

/**
 * Deterministic ranking: participants in good standing before suspended ones, then score
 * descending, then participant type ('der' before 'vpp'), then id in code-unit order. A participant
 * listed twice is refused.
 */
export function rankParticipants(entries: readonly RankEntry[]): RankedParticipant[] {
  const seen = new Set<string>();
  const checked = entries.map((entry) => {
    const participant = parseParticipant(entry.participant);
    const key = `${participant.type}\u0000${participant.id}`;
    if (seen.has(key)) {
      throw invalid(`${label(participant)} appears twice in the ranking`);
    }
    seen.add(key);
    return {
      participant,
      score: requireInteger({ score: entry.score }, 'score', SCORE_RULE),
      suspended: entry.suspended === true,
    };
  });
  checked.sort(
    (a, b) =>
      Number(a.suspended) - Number(b.suspended) ||
      b.score - a.score ||
      compareIds(a.participant.type, b.participant.type) ||
      compareIds(a.participant.id, b.participant.id),
  );
  return checked.map((entry, i) => ({ rank: i + 1, ...entry }));
}

/** A ranking entry with the level its participant's standing gives it. */
export interface RankedStanding extends RankedParticipant {
  readonly level: string;
}

/**
 * The ranking (rankParticipants) of the participants whose indicators are stored, under `rulebook`,
 * with `suspensions` by participant id; each entry carries the participant's level.
 */
export function rankStandings(
  indicators: readonly StoredCreditIndicators[],
  rulebook: RulebookVersion,
  suspensions: ReadonlyMap<string, SuspensionRecord>,
): RankedStanding[] {
  const standings = new Map(
    indicators.map((value) => [
      value.participant.id,
      creditStanding(value.participant, value.values, rulebook, suspensions.get(value.participant.id)),
    ]),
  );
  return rankParticipants([...standings.values()]).map((entry) => ({
    ...entry,
    level: standings.get(entry.participant.id)?.level ?? '',
  }));
}
