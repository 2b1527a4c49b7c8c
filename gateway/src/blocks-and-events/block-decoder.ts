// Turns the protobuf bytes the peer's qscc returns (common.Block, peer.ProcessedTransaction) into
// plain JSON-ready values. Pure: no Fabric connection, so it is unit-tested on blocks built in memory.
// A block's validation codes live in its TRANSACTIONS_FILTER metadata (one byte per transaction),
// not in the transactions themselves.

import { common, msp, peer } from '@hyperledger/fabric-protos';
import { decodeOrThrow, LedgerDecodeError } from '../../../platform/src/ledger/decode-error';

export interface DecodedTransaction {
  readonly txId: string;
  /** The channel header type name, e.g. ENDORSER_TRANSACTION or CONFIG. */
  readonly type: string;
  /** The transaction's client timestamp, ISO-8601 UTC; undefined if the header has none. */
  readonly timestamp: string | undefined;
  readonly creatorMspId: string;
  /** peer.TxValidationCode name, e.g. VALID or MVCC_READ_CONFLICT. */
  readonly validationCode: string;
  /** MSP IDs of the endorsing peers, de-duplicated and sorted; empty for config transactions. */
  readonly endorsers: readonly string[];
  /** The chaincode invoked, for endorser transactions. */
  readonly chaincode: string | undefined;
}

export interface DecodedBlock {
  readonly number: number;
  /** Hex. */
  readonly dataHash: string;
  /** Hex; empty for the genesis block. */
  readonly previousHash: string;
  readonly transactions: readonly DecodedTransaction[];
}

const invert = (map: Record<string, number>): ReadonlyMap<number, string> =>
  new Map(Object.entries(map).map(([name, code]) => [code, name]));

const VALIDATION_CODES = invert(peer.TxValidationCode as unknown as Record<string, number>);
const HEADER_TYPES = invert(common.HeaderType as unknown as Record<string, number>);

export function validationCodeName(code: number): string {
  return VALIDATION_CODES.get(code) ?? `UNKNOWN_${code}`;
}

function headerTypeName(type: number): string {
  return HEADER_TYPES.get(type) ?? `UNKNOWN_${type}`;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function mspIdOf(serializedIdentity: Uint8Array): string {
  return decodeOrThrow('serialized identity', () =>
    msp.SerializedIdentity.deserializeBinary(serializedIdentity),
  ).getMspid();
}

function timestampIso(header: common.ChannelHeader): string | undefined {
  const ts = header.getTimestamp();
  if (ts === undefined) return undefined;
  const millis = ts.getSeconds() * 1000 + Math.floor(ts.getNanos() / 1_000_000);
  return Number.isFinite(millis) ? new Date(millis).toISOString() : undefined;
}

interface Endorsement {
  readonly endorsers: string[];
  readonly chaincode: string | undefined;
}

function endorsementsOf(payloadData: Uint8Array): Endorsement {
  const tx = decodeOrThrow('transaction', () => peer.Transaction.deserializeBinary(payloadData));
  const endorsers = new Set<string>();
  let chaincode: string | undefined;
  for (const action of tx.getActionsList()) {
    const actionPayload = decodeOrThrow('chaincode action payload', () =>
      peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()),
    );
    const endorsed = actionPayload.getAction();
    if (endorsed === undefined) continue;
    for (const endorsement of endorsed.getEndorsementsList()) {
      endorsers.add(mspIdOf(endorsement.getEndorser_asU8()));
    }
    chaincode ??= decodeOrThrow('chaincode action', () => {
      const response = peer.ProposalResponsePayload.deserializeBinary(
        endorsed.getProposalResponsePayload_asU8(),
      );
      return peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8()).getChaincodeId()?.getName();
    });
  }
  return { endorsers: [...endorsers].sort(), chaincode: chaincode === '' ? undefined : chaincode };
}

/** Decodes one transaction envelope; `validationCode` comes from outside (block filter or qscc). */
export function decodeEnvelope(envelopeBytes: Uint8Array, validationCode: number): DecodedTransaction {
  const envelope = decodeOrThrow('envelope', () => common.Envelope.deserializeBinary(envelopeBytes));
  const payload = decodeOrThrow('payload', () =>
    common.Payload.deserializeBinary(envelope.getPayload_asU8()),
  );
  const header = payload.getHeader();
  if (header === undefined) throw new LedgerDecodeError('transaction payload has no header');
  const channelHeader = decodeOrThrow('channel header', () =>
    common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8()),
  );
  const signatureHeader = decodeOrThrow('signature header', () =>
    common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8()),
  );
  const type = channelHeader.getType();
  const { endorsers, chaincode } =
    type === common.HeaderType.ENDORSER_TRANSACTION
      ? endorsementsOf(payload.getData_asU8())
      : { endorsers: [], chaincode: undefined };
  return {
    txId: channelHeader.getTxId(),
    type: headerTypeName(type),
    timestamp: timestampIso(channelHeader),
    creatorMspId: mspIdOf(signatureHeader.getCreator_asU8()),
    validationCode: validationCodeName(validationCode),
    endorsers,
    chaincode,
  };
}

export function decodeBlock(bytes: Uint8Array): DecodedBlock {
  const block = decodeOrThrow('block', () => common.Block.deserializeBinary(bytes));
  const header = block.getHeader();
  if (header === undefined) throw new LedgerDecodeError('block has no header');
  const envelopes = block.getData()?.getDataList_asU8() ?? [];
  const filter =
    block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ??
    new Uint8Array();
  return {
    number: header.getNumber(),
    dataHash: hex(header.getDataHash_asU8()),
    previousHash: hex(header.getPreviousHash_asU8()),
    transactions: envelopes.map((envelope, i) =>
      // Config blocks carry no filter; the orderer only writes valid config transactions.
      decodeEnvelope(envelope, filter[i] ?? peer.TxValidationCode.VALID),
    ),
  };
}

/** Decodes qscc GetTransactionByID's answer. */
export function decodeProcessedTransaction(bytes: Uint8Array): DecodedTransaction {
  const processed = decodeOrThrow('processed transaction', () =>
    peer.ProcessedTransaction.deserializeBinary(bytes),
  );
  const envelope = processed.getTransactionenvelope();
  if (envelope === undefined) throw new LedgerDecodeError('processed transaction has no envelope');
  return decodeEnvelope(envelope.serializeBinary(), processed.getValidationcode());
}

/** Decodes qscc GetChainInfo's answer. */
export function decodeChainInfo(bytes: Uint8Array): { height: number; currentBlockHash: string } {
  const info = decodeOrThrow('blockchain info', () => common.BlockchainInfo.deserializeBinary(bytes));
  return { height: info.getHeight(), currentBlockHash: hex(info.getCurrentblockhash_asU8()) };
}
