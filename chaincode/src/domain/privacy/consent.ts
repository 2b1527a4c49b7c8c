// Consent grants: a DER owner's data (personal data, high-frequency samples) is disclosed to another
// organisation only under a grant that names the data set, the grantee organisation, a purpose and a
// validity window, and every disclosure is logged. The CVPP organisation (which operates the DER
// for its owner) already holds the data, so it is never a grantee.
//
// A refusal says only "no valid grant": not whether the grant exists, whom it names, whether it
// expired or was revoked, nor whether the data exists — so asking reveals nothing.
//
// Times are ISO-8601 UTC strings (the transaction time) compared with each other, never with a clock.

import {
  ENTITY_ID,
  type Fields,
  invalid,
  requireId,
  requireIsoTimestamp,
  requireObject,
  requireOneOf,
  requireText,
  TX_ID,
} from '../../rules';
import { isKnownMspId, MspId } from '../../types/consortium';
import { ErrorCode, VppError } from '../../types/errors';

export const DATA_SET_KINDS = ['owner-data', 'samples'] as const;
export type DataSetKind = (typeof DATA_SET_KINDS)[number];

export interface DataSet {
  readonly kind: DataSetKind;
  readonly derId: string;
}

export const GRANT_STATUSES = ['active', 'revoked'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

export const PURPOSE_RULE = { min: 1, max: 200 } as const;
/** Longest validity window of one grant; a longer use needs a fresh grant. */
export const MAX_GRANT_DAYS = 366;
const DAY_MS = 86_400_000;
/** Caller identities (`<mspId>/<enrollment id>` or similar), as registeredBy elsewhere. */
const ACTOR_RULE = { min: 1, max: 256 } as const;

/** The message of every refusal, whatever the reason. */
export const NO_VALID_GRANT = 'no valid grant';

export interface GrantInput {
  readonly grantId: string;
  readonly dataSet: DataSet;
  readonly granteeMspId: MspId;
  readonly purpose: string;
  readonly validFrom: string;
  readonly validUntil: string;
}

export interface ConsentGrant {
  readonly grantId: string;
  readonly dataSet: DataSet;
  readonly granteeMspId: MspId;
  readonly purpose: string;
  /** Inclusive start of validity, ISO-8601 UTC. */
  readonly validFrom: string;
  /** Exclusive end of validity, ISO-8601 UTC. */
  readonly validUntil: string;
  readonly status: GrantStatus;
  readonly grantedBy: string;
  readonly grantedAt: string;
  readonly txId: string;
  /** Present iff status is 'revoked'. */
  readonly revokedAt?: string;
  readonly revokedBy?: string;
}

const DATA_SET_FIELDS = ['kind', 'derId'] as const;
const GRANT_INPUT_FIELDS = [
  'grantId',
  'dataSet',
  'granteeMspId',
  'purpose',
  'validFrom',
  'validUntil',
] as const;
const GRANT_FIELDS = [
  ...GRANT_INPUT_FIELDS,
  'status',
  'grantedBy',
  'grantedAt',
  'txId',
  'revokedAt',
  'revokedBy',
] as const;

export function parseDataSet(value: unknown): DataSet {
  const fields = requireObject(value, 'dataSet', DATA_SET_FIELDS);
  return {
    kind: requireOneOf(fields, 'kind', DATA_SET_KINDS),
    derId: requireId(fields, 'derId', ENTITY_ID),
  };
}

function requireGrantee(fields: Fields): MspId {
  const raw = fields.granteeMspId;
  if (typeof raw !== 'string' || !isKnownMspId(raw)) {
    throw invalid('granteeMspId must be the MSP ID of a consortium member');
  }
  if (raw === MspId.CVPP) {
    throw invalid(`granteeMspId must not be ${MspId.CVPP}: the operator of the DER already holds its data`);
  }
  return raw;
}

function requireWindow(fields: Fields): { validFrom: string; validUntil: string } {
  const validFrom = requireIsoTimestamp(fields, 'validFrom');
  const validUntil = requireIsoTimestamp(fields, 'validUntil');
  const span = Date.parse(validUntil) - Date.parse(validFrom);
  if (span <= 0) {
    throw invalid('validUntil must be after validFrom');
  }
  if (span > MAX_GRANT_DAYS * DAY_MS) {
    throw invalid(`a grant may be valid for at most ${MAX_GRANT_DAYS} days`);
  }
  return { validFrom, validUntil };
}

/** Validates a grant request strictly (INVALID_ARGUMENT naming the first bad field). */
export function parseGrantInput(value: unknown): GrantInput {
  const fields = requireObject(value, 'grant', GRANT_INPUT_FIELDS);
  return {
    grantId: requireId(fields, 'grantId', ENTITY_ID),
    dataSet: parseDataSet(fields.dataSet),
    granteeMspId: requireGrantee(fields),
    purpose: requireText(fields, 'purpose', PURPOSE_RULE),
    ...requireWindow(fields),
  };
}

function copyDataSet(dataSet: DataSet): DataSet {
  return { kind: dataSet.kind, derId: dataSet.derId };
}

/**
 * The new, active grant. ALREADY_EXISTS if a grant is stored under the id; INVALID_ARGUMENT if it
 * would already have expired at the transaction time. Who may grant is the contract's decision.
 */
export function buildGrant(request: {
  readonly input: GrantInput;
  readonly previous: ConsentGrant | undefined;
  readonly grantedBy: string;
  /** Transaction time, ISO-8601 UTC. */
  readonly at: string;
  readonly txId: string;
}): ConsentGrant {
  const { input } = request;
  if (request.previous !== undefined) {
    throw new VppError(ErrorCode.ALREADY_EXISTS, `grant ${input.grantId} already exists`);
  }
  const at = requireIsoTimestamp({ at: request.at }, 'at');
  if (Date.parse(input.validUntil) <= Date.parse(at)) {
    throw invalid('validUntil must be after the transaction time');
  }
  return {
    grantId: input.grantId,
    dataSet: copyDataSet(input.dataSet),
    granteeMspId: input.granteeMspId,
    purpose: input.purpose,
    validFrom: input.validFrom,
    validUntil: input.validUntil,
    status: 'active',
    grantedBy: requireText({ grantedBy: request.grantedBy }, 'grantedBy', ACTOR_RULE),
    grantedAt: at,
    txId: requireId({ txId: request.txId }, 'txId', TX_ID),
  };
}

/** Ends the grant from `at` on; INVALID_STATE if it is already revoked. */
export function revokeGrant(
  grant: ConsentGrant,
  revocation: { readonly revokedBy: string; readonly at: string },
): ConsentGrant {
  if (grant.status === 'revoked') {
    throw new VppError(ErrorCode.INVALID_STATE, `grant ${grant.grantId} is already revoked`);
  }
  return {
    ...grant,
    status: 'revoked',
    revokedAt: requireIsoTimestamp({ at: revocation.at }, 'at'),
    revokedBy: requireText({ revokedBy: revocation.revokedBy }, 'revokedBy', ACTOR_RULE),
  };
}

export interface GrantUse {
  /** Transaction time, ISO-8601 UTC. */
  readonly at: string;
  /** The caller's MSP ID. */
  readonly mspId: string;
  /** The data set the caller wants. */
  readonly dataSet: DataSet;
}

/** Whether the grant lets `mspId` have `dataSet` at `at`: active, same grantee, same data set, in window. */
export function isGrantValidAt(grant: ConsentGrant, use: GrantUse): boolean {
  const at = Date.parse(use.at);
  return (
    grant.status === 'active' &&
    grant.granteeMspId === use.mspId &&
    grant.dataSet.kind === use.dataSet.kind &&
    grant.dataSet.derId === use.dataSet.derId &&
    Date.parse(grant.validFrom) <= at &&
    at < Date.parse(grant.validUntil)
  );
}

/** The grant if it is valid for the use; otherwise FORBIDDEN "no valid grant", whatever the reason. */
export function requireValidGrant(grant: ConsentGrant | undefined, use: GrantUse): ConsentGrant {
  if (grant === undefined || !isGrantValidAt(grant, use)) {
    throw new VppError(ErrorCode.FORBIDDEN, NO_VALID_GRANT);
  }
  return grant;
}

export function parseStoredGrant(value: unknown): ConsentGrant {
  const fields = requireObject(value, 'stored grant', GRANT_FIELDS);
  const status = requireOneOf(fields, 'status', GRANT_STATUSES);
  if (status === 'active' && (fields.revokedAt !== undefined || fields.revokedBy !== undefined)) {
    throw invalid('an active grant has no revokedAt or revokedBy');
  }
  return {
    grantId: requireId(fields, 'grantId', ENTITY_ID),
    dataSet: parseDataSet(fields.dataSet),
    granteeMspId: requireGrantee(fields),
    purpose: requireText(fields, 'purpose', PURPOSE_RULE),
    ...requireWindow(fields),
    status,
    grantedBy: requireText(fields, 'grantedBy', ACTOR_RULE),
    grantedAt: requireIsoTimestamp(fields, 'grantedAt'),
    txId: requireId(fields, 'txId', TX_ID),
    ...(status === 'revoked'
      ? {
          revokedAt: requireIsoTimestamp(fields, 'revokedAt'),
          revokedBy: requireText(fields, 'revokedBy', ACTOR_RULE),
        }
      : {}),
  };
}

/** One page of the grants on a DER's data, by grant id (ListGrantsOfDer); bookmark '' at the end. */
export interface GrantPage {
  readonly grants: readonly ConsentGrant[];
  readonly bookmark: string;
}

// ---- access log: one entry per disclosure under a grant ----

export interface AccessLogEntry {
  readonly grantId: string;
  readonly dataSet: DataSet;
  readonly accessorMspId: string;
  /** The accessing identity, e.g. `<mspId>/<enrollment id>`. */
  readonly accessor: string;
  /** Transaction time, ISO-8601 UTC. */
  readonly at: string;
  readonly txId: string;
}

/** One page of a grant's access log, by transaction id (ListAccessLog); bookmark '' at the end. */
export interface AccessLogPage {
  readonly accesses: readonly AccessLogEntry[];
  readonly bookmark: string;
}

const ACCESS_LOG_FIELDS = ['grantId', 'dataSet', 'accessorMspId', 'accessor', 'at', 'txId'] as const;

/**
 * The log entry of a disclosure of the grant's data set to `accessorMspId` at `at`. The grant must
 * allow it (FORBIDDEN "no valid grant" otherwise), so the log never records an access the grant did
 * not cover.
 */
export function buildAccessLogEntry(access: {
  readonly grant: ConsentGrant;
  readonly accessorMspId: string;
  readonly accessor: string;
  /** Transaction time, ISO-8601 UTC. */
  readonly at: string;
  readonly txId: string;
}): AccessLogEntry {
  const { grant } = access;
  const at = requireIsoTimestamp({ at: access.at }, 'at');
  requireValidGrant(grant, { at, mspId: access.accessorMspId, dataSet: grant.dataSet });
  return {
    grantId: grant.grantId,
    dataSet: copyDataSet(grant.dataSet),
    accessorMspId: access.accessorMspId,
    accessor: requireText({ accessor: access.accessor }, 'accessor', ACTOR_RULE),
    at,
    txId: requireId({ txId: access.txId }, 'txId', TX_ID),
  };
}

export function parseStoredAccessLogEntry(value: unknown): AccessLogEntry {
  const fields = requireObject(value, 'stored access log entry', ACCESS_LOG_FIELDS);
  const accessorMspId = fields.accessorMspId;
  if (typeof accessorMspId !== 'string' || !isKnownMspId(accessorMspId)) {
    throw invalid('accessorMspId must be the MSP ID of a consortium member');
  }
  return {
    grantId: requireId(fields, 'grantId', ENTITY_ID),
    dataSet: parseDataSet(fields.dataSet),
    accessorMspId,
    accessor: requireText(fields, 'accessor', ACTOR_RULE),
    at: requireIsoTimestamp(fields, 'at'),
    txId: requireId(fields, 'txId', TX_ID),
  };
}
