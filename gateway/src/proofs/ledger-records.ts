// Reads the parts of Fabric's own protobuf messages a proof bundle needs: the endorsed attestation's
// signatures and the version it read, a block's header, and the value a transaction wrote. Pure (no
// Fabric connection). The bundle carries the raw bytes; these only locate and check them, so a gateway
// cannot hand out a bundle that it has not first matched against what the peers signed.

import { common, gateway, ledger, peer } from '@hyperledger/fabric-protos';
import type { BlockHeaderFields } from '../../../verifier/src/bundle';
import { decodeOrThrow, LedgerDecodeError } from '../../../platform/src/ledger/decode-error';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The key/value read/write set, in namespace `chaincode`, of the (only) action of an endorser transaction. */
function kvRwSetOf(payloadData: Uint8Array, chaincode: string): ledger.rwset.kvrwset.KVRWSet | undefined {
  const tx = decodeOrThrow('transaction', () => peer.Transaction.deserializeBinary(payloadData));
  const [action] = tx.getActionsList();
  if (action === undefined) throw new LedgerDecodeError('transaction has no action');
  const endorsed = decodeOrThrow('chaincode action payload', () =>
    peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()),
  ).getAction();
  if (endorsed === undefined) throw new LedgerDecodeError('transaction has no endorsed action');
  const chaincodeAction = decodeOrThrow('chaincode action', () =>
    peer.ChaincodeAction.deserializeBinary(
      peer.ProposalResponsePayload.deserializeBinary(
        endorsed.getProposalResponsePayload_asU8(),
      ).getExtension_asU8(),
    ),
  );
  const rwSet = decodeOrThrow('read/write set', () =>
    ledger.rwset.TxReadWriteSet.deserializeBinary(chaincodeAction.getResults_asU8()),
  );
  const ns = rwSet.getNsRwsetList().find((candidate) => candidate.getNamespace() === chaincode);
  return ns === undefined
    ? undefined
    : decodeOrThrow('key/value read/write set', () =>
        ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8()),
      );
}

function payloadOf(envelopeBytes: Uint8Array): { channelHeader: common.ChannelHeader; data: Uint8Array } {
  const envelope = decodeOrThrow('envelope', () => common.Envelope.deserializeBinary(envelopeBytes));
  const payload = decodeOrThrow('payload', () =>
    common.Payload.deserializeBinary(envelope.getPayload_asU8()),
  );
  const header = payload.getHeader();
  if (header === undefined) throw new LedgerDecodeError('payload has no header');
  const channelHeader = decodeOrThrow('channel header', () =>
    common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8()),
  );
  return { channelHeader, data: payload.getData_asU8() };
}

export interface Attestation {
  /** common.Payload of the endorsed, unsigned transaction, base64: header, call, endorsements. */
  readonly payload: string;
  /** Where the key's committed write is: undefined if the endorsers read no version of it. */
  readonly version: { readonly blockNumber: number; readonly index: number } | undefined;
}

/** Decodes an endorsed, unsubmitted transaction (fabric-gateway's Transaction.getBytes()). */
export function attestationOf(preparedTransaction: Uint8Array, chaincode: string, key: string): Attestation {
  const prepared = decodeOrThrow('prepared transaction', () =>
    gateway.PreparedTransaction.deserializeBinary(preparedTransaction),
  );
  const envelope = prepared.getEnvelope();
  if (envelope === undefined) throw new LedgerDecodeError('prepared transaction has no envelope');
  const payloadBytes = envelope.getPayload_asU8();
  const { data } = payloadOf(envelope.serializeBinary());
  const read = kvRwSetOf(data, chaincode)
    ?.getReadsList()
    .find((candidate) => candidate.getKey() === key);
  const version = read?.getVersion();
  return {
    payload: b64(payloadBytes),
    version:
      version === undefined ? undefined : { blockNumber: version.getBlockNum(), index: version.getTxNum() },
  };
}

export function blockHeaderOf(blockBytes: Uint8Array): BlockHeaderFields {
  const header = decodeOrThrow('block', () => common.Block.deserializeBinary(blockBytes)).getHeader();
  if (header === undefined) throw new LedgerDecodeError('block has no header');
  return {
    number: header.getNumber(),
    previousHash: hex(header.getPreviousHash_asU8()),
    dataHash: hex(header.getDataHash_asU8()),
  };
}

/**
 * The ID of transaction `index` of the block and the value it wrote at `key` in namespace `chaincode`
 * (UTF-8 text); LedgerDecodeError if it wrote none there (the attested version and the block would
 * then disagree, which only a corrupted ledger or a bug explains).
 */
export function transactionWrite(
  blockBytes: Uint8Array,
  index: number,
  chaincode: string,
  key: string,
): { txId: string; value: string } {
  const block = decodeOrThrow('block', () => common.Block.deserializeBinary(blockBytes));
  const envelopeBytes = block.getData()?.getDataList_asU8()[index];
  if (envelopeBytes === undefined) throw new LedgerDecodeError(`block has no transaction at index ${index}`);
  const { channelHeader, data } = payloadOf(envelopeBytes);
  const txId = channelHeader.getTxId();
  const write = kvRwSetOf(data, chaincode)
    ?.getWritesList()
    .find((candidate) => candidate.getKey() === key && !candidate.getIsDelete());
  if (write === undefined) throw new LedgerDecodeError(`transaction ${txId} wrote nothing at the key`);
  return { txId, value: Buffer.from(write.getValue_asU8()).toString('utf8') };
}
