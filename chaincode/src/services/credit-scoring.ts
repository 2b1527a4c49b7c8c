// Scoring inside the transaction that observed something: settlement, telemetry, market and dispatch
// report what their own transactions saw (reportCreditEvents), the credit contract records events an
// organisation observed (applyCreditEvents). Both write score records and indicators under keys that
// concurrent transactions never share, and emit no chaincode event (Fabric keeps one per
// transaction, and it belongs to the calling contract).

import type { Context } from 'fabric-contract-api';
import type { RulebookVersion } from '../domain/credit/rulebook';
import {
  applyCreditEvent,
  parseCreditEvent,
  type CreditEvent,
  type CreditObservation,
  type IndicatorValues,
  type Participant,
  type ScoreRecord,
  type StoredCreditIndicators,
} from '../domain/credit/scoring';
import { creditIndicatorsKey, MAX_CREDIT_EVENT_SEQUENCE, scoreRecordKey } from '../encoding/keys';
import { writeState } from '../ledger/store';
import { txTimestampIso } from '../ledger/tx-time';
import { ErrorCode, VppError } from '../types/errors';
import {
  creditIndicatorsOf,
  requireRegisteredParticipant,
  rulebookAt,
  rulebookVersions,
} from './credit-reads';
import { participantKey, txCreditState } from './credit-tx-state';

/** What applyCreditEvents did. */
export interface CreditEffects {
  /** Every score record written, in the order of the events (and by indicator within one event). */
  readonly records: readonly ScoreRecord[];
  /** Each participant whose indicators changed, with its values after all the events. */
  readonly changed: readonly { readonly participant: Participant; readonly values: IndicatorValues }[];
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
  const state = txCreditState(ctx);
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
