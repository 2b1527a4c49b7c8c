// Rulebook versions. Versioned, never edited: a change is a new version (previous + 1) with an
// effective time that is not before its transaction time and strictly after the previous version's,
// so the rules that applied at any past instant can always be recovered (rulebookEffectiveAt). A
// version scheduled for the future cannot be withdrawn, only superseded by a later one.
//
// Pure rules only; the contract supplies caller identity and transaction time.

import { POSITIVE, requireInteger, requireIsoTimestamp, requireObject, requireOneOf } from '../../rules';
import { KNOWN_MSP_IDS, KNOWN_ROLES, MspId } from '../../types/consortium';
import { ErrorCode, VppError } from '../../types/errors';
import { nextVersionNumber, orderedHistory, versionInForce, type VersionNames } from '../shared/versions';
import {
  parseRulebookInput,
  RULEBOOK_INPUT_FIELDS,
  type RulebookAuthor,
  type RulebookVersion,
} from './rulebook';

const VERSION_FIELDS = [...RULEBOOK_INPUT_FIELDS, 'version', 'createdAt', 'createdBy'] as const;
const AUTHOR_FIELDS = ['mspId', 'role'] as const;
const RULEBOOK_NAMES: VersionNames = { history: 'rulebook', record: 'credit rulebook' };

function checkAuthor(author: RulebookAuthor): void {
  if (author.mspId !== MspId.REGULATOR) {
    throw new VppError(
      ErrorCode.FORBIDDEN,
      `only ${MspId.REGULATOR} may publish the credit rulebook, not ${author.mspId}`,
    );
  }
}

/**
 * The next rulebook version: `previous` must be the latest stored version (undefined for the first).
 * effectiveFrom (default: txTime) must not lie before txTime and must lie strictly after the
 * previous version's effectiveFrom, so no instant that has already passed changes its rules.
 * Only the regulator may publish (FORBIDDEN otherwise); role checks are the contract's.
 */
export function buildRulebookVersion(
  input: unknown,
  previous: RulebookVersion | undefined,
  txTime: string,
  author: RulebookAuthor,
): RulebookVersion {
  checkAuthor(author);
  const now = requireIsoTimestamp({ txTime }, 'txTime');
  const parsed = parseRulebookInput(input);
  const effectiveFrom = parsed.effectiveFrom ?? now;
  const version = nextVersionNumber(previous, effectiveFrom, now);
  return {
    version,
    effectiveFrom,
    description: parsed.description,
    indicators: parsed.indicators,
    events: parsed.events,
    levels: parsed.levels,
    createdAt: now,
    createdBy: { mspId: author.mspId, role: author.role },
  };
}

/** Decoder for stored versions: re-validates every rule so corrupted state is never trusted. */
export function parseStoredRulebookVersion(value: unknown): RulebookVersion {
  const fields = requireObject(value, 'stored rulebook version', VERSION_FIELDS);
  const input = parseRulebookInput({
    effectiveFrom: fields.effectiveFrom,
    description: fields.description,
    indicators: fields.indicators,
    events: fields.events,
    levels: fields.levels,
  });
  const author = requireObject(fields.createdBy, 'createdBy', AUTHOR_FIELDS);
  return {
    version: requireInteger(fields, 'version', POSITIVE),
    effectiveFrom: requireIsoTimestamp(fields, 'effectiveFrom'),
    description: input.description,
    indicators: input.indicators,
    events: input.events,
    levels: input.levels,
    createdAt: requireIsoTimestamp(fields, 'createdAt'),
    createdBy: {
      mspId: requireOneOf(author, 'mspId', KNOWN_MSP_IDS),
      role: requireOneOf(author, 'role', KNOWN_ROLES),
    },
  };
}

/**
 * The version in force at `time`: the one with the latest effectiveFrom ≤ time (a version applies
 * from its effectiveFrom inclusive). `versions` may come in any order but must form one history:
 * numbers 1..n without gaps and effectiveFrom strictly increasing with the number (else INTERNAL).
 * NOT_FOUND if `time` precedes the first version.
 */
export function rulebookEffectiveAt(versions: readonly RulebookVersion[], time: string): RulebookVersion {
  const at = Date.parse(requireIsoTimestamp({ time }, 'time'));
  return versionInForce(orderedHistory(versions, RULEBOOK_NAMES), at, time, RULEBOOK_NAMES);
}
