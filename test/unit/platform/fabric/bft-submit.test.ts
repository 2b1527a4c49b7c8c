import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status, type ServiceError } from '@grpc/grpc-js';
import { EndorseError, GatewayError, type Proposal, type Transaction } from '@hyperledger/fabric-gateway';
import type { Contract, Gateway, Status, SubmittedTransaction } from '@hyperledger/fabric-gateway';
import {
  endorseInStep,
  isAlreadyProcessed,
  isPeersOutOfStep,
  isRefusedByOrderers,
  isTooLargeForOrderers,
  NotCommittedError,
  orgWithoutChaincode,
  OutcomeUnknownError,
  submitAndWait,
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

  describe('#submitAndWait once the transaction is sent for ordering', () => {
    const committed = { successful: true, code: 0, blockNumber: 7n, transactionId: 'tx1' } as Status;

    /**
     * A contract whose one proposal endorses at once and whose submit() meets `submitErrors` in
     * turn (then succeeds); the submitted transaction's status comes from `status`.
     */
    function contractWith(submitErrors: Error[], status: () => Promise<Status>) {
      let submits = 0;
      const submitted = {
        getResult: () => Buffer.from('r'),
        getStatus: status,
      } as unknown as SubmittedTransaction;
      const transaction = {
        getTransactionId: () => 'tx1',
        getResult: () => Buffer.from('r'),
        submit: async () => {
          const err = submitErrors[submits++];
          if (err) throw err;
          return submitted;
        },
      };
      const contract = {
        newProposal: () => ({ getTransactionId: () => 'tx1', endorse: async () => transaction }),
      } as unknown as Contract;
      return { contract, submits: () => submits };
    }
    const run = (contract: Contract) =>
      submitAndWait({} as Gateway, 'vppchannel', contract, 'RegisterVpp', ['{}']);
    const unknownFor = (reason: RegExp) => (err: unknown) =>
      err instanceof OutcomeUnknownError &&
      err.txId === 'tx1' &&
      err.transaction === 'RegisterVpp' &&
      reason.test(err.reason);

    it('should send the same signed transaction again while no orderer quorum takes it', async () => {
      const { contract, submits } = contractWith(
        [endorseError(status.UNAVAILABLE, 'quorum not reached')],
        async () => committed,
      );
      const outcome = await run(contract);
      assert.deepEqual(
        [outcome.txId, outcome.status.blockNumber, outcome.recovered, submits()],
        ['tx1', 7n, false, 2],
      );
    });

    it('should answer outcome unknown, never a failure, when the orderers never confirm it', async () => {
      const unavailable = [1, 2, 3].map(() => endorseError(status.UNAVAILABLE, 'quorum not reached'));
      const { contract, submits } = contractWith(unavailable, async () => committed);
      await assert.rejects(run(contract), unknownFor(/quorum not reached/));
      assert.equal(submits(), 3);
    });

    it('should answer outcome unknown when the commit status does not come', async () => {
      const { contract } = contractWith([], async () => {
        throw endorseError(status.DEADLINE_EXCEEDED, 'commit status timed out');
      });
      await assert.rejects(run(contract), unknownFor(/^no commit status: .*commit status timed out/));
    });

    it('should pass on an outright refusal by the orderers: nothing was ordered', async () => {
      const refused = endorseError(status.PERMISSION_DENIED, 'creator not authorised');
      assert.equal(isRefusedByOrderers(refused), true);
      assert.equal(isRefusedByOrderers(endorseError(status.UNAVAILABLE, 'x')), false);
      const { contract, submits } = contractWith([refused], async () => committed);
      await assert.rejects(run(contract), (err) => err === refused);
      assert.equal(submits(), 1);
    });

    it('should pass on a transaction the orderers refuse for its size at once: no quorum can order it', async () => {
      const tooLarge = endorseError(
        status.UNAVAILABLE,
        'insufficient number of orderers could successfully process transaction to satisfy quorum requirement; ' +
          'received unsuccessful response from orderer: status=BAD_REQUEST, info=message payload is 16211126 bytes and exceeds maximum allowed 10485760 bytes',
      );
      assert.equal(isTooLargeForOrderers(tooLarge), true);
      assert.equal(isRefusedByOrderers(tooLarge), true);
      assert.equal(
        isTooLargeForOrderers(endorseError(status.UNAVAILABLE, 'status=BAD_REQUEST, info=other')),
        false,
      );
      const { contract, submits } = contractWith([tooLarge], async () => committed);
      await assert.rejects(run(contract), (err) => err === tooLarge);
      assert.equal(submits(), 1);
    });
  });

  describe('a write through an org whose chaincode server is down', () => {
    const unreachable = (mspId: string) => ({
      address: 'peer0:7051',
      mspId,
      message:
        'error in simulation: failed to execute transaction ab: could not launch chaincode vpp_1.0:9f: connection refused',
    });
    const failure = (details: ReturnType<typeof unreachable>[]) =>
      new EndorseError({ code: status.ABORTED, details, cause, transactionId: 'tx1' });
    const CHANNEL_ORGS = ['CvppMSP', 'TradingMSP', 'ControlMSP', 'RegulatorMSP'];

    it('should name the one org whose peer cannot reach its chaincode', () => {
      assert.equal(orgWithoutChaincode(failure([unreachable('CvppMSP')])), 'CvppMSP');
    });

    it('should name none when the failure is anything else or spans orgs', () => {
      assert.equal(
        orgWithoutChaincode(failure([unreachable('CvppMSP'), unreachable('TradingMSP')])),
        undefined,
      );
      assert.equal(orgWithoutChaincode(outOfStep()), undefined);
      assert.equal(orgWithoutChaincode(new Error('could not launch chaincode')), undefined);
    });

    /** A contract whose proposals record their endorsing orgs; the first endorsement fails with `first`. */
    function contractRecording(first: Error) {
      const endorsersOfProposals: (string[] | undefined)[] = [];
      const submitted = {
        getResult: () => Buffer.from('r'),
        getStatus: async () =>
          ({ successful: true, code: 0, blockNumber: 3n, transactionId: 'tx' }) as Status,
      };
      const contract = {
        newProposal: (_name: string, options: { endorsingOrganizations?: string[] }) => {
          const index = endorsersOfProposals.push(options.endorsingOrganizations) - 1;
          return {
            getTransactionId: () => `tx${index}`,
            endorse: async () => {
              if (index === 0) throw first;
              return { getTransactionId: () => `tx${index}`, submit: async () => submitted };
            },
          };
        },
      } as unknown as Contract;
      return { contract, endorsersOfProposals };
    }

    it('should have the other orgs endorse it, when the channel orgs are known', async () => {
      const { contract, endorsersOfProposals } = contractRecording(failure([unreachable('CvppMSP')]));
      const txIds: string[] = [];
      const outcome = await submitAndWait({} as Gateway, 'vppchannel', contract, 'RegisterVpp', ['{}'], {
        channelOrgs: CHANNEL_ORGS,
        onTxId: (txId) => txIds.push(txId),
      });
      assert.deepEqual(endorsersOfProposals, [undefined, ['TradingMSP', 'ControlMSP', 'RegulatorMSP']]);
      assert.deepEqual([outcome.txId, outcome.status.blockNumber, txIds], ['tx1', 3n, ['tx0', 'tx1']]);
    });

    it('should fail as before when the channel orgs are not given or the failure is another', async () => {
      const { contract } = contractRecording(failure([unreachable('CvppMSP')]));
      await assert.rejects(
        submitAndWait({} as Gateway, 'vppchannel', contract, 'RegisterVpp', ['{}']),
        EndorseError,
      );
      const other = endorseError(status.ABORTED, 'chaincode response 500, NOT_FOUND: x');
      const { contract: refusing, endorsersOfProposals } = contractRecording(other);
      await assert.rejects(
        submitAndWait({} as Gateway, 'vppchannel', refusing, 'RegisterVpp', ['{}'], {
          channelOrgs: CHANNEL_ORGS,
        }),
        (err) => err === other,
      );
      assert.equal(endorsersOfProposals.length, 1);
    });
  });
});
