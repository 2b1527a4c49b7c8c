// Credit state as contracts read it: the rulebook history, whether a participant is registered, its
// indicators and suspension, and its standing (level, bid quota, penalty factor) at an instant.
// Settlement and the market read standings here; the credit contract reads everything here. Reads go
// through the transaction's own credit state (credit-tx-state.ts), so they see what this
// transaction has scored so far.
//
// Ledger layout (keys in encoding/keys/credit-keys.ts):
// - vpp.rulebook [version, zero-padded]: one record per rulebook version, never rewritten;
// - vpp.creditIndicators [participantType, participantId]: the participant's current indicator values;
// - vpp.scoreRecord [participantType, participantId, event time, txId, event sequence, indicator]:
//   one record per indicator change, written once under a key of its own (no shared counter);
// - vpp.suspension [participantType, participantId]: the regulator's latest decision; earlier
//   decisions stay in the key's history (audit GetKeyHistory).

import type { Context } from 'fabric-contract-api';
import { type RulebookVersion } from '../domain/credit/rulebook';
import { parseStoredRulebookVersion, rulebookEffectiveAt } from '../domain/credit/rulebook-versions';
import {
  initialIndicators,
  parseIndicatorValues,
  parseParticipant,
  parseStoredCreditIndicators,
  sameParticipant,
  type Participant,
  type ParticipantType,
  type StoredCreditIndicators,
} from '../domain/credit/scoring';
import { creditStanding, type CreditStanding, type CreditStandingDetails } from '../domain/credit/standing';
import { parseStoredSuspension, type SuspensionRecord } from '../domain/credit/suspension';
import { parseStoredDer } from '../domain/registry/der';
import { parseStoredVpp } from '../domain/registry/vpp';
import {
  creditIndicatorsKey,
  creditIndicatorsPrefix,
  derKey,
  rulebookPrefix,
  suspensionKey,
  suspensionPrefix,
  vppKey,
} from '../encoding/keys';
import { readState, scanPrefix } from '../ledger/store';
import { requireIsoTimestamp } from '../rules';
import { ErrorCode, VppError } from '../types/errors';
import { participantKey, txCreditState } from './credit-tx-state';

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
  const state = txCreditState(ctx);
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
  const state = txCreditState(ctx);
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
  const state = txCreditState(ctx);
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

/** The stored indicators of every participant of a type (for rankings), each under its own key. */
export async function creditIndicatorsOfType(
  ctx: Context,
  type: ParticipantType,
): Promise<StoredCreditIndicators[]> {
  const indicators = await scanPrefix(ctx, creditIndicatorsPrefix(type), parseStoredCreditIndicators);
  for (const { attributes, value } of indicators) {
    if (attributes[0] !== value.participant.type || attributes[1] !== value.participant.id) {
      throw new VppError(
        ErrorCode.INTERNAL,
        `indicators of ${value.participant.type} ${value.participant.id} are stored under ${attributes.join('/')}`,
      );
    }
  }
  return indicators.map((entry) => entry.value);
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

/** The latest suspension decision about every participant of a type, by participant id. */
export async function suspensionsOfType(
  ctx: Context,
  type: ParticipantType,
): Promise<Map<string, SuspensionRecord>> {
  const entries = await scanPrefix(ctx, suspensionPrefix(type), parseStoredSuspension);
  return new Map(entries.map((entry) => [entry.value.participant.id, entry.value]));
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
