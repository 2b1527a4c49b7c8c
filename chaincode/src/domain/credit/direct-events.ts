// Credit events an organisation records directly (the credit contract's RecordCreditEvent), as
// opposed to the events the settlement, telemetry, market and dispatch transactions report
// themselves. Only failures that the organisation supervising the activity observes can be recorded
// this way, each by that organisation alone; nobody records a positive event by hand (that would let
// an organisation raise a score) and CvppMSP, whose VPPs and DERs are rated, records nothing.
//
//   event type                  organisation   roles               participants
//   DISPATCH_NOT_ACKNOWLEDGED   ControlMSP     control, admin      vpp (dispatch instructs VPPs)
//   VIOLATION                   RegulatorMSP   regulator, admin    vpp or der
//
// BID_NOT_REVEALED is not in the table: the market contract records it itself, for every commitment
// still unrevealed once the reveal deadline has passed (RecordUnrevealedViolations), so a second,
// hand-recorded event would score one unrevealed bid twice. Whoever asks is refused with FORBIDDEN,
// like every other event a contract reports, but with a message that says where the event comes
// from: the trading centre recorded it here before and should learn why it no longer can.
//
// Dispatch events concern one market interval, so they must name it (intervalId).
// Pure rules: the contract and the gateway both check a caller against this table.

import { invalid, MARKET_ID, requireId, requireObject, requireOneOf } from '../../rules';
import { MspId, Role } from '../../types/consortium';
import { ErrorCode, VppError } from '../../types/errors';
import { CreditEventType, KNOWN_CREDIT_EVENT_TYPES } from './rulebook';
import {
  parseParticipant,
  ParticipantType,
  type CreditEvent,
  type Participant,
  type ScoreRecord,
} from './scoring';
import type { CreditStandingDetails } from './standing';

export interface DirectEventAuthority {
  readonly eventType: CreditEventType;
  readonly mspId: MspId;
  readonly roles: readonly Role[];
  readonly participantTypes: readonly ParticipantType[];
  /** Whether the event must name the market interval it concerns. */
  readonly requiresInterval: boolean;
}

export const DIRECT_EVENT_AUTHORITIES: readonly DirectEventAuthority[] = [
  {
    eventType: CreditEventType.DISPATCH_NOT_ACKNOWLEDGED,
    mspId: MspId.CONTROL,
    roles: [Role.CONTROL, Role.ADMIN],
    participantTypes: [ParticipantType.VPP],
    requiresInterval: true,
  },
  {
    eventType: CreditEventType.VIOLATION,
    mspId: MspId.REGULATOR,
    roles: [Role.REGULATOR, Role.ADMIN],
    participantTypes: [ParticipantType.VPP, ParticipantType.DER],
    requiresInterval: false,
  },
];

/** The organisations that may record some event directly. */
export const DIRECT_EVENT_MSP_IDS: readonly MspId[] = [
  ...new Set(DIRECT_EVENT_AUTHORITIES.map((authority) => authority.mspId)),
];

/** The roles of `mspId` that may record some event directly (empty for CvppMSP). */
export function directEventRolesOf(mspId: string): Role[] {
  return [
    ...new Set(
      DIRECT_EVENT_AUTHORITIES.filter((authority) => authority.mspId === mspId).flatMap(
        (authority) => authority.roles,
      ),
    ),
  ];
}

/** The event types a caller of `mspId` with `role` may record directly. */
export function directEventTypesOf(mspId: string, role: string): CreditEventType[] {
  return DIRECT_EVENT_AUTHORITIES.filter(
    (authority) => authority.mspId === mspId && (authority.roles as readonly string[]).includes(role),
  ).map((authority) => authority.eventType);
}

/** What an organisation sends to record an event directly: `{ participant, eventType, intervalId? }`. */
export interface DirectEventInput {
  readonly participant: Participant;
  readonly eventType: CreditEventType;
  readonly intervalId: string | undefined;
}

const DIRECT_EVENT_FIELDS = ['participant', 'eventType', 'intervalId'] as const;

export function parseDirectEventInput(value: unknown): DirectEventInput {
  const fields = requireObject(value, 'credit event', DIRECT_EVENT_FIELDS);
  const participant = parseParticipant(fields.participant);
  const eventType = requireOneOf(fields, 'eventType', KNOWN_CREDIT_EVENT_TYPES);
  const intervalId = fields.intervalId === undefined ? undefined : requireId(fields, 'intervalId', MARKET_ID);
  return { participant, eventType, intervalId };
}

/** FORBIDDEN for BID_NOT_REVEALED, whoever the caller: the market records it (see the module comment). */
export function refuseMarketRecordedEvent(eventType: CreditEventType): void {
  if (eventType === CreditEventType.BID_NOT_REVEALED) {
    throw new VppError(
      ErrorCode.FORBIDDEN,
      `${eventType} cannot be recorded directly: the market records it itself for every bid ` +
        `commitment not revealed once the interval's reveal deadline has passed (RecordUnrevealedViolations)`,
    );
  }
}

export interface DirectEventCheck {
  readonly mspId: string;
  readonly role: string;
  readonly eventType: CreditEventType;
  readonly participantType: ParticipantType;
  readonly intervalId: string | undefined;
}

/**
 * FORBIDDEN for an event the market records itself (refuseMarketRecordedEvent), or unless the
 * caller's organisation and role may record this event type directly; INVALID_ARGUMENT if the event
 * cannot concern that type of participant or lacks its interval.
 */
export function checkDirectEvent(check: DirectEventCheck): DirectEventAuthority {
  refuseMarketRecordedEvent(check.eventType);
  const authority = DIRECT_EVENT_AUTHORITIES.find((candidate) => candidate.eventType === check.eventType);
  if (
    authority === undefined ||
    authority.mspId !== check.mspId ||
    !(authority.roles as readonly string[]).includes(check.role)
  ) {
    const allowed = directEventTypesOf(check.mspId, check.role);
    throw new VppError(
      ErrorCode.FORBIDDEN,
      `${check.mspId} (role ${check.role}) may not record ${check.eventType} directly; ` +
        (allowed.length === 0 ? 'it may record no event type' : `it may record ${allowed.join(', ')}`),
    );
  }
  if (!authority.participantTypes.includes(check.participantType)) {
    throw invalid(
      `${check.eventType} concerns participants of type ${authority.participantTypes.join(' or ')}, not ${check.participantType}`,
    );
  }
  if (authority.requiresInterval && check.intervalId === undefined) {
    throw invalid(`${check.eventType} must name the market interval it concerns (intervalId)`);
  }
  return authority;
}

/** What RecordCreditEvent answers: the event, who recorded it, its score records and the standing after. */
export interface CreditEventRecorded {
  readonly event: CreditEvent;
  /** `<MSP ID>/<enrollment id>` of the recording caller. */
  readonly recordedBy: string;
  readonly records: readonly ScoreRecord[];
  readonly standing: CreditStandingDetails;
}
