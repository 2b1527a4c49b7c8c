import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { GatewayError } from '@hyperledger/fabric-gateway';
import { common, gateway as gatewayProtos, msp, peer } from '@hyperledger/fabric-protos';
import { newGateway } from '../../../../platform/src/fabric/connect';
import {
  channelHeaderOfProposal,
  IDEMPOTENCY_KEY_PATTERN,
  isSameIdInFlight,
  idempotentNonce,
  invocationOfProposal,
  isDuplicateTransaction,
  recordedOutcomeOf,
  transactionIdOf,
  withNonce,
} from '../../../../platform/src/fabric/idempotency';

// A real fabric-gateway Gateway that never dials: proposals are built and signed offline.
const client = new grpc.Client('127.0.0.1:1', grpc.credentials.createInsecure());
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const certPem = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
const gateway = newGateway(client, {
  mspId: 'CvppMSP',
  certPem,
  keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
});
const contract = gateway.getNetwork('vppchannel').getContract('vpp', 'registry');
after(() => {
  gateway.close();
  client.close();
});

function creator(): Uint8Array {
  const id = new msp.SerializedIdentity();
  id.setMspid('CvppMSP');
  id.setIdBytes(Buffer.from(certPem));
  return id.serializeBinary();
}

function headersOf(proposedBytes: Uint8Array) {
  const proposed = gatewayProtos.ProposedTransaction.deserializeBinary(proposedBytes);
  const proposal = peer.Proposal.deserializeBinary(proposed.getProposal()!.getProposalBytes_asU8());
  const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
  return {
    proposed,
    channel: common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8()),
    signature: common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8()),
  };
}

describe('platform/fabric/idempotency', () => {
  describe('#idempotentNonce', () => {
    it('should give 24 bytes that depend on the key and the attempt only', () => {
      const nonce = idempotentNonce('order-42', 0);
      assert.equal(nonce.length, 24);
      assert.deepEqual(idempotentNonce('order-42', 0), nonce);
      assert.notDeepEqual(idempotentNonce('order-42', 1), nonce);
      assert.notDeepEqual(idempotentNonce('order-43', 0), nonce);
    });
  });

  describe('#withNonce', () => {
    it('should give a fabric-gateway proposal the nonce and the id Fabric derives from it and the creator', () => {
      const original = contract.newProposal('RegisterVpp', { arguments: ['{"vppId":"vpp-1"}'] });
      const nonce = idempotentNonce('order-42', 0);
      const { bytes, txId } = withNonce(original.getBytes(), nonce);
      assert.equal(txId, transactionIdOf(nonce, creator()));
      assert.notEqual(txId, original.getTransactionId());

      const rebuilt = gateway.newProposal(bytes);
      assert.equal(rebuilt.getTransactionId(), txId);
      const { proposed, channel, signature } = headersOf(bytes);
      assert.equal(proposed.getTransactionId(), txId);
      assert.equal(channel.getTxId(), txId);
      assert.deepEqual(Buffer.from(signature.getNonce_asU8()), nonce);
      assert.deepEqual(Buffer.from(signature.getCreator_asU8()), Buffer.from(creator()));
      assert.equal(channel.getChannelId(), 'vppchannel');
      assert.equal(proposed.getProposal()!.getSignature_asU8().length, 0);
      // The invocation is untouched.
      assert.deepEqual(invocationOfProposal(bytes), invocationOfProposal(original.getBytes()));
    });

    it('should give the same id to two proposals of one request made under one key', () => {
      const build = () =>
        withNonce(
          contract.newProposal('RegisterVpp', { arguments: ['{"vppId":"vpp-1"}'] }).getBytes(),
          idempotentNonce('order-42', 1),
        ).txId;
      assert.equal(build(), build());
    });
  });

  describe('#channelHeaderOfProposal', () => {
    it('should differ between two copies of one id, whose timestamps differ', async () => {
      const copy = () =>
        withNonce(
          contract.newProposal('RegisterVpp', { arguments: ['x'] }).getBytes(),
          idempotentNonce('order-42', 0),
        ).bytes;
      const first = copy();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = copy();
      assert.equal(headersOf(first).channel.getTxId(), headersOf(second).channel.getTxId());
      assert.notDeepEqual(
        Buffer.from(channelHeaderOfProposal(first)),
        Buffer.from(channelHeaderOfProposal(second)),
      );
      assert.deepEqual(
        Buffer.from(channelHeaderOfProposal(first)),
        Buffer.from(channelHeaderOfProposal(first)),
      );
    });
  });

  describe('#invocationOfProposal', () => {
    it('should differ when the function or an argument differs', () => {
      const of = (tx: string, arg: string) =>
        Buffer.from(invocationOfProposal(contract.newProposal(tx, { arguments: [arg] }).getBytes()));
      assert.ok(of('RegisterVpp', 'a').equals(of('RegisterVpp', 'a')));
      assert.ok(!of('RegisterVpp', 'a').equals(of('RegisterVpp', 'b')));
      assert.ok(!of('RegisterVpp', 'a').equals(of('RegisterDer', 'a')));
    });
  });

  describe('#recordedOutcomeOf', () => {
    it("should read the validation code, the chaincode's result and the invocation of a processed transaction", () => {
      const invocation = invocationOfProposal(
        contract.newProposal('RegisterVpp', { arguments: ['x'] }).getBytes(),
      );
      const response = new peer.Response();
      response.setStatus(200);
      response.setPayload(Buffer.from('{"vppId":"vpp-1"}'));
      const chaincodeAction = new peer.ChaincodeAction();
      chaincodeAction.setResponse(response);
      const responsePayload = new peer.ProposalResponsePayload();
      responsePayload.setExtension$(chaincodeAction.serializeBinary());
      const endorsed = new peer.ChaincodeEndorsedAction();
      endorsed.setProposalResponsePayload(responsePayload.serializeBinary());
      const proposalPayload = new peer.ChaincodeProposalPayload();
      proposalPayload.setInput(invocation);
      const actionPayload = new peer.ChaincodeActionPayload();
      actionPayload.setAction(endorsed);
      actionPayload.setChaincodeProposalPayload(proposalPayload.serializeBinary());
      const action = new peer.TransactionAction();
      action.setPayload(actionPayload.serializeBinary());
      const transaction = new peer.Transaction();
      transaction.setActionsList([action]);
      const payload = new common.Payload();
      payload.setData(transaction.serializeBinary());
      const envelope = new common.Envelope();
      envelope.setPayload(payload.serializeBinary());
      const processed = new peer.ProcessedTransaction();
      processed.setTransactionenvelope(envelope);
      processed.setValidationcode(peer.TxValidationCode.MVCC_READ_CONFLICT);

      const recorded = recordedOutcomeOf(processed.serializeBinary());
      assert.equal(recorded.validationCode, peer.TxValidationCode.MVCC_READ_CONFLICT);
      assert.equal(Buffer.from(recorded.result).toString(), '{"vppId":"vpp-1"}');
      assert.deepEqual(Buffer.from(recorded.invocation), Buffer.from(invocation));
    });
  });

  describe('#isDuplicateTransaction', () => {
    const gatewayError = (message: string) =>
      new GatewayError({
        code: grpc.status.ABORTED,
        details: [{ address: 'peer0:7051', mspId: 'CvppMSP', message }],
        cause: Object.assign(new Error('grpc'), { code: 10, details: '', metadata: new grpc.Metadata() }),
        message: 'failed to endorse transaction, see attached details for more info',
      });

    it("should recognise the peer's refusal of an id already on the ledger", () => {
      assert.equal(
        isDuplicateTransaction(gatewayError('duplicate transaction found [ab12]. Creator [0a07]')),
        true,
      );
    });

    it('should tell a copy of the same id being simulated right now apart from one on the ledger', () => {
      const inFlight = gatewayError(
        'error in simulation: failed to execute transaction 3e27: error sending: txid: 3e27(vppchannel) exists',
      );
      assert.deepEqual([isSameIdInFlight(inFlight), isDuplicateTransaction(inFlight)], [true, false]);
      const onLedger = gatewayError('duplicate transaction found [3e27]. Creator [0a07]');
      assert.deepEqual([isSameIdInFlight(onLedger), isDuplicateTransaction(onLedger)], [false, true]);
    });

    it('should not take other endorsement failures or plain errors for it', () => {
      assert.equal(isDuplicateTransaction(gatewayError('chaincode response 500, NOT_FOUND: x')), false);
      assert.equal(isDuplicateTransaction(new Error('duplicate transaction found')), false);
    });
  });

  describe('IDEMPOTENCY_KEY_PATTERN', () => {
    it('should take UUIDs and order numbers and refuse spaces, control characters and overlong keys', () => {
      for (const key of ['3f2c8a1e-9b7d-4c1a-8e2f-0a9b8c7d6e5f', 'order:2026-12-05.17', 'a'.repeat(128)])
        assert.equal(IDEMPOTENCY_KEY_PATTERN.test(key), true, key);
      for (const key of ['', 'a b', 'a\nb', 'a'.repeat(129), 'ключ'])
        assert.equal(IDEMPOTENCY_KEY_PATTERN.test(key), false, key);
    });
  });
});
