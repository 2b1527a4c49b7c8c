// Bulk DER registration: a list of DER registrations in one transaction and the outcome it gets back,
// one result per DER (registered, or refused with its code), so one bad registration never blocks the
// others. Every registration is judged exactly as a single RegisterDer would judge it.

import { parseJson } from '../../encoding/canonical-json';
import { MAX_CERTIFICATE_PEM_LENGTH } from '../pki/certificate';
import { ErrorCode, VppError } from '../../types/errors';

/** Registrations per transaction; bounds endorsement time (a certificate check each) and block size. */
export const MAX_DER_BATCH_SIZE = 500;
/** A registration is its certificate and about 200 bytes of fields. */
const MAX_DER_BATCH_JSON_LENGTH = MAX_DER_BATCH_SIZE * (MAX_CERTIFICATE_PEM_LENGTH + 1024);

export type DerRegistrationStatus = 'registered' | 'refused';

export interface DerRegistrationResult {
  readonly index: number;
  readonly status: DerRegistrationStatus;
  /** The DER id the item named, when it named one as a string. */
  readonly derId?: string;
  readonly code?: string;
  readonly message?: string;
}

export interface DerBatchResult {
  readonly txId: string;
  readonly registered: number;
  readonly refused: number;
  readonly results: DerRegistrationResult[];
}

/** The batch's items, still unchecked: each is parsed on its own so a malformed one is refused alone. */
export function parseDerBatch(batchJson: string): unknown[] {
  if (batchJson.length > MAX_DER_BATCH_JSON_LENGTH) {
    throw new VppError(
      ErrorCode.INVALID_ARGUMENT,
      `dersJson exceeds ${MAX_DER_BATCH_JSON_LENGTH} characters`,
    );
  }
  const parsed = parseJson(batchJson);
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > MAX_DER_BATCH_SIZE) {
    throw new VppError(
      ErrorCode.INVALID_ARGUMENT,
      `dersJson must be a list of 1..${MAX_DER_BATCH_SIZE} DER registrations`,
    );
  }
  return parsed;
}

/** The id an item names, if it names one as a string (reported with its result even when refused). */
export function namedDerId(item: unknown): string | undefined {
  const derId = (item as { derId?: unknown } | null)?.derId;
  return typeof derId === 'string' ? derId : undefined;
}

export function refusal(index: number, item: unknown, err: VppError): DerRegistrationResult {
  const derId = namedDerId(item);
  return {
    index,
    status: 'refused',
    ...(derId === undefined ? {} : { derId }),
    code: err.code,
    message: err.detail,
  };
}

/** The batch's outcome: the counts of each status and every result, in batch order. */
export function derBatchResultOf(txId: string, results: DerRegistrationResult[]): DerBatchResult {
  const registered = results.filter((result) => result.status === 'registered').length;
  return { txId, registered, refused: results.length - registered, results };
}

/** A list of 1..MAX_DER_BATCH_SIZE DER ids (strings; whether each is a valid id is the caller's to judge). */
export function parseDerIdList(value: unknown): string[] {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.length > MAX_DER_BATCH_SIZE ||
    !value.every((id) => typeof id === 'string')
  ) {
    throw new VppError(
      ErrorCode.INVALID_ARGUMENT,
      `derIdsJson must be a list of 1..${MAX_DER_BATCH_SIZE} DER ids`,
    );
  }
  return value as string[];
}
