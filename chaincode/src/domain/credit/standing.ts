// Standing: what a participant's score means at one instant under the rulebook in force then — its
// level, and so the market's bid quota and settlement's penalty factor — and the deterministic
// ranking of participants every member reads.

import { compareIds, invalid, requireInteger } from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';
import { levelRule, SCORE_RULE, SUSPENDED_LEVEL, type LevelRule, type RulebookVersion } from './rulebook';
import {
  type IndicatorValues,
  parseParticipant,
  type Participant,
  type ParticipantType,
  participantLabel,
  sameParticipant,
  type StoredCreditIndicators,
  totalScore,
} from './scoring';
import { isSuspended, type SuspensionRecord } from './suspension';

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
      `suspension of ${participantLabel(suspension.participant)} passed for ${participantLabel(who)}`,
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
      throw invalid(`${participantLabel(participant)} appears twice in the ranking`);
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

/** A standing with what it was computed from, for the credit queries. */
export interface CreditStandingDetails extends CreditStanding {
  /** The instant whose rulebook applied. */
  readonly at: string;
  /** Every indicator of that rulebook (initialScore where no event has set one), plus older ones kept. */
  readonly indicators: IndicatorValues;
  /** The latest suspension decision (status suspended or reinstated), null if there was none. */
  readonly suspension: SuspensionRecord | null;
}

/** The ranking of every participant of one type that has indicators (RankParticipants). */
export interface Ranking {
  readonly participantType: ParticipantType;
  /** The instant whose rulebook ranked them. */
  readonly at: string;
  readonly ruleVersion: number;
  readonly ranking: readonly RankedStanding[];
}
