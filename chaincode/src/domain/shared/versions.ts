// Versioned records that are never edited (the credit rulebook, the market calendar): a change is a
// new version, numbered previous + 1, with an effective time that is not before its transaction time
// and strictly after the previous version's. So whatever applied at a past instant can always be
// recovered, and publishing never changes how a past instant is read.

import { invalid, isIntegerIn } from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';

export interface Versioned {
  readonly version: number;
  readonly effectiveFrom: string;
}

/** Names used in messages: `history` for a broken history, `record` for "no … is in force". */
export interface VersionNames {
  readonly history: string;
  readonly record: string;
}

/**
 * The number of the next version after `previous` (undefined for the first), once its effectiveFrom
 * is checked: not before `now`, and strictly after the previous version's (INVALID_ARGUMENT otherwise).
 */
export function nextVersionNumber(
  previous: Versioned | undefined,
  effectiveFrom: string,
  now: string,
): number {
  if (Date.parse(effectiveFrom) < Date.parse(now)) {
    throw invalid(
      `effectiveFrom ${effectiveFrom} lies before the transaction time ${now}: past rules cannot be changed`,
    );
  }
  if (previous !== undefined && Date.parse(effectiveFrom) <= Date.parse(previous.effectiveFrom)) {
    throw invalid(
      `effectiveFrom ${effectiveFrom} must be after version ${previous.version}'s ${previous.effectiveFrom}`,
    );
  }
  return previous === undefined ? 1 : previous.version + 1;
}

/**
 * `versions` in version order, checked to form one history: numbers 1..n without gaps and
 * effectiveFrom strictly increasing with the number (INTERNAL otherwise: stored state is broken).
 */
export function orderedHistory<T extends Versioned>(versions: readonly T[], names: VersionNames): T[] {
  const ordered = [...versions].sort((a, b) => a.version - b.version);
  ordered.forEach((version, i) => {
    if (version.version !== i + 1) {
      throw new VppError(
        ErrorCode.INTERNAL,
        `${names.history} history is broken: expected version ${i + 1}, found ${version.version}`,
      );
    }
    const before = ordered[i - 1];
    if (before !== undefined && Date.parse(version.effectiveFrom) <= Date.parse(before.effectiveFrom)) {
      throw new VppError(
        ErrorCode.INTERNAL,
        `${names.history} history is broken: version ${version.version} does not take effect after version ${before.version}`,
      );
    }
  });
  return ordered;
}

/**
 * The version in force at `atMs` in an ordered history (orderedHistory): the one with the latest
 * effectiveFrom ≤ the instant (a version applies from its effectiveFrom inclusive). NOT_FOUND if the
 * instant precedes the first version.
 */
export function versionInForce<T extends Versioned>(
  ordered: readonly T[],
  atMs: number,
  atIso: string,
  names: VersionNames,
): T {
  let inForce: T | undefined;
  for (const version of ordered) {
    if (Date.parse(version.effectiveFrom) > atMs) break;
    inForce = version;
  }
  if (inForce === undefined) {
    throw new VppError(ErrorCode.NOT_FOUND, `no ${names.record} is in force at ${atIso}`);
  }
  return inForce;
}

/** A version number given as a transaction argument (text): 1..max (INVALID_ARGUMENT otherwise). */
export function parseVersionArgument(version: string, max: number): number {
  const number = /^[1-9][0-9]{0,9}$/.test(version) ? Number(version) : NaN;
  if (!isIntegerIn(number, { min: 1, max })) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `version must be a positive integer, got ${version}`);
  }
  return number;
}
