import assert from 'node:assert/strict';
import { status, type ServiceError } from '@grpc/grpc-js';
import { GatewayError } from '@hyperledger/fabric-gateway';
import { peer } from '@hyperledger/fabric-protos';
import { after, before, describe, it } from 'node:test';
import { block, endorserTransaction, processedTransaction } from '../../../support/proto-builders';
import {
  bearer,
  fakeFabricPort,
  notUsed,
  openGateway,
  tokenFor,
  type TestGateway,
} from '../../../support/route-harness';
import type { FabricPort } from '../../../../gateway/src/plugins/app/fabric-connection';

const TX_CVPP = 'a'.repeat(64);
const TX_INVALID = 'b'.repeat(64);
const TX_TRADING = 'c'.repeat(64);
const TX_MISSING = 'd'.repeat(64);

/** What this peer's qscc knows: a transaction id → its creator, validation code and block. */
const LEDGER = new Map([
  [TX_CVPP, { creator: 'CvppMSP', code: peer.TxValidationCode.VALID, block: 41 }],
  [TX_INVALID, { creator: 'CvppMSP', code: peer.TxValidationCode.MVCC_READ_CONFLICT, block: 42 }],
  [TX_TRADING, { creator: 'TradingMSP', code: peer.TxValidationCode.VALID, block: 43 }],
]);

function qscc(name: string, _channel: string, txId: string): Uint8Array {
  const known = LEDGER.get(txId);
  if (!known) {
    throw new GatewayError({
      code: status.UNKNOWN,
      details: [{ address: 'peer0:7051', mspId: 'CvppMSP', message: `no such transaction ID [${txId}]` }],
      cause: new Error('grpc') as ServiceError,
      message: 'evaluate failed',
    });
  }
  const envelope = endorserTransaction({ txId, creator: known.creator, endorsers: ['CvppMSP'] });
  if (name === 'GetTransactionByID') return processedTransaction(envelope, known.code);
  return block(known.block, [envelope], [known.code]);
}

const fabric: FabricPort = {
  ...fakeFabricPort({ evaluate: notUsed, submit: notUsed }),
  network: (() => ({
    getContract: () => ({
      evaluateTransaction: async (name: string, ...args: string[]) => qscc(name, args[0]!, args[1]!),
    }),
  })) as unknown as FabricPort['network'],
};

describe('gateway/routes/transactions', () => {
  let gw: TestGateway;
  let regulatorGw: TestGateway;
  before(async () => {
    gw = await openGateway('cvpp', { fabric });
    regulatorGw = await openGateway('regulator', { fabric });
  });
  after(async () => {
    await gw.close();
    await regulatorGw.close();
  });

  const ask = (txId: string, asRegulator = false) => {
    const { app } = asRegulator ? regulatorGw : gw;
    const token = asRegulator
      ? tokenFor(app, 'regulator', 'RegulatorMSP')
      : tokenFor(app, 'operator', 'CvppMSP');
    return app.inject({ method: 'GET', url: `/v1/transactions/${txId}/status`, headers: bearer(token) });
  };

  it('should say committed, with the block, for a valid transaction of the caller’s organisation', async () => {
    const res = await ask(TX_CVPP);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      txId: TX_CVPP,
      status: 'committed',
      validationCode: 'VALID',
      blockNumber: 41,
    });
  });

  it('should say invalid, with the validation code, for one the peers invalidated', async () => {
    assert.deepEqual((await ask(TX_INVALID)).json(), {
      txId: TX_INVALID,
      status: 'invalid',
      validationCode: 'MVCC_READ_CONFLICT',
      blockNumber: 42,
    });
  });

  it('should say unknown for a transaction the peer has not seen', async () => {
    const res = await ask(TX_MISSING);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { txId: TX_MISSING, status: 'unknown' });
  });

  it('should refuse another organisation’s transaction, except to the regulator', async () => {
    const refused = await ask(TX_TRADING);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'FORBIDDEN');
    assert.equal((await ask(TX_TRADING, true)).json().status, 'committed');
  });

  it('should refuse a malformed id with 400 and no token with 401', async () => {
    const malformed = await ask('not-a-tx-id');
    assert.equal(malformed.statusCode, 400);
    const anonymous = await gw.app.inject({ method: 'GET', url: `/v1/transactions/${TX_CVPP}/status` });
    assert.equal(anonymous.statusCode, 401);
  });
});
