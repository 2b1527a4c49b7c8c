// Assertion helpers for VppError: compare code and class, which are the stable contract, and
// optionally a message fragment.

import type { ErrorCode } from '../../chaincode/src/types/errors';

/** For assert.throws / assert.rejects: matches a VppError with the given code. */
export function vppError(
  code: ErrorCode,
  detail?: RegExp,
): { name: string; code: ErrorCode; message?: RegExp } {
  return detail === undefined ? { name: 'VppError', code } : { name: 'VppError', code, message: detail };
}
