// The credit rating: the regulator's versioned rulebook, events recorded directly by the organisation
// that supervises them, the regulator's suspensions, and the standings and rankings every member reads.
// Thin transactions: authorise, read, call the pure rules in domain/credit, write, emit. Scoring
// itself (services/credit-scoring.ts) and standings (services/credit-reads.ts) are shared with the
// contracts that report events in their own transactions.
//
// Choices the issue left open:
// - InstallDefaultRulebook is for the network setup: the regulator's admin only, and only while no
//   version exists (ALREADY_EXISTS afterwards, so running the setup twice changes nothing).
// - PublishRulebook takes the rulebook as domain/credit/rulebook.ts defines it; effectiveFrom may be
//   omitted (then it is the transaction time). Versions are numbered by the chaincode.
// - GetRulebookInForce('') means "at the transaction time"; any other value must be ISO-8601 UTC.
// - Who may record which event directly: domain/credit/direct-events.ts (control → missing dispatch
//   acknowledgements, regulator → violations; nobody records positive events, the rated organisation
//   records nothing, and nobody records unrevealed bids, which the market contract records itself).
// - Suspending and reinstating both need a reason, and both need a registered participant. The key
//   holds the latest decision; earlier ones remain in the key's history.
// - GetCreditStanding, RankParticipants: at the transaction time; current indicators and suspension.
// - ListScoreRecords: a participant's records in event-time order, paged; an unknown participant has
//   none (not an error).
// - RankParticipants ranks the participants that have indicators, i.e. at least one score change.

import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import {
  checkDirectEvent,
  directEventRolesOf,
  DIRECT_EVENT_MSP_IDS,
  parseDirectEventInput,
  refuseMarketRecordedEvent,
  type CreditEventRecorded,
} from '../domain/credit/direct-events';
import { type RulebookVersion } from '../domain/credit/rulebook';
import { DEFAULT_RULEBOOK } from '../domain/credit/default-rulebook';
import { buildRulebookVersion, parseStoredRulebookVersion } from '../domain/credit/rulebook-versions';
import {
  KNOWN_PARTICIPANT_TYPES,
  parseParticipant,
  parseStoredScoreRecord,
  type CreditEvent,
  type Participant,
  type ScoreRecordPage,
} from '../domain/credit/scoring';
import { rankStandings, type Ranking } from '../domain/credit/standing';
import {
  buildReinstatement,
  buildSuspension,
  parseStoredSuspension,
  type SuspensionRecord,
  type SuspensionWrite,
} from '../domain/credit/suspension';
import { parseVersionArgument } from '../domain/shared/versions';
import { parseJsonArgument, toCanonicalJson, type JsonValue } from '../encoding/canonical-json';
import { MAX_RULEBOOK_VERSION, rulebookKey, scoreRecordPrefix, suspensionKey } from '../encoding/keys';
import { callerName, requireActor, requireMsp, requireRole } from '../ledger/identity';
import { emitEvent, emitJson, readState, requireState, scanPrefixPage, writeState } from '../ledger/store';
import { txTimestampIso } from '../ledger/tx-time';
import { requireIsoTimestamp, requireOneOf } from '../rules';
import { MspId, REGULATOR_DESK, Role, type Authority } from '../types/consortium';
import { ErrorCode, VppError } from '../types/errors';
import {
  creditIndicatorsOfType,
  creditStandingDetailsOf,
  latestRulebook,
  requireRegisteredParticipant,
  rulebookAt,
  rulebookVersions,
  suspensionsOfType,
} from '../services/credit-reads';
import { applyCreditEvents } from '../services/credit-scoring';
import {
  CREDIT_CONTRACT_NAME,
  CREDIT_EVENT_RECORDED_EVENT,
  PARTICIPANT_REINSTATED_EVENT,
  PARTICIPANT_SUSPENDED_EVENT,
  RULEBOOK_PUBLISHED_EVENT,
} from '../types/contracts';
import { VppContract } from './vpp-contract';

/** A rulebook has at most 20 indicators, 9 event rules and 10 levels: a few KB. */
const MAX_ARGUMENT_LENGTH = 32 * 1024;
/** Only the regulator's admin installs the default rulebook (network setup). */
const REGULATOR_ADMIN: Authority = { [MspId.REGULATOR]: [Role.ADMIN] };

function parseArgument(json: string, what: string): JsonValue {
  return parseJsonArgument(json, what, MAX_ARGUMENT_LENGTH);
}

function participantOf(participantType: string, participantId: string): Participant {
  return parseParticipant({ type: participantType, id: participantId });
}

async function publish(ctx: Context, version: RulebookVersion): Promise<string> {
  const bytes = await writeState(ctx, rulebookKey(version.version), version);
  emitJson(ctx, RULEBOOK_PUBLISHED_EVENT, {
    version: version.version,
    effectiveFrom: version.effectiveFrom,
    createdBy: version.createdBy,
  });
  return Buffer.from(bytes).toString('utf8');
}

/** Suspending and reinstating: the same steps, a different decision and event. */
async function decide(
  ctx: Context,
  participantJson: string,
  reason: string,
  build: (write: SuspensionWrite) => SuspensionRecord,
  eventName: string,
): Promise<string> {
  const by = requireActor(ctx, REGULATOR_DESK);
  const participant = parseParticipant(parseArgument(participantJson, 'participantJson'));
  await requireRegisteredParticipant(ctx, participant);
  const key = suspensionKey(participant.type, participant.id);
  const record = build({
    input: { participant, reason },
    current: await readState(ctx, key, parseStoredSuspension),
    by,
    at: txTimestampIso(ctx),
    txId: ctx.stub.getTxID(),
  });
  const bytes = await writeState(ctx, key, record);
  emitEvent(ctx, eventName, bytes);
  return toCanonicalJson(record);
}

@Info({
  title: 'CreditContract',
  description: 'Credit rulebook, scoring, suspensions, standings and rankings of VPPs and DERs',
})
export class CreditContract extends VppContract {
  constructor() {
    super(CREDIT_CONTRACT_NAME);
  }

  /** Installs DEFAULT_RULEBOOK as version 1 (network setup; regulator admin; ALREADY_EXISTS after). */
  @Transaction()
  @Returns('string')
  async InstallDefaultRulebook(ctx: Context): Promise<string> {
    const author = requireActor(ctx, REGULATOR_ADMIN);
    const previous = await latestRulebook(ctx);
    if (previous !== undefined) {
      throw new VppError(
        ErrorCode.ALREADY_EXISTS,
        `a credit rulebook is already installed (latest version ${previous.version})`,
      );
    }
    return publish(ctx, buildRulebookVersion(DEFAULT_RULEBOOK, undefined, txTimestampIso(ctx), author));
  }

  /** Publishes the next rulebook version (regulator or its admin); history is never edited. */
  @Transaction()
  @Returns('string')
  async PublishRulebook(ctx: Context, rulebookJson: string): Promise<string> {
    const author = requireActor(ctx, REGULATOR_DESK);
    const input = parseArgument(rulebookJson, 'rulebookJson');
    const version = buildRulebookVersion(input, await latestRulebook(ctx), txTimestampIso(ctx), author);
    return publish(ctx, version);
  }

  @Transaction(false)
  @Returns('string')
  async GetRulebook(ctx: Context, version: string): Promise<string> {
    const number = parseVersionArgument(version, MAX_RULEBOOK_VERSION);
    const stored = await requireState(
      ctx,
      rulebookKey(number),
      parseStoredRulebookVersion,
      `credit rulebook version ${number}`,
    );
    return toCanonicalJson(stored);
  }

  /** The version in force at `atIso` (ISO-8601 UTC; '' for the transaction time). */
  @Transaction(false)
  @Returns('string')
  async GetRulebookInForce(ctx: Context, atIso: string): Promise<string> {
    const at = atIso === '' ? txTimestampIso(ctx) : requireIsoTimestamp({ atIso }, 'atIso');
    return toCanonicalJson(await rulebookAt(ctx, at));
  }

  /** Every version, oldest first, including any scheduled to take effect later. */
  @Transaction(false)
  @Returns('string')
  async ListRulebookVersions(ctx: Context): Promise<string> {
    return toCanonicalJson(await rulebookVersions(ctx));
  }

  /**
   * Records a credit event the caller's organisation observed: `{ participant: { type, id },
   * eventType, intervalId? }` (who may record what: domain/credit/direct-events.ts; BID_NOT_REVEALED
   * is FORBIDDEN to all, the market records it). Returns the event, the score records written and the
   * participant's standing afterwards.
   */
  @Transaction()
  @Returns('string')
  async RecordCreditEvent(ctx: Context, eventJson: string): Promise<string> {
    const { participant, eventType, intervalId } = parseDirectEventInput(
      parseArgument(eventJson, 'eventJson'),
    );
    // Before the organisation check, which refuses the trading centre outright now that it records
    // nothing here: the one who sends BID_NOT_REVEALED should learn that the market records it.
    refuseMarketRecordedEvent(eventType);
    const mspId = requireMsp(ctx, DIRECT_EVENT_MSP_IDS);
    const role = requireRole(ctx, directEventRolesOf(mspId));
    checkDirectEvent({ mspId, role, eventType, participantType: participant.type, intervalId });
    const at = txTimestampIso(ctx);
    const event: CreditEvent = {
      participant,
      eventType,
      ...(intervalId === undefined ? {} : { intervalId }),
      txId: ctx.stub.getTxID(),
      at,
    };
    const { records } = await applyCreditEvents(ctx, [event]);
    const standing = await creditStandingDetailsOf(ctx, participant, at);
    const recordedBy = callerName(ctx);
    emitJson(ctx, CREDIT_EVENT_RECORDED_EVENT, {
      event,
      recordedBy,
      changes: records.length,
      level: standing.level,
    });
    return toCanonicalJson({ event, recordedBy, records, standing } satisfies CreditEventRecorded);
  }

  /** Suspends a participant: level SUSPENDED, bid quota 0, the worst penalty factor (regulator). */
  @Transaction()
  @Returns('string')
  async SuspendParticipant(ctx: Context, participantJson: string, reason: string): Promise<string> {
    return decide(ctx, participantJson, reason, buildSuspension, PARTICIPANT_SUSPENDED_EVENT);
  }

  /** Lifts a participant's suspension (regulator). */
  @Transaction()
  @Returns('string')
  async ReinstateParticipant(ctx: Context, participantJson: string, reason: string): Promise<string> {
    return decide(ctx, participantJson, reason, buildReinstatement, PARTICIPANT_REINSTATED_EVENT);
  }

  /**
   * Score, level, bid quota, penalty factor and rule version at the transaction time, with the
   * indicators they come from and the latest suspension decision (null if none).
   */
  @Transaction(false)
  @Returns('string')
  async GetCreditStanding(ctx: Context, participantType: string, participantId: string): Promise<string> {
    const participant = participantOf(participantType, participantId);
    return toCanonicalJson(await creditStandingDetailsOf(ctx, participant, txTimestampIso(ctx)));
  }

  /** One page of a participant's score records, oldest first: `{ records, bookmark }` ('' at the end). */
  @Transaction(false)
  @Returns('string')
  async ListScoreRecords(
    ctx: Context,
    participantType: string,
    participantId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const participant = participantOf(participantType, participantId);
    const page = await scanPrefixPage(
      ctx,
      scoreRecordPrefix(participant.type, participant.id),
      parseStoredScoreRecord,
      Number(pageSize),
      bookmark,
    );
    return toCanonicalJson({
      records: page.entries.map((entry) => entry.value),
      keys: page.entries.map((entry) => entry.attributes),
      bookmark: page.bookmark,
    } satisfies ScoreRecordPage);
  }

  /**
   * Every participant of the type that has indicators, ranked under the rulebook in force now: good
   * standing before suspended, then score descending, then id (domain rankParticipants).
   */
  @Transaction(false)
  @Returns('string')
  async RankParticipants(ctx: Context, participantType: string): Promise<string> {
    const type = requireOneOf({ participantType }, 'participantType', KNOWN_PARTICIPANT_TYPES);
    const at = txTimestampIso(ctx);
    const rulebook = await rulebookAt(ctx, at);
    const suspensions = await suspensionsOfType(ctx, type);
    const ranking = rankStandings(await creditIndicatorsOfType(ctx, type), rulebook, suspensions);
    return toCanonicalJson({
      participantType: type,
      at,
      ruleVersion: rulebook.version,
      ranking,
    } satisfies Ranking);
  }
}
