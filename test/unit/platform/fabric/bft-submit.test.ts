import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status, type ServiceError } from '@grpc/grpc-js';
import { EndorseError, GatewayError, type Proposal, type Transaction } from '@hyperledger/fabric-gateway';
import {
  endorseInStep,
  isAlreadyProcessed,
  isPeersOutOfStep,
  NotCommittedError,
} from '../../../../platform/src/fabric/bft-submit';

const detail = (message: string) => ({ address: 'peer0:7051', mspId: 'CvppMSP', message });
const cause = new Error('grpc') as ServiceError;

function endorseError(code: number, message: string): EndorseError {
  return new EndorseError({ code, details: [detail(message)], cause, transactionId: 'tx1' });
}

const outOfStep = () => endorseError(status.ABORTED, 'ProposalResponsePayloads do not match (base64)');

/** A proposal whose endorse() throws the given errors in turn, then succeeds. */
function proposalFailing(errors: Error[]): { proposal: Proposal; attempts: () => number } {
  let attempts = 0;
  const transaction = { getTransactionId: () => 'tx1' } as unknown as Transaction;
  const proposal = {
    endorse: async () => {
      const err = errors[attempts++];
      if (err) throw err;
      return transaction;
    },
  } as unknown as Proposal;
  return { proposal, attempts: () => attempts };
}

describe('platform/fabric/bft-submit', () => {
  describe('#isPeersOutOfStep', () => {
    it('should hold only for an aborted endorsement whose payloads differ', () => {
      assert.equal(isPeersOutOfStep(outOfStep()), true);
      assert.equal(isPeersOutOfStep(endorseError(status.ABORTED, 'chaincode response 500')), false);
      assert.equal(isPeersOutOfStep(new Error('ProposalResponsePayloads do not match')), false);
    });
  });

  describe('#isAlreadyProcessed', () => {
    it('should hold for an unavailable submit of a known transaction that orderers already had', () => {
      assert.equal(isAlreadyProcessed(endorseError(status.UNAVAILABLE, 'request already processed')), true);
      assert.equal(isAlreadyProcessed(endorseError(status.UNAVAILABLE, 'no orderer reachable')), false);
      const noTxId = new GatewayError({
        code: status.UNAVAILABLE,
        details: [detail('request already processed')],
        cause,
      });
      assert.equal(isAlreadyProcessed(noTxId), false);
    });
  });

  describe('#endorseInStep', () => {
    it('should endorse again while the peers are out of step', async () => {
      const { proposal, attempts } = proposalFailing([outOfStep(), outOfStep()]);
      const transaction = await endorseInStep(proposal);
      assert.equal(transaction.getTransactionId(), 'tx1');
      assert.equal(attempts(), 3);
    });

    it('should give up after four attempts, with the last error', async () => {
      const { proposal, attempts } = proposalFailing([1, 2, 3, 4, 5].map(outOfStep));
      await assert.rejects(endorseInStep(proposal), (err) => isPeersOutOfStep(err));
      assert.equal(attempts(), 4);
    });

    it('should not endorse again after any other failure', async () => {
      const refused = endorseError(status.ABORTED, 'chaincode response 500, FORBIDDEN: no');
      const { proposal, attempts } = proposalFailing([refused]);
      await assert.rejects(endorseInStep(proposal), (err) => err === refused);
      assert.equal(attempts(), 1);
    });
  });

  describe('NotCommittedError', () => {
    it('should name the transaction, its id and its validation code', () => {
      const err = new NotCommittedError('RecordReadings', 'tx9', 11);
      assert.equal(err.message, 'RecordReadings tx9 committed as invalid (11)');
      assert.deepEqual([err.name, err.txId, err.code], ['NotCommittedError', 'tx9', 11]);
    });
  });
});
