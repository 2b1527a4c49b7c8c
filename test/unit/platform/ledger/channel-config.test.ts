import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { peer } from '@hyperledger/fabric-protos';
import { LedgerDecodeError } from '../../../../platform/src/ledger/decode-error';
import { channelOrgsFromBlock } from '../../../../platform/src/ledger/channel-config';
import { block, configTransaction, endorserTransaction, type OrgSpec } from '../../../support/proto-builders';

const org = (name: string, mspId: string, type = 0): OrgSpec => ({
  name,
  mspId,
  rootCerts: [`ROOT ${mspId}`],
  tlsRootCerts: [`TLS ${mspId}`, `TLS2 ${mspId}`],
  type,
});

describe('platform/ledger/channel-config', () => {
  describe('#channelOrgsFromBlock', () => {
    it('should list every org once, sorted by MSP ID, with its groups and certificates', () => {
      const bytes = block(0, [
        configTransaction('cfg', {
          application: [org('trading', 'TradingMSP'), org('cvpp', 'CvppMSP'), org('idemix', 'AnonMSP', 1)],
          orderer: [org('cvpp', 'CvppMSP'), org('ord', 'OrdererMSP')],
        }),
      ]);
      assert.deepEqual(channelOrgsFromBlock(bytes), [
        {
          mspId: 'CvppMSP',
          groups: ['Application', 'Orderer'],
          rootCerts: ['ROOT CvppMSP'],
          intermediateCerts: [],
          tlsRootCerts: ['TLS CvppMSP', 'TLS2 CvppMSP'],
          tlsIntermediateCerts: [],
        },
        {
          mspId: 'OrdererMSP',
          groups: ['Orderer'],
          rootCerts: ['ROOT OrdererMSP'],
          intermediateCerts: [],
          tlsRootCerts: ['TLS OrdererMSP', 'TLS2 OrdererMSP'],
          tlsIntermediateCerts: [],
        },
        {
          mspId: 'TradingMSP',
          groups: ['Application'],
          rootCerts: ['ROOT TradingMSP'],
          intermediateCerts: [],
          tlsRootCerts: ['TLS TradingMSP', 'TLS2 TradingMSP'],
          tlsIntermediateCerts: [],
        },
      ]);
    });

    it('should refuse a block that is not a config block', () => {
      const bytes = block(
        3,
        [endorserTransaction({ txId: 't', creator: 'CvppMSP', endorsers: [] })],
        [peer.TxValidationCode.VALID],
      );
      assert.throws(() => channelOrgsFromBlock(bytes), LedgerDecodeError);
      assert.throws(() => channelOrgsFromBlock(block(3, [])), /exactly one envelope/);
    });
  });
});
