import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status, type ServiceError } from '@grpc/grpc-js';
import { EndorseError, GatewayError } from '@hyperledger/fabric-gateway';
import { chaincodeErrorOf, commitFailure, toApiError } from '../../../../gateway/src/core/fabric-errors';
import { OutcomeUnknownError } from '../../../../platform/src/fabric/bft-submit';
import { IdempotencyKeyReusedError } from '../../../../platform/src/fabric/idempotency';

function endorseError(code: number, details: string[]): EndorseError {
  return new EndorseError({
    code,
    details: details.map((message, i) => ({ address: `peer${i}:7051`, mspId: 'CvppMSP', message })),
    cause: new Error('grpc') as ServiceError,
    transactionId: 'tx1',
    message: 'endorse failed',
  });
}
const summary = (err: unknown) => {
  const api = toApiError(err);
  return `${api.status} ${api.code}`;
};

describe('gateway/core/fabric-errors', () => {
  describe('#chaincodeErrorOf', () => {
    it('should read the code after the peer’s chaincode response prefix', () => {
      assert.deepEqual(chaincodeErrorOf('chaincode response 500, NOT_FOUND: org profile X does not exist'), {
        code: 'NOT_FOUND',
        message: 'org profile X does not exist',
      });
    });

    it('should ignore prose and unknown codes', () => {
      assert.equal(chaincodeErrorOf('chaincode response 500, something: broke'), undefined);
      assert.equal(chaincodeErrorOf('failed to execute transaction'), undefined);
    });
  });

  describe('#toApiError', () => {
    it('should map chaincode codes to their HTTP statuses', () => {
      const cases: [string, string][] = [
        ['INVALID_ARGUMENT', '422 INVALID_ARGUMENT'],
        ['NOT_FOUND', '404 NOT_FOUND'],
        ['ALREADY_EXISTS', '409 ALREADY_EXISTS'],
        ['FORBIDDEN', '403 FORBIDDEN'],
        ['INVALID_STATE', '422 INVALID_STATE'],
        ['INTERNAL', '500 INTERNAL'],
      ];
      for (const [code, expected] of cases) {
        assert.equal(
          summary(endorseError(status.ABORTED, [`chaincode response 500, ${code}: text`])),
          expected,
        );
      }
    });

    it('should keep the transaction id of an endorsement failure', () => {
      assert.equal(
        toApiError(endorseError(status.ABORTED, ['chaincode response 500, FORBIDDEN: no'])).txId,
        'tx1',
      );
    });

    it('should map unreachable peers to 503 and other refusals to stable codes', () => {
      assert.equal(
        summary(endorseError(status.UNAVAILABLE, ['connection refused'])),
        '503 FABRIC_UNAVAILABLE',
      );
      assert.equal(summary(endorseError(status.DEADLINE_EXCEEDED, [])), '503 FABRIC_UNAVAILABLE');
      assert.equal(
        summary(endorseError(status.ABORTED, ['ProposalResponsePayloads do not match'])),
        '503 ENDORSEMENT_FAILED',
      );
      assert.equal(
        summary(endorseError(status.UNKNOWN, ['access denied: creator org unknown'])),
        '403 FABRIC_ACCESS_DENIED',
      );
    });

    it('should map an answer above the gRPC size limit to 422 RESULT_TOO_LARGE, never 503', () => {
      // A peer's concurrency limit is RESOURCE_EXHAUSTED too, and passes: it stays a 503.
      const busy = ['too many requests for /gateway.Gateway, exceeding concurrency limit (500)'];
      assert.equal(summary(endorseError(status.RESOURCE_EXHAUSTED, busy)), '503 FABRIC_UNAVAILABLE');
      const evaluated = new GatewayError({
        code: status.RESOURCE_EXHAUSTED,
        details: [],
        cause: new Error('grpc') as ServiceError,
        message: '8 RESOURCE_EXHAUSTED: Received message larger than max (10733123 vs 4194304)',
      });
      const api = toApiError(evaluated);
      assert.deepEqual([api.status, api.code], [422, 'RESULT_TOO_LARGE']);
      assert.match(api.message, /smaller page \(pageSize\)/);
      assert.equal(
        summary(
          endorseError(status.RESOURCE_EXHAUSTED, ['Sent message larger than max (5000000 vs 4194304)']),
        ),
        '422 RESULT_TOO_LARGE',
      );
    });

    it('should map a transaction the orderers refuse for its size to 422 TRANSACTION_TOO_LARGE, not outcome unknown', () => {
      const api = toApiError(
        endorseError(status.UNAVAILABLE, [
          'received unsuccessful response from orderer: status=BAD_REQUEST, info=message payload is 16211126 bytes and exceeds maximum allowed 10485760 bytes',
        ]),
      );
      assert.deepEqual([api.status, api.code], [422, 'TRANSACTION_TOO_LARGE']);
      assert.match(api.message, /nothing was written/);
      assert.equal(
        summary(endorseError(status.UNAVAILABLE, ['quorum not reached'])),
        '503 FABRIC_UNAVAILABLE',
      );
    });

    it('should answer 504 OUTCOME_UNKNOWN with the transaction id and its status route', () => {
      const api = toApiError(new OutcomeUnknownError('RegisterVpp', 'ab12', 'quorum not reached'));
      assert.deepEqual([api.status, api.code, api.txId], [504, 'OUTCOME_UNKNOWN', 'ab12']);
      assert.match(api.message, /may still commit: GET \/v1\/transactions\/ab12\/status/);
    });

    it('should answer a key used before for a different request with 422 IDEMPOTENCY_KEY_REUSED and the first transaction', () => {
      const api = toApiError(new IdempotencyKeyReusedError('order-42', 'cd34'));
      assert.deepEqual([api.status, api.code, api.txId], [422, 'IDEMPOTENCY_KEY_REUSED', 'cd34']);
      assert.match(api.message, /order-42 was used for a different request/);
    });

    it('should hide unknown errors behind 500 INTERNAL', () => {
      const api = toApiError(new Error('secret path /x/y'));
      assert.deepEqual([api.status, api.code, api.message], [500, 'INTERNAL', 'internal error']);
    });
  });

  describe('#commitFailure', () => {
    it('should map MVCC and phantom conflicts to 409, policy failures to 503, the rest to 422', () => {
      const of = (code: number) => {
        const api = commitFailure(code, 'tx2');
        return `${api.status} ${api.code}`;
      };
      assert.equal(of(11), '409 MVCC_READ_CONFLICT');
      assert.equal(of(12), '409 PHANTOM_READ_CONFLICT');
      assert.equal(of(10), '503 ENDORSEMENT_POLICY_FAILURE');
      assert.equal(of(4), '422 BAD_CREATOR_SIGNATURE');
    });
  });
});
