// Every ledger key is built here, so key layout is reviewable in one file and no two object types can
// collide. Keys use Fabric's composite-key encoding (U+0000 namespace, U+0000 after each part), built
// purely so they can be computed and tested without a stub; keys.test pins byte-equality with
// fabric-shim's own createCompositeKey.

import { DAY_PATTERN, isIntegerIn, MONTH_PATTERN } from '../rules';
import { ErrorCode, VppError } from '../types/errors';

/** Object types (the first composite-key part). Prefixing with `vpp.` keeps them out of others' way. */
export const ORG_PROFILE = 'vpp.orgProfile';
export const CA_CERTIFICATES = 'vpp.caCertificates';
export const VPP = 'vpp.vpp';
export const DER = 'vpp.der';
export const DER_BY_VPP = 'vpp.derByVpp';
export const DER_BY_CERT = 'vpp.derByCert';
export const READING = 'vpp.reading';
export const MARKET_INTERVAL = 'vpp.marketInterval';
export const DEMAND = 'vpp.demand';
export const BID_COMMITMENT = 'vpp.bidCommitment';
export const REVEALED_BID = 'vpp.revealedBid';
export const REVEALED_BID_BY_VPP = 'vpp.revealedBidByVpp';
export const CLEARING = 'vpp.clearing';
export const VPP_QUOTA = 'vpp.vppQuota';
export const VIOLATION = 'vpp.violation';
export const DISPATCH = 'vpp.dispatch';
export const DER_SETPOINT = 'vpp.derSetpoint';
export const RULEBOOK = 'vpp.rulebook';
export const CREDIT_INDICATORS = 'vpp.creditIndicators';
export const SCORE_RECORD = 'vpp.scoreRecord';
export const SUSPENSION = 'vpp.suspension';
export const SETTLEMENT_VPP = 'vpp.settlementVpp';
export const SETTLEMENT_DER = 'vpp.settlementDer';
export const SETTLEMENT_DER_BY_VPP = 'vpp.settlementDerByVpp';
export const SETTLEMENT_DER_BY_PERIOD = 'vpp.settlementDerByPeriod';
export const SETTLEMENT_VPP_BY_PERIOD = 'vpp.settlementVppByPeriod';

export const OWNER_DATA = 'vpp.ownerData';
export const CONSENT_GRANT = 'vpp.consentGrant';
export const GRANT_BY_DER = 'vpp.grantByDer';
export const ACCESS_LOG = 'vpp.accessLog';
export const ACCESS_BY_TX = 'vpp.accessByTx';
export const SAMPLE_ANCHOR = 'vpp.sampleAnchor';

export const OBJECT_TYPES = [
  ORG_PROFILE,
  CA_CERTIFICATES,
  VPP,
  DER,
  DER_BY_VPP,
  DER_BY_CERT,
  READING,
  MARKET_INTERVAL,
  DEMAND,
  BID_COMMITMENT,
  REVEALED_BID,
  REVEALED_BID_BY_VPP,
  CLEARING,
  VPP_QUOTA,
  VIOLATION,
  DISPATCH,
  DER_SETPOINT,
  RULEBOOK,
  CREDIT_INDICATORS,
  SCORE_RECORD,
  SUSPENSION,
  SETTLEMENT_VPP,
  SETTLEMENT_DER,
  SETTLEMENT_DER_BY_VPP,
  SETTLEMENT_DER_BY_PERIOD,
  SETTLEMENT_VPP_BY_PERIOD,
  OWNER_DATA,
  CONSENT_GRANT,
  GRANT_BY_DER,
  ACCESS_LOG,
  ACCESS_BY_TX,
  SAMPLE_ANCHOR,
] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

const NAMESPACE = '\u0000';
const SEPARATOR = '\u0000';
/** Fabric reserves U+10FFFF as the open upper bound of partial-key range scans. */
const MAX_RUNE = '\u{10FFFF}';

/** Longest part we accept; keys are replicated in every state DB and index, so keep them short. */
export const MAX_KEY_PART_LENGTH = 256;

/** A partial composite key: the arguments of getStateByPartialCompositeKey. */
export interface KeyPrefix {
  readonly objectType: ObjectType;
  readonly attributes: readonly string[];
}

/**
 * Throws VppError INVALID_ARGUMENT unless `part` can be a composite-key part: a non-empty string of
 * well-formed Unicode (Fabric needs valid UTF-8) without the two code points Fabric reserves.
 */
export function assertKeyPart(part: unknown, what: string): asserts part is string {
  if (typeof part !== 'string' || part.length === 0) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `${what} must be a non-empty string`);
  }
  if (part.length > MAX_KEY_PART_LENGTH) {
    throw new VppError(
      ErrorCode.INVALID_ARGUMENT,
      `${what} must be at most ${MAX_KEY_PART_LENGTH} characters`,
    );
  }
  if (part.includes(SEPARATOR) || part.includes(MAX_RUNE)) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `${what} must not contain U+0000 or U+10FFFF`);
  }
  // A lone surrogate does not survive a UTF-8 round trip (it becomes U+FFFD).
  if (Buffer.from(part, 'utf8').toString('utf8') !== part) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `${what} must be well-formed Unicode`);
  }
}

/** Fabric's createCompositeKey, with stricter part validation. */
export function compositeKey(objectType: ObjectType, attributes: readonly string[]): string {
  assertKeyPart(objectType, 'object type');
  attributes.forEach((attribute, i) => assertKeyPart(attribute, `key attribute ${i}`));
  return NAMESPACE + objectType + SEPARATOR + attributes.map((a) => a + SEPARATOR).join('');
}

/** Inverse of compositeKey; undefined for simple keys or keys not in our encoding. */
export function splitCompositeKey(key: string): { objectType: string; attributes: string[] } | undefined {
  if (key.length < 2 || !key.startsWith(NAMESPACE) || !key.endsWith(SEPARATOR)) {
    return undefined;
  }
  const [objectType, ...attributes] = key.slice(1, -1).split(SEPARATOR);
  if (objectType === undefined || objectType === '') {
    return undefined;
  }
  return { objectType, attributes };
}

export function keyPrefix(objectType: ObjectType, attributes: readonly string[] = []): KeyPrefix {
  attributes.forEach((attribute, i) => assertKeyPart(attribute, `key attribute ${i}`));
  return { objectType, attributes: [...attributes] };
}

// ---- org profiles: one per MSP, keyed by the MSP ID ----

export function orgProfileKey(mspId: string): string {
  assertKeyPart(mspId, 'mspId');
  return compositeKey(ORG_PROFILE, [mspId]);
}

export function orgProfilePrefix(): KeyPrefix {
  return keyPrefix(ORG_PROFILE);
}

// ---- CA certificates: one record per MSP ----

export function caCertificatesKey(mspId: string): string {
  return compositeKey(CA_CERTIFICATES, [mspId]);
}

// ---- VPPs and DERs ----

export function vppKey(vppId: string): string {
  return compositeKey(VPP, [vppId]);
}

export function vppPrefix(): KeyPrefix {
  return keyPrefix(VPP);
}

export function derKey(derId: string): string {
  return compositeKey(DER, [derId]);
}

/** Index entry: DER `derId` belongs to VPP `vppId` (value: the DER id). Written once per DER. */
export function derByVppKey(vppId: string, derId: string): string {
  return compositeKey(DER_BY_VPP, [vppId, derId]);
}

export function derByVppPrefix(vppId: string): KeyPrefix {
  return keyPrefix(DER_BY_VPP, [vppId]);
}

/** Index entry: the certificate with this serial is (or was) bound to a DER. Serials never move. */
export function derByCertKey(serial: string): string {
  return compositeKey(DER_BY_CERT, [serial]);
}

// ---- readings: one key per DER per interval per sequence, grouped by VPP and interval ----

/** Sequences are zero-padded so that a range scan returns them in order. */
function sequencePart(sequence: number): string {
  if (!isIntegerIn(sequence, { min: 0, max: 9999 })) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `sequence ${sequence} is out of range`);
  }
  return String(sequence).padStart(4, '0');
}

export function readingKey(vppId: string, intervalId: string, derId: string, sequence: number): string {
  return compositeKey(READING, [vppId, intervalId, derId, sequencePart(sequence)]);
}

/** Every reading of a VPP in one interval (settlement's input), or of one DER in it. */
export function readingPrefix(vppId: string, intervalId: string, derId?: string): KeyPrefix {
  return keyPrefix(READING, derId === undefined ? [vppId, intervalId] : [vppId, intervalId, derId]);
}

// ---- market: one interval per id; everything else keyed under its interval ----

export function marketIntervalKey(intervalId: string): string {
  return compositeKey(MARKET_INTERVAL, [intervalId]);
}

/** The control centre's demand: one per interval. */
export function demandKey(intervalId: string): string {
  return compositeKey(DEMAND, [intervalId]);
}

/** A sealed bid: bid ids are unique within their interval, so concurrent commits never share a key. */
export function bidCommitmentKey(intervalId: string, bidId: string): string {
  return compositeKey(BID_COMMITMENT, [intervalId, bidId]);
}

export function bidCommitmentPrefix(intervalId: string): KeyPrefix {
  return keyPrefix(BID_COMMITMENT, [intervalId]);
}

export function revealedBidKey(intervalId: string, bidId: string): string {
  return compositeKey(REVEALED_BID, [intervalId, bidId]);
}

/** Every revealed bid of an interval: the book clearing reads in one range scan. */
export function revealedBidPrefix(intervalId: string): KeyPrefix {
  return keyPrefix(REVEALED_BID, [intervalId]);
}

/**
 * Index entry written with each revealed bid (value: the bid's total quantity), so a reveal can sum
 * what the same VPP has already offered in the interval by scanning only that VPP's entries.
 */
export function revealedBidByVppKey(intervalId: string, vppId: string, bidId: string): string {
  return compositeKey(REVEALED_BID_BY_VPP, [intervalId, vppId, bidId]);
}

export function revealedBidByVppPrefix(intervalId: string, vppId: string): KeyPrefix {
  return keyPrefix(REVEALED_BID_BY_VPP, [intervalId, vppId]);
}

/** The clearing result: written once per interval. */
export function clearingKey(intervalId: string): string {
  return compositeKey(CLEARING, [intervalId]);
}

/** The regulator's bid quota of a VPP (until credit ratings replace it). */
export function vppQuotaKey(vppId: string): string {
  return compositeKey(VPP_QUOTA, [vppId]);
}

/** A violation per unrevealed commitment, grouped by VPP so a credit rating reads one prefix. */
export function violationKey(vppId: string, intervalId: string, bidId: string): string {
  return compositeKey(VIOLATION, [vppId, intervalId, bidId]);
}

export function violationPrefix(vppId: string, intervalId?: string): KeyPrefix {
  return keyPrefix(VIOLATION, intervalId === undefined ? [vppId] : [vppId, intervalId]);
}

// ---- dispatch: one instruction per interval and VPP, one setpoint per DER ----

export function dispatchKey(intervalId: string, vppId: string): string {
  return compositeKey(DISPATCH, [intervalId, vppId]);
}

export function derSetpointKey(intervalId: string, vppId: string, derId: string): string {
  return compositeKey(DER_SETPOINT, [intervalId, vppId, derId]);
}

export function derSetpointPrefix(intervalId: string, vppId: string): KeyPrefix {
  return keyPrefix(DER_SETPOINT, [intervalId, vppId]);
}

// ---- credit: rulebook versions, and per participant its indicators, score records and suspension ----

/** Widest rulebook version the key layout orders correctly (10 digits). */
export const MAX_RULEBOOK_VERSION = 9_999_999_999;

/** Rulebook versions are zero-padded so that a range scan returns them in version order. */
function rulebookVersionPart(version: number): string {
  if (!isIntegerIn(version, { min: 1, max: MAX_RULEBOOK_VERSION })) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `rulebook version ${version} is out of range`);
  }
  return String(version).padStart(10, '0');
}

export function rulebookKey(version: number): string {
  return compositeKey(RULEBOOK, [rulebookVersionPart(version)]);
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

// ---- settlement: one line per interval and VPP, one per DER; no shared balance key ----
//
// The VPP line and each DER line are written once, by the settling transaction, under keys of their
// own, so settlements of different intervals or VPPs never touch the same key. Three index entries
// (each holding only an id) make every read one prefix scan: the DER lines of one settlement, and
// the lines of one DER or one VPP in one month or day (the periods of settlement statements).

/** The VPP's settlement line of one interval; its presence is what makes settlement run once. */
export function settlementVppKey(intervalId: string, vppId: string): string {
  return compositeKey(SETTLEMENT_VPP, [intervalId, vppId]);
}

/** One DER's settlement line of one interval. */
export function settlementDerKey(derId: string, intervalId: string): string {
  return compositeKey(SETTLEMENT_DER, [derId, intervalId]);
}

/** Index entry (value: the DER id): DER `derId` has a line in the settlement of (interval, VPP). */
export function settlementDerByVppKey(intervalId: string, vppId: string, derId: string): string {
  return compositeKey(SETTLEMENT_DER_BY_VPP, [intervalId, vppId, derId]);
}

/** The DER lines of one settlement. */
export function settlementDerByVppPrefix(intervalId: string, vppId: string): KeyPrefix {
  return keyPrefix(SETTLEMENT_DER_BY_VPP, [intervalId, vppId]);
}

/**
 * The statement periods a settled interval's start falls in, UTC: its month `YYYY-MM` and, if given,
 * its day `YYYY-MM-DD` of that month. Both sort as text in time order.
 */
function periodParts(month: string, day?: string): string[] {
  if (!MONTH_PATTERN.test(month)) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `month ${month} is not of the form YYYY-MM`);
  }
  if (day === undefined) return [month];
  if (!DAY_PATTERN.test(day) || !day.startsWith(`${month}-`)) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `day ${day} is not a YYYY-MM-DD day of month ${month}`);
  }
  return [month, day];
}

/**
 * DER-side index entry (value: the interval id): the DER has a line for `intervalId`, whose interval
 * starts in `month` on `day`. A DER's statement of a month or a day is one prefix scan.
 */
export function settlementDerByPeriodKey(
  derId: string,
  month: string,
  day: string,
  intervalId: string,
): string {
  return compositeKey(SETTLEMENT_DER_BY_PERIOD, [derId, ...periodParts(month, day), intervalId]);
}

/** The DER's lines of a month (`YYYY-MM`), or of one day of it (`YYYY-MM-DD`), in day order. */
export function settlementDerByPeriodPrefix(derId: string, month: string, day?: string): KeyPrefix {
  return keyPrefix(SETTLEMENT_DER_BY_PERIOD, [derId, ...periodParts(month, day)]);
}

/** VPP-side index entry (value: the interval id), as settlementDerByPeriodKey. */
export function settlementVppByPeriodKey(
  vppId: string,
  month: string,
  day: string,
  intervalId: string,
): string {
  return compositeKey(SETTLEMENT_VPP_BY_PERIOD, [vppId, ...periodParts(month, day), intervalId]);
}

/** The VPP's lines of a month (`YYYY-MM`), or of one day of it (`YYYY-MM-DD`), in day order. */
export function settlementVppByPeriodPrefix(vppId: string, month: string, day?: string): KeyPrefix {
  return keyPrefix(SETTLEMENT_VPP_BY_PERIOD, [vppId, ...periodParts(month, day)]);
}

// ---- privacy: personal data in a private collection (hash on chain), consent grants, access log ----

/** Key of a DER owner's personal data inside the private collection. */
export function ownerDataKey(derId: string): string {
  return compositeKey(OWNER_DATA, [derId]);
}

export function consentGrantKey(grantId: string): string {
  return compositeKey(CONSENT_GRANT, [grantId]);
}

/** Index entry: a grant on one of the DER's data sets (value: the grant id). */
export function grantByDerKey(derId: string, grantId: string): string {
  return compositeKey(GRANT_BY_DER, [derId, grantId]);
}

export function grantByDerPrefix(derId: string): KeyPrefix {
  return keyPrefix(GRANT_BY_DER, [derId]);
}

/** One access under a grant, by the transaction that recorded it. */
export function accessLogKey(grantId: string, txId: string): string {
  return compositeKey(ACCESS_LOG, [grantId, txId]);
}

export function accessLogPrefix(grantId: string): KeyPrefix {
  return keyPrefix(ACCESS_LOG, [grantId]);
}

/** Index entry: the access recorded by a transaction (the ticket the data holder checks). */
export function accessByTxKey(txId: string): string {
  return compositeKey(ACCESS_BY_TX, [txId]);
}

/** The Merkle root of a batch of raw samples, anchored by the transaction that recorded its readings. */
export function sampleAnchorKey(anchorId: string): string {
  return compositeKey(SAMPLE_ANCHOR, [anchorId]);
}
