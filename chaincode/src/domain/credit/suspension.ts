// Suspension: the regulator's decision to suspend a participant or lift a suspension. A suspended
// participant keeps collecting score records, but its level reads SUSPENDED (standing.ts): bid quota
// 0, the worst level's penalty factor. Only the latest decision is stored; earlier ones remain in
// the key's history.

import { requireId, requireIsoTimestamp, requireObject, requireOneOf, requireText, TX_ID } from '../../rules';
import { KNOWN_MSP_IDS, KNOWN_ROLES, MspId, type Role } from '../../types/consortium';
import { ErrorCode, VppError } from '../../types/errors';
import { parseParticipant, type Participant, participantLabel, sameParticipant } from './scoring';

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
      `stored suspension belongs to ${participantLabel(current.participant)}, not ${participantLabel(input.participant)}`,
    );
  }
  if (status === SuspensionStatus.SUSPENDED && current !== undefined && isSuspended(current)) {
    throw new VppError(
      ErrorCode.INVALID_STATE,
      `${participantLabel(input.participant)} is already suspended (since ${current.at})`,
    );
  }
  if (status === SuspensionStatus.REINSTATED && !isSuspended(current)) {
    throw new VppError(ErrorCode.INVALID_STATE, `${participantLabel(input.participant)} is not suspended`);
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
