import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { common, peer } from '@hyperledger/fabric-protos';
import {
  decodeBlock,
  decodeChainInfo,
  decodeProcessedTransaction,
  validationCodeName,
} from '../../../../gateway/src/blocks-and-events/block-decoder';
import { LedgerDecodeError } from '../../../../platform/src/ledger/decode-error';
import {
  block,
  configTransaction,
  endorserTransaction,
  processedTransaction,
} from '../../../support/proto-builders';

const ORGS = {
  application: [{ name: 'cvpp', mspId: 'CvppMSP', rootCerts: ['root'], tlsRootCerts: ['tls'] }],
  orderer: [],
};

describe('gateway/ledger/block-decoder', () => {
  describe('#decodeBlock', () => {
    it('should decode header, transactions, creators, endorsers and validation codes', () => {
      const bytes = block(
        7,
        [
          endorserTransaction({
            txId: 'tx-valid',
            creator: 'TradingMSP',
            endorsers: ['TradingMSP', 'CvppMSP', 'RegulatorMSP'],
            seconds: 1_735_689_600,
          }),
          endorserTransaction({
            txId: 'tx-mvcc',
            creator: 'CvppMSP',
            endorsers: ['ControlMSP', 'ControlMSP'],
          }),
        ],
        [peer.TxValidationCode.VALID, peer.TxValidationCode.MVCC_READ_CONFLICT],
      );

      assert.deepEqual(decodeBlock(bytes), {
        number: 7,
        dataHash: 'd4a7a0',
        previousHash: '0123abcd',
        transactions: [
          {
            txId: 'tx-valid',
            type: 'ENDORSER_TRANSACTION',
            timestamp: '2025-01-01T00:00:00.250Z',
            creatorMspId: 'TradingMSP',
            validationCode: 'VALID',
            endorsers: ['CvppMSP', 'RegulatorMSP', 'TradingMSP'],
            chaincode: 'vpp',
          },
          {
            txId: 'tx-mvcc',
            type: 'ENDORSER_TRANSACTION',
            timestamp: '2025-01-01T00:00:00.250Z',
            creatorMspId: 'CvppMSP',
            validationCode: 'MVCC_READ_CONFLICT',
            endorsers: ['ControlMSP'],
            chaincode: 'vpp',
          },
        ],
      });
    });

    it('should decode a config block without a filter as one VALID config transaction without endorsers', () => {
      const decoded = decodeBlock(block(0, [configTransaction('cfg-0', ORGS)]));
      assert.equal(decoded.number, 0);
      assert.equal(decoded.previousHash, '');
      assert.deepEqual(decoded.transactions, [
        {
          txId: 'cfg-0',
          type: 'CONFIG',
          timestamp: '2025-01-01T00:00:00.250Z',
          creatorMspId: 'CvppMSP',
          validationCode: 'VALID',
          endorsers: [],
          chaincode: undefined,
        },
      ]);
    });

    it('should throw LedgerDecodeError for bytes that are not a block', () => {
      assert.throws(() => decodeBlock(Uint8Array.from([0xff, 0xff, 0xff])), LedgerDecodeError);
      assert.throws(() => decodeBlock(new common.Block().serializeBinary()), /block has no header/);
    });
  });

  describe('#decodeProcessedTransaction', () => {
    it("should decode qscc's GetTransactionByID answer with its validation code", () => {
      const envelope = endorserTransaction({
        txId: 'abc123',
        creator: 'CvppMSP',
        endorsers: ['CvppMSP', 'ControlMSP', 'TradingMSP'],
      });
      const decoded = decodeProcessedTransaction(
        processedTransaction(envelope, peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE),
      );
      assert.equal(decoded.txId, 'abc123');
      assert.equal(decoded.creatorMspId, 'CvppMSP');
      assert.equal(decoded.validationCode, 'ENDORSEMENT_POLICY_FAILURE');
      assert.deepEqual(decoded.endorsers, ['ControlMSP', 'CvppMSP', 'TradingMSP']);
    });
  });

  describe('#decodeChainInfo', () => {
    it('should return the height and the current block hash in hex', () => {
      const info = new common.BlockchainInfo();
      info.setHeight(42);
      info.setCurrentblockhash(Buffer.from('beef', 'hex'));
      assert.deepEqual(decodeChainInfo(info.serializeBinary()), { height: 42, currentBlockHash: 'beef' });
    });
  });

  describe('#validationCodeName', () => {
    it('should name known codes and mark unknown ones', () => {
      assert.equal(validationCodeName(0), 'VALID');
      assert.equal(validationCodeName(11), 'MVCC_READ_CONFLICT');
      assert.equal(validationCodeName(255), 'INVALID_OTHER_REASON');
      assert.equal(validationCodeName(200), 'UNKNOWN_200');
    });
  });
});
