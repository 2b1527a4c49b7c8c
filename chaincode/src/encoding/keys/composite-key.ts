// Fabric's composite-key encoding (U+0000 namespace, U+0000 after each part), built purely so that
// keys can be computed and tested without a stub; the tests pin byte-equality with fabric-shim's own
// createCompositeKey. Parts are validated more strictly than Fabric does.

import { ErrorCode, VppError } from '../../types/errors';
import type { ObjectType } from './object-types';

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

/** Keys contain U+0000; make them legible in error messages. */
export function printableKey(key: string): string {
  return key.replaceAll('\u0000', '~').replace(/^~/, '');
}
