// Credit on the ledger, for every contract. Settlement, telemetry, market and dispatch import
// applyCreditEvents to score what their own transactions observed, and creditStandingOf to read a
// participant's level, bid quota and penalty factor; the credit contract uses the same functions.
// Everything here is a module-level function, never a contract method, so none of it can become a
// transaction.
//
// Ledger layout (keys in encoding/keys/credit-keys.ts):
// - vpp.rulebook [version, zero-padded]: one record per rulebook version, never rewritten;
// - vpp.creditIndicators [participantType, participantId]: the participant's current indicator values;
// - vpp.scoreRecord [participantType, participantId, event time, txId, event sequence, indicator]:
//   one record per indicator change, written once under a key of its own (no shared counter);
// - vpp.suspension [participantType, participantId]: the regulator's latest decision; earlier
//   decisions stay in the key's history (audit GetKeyHistory).
//
// Fabric never shows a transaction its own writes. A contract may call applyCreditEvents several
// times in one transaction, and creditStandingOf after it, so the indicators written so far and the
// rulebook history read once are kept per transaction (keyed by the transaction's stub) and used
// instead of the committed state.

import type { Context } from 'fabric-contract-api';
import {
  parseStoredRulebookVersion,
  rulebookEffectiveAt,
  type RulebookVersion,
} from '../domain/credit/rulebook';
import {
  applyCreditEvent,
  creditStanding,
  initialIndicators,
  parseCreditEvent,
  parseIndicatorValues,
  parseParticipant,
  parseStoredSuspension,
  sameParticipant,
  type CreditEvent,
  type CreditStanding,
  type IndicatorValues,
  type Participant,
  type ScoreRecord,
  type SuspensionRecord,
} from '../domain/credit/scoring';
import { parseStoredDer } from '../domain/registry/der';
import { parseStoredVpp } from '../domain/registry/vpp';
import {
  creditIndicatorsKey,
  derKey,
  MAX_CREDIT_EVENT_SEQUENCE,
  rulebookPrefix,
  scoreRecordKey,
  suspensionKey,
  vppKey,
} from '../encoding/keys';
import { readState, scanPrefix, writeState } from '../ledger/store';
import { txTimestampIso } from '../ledger/tx-time';
import { POSITIVE, requireId, requireInteger, requireIsoTimestamp, requireObject, TX_ID } from '../rules';
import { ErrorCode, VppError } from '../types/errors';

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

/** What applyCreditEvents did. */
export interface CreditEffects {
  /** Every score record written, in the order of the events (and by indicator within one event). */
  readonly records: readonly ScoreRecord[];
  /** Each participant whose indicators changed, with its values after all the events. */
  readonly changed: readonly { readonly participant: Participant; readonly values: IndicatorValues }[];
}

interface TxCreditState {
  rulebooks: Promise<RulebookVersion[]> | undefined;
  /** Participant → its indicators as this transaction last read or wrote them (undefined: none). */
  readonly indicators: Map<string, StoredCreditIndicators | undefined>;
  /** Participants already found in the registry. */
  readonly registered: Set<string>;
  /** Sequence number of the next event this transaction scores (part of the record keys). */
  nextSequence: number;
}

// Keyed by the stub: fabric-contract-api builds one context and one stub per transaction, so an entry
// lives exactly as long as its transaction.
const TX_STATES = new WeakMap<object, TxCreditState>();

function txState(ctx: Context): TxCreditState {
  let state = TX_STATES.get(ctx.stub);
  if (state === undefined) {
    state = { rulebooks: undefined, indicators: new Map(), registered: new Set(), nextSequence: 0 };
    TX_STATES.set(ctx.stub, state);
  }
  return state;
}

function participantKey(participant: Participant): string {
  return `${participant.type}\u0000${participant.id}`;
}

function label(participant: Participant): string {
  return `${participant.type} ${participant.id}`;
}

async function scanRulebooks(ctx: Context): Promise<RulebookVersion[]> {
  const entries = await scanPrefix(ctx, rulebookPrefix(), parseStoredRulebookVersion);
  return entries.map((entry) => {
    if (entry.attributes[0] !== String(entry.value.version).padStart(10, '0')) {
      throw new VppError(
        ErrorCode.INTERNAL,
        `rulebook version ${entry.value.version} is stored under the key of version ${entry.attributes[0] ?? '?'}`,
      );
    }
    return entry.value;
  });
}

/** Every rulebook version, oldest first (read once per transaction). */
export async function rulebookVersions(ctx: Context): Promise<readonly RulebookVersion[]> {
  const state = txState(ctx);
  state.rulebooks ??= scanRulebooks(ctx);
  return state.rulebooks;
}

/** The newest version, whatever its effective time; undefined before the first is published. */
export async function latestRulebook(ctx: Context): Promise<RulebookVersion | undefined> {
  return (await rulebookVersions(ctx)).at(-1);
}

/** The version in force at `atIso` (ISO-8601 UTC); NOT_FOUND if none was yet. */
export async function rulebookAt(ctx: Context, atIso: string): Promise<RulebookVersion> {
  return rulebookEffectiveAt(await rulebookVersions(ctx), atIso);
}

/** NOT_FOUND unless a participant of type vpp is a registered VPP and one of type der a registered DER. */
export async function requireRegisteredParticipant(ctx: Context, participant: Participant): Promise<void> {
  const state = txState(ctx);
  const key = participantKey(participant);
  if (state.registered.has(key)) return;
  const found =
    participant.type === 'vpp'
      ? await readState(ctx, vppKey(participant.id), parseStoredVpp)
      : await readState(ctx, derKey(participant.id), parseStoredDer);
  if (found === undefined) {
    throw new VppError(ErrorCode.NOT_FOUND, `${label(participant)} is not registered`);
  }
  state.registered.add(key);
}

/** The participant's indicators as this transaction sees them (its own writes included). */
export async function creditIndicatorsOf(
  ctx: Context,
  participant: Participant,
): Promise<StoredCreditIndicators | undefined> {
  const state = txState(ctx);
  const key = participantKey(participant);
  if (state.indicators.has(key)) return state.indicators.get(key);
  const stored = await readState(
    ctx,
    creditIndicatorsKey(participant.type, participant.id),
    parseStoredCreditIndicators,
  );
  if (stored !== undefined && !sameParticipant(stored.participant, participant)) {
    throw new VppError(
      ErrorCode.INTERNAL,
      `the indicators stored for ${label(participant)} belong to ${label(stored.participant)}`,
    );
  }
  state.indicators.set(key, stored);
  return stored;
}

/** The regulator's latest suspension decision about the participant, if any. */
export async function suspensionOf(
  ctx: Context,
  participant: Participant,
): Promise<SuspensionRecord | undefined> {
  const stored = await readState(ctx, suspensionKey(participant.type, participant.id), parseStoredSuspension);
  if (stored !== undefined && !sameParticipant(stored.participant, participant)) {
    throw new VppError(
      ErrorCode.INTERNAL,
      `the suspension stored for ${label(participant)} belongs to ${label(stored.participant)}`,
    );
  }
  return stored;
}

function checkReportedHere(ctx: Context, event: CreditEvent, txTime: string): void {
  const txId = ctx.stub.getTxID();
  if (event.txId !== txId) {
    throw new VppError(
      ErrorCode.INVALID_ARGUMENT,
      `a credit event is scored by the transaction that reports it: txId ${event.txId} is not ${txId}`,
    );
  }
  if (Date.parse(event.at) > Date.parse(txTime)) {
    throw new VppError(
      ErrorCode.INVALID_ARGUMENT,
      `credit event time ${event.at} lies after the transaction time ${txTime}`,
    );
  }
}

/**
 * Scores `events` inside the calling transaction. Each event is validated first: its txId must be
 * this transaction's and its time `at` not after the transaction time (INVALID_ARGUMENT), its
 * participant must be registered and a rulebook must be in force at `at` (NOT_FOUND). Only when every
 * event passes are they applied, in order, each under the rulebook in force at its own `at`: one
 * score record per changed indicator, and the new indicators of each participant that changed,
 * written once. So a refused call writes nothing, even if the caller catches the error and goes on.
 * Emits no chaincode event (Fabric keeps one per transaction, and it belongs to the caller). A
 * suspended participant is scored like any other.
 */
export async function applyCreditEvents(
  ctx: Context,
  events: readonly CreditEvent[],
): Promise<CreditEffects> {
  if (!Array.isArray(events)) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, 'credit events must be a list');
  }
  const state = txState(ctx);
  const txTime = txTimestampIso(ctx);
  const checked: { event: CreditEvent; rulebook: RulebookVersion }[] = [];
  for (const raw of events) {
    const event = parseCreditEvent(raw);
    checkReportedHere(ctx, event, txTime);
    await requireRegisteredParticipant(ctx, event.participant);
    checked.push({ event, rulebook: await rulebookAt(ctx, event.at) });
  }
  if (state.nextSequence + checked.length > MAX_CREDIT_EVENT_SEQUENCE + 1) {
    throw new VppError(
      ErrorCode.INVALID_ARGUMENT,
      `one transaction may score at most ${MAX_CREDIT_EVENT_SEQUENCE + 1} credit events`,
    );
  }
  // Everything is computed before anything is written.
  const pending = new Map<string, StoredCreditIndicators>();
  const writes: { key: string; record: ScoreRecord }[] = [];
  for (const [index, { event, rulebook }] of checked.entries()) {
    const { participant } = event;
    const key = participantKey(participant);
    const current = pending.get(key) ?? (await creditIndicatorsOf(ctx, participant));
    const outcome = applyCreditEvent(current?.values, event, rulebook);
    if (outcome.records.length === 0) continue;
    const sequence = state.nextSequence + index;
    for (const record of outcome.records) {
      writes.push({
        key: scoreRecordKey(
          participant.type,
          participant.id,
          event.at,
          event.txId,
          sequence,
          record.indicator,
        ),
        record,
      });
    }
    pending.set(key, {
      participant,
      values: outcome.indicators,
      ruleVersion: rulebook.version,
      updatedAt: event.at,
      txId: event.txId,
    });
  }
  for (const { key, record } of writes) {
    await writeState(ctx, key, record);
  }
  for (const [key, updated] of pending) {
    const { participant } = updated;
    await writeState(ctx, creditIndicatorsKey(participant.type, participant.id), updated);
    state.indicators.set(key, updated);
  }
  state.nextSequence += checked.length;
  return {
    records: writes.map((write) => write.record),
    changed: [...pending.values()].map(({ participant, values }) => ({ participant, values })),
  };
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

export async function creditStandingDetailsOf(
  ctx: Context,
  participant: Participant,
  atIso: string,
): Promise<CreditStandingDetails> {
  const who = parseParticipant(participant);
  const at = requireIsoTimestamp({ atIso }, 'atIso');
  await requireRegisteredParticipant(ctx, who);
  const rulebook = await rulebookAt(ctx, at);
  const stored = await creditIndicatorsOf(ctx, who);
  const suspension = await suspensionOf(ctx, who);
  const standing = creditStanding(who, stored?.values, rulebook, suspension);
  return {
    ...standing,
    at,
    indicators: parseIndicatorValues({ ...initialIndicators(rulebook), ...stored?.values }),
    suspension: suspension ?? null,
  };
}

/**
 * The participant's standing for the market (bidQuotaWh) and settlement (penaltyFactorPermille):
 * its current indicators (this transaction's own changes included) and current suspension, scored
 * under the rulebook in force at `atIso` (e.g. an interval's delivery start; ISO-8601 UTC). NOT_FOUND
 * if the participant is not registered or no rulebook is in force at `atIso`.
 */
export async function creditStandingOf(
  ctx: Context,
  participant: Participant,
  atIso: string,
): Promise<CreditStanding> {
  const details = await creditStandingDetailsOf(ctx, participant, atIso);
  return {
    participant: details.participant,
    score: details.score,
    level: details.level,
    suspended: details.suspended,
    bidQuotaWh: details.bidQuotaWh,
    penaltyFactorPermille: details.penaltyFactorPermille,
    ruleVersion: details.ruleVersion,
  };
}

/** What a transaction observed about a participant, before it is stamped with the tx id and time. */
export interface CreditObservation {
  readonly participant: Participant;
  readonly eventType: CreditEvent['eventType'];
  readonly intervalId?: string;
}

/**
 * How the market, dispatch and telemetry transactions report what they observed: each observation
 * becomes a credit event of this transaction, at its time, scored through applyCreditEvents. Before
 * the regulator has put any rulebook in force nobody is rated, and nothing is written.
 */
export async function reportCreditEvents(
  ctx: Context,
  observations: readonly CreditObservation[],
): Promise<CreditEffects | undefined> {
  if (observations.length === 0) return undefined;
  const at = txTimestampIso(ctx);
  const inForce = (await rulebookVersions(ctx)).some((version) => version.effectiveFrom <= at);
  if (!inForce) return undefined;
  const txId = ctx.stub.getTxID();
  return applyCreditEvents(
    ctx,
    observations.map((observation) => ({ ...observation, txId, at })),
  );
}
