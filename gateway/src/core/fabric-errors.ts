/**
 * The one mapping from Fabric and chaincode failures to API errors. Chaincode errors arrive as
 * `chaincode response 500, CODE: text` in the endorsers' error details; the code part is read with
 * the chaincode's own parseVppErrorMessage, never by matching prose.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError, GatewayError } from '@hyperledger/fabric-gateway';
import { peer } from '@hyperledger/fabric-protos';
import { ErrorCode, parseVppErrorMessage } from '../../../chaincode/src/api';
import { isTooLargeForOrderers, OutcomeUnknownError } from '../../../platform/src/fabric/bft-submit';
import { IdempotencyKeyReusedError } from '../../../platform/src/fabric/idempotency';
import { ApiError } from './api-error';

/** HTTP status of each chaincode error code. */
const STATUS_OF_VPP_CODE: Record<ErrorCode, number> = {
  [ErrorCode.INVALID_ARGUMENT]: 422,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.ALREADY_EXISTS]: 409,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.INVALID_STATE]: 422,
  [ErrorCode.INTERNAL]: 500,
  [ErrorCode.BAD_SIGNATURE]: 422,
  [ErrorCode.NON_CANONICAL_SIGNATURE]: 422,
  [ErrorCode.UNKNOWN_DER]: 404,
  [ErrorCode.DER_SUSPENDED]: 409,
  [ErrorCode.CERTIFICATE_REVOKED]: 403,
  [ErrorCode.CERTIFICATE_REJECTED]: 422,
  [ErrorCode.REPLAY]: 409,
  [ErrorCode.OUTSIDE_WINDOW]: 422,
  [ErrorCode.ENERGY_ABOVE_CAPACITY]: 422,
  [ErrorCode.GATE_CLOSED]: 409,
  [ErrorCode.COMMITMENT_MISMATCH]: 422,
  [ErrorCode.QUOTA_EXCEEDED]: 422,
  [ErrorCode.PRICE_ABOVE_CAP]: 422,
  [ErrorCode.CAPACITY_NOT_BACKED]: 422,
  [ErrorCode.ALREADY_SETTLED]: 409,
};

const CHAINCODE_RESPONSE = 'chaincode response ';

/** `chaincode response 500, CODE: text` (possibly after a peer's own prefix) → `{ code, message }`. */
export function chaincodeErrorOf(message: string): { code: ErrorCode; message: string } | undefined {
  const at = message.lastIndexOf(CHAINCODE_RESPONSE);
  if (at < 0) return parseVppErrorMessage(message);
  const comma = message.indexOf(', ', at);
  return comma < 0 ? undefined : parseVppErrorMessage(message.slice(comma + 2));
}

const UNAVAILABLE_GRPC = new Set<number>([
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.CANCELLED,
  GrpcStatus.RESOURCE_EXHAUSTED,
]);

/**
 * grpc-js's RESOURCE_EXHAUSTED text for a message above the size limit ("Received message larger than
 * max (N vs M)", same wording on the send side). Unlike a peer's concurrency limit, which is also
 * RESOURCE_EXHAUSTED, retrying cannot help: the same request gives the same answer.
 */
const TOO_LARGE_GRPC_TEXT = 'larger than max';

function isResultTooLarge(code: number, messages: readonly string[]): boolean {
  return code === GrpcStatus.RESOURCE_EXHAUSTED && messages.some((m) => m.includes(TOO_LARGE_GRPC_TEXT));
}

const TX_CODES = peer.TxValidationCode as unknown as Record<string, number>;
/** TxValidationCode number → name, e.g. 11 → MVCC_READ_CONFLICT. */
export function validationCodeName(code: number): string {
  return Object.keys(TX_CODES).find((name) => TX_CODES[name] === code) ?? `TX_VALIDATION_${code}`;
}

/** A committed-but-invalid transaction's status code → API error. */
export function commitFailure(code: number, txId: string): ApiError {
  const name = validationCodeName(code);
  if (
    code === peer.TxValidationCode.MVCC_READ_CONFLICT ||
    code === peer.TxValidationCode.PHANTOM_READ_CONFLICT
  ) {
    return new ApiError(
      409,
      name,
      'the transaction conflicted with a concurrent update; retry it',
      undefined,
      txId,
    );
  }
  if (code === peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE) {
    return new ApiError(503, name, 'not enough organisations endorsed the transaction', undefined, txId);
  }
  return new ApiError(422, name, `the transaction was committed as invalid (${name})`, undefined, txId);
}

function txIdOf(err: GatewayError): string | undefined {
  const id = (err as GatewayError & { transactionId?: unknown }).transactionId;
  return typeof id === 'string' ? id : undefined;
}

/** Any error out of a Fabric call → the ApiError to answer with. Unknown errors become 500 INTERNAL. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof OutcomeUnknownError) {
    // Not a failure: the write may still commit. The caller learns its fate from the status route
    // and must not send the same intent again as a new request before it has.
    return new ApiError(
      504,
      'OUTCOME_UNKNOWN',
      'the transaction was sent for ordering but not confirmed; it may still commit: ' +
        `GET /v1/transactions/${err.txId}/status tells whether it did`,
      undefined,
      err.txId,
    );
  }
  if (err instanceof IdempotencyKeyReusedError) {
    return new ApiError(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      `${err.message}; use a new key for a new request`,
      undefined,
      err.txId,
    );
  }
  if (err instanceof CommitError) return commitFailure(err.code, err.transactionId);
  if (err instanceof GatewayError) {
    const txId = txIdOf(err);
    const messages = [...err.details.map((d) => d.message), err.message];
    for (const message of messages) {
      const parsed = chaincodeErrorOf(message);
      if (parsed) {
        return new ApiError(STATUS_OF_VPP_CODE[parsed.code], parsed.code, parsed.message, undefined, txId);
      }
    }
    if (isResultTooLarge(err.code, messages)) {
      return new ApiError(
        422,
        'RESULT_TOO_LARGE',
        'the answer is larger than a gRPC message may be; ask for a smaller page (pageSize)',
        undefined,
        txId,
      );
    }
    if (isTooLargeForOrderers(err)) {
      return new ApiError(
        422,
        'TRANSACTION_TOO_LARGE',
        "the endorsed transaction is larger than the channel's block limit (absoluteMaxBytes); the orderers refused it and nothing was written",
        undefined,
        txId,
      );
    }
    if (UNAVAILABLE_GRPC.has(err.code)) {
      return new ApiError(
        503,
        'FABRIC_UNAVAILABLE',
        'the peer or orderers did not answer in time',
        undefined,
        txId,
      );
    }
    if (err.code === GrpcStatus.PERMISSION_DENIED || messages.some((m) => m.includes('access denied'))) {
      return new ApiError(
        403,
        'FABRIC_ACCESS_DENIED',
        'the network refused the caller identity',
        undefined,
        txId,
      );
    }
    if (err.code === GrpcStatus.ABORTED || err.code === GrpcStatus.FAILED_PRECONDITION) {
      // The gateway reports endorsement mismatches and unreachable endorsers this way.
      return new ApiError(
        503,
        'ENDORSEMENT_FAILED',
        'the transaction could not be endorsed',
        undefined,
        txId,
      );
    }
    return new ApiError(502, 'FABRIC_ERROR', 'the network rejected the request', undefined, txId);
  }
  return new ApiError(500, 'INTERNAL', 'internal error');
}
