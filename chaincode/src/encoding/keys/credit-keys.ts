// Keys of credit scoring: rulebook versions, and per participant its indicators, score records and
// suspension.

import { isIntegerIn } from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';
import { compositeKey, keyPrefix, type KeyPrefix } from './composite-key';
import { RULEBOOK, CREDIT_INDICATORS, SCORE_RECORD, SUSPENSION } from './object-types';

// ---- credit: rulebook versions, and per participant its indicators, score records and suspension ----

/** Widest rulebook version the key layout orders correctly (10 digits). */
export const MAX_RULEBOOK_VERSION = 9_999_999_999;

/**
 * Versions of a versioned record (rulebook, market calendar) are zero-padded so that a range scan
 * returns them in version order.
 */
export function versionKeyPart(version: number, what: string): string {
  if (!isIntegerIn(version, { min: 1, max: MAX_RULEBOOK_VERSION })) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `${what} version ${version} is out of range`);
  }
  return String(version).padStart(10, '0');
}

export function rulebookKey(version: number): string {
  return compositeKey(RULEBOOK, [versionKeyPart(version, 'rulebook')]);
}

/** Every rulebook version, oldest first. */
export function rulebookPrefix(): KeyPrefix {
  return keyPrefix(RULEBOOK);
}

/** A participant's current indicator values (participantType is 'vpp' or 'der'). */
export function creditIndicatorsKey(participantType: string, participantId: string): string {
  return compositeKey(CREDIT_INDICATORS, [participantType, participantId]);
}

/** The indicators of every participant of one type (for rankings). */
export function creditIndicatorsPrefix(participantType: string): KeyPrefix {
  return keyPrefix(CREDIT_INDICATORS, [participantType]);
}

/** Largest number of score-changing events one transaction may apply (the sequence has 6 digits). */
export const MAX_CREDIT_EVENT_SEQUENCE = 999_999;

function eventSequencePart(sequence: number): string {
  if (!isIntegerIn(sequence, { min: 0, max: MAX_CREDIT_EVENT_SEQUENCE })) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `credit event sequence ${sequence} is out of range`);
  }
  return String(sequence).padStart(6, '0');
}

/**
 * One score record: a change of one indicator of one participant, caused by the event numbered
 * `sequence` (0, 1, ... in the order the writing transaction `txId` applied its events) at event time
 * `at` (ISO-8601 UTC, which sorts as text). Keys never repeat, so no two records share a key, and a
 * participant's records scan in event-time order.
 */
export function scoreRecordKey(
  participantType: string,
  participantId: string,
  at: string,
  txId: string,
  sequence: number,
  indicator: string,
): string {
  return compositeKey(SCORE_RECORD, [
    participantType,
    participantId,
    at,
    txId,
    eventSequencePart(sequence),
    indicator,
  ]);
}

/** Every score record of one participant, in event-time order. */
export function scoreRecordPrefix(participantType: string, participantId: string): KeyPrefix {
  return keyPrefix(SCORE_RECORD, [participantType, participantId]);
}

/** The regulator's latest suspension decision about a participant. */
export function suspensionKey(participantType: string, participantId: string): string {
  return compositeKey(SUSPENSION, [participantType, participantId]);
}

/** The suspension decisions about every participant of one type. */
export function suspensionPrefix(participantType: string): KeyPrefix {
  return keyPrefix(SUSPENSION, [participantType]);
}
