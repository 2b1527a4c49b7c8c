// Organisation profile: how a consortium member presents itself on the ledger. Pure rules only; the
// contract supplies the caller identity and transaction time, so everything here is deterministic and
// testable without Fabric.

import {
  DISPLAY_NAME_RULE,
  invalid,
  POSITIVE,
  requireEmail,
  requireInteger,
  requireIsoTimestamp,
  requireObject,
  requireOneOf,
  requireText,
} from '../../rules';
import {
  KNOWN_ORG_ROLES,
  KNOWN_ROLES,
  ORG_ROLE_BY_MSP,
  KNOWN_MSP_IDS,
  type MspId,
  type OrgRole,
  type Role,
} from '../../types/consortium';
import { ErrorCode, VppError } from '../../types/errors';

/** What a client may send. The MSP ID is deliberately absent: it always comes from the certificate. */
export interface OrgProfileInput {
  readonly displayName: string;
  readonly orgRole: OrgRole;
  readonly contactEmail: string;
}

export interface OrgProfileAuthor {
  readonly mspId: MspId;
  readonly role: Role;
}

export interface OrgProfile {
  readonly mspId: MspId;
  readonly displayName: string;
  readonly orgRole: OrgRole;
  readonly contactEmail: string;
  /** Transaction time of the last write, ISO-8601 UTC. */
  readonly updatedAt: string;
  readonly updatedBy: OrgProfileAuthor;
  /** 1 on create, +1 on every update; orders writes even if client clocks disagree. */
  readonly version: number;
}

const INPUT_FIELDS = ['displayName', 'orgRole', 'contactEmail'] as const;
const PROFILE_FIELDS = ['mspId', ...INPUT_FIELDS, 'updatedAt', 'updatedBy', 'version'] as const;
const AUTHOR_FIELDS = ['mspId', 'role'] as const;

/** Validates client input for the profile of `callerMspId`; throws VppError INVALID_ARGUMENT. */
export function parseOrgProfileInput(value: unknown, callerMspId: MspId): OrgProfileInput {
  if (typeof value === 'object' && value !== null && 'mspId' in value) {
    throw invalid("mspId must not be supplied: it is taken from the caller's identity");
  }
  const fields = requireObject(value, 'org profile', INPUT_FIELDS);
  const displayName = requireText(fields, 'displayName', DISPLAY_NAME_RULE);
  const orgRole = requireOneOf(fields, 'orgRole', KNOWN_ORG_ROLES);
  const expected = ORG_ROLE_BY_MSP[callerMspId];
  if (orgRole !== expected) {
    throw invalid(`orgRole ${orgRole} does not match organisation ${callerMspId} (expected ${expected})`);
  }
  const contactEmail = requireEmail(fields, 'contactEmail');
  return { displayName, orgRole, contactEmail };
}

export interface OrgProfileWrite {
  /** Raw client input (already JSON-parsed). */
  readonly input: unknown;
  readonly caller: OrgProfileAuthor;
  /** Transaction timestamp, ISO-8601 UTC. */
  readonly timestamp: string;
  /** The currently stored profile of the caller's organisation, if any. */
  readonly previous: OrgProfile | undefined;
}

/** The profile to store for a create (no previous) or an update. */
export function buildOrgProfile(write: OrgProfileWrite): OrgProfile {
  const { caller, previous } = write;
  const input = parseOrgProfileInput(write.input, caller.mspId);
  if (previous !== undefined && previous.mspId !== caller.mspId) {
    // The key is derived from the MSP ID, so this means the ledger or the caller wiring is broken.
    throw new VppError(
      ErrorCode.INTERNAL,
      `stored profile belongs to ${previous.mspId}, not to the caller ${caller.mspId}`,
    );
  }
  return {
    mspId: caller.mspId,
    displayName: input.displayName,
    orgRole: input.orgRole,
    contactEmail: input.contactEmail,
    updatedAt: write.timestamp,
    updatedBy: { mspId: caller.mspId, role: caller.role },
    version: previous === undefined ? 1 : previous.version + 1,
  };
}

/** Decoder for stored profiles: re-validates every field so corrupted state is never trusted. */
export function parseStoredOrgProfile(value: unknown): OrgProfile {
  const fields = requireObject(value, 'stored org profile', PROFILE_FIELDS);
  const mspId = requireOneOf(fields, 'mspId', KNOWN_MSP_IDS);
  const input = parseOrgProfileInput(
    { displayName: fields.displayName, orgRole: fields.orgRole, contactEmail: fields.contactEmail },
    mspId,
  );
  const author = requireObject(fields.updatedBy, 'updatedBy', AUTHOR_FIELDS);
  return {
    mspId,
    ...input,
    updatedAt: requireIsoTimestamp(fields, 'updatedAt'),
    updatedBy: {
      mspId: requireOneOf(author, 'mspId', KNOWN_MSP_IDS),
      role: requireOneOf(author, 'role', KNOWN_ROLES),
    },
    version: requireInteger(fields, 'version', POSITIVE),
  };
}

/** Stable listing order: by MSP ID (code-unit order, which equals byte order for ASCII IDs). */
export function compareOrgProfiles(a: OrgProfile, b: OrgProfile): number {
  return a.mspId < b.mspId ? -1 : a.mspId > b.mspId ? 1 : 0;
}
