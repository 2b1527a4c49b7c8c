import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { common, gateway, ledger, peer } from '@hyperledger/fabric-protos';
import {
  MAX_BUNDLE_HEADERS,
  newBundleBuilder,
  type ProofSources,
} from '../../../../gateway/src/proofs/bundle-builder';
import { LedgerDecodeError } from '../../../../platform/src/ledger/decode-error';
import { BUNDLE_FORMAT, type Checkpoint } from '../../../../verifier/src/bundle';
import { block, endorserTransaction } from '../../../support/proto-builders';

const KEY = '\u0000vpp.clearing\u0000i-1\u0000';
const VALUE = '{"intervalId":"i-1"}';
const TX_ID = 'e'.repeat(64);

/** A chaincode action payload whose rwset, in namespace vpp, reads and writes as given. */
function actionData(
  rw: { read?: [string, number, number]; write?: [string, string] },
  endorsers: string[],
): Uint8Array {
  const kv = new ledger.rwset.kvrwset.KVRWSet();
  if (rw.read) {
    const read = new ledger.rwset.kvrwset.KVRead();
    read.setKey(rw.read[0]);
    const version = new ledger.rwset.kvrwset.Version();
    version.setBlockNum(rw.read[1]);
    version.setTxNum(rw.read[2]);
    read.setVersion(version);
    kv.setReadsList([read]);
  }
  if (rw.write) {
    const write = new ledger.rwset.kvrwset.KVWrite();
    write.setKey(rw.write[0]);
    write.setValue(Buffer.from(rw.write[1]));
    kv.setWritesList([write]);
  }
  const ns = new ledger.rwset.NsReadWriteSet();
  ns.setNamespace('vpp');
  ns.setRwset(kv.serializeBinary());
  const rwSet = new ledger.rwset.TxReadWriteSet();
  rwSet.setNsRwsetList([ns]);
  const action = new peer.ChaincodeAction();
  action.setResults(rwSet.serializeBinary());
  const prp = new peer.ProposalResponsePayload();
  prp.setExtension$(action.serializeBinary());
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(prp.serializeBinary());
  endorsed.setEndorsementsList(
    endorsers.map((mspId) => {
      const endorsement = new peer.Endorsement();
      endorsement.setEndorser(Buffer.from(mspId));
      endorsement.setSignature(Buffer.from(`sig-${mspId}`));
      return endorsement;
    }),
  );
  const payload = new peer.ChaincodeActionPayload();
  payload.setAction(endorsed);
  const txAction = new peer.TransactionAction();
  txAction.setPayload(payload.serializeBinary());
  const tx = new peer.Transaction();
  tx.setActionsList([txAction]);
  return tx.serializeBinary();
}

function envelopeOf(txId: string, data: Uint8Array): common.Envelope {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setTxId(txId);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(data);
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope;
}

/** What fabric-gateway's Transaction.getBytes() gives for an endorsed AttestRecord. */
function prepared(read?: [string, number, number]): Uint8Array {
  const tx = new gateway.PreparedTransaction();
  tx.setEnvelope(
    envelopeOf(
      'attest',
      actionData({ ...(read ? { read } : {}) }, ['CvppMSP', 'TradingMSP', 'RegulatorMSP']),
    ),
  );
  return tx.serializeBinary();
}

const checkpointAt = (blockNumber: number): Checkpoint => ({
  channel: 'vppchannel',
  blockNumber,
  blockHash: 'a'.repeat(64),
  configBlockNumber: 0,
  configBlockHash: 'b'.repeat(64),
  txId: 'tx-cp',
  recordedAt: '2026-12-01T10:00:00.000Z',
});

/** Block 20 holds, at index 1, the transaction that wrote KEY; the latest checkpoint is at `checkpoint`. */
function sources(opts: {
  checkpoints?: number[];
  read?: [string, number, number] | null;
  write?: [string, string];
}) {
  const fetched: number[] = [];
  const txBlock = block(20, [
    endorserTransaction({ txId: 'other', creator: 'CvppMSP', endorsers: ['CvppMSP'] }),
    envelopeOf(
      TX_ID,
      actionData({ write: opts.write ?? [KEY, VALUE] }, ['CvppMSP', 'ControlMSP', 'TradingMSP']),
    ).serializeBinary(),
  ]);
  const source: ProofSources = {
    channel: 'vppchannel',
    chaincode: 'vpp',
    attest: async (key) => {
      assert.equal(key, KEY);
      return prepared(opts.read === null ? undefined : (opts.read ?? [KEY, 20, 1]));
    },
    block: async (n) => {
      fetched.push(n);
      return n === 20 ? txBlock : block(n, []);
    },
    checkpointFrom: async (from) =>
      (opts.checkpoints ?? [23]).map(checkpointAt).find((c) => c.blockNumber >= from),
  };
  return { source, fetched };
}

describe('proofs/bundle-builder', () => {
  it('should assemble the written value, its block, the headers to the first checkpoint after it, the config and the attestation', async () => {
    const { source, fetched } = sources({});
    const bundle = await newBundleBuilder().build(source, { kind: 'clearing', key: KEY });
    assert.equal(bundle.format, BUNDLE_FORMAT);
    assert.deepEqual(bundle.claim, { key: KEY, value: VALUE });
    assert.deepEqual(bundle.transaction, { txId: TX_ID, blockNumber: 20, index: 1 });
    assert.deepEqual(
      bundle.headers.map((h) => h.number),
      [21, 22, 23],
    );
    assert.equal(bundle.checkpoint.blockNumber, 23);
    assert.deepEqual(Buffer.from(bundle.config, 'base64'), Buffer.from(block(0, [])));
    // The attestation is the prepared transaction's payload, as the peers' gateway made it.
    assert.deepEqual(
      Buffer.from(bundle.attestation.payload, 'base64'),
      Buffer.from(
        gateway.PreparedTransaction.deserializeBinary(prepared([KEY, 20, 1]))
          .getEnvelope()!
          .getPayload_asU8(),
      ),
    );
    assert.equal(bundle.merkle, undefined);
    assert.deepEqual(
      [...fetched].sort((a, b) => a - b),
      [0, 20, 21, 22, 23],
    );
  });

  it('should keep headers and config blocks, which never change, and fetch only the record block again', async () => {
    const builder = newBundleBuilder();
    await builder.build(sources({}).source, { kind: 'clearing', key: KEY });
    const again = sources({});
    await builder.build(again.source, { kind: 'clearing', key: KEY });
    assert.deepEqual(again.fetched, [20]);
  });

  it('should chain to the checkpoint asked for, and refuse one before the record or one that does not exist', async () => {
    const builder = newBundleBuilder();
    const { source } = sources({ checkpoints: [23, 30] });
    assert.equal(
      (await builder.build(source, { kind: 'clearing', key: KEY, checkpoint: 30 })).headers.length,
      10,
    );
    await assert.rejects(builder.build(source, { kind: 'clearing', key: KEY, checkpoint: 19 }), {
      status: 400,
      code: 'CHECKPOINT_TOO_EARLY',
    });
    await assert.rejects(builder.build(source, { kind: 'clearing', key: KEY, checkpoint: 25 }), {
      status: 404,
      code: 'NOT_FOUND',
    });
  });

  it('should answer 409 CHECKPOINT_PENDING until a checkpoint covers the record, and 422 when it is too far', async () => {
    await assert.rejects(
      newBundleBuilder().build(sources({ checkpoints: [12] }).source, { kind: 'clearing', key: KEY }),
      {
        status: 409,
        code: 'CHECKPOINT_PENDING',
      },
    );
    await assert.rejects(
      newBundleBuilder().build(sources({ checkpoints: [21 + MAX_BUNDLE_HEADERS] }).source, {
        kind: 'clearing',
        key: KEY,
      }),
      { status: 422, code: 'PROOF_TOO_LONG' },
    );
  });

  it('should answer 404 when the endorsers read no version of the key', async () => {
    await assert.rejects(
      newBundleBuilder().build(sources({ read: null }).source, { kind: 'clearing', key: KEY }),
      {
        status: 404,
        code: 'NOT_FOUND',
      },
    );
  });

  it('should refuse to build when the attested transaction did not write the key', async () => {
    await assert.rejects(
      newBundleBuilder().build(sources({ write: ['\u0000vpp.clearing\u0000i-2\u0000', VALUE] }).source, {
        kind: 'clearing',
        key: KEY,
      }),
      LedgerDecodeError,
    );
  });
});
