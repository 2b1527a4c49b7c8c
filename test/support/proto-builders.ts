// Builds Fabric protobuf messages in memory (blocks, transactions, config), so the decoders (the
// gateway's block decoder, platform's channel config) are tested on exactly the shapes the peer sends
// without a network.

import { common, msp, peer } from '@hyperledger/fabric-protos';

/**
 * google-protobuf (which defines Timestamp) ships no types and is not a direct dependency; an empty
 * field 3 of a ChannelHeader decodes into a fresh Timestamp instance, which is all we need.
 */
function newTimestamp(seconds: number, nanos: number) {
  const ts = common.ChannelHeader.deserializeBinary(Uint8Array.from([0x1a, 0x00])).getTimestamp()!;
  ts.setSeconds(seconds);
  ts.setNanos(nanos);
  return ts;
}

export function identity(mspId: string): Uint8Array {
  const id = new msp.SerializedIdentity();
  id.setMspid(mspId);
  id.setIdBytes(Buffer.from(`-----BEGIN CERTIFICATE-----\n${mspId}\n-----END CERTIFICATE-----\n`));
  return id.serializeBinary();
}

function header(type: number, txId: string, creatorMspId: string, seconds: number): common.Header {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(type);
  channelHeader.setTxId(txId);
  channelHeader.setChannelId('vppchannel');
  channelHeader.setTimestamp(newTimestamp(seconds, 250_000_000));
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(identity(creatorMspId));
  signatureHeader.setNonce(Buffer.from('nonce'));
  const h = new common.Header();
  h.setChannelHeader(channelHeader.serializeBinary());
  h.setSignatureHeader(signatureHeader.serializeBinary());
  return h;
}

function envelope(h: common.Header, data: Uint8Array): Uint8Array {
  const payload = new common.Payload();
  payload.setHeader(h);
  payload.setData(data);
  const env = new common.Envelope();
  env.setPayload(payload.serializeBinary());
  env.setSignature(Buffer.from('signature'));
  return env.serializeBinary();
}

export interface EndorserTxSpec {
  readonly txId: string;
  readonly creator: string;
  readonly endorsers: readonly string[];
  readonly chaincode?: string;
  readonly seconds?: number;
}

export function endorserTransaction(spec: EndorserTxSpec): Uint8Array {
  const chaincodeId = new peer.ChaincodeID();
  chaincodeId.setName(spec.chaincode ?? 'vpp');
  const chaincodeAction = new peer.ChaincodeAction();
  chaincodeAction.setChaincodeId(chaincodeId);
  const responsePayload = new peer.ProposalResponsePayload();
  responsePayload.setProposalHash(Buffer.from('hash'));
  responsePayload.setExtension$(chaincodeAction.serializeBinary());
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(responsePayload.serializeBinary());
  endorsed.setEndorsementsList(
    spec.endorsers.map((mspId) => {
      const e = new peer.Endorsement();
      e.setEndorser(identity(mspId));
      e.setSignature(Buffer.from('sig'));
      return e;
    }),
  );
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setAction(endorsed);
  const action = new peer.TransactionAction();
  action.setPayload(actionPayload.serializeBinary());
  const tx = new peer.Transaction();
  tx.setActionsList([action]);
  return envelope(
    header(common.HeaderType.ENDORSER_TRANSACTION, spec.txId, spec.creator, spec.seconds ?? 1_735_689_600),
    tx.serializeBinary(),
  );
}

export interface OrgSpec {
  readonly name: string;
  readonly mspId: string;
  readonly rootCerts: readonly string[];
  readonly tlsRootCerts: readonly string[];
  readonly type?: number;
}

function orgGroup(spec: OrgSpec): common.ConfigGroup {
  const fabric = new msp.FabricMSPConfig();
  fabric.setName(spec.mspId);
  fabric.setRootCertsList(spec.rootCerts.map((c) => Buffer.from(c)));
  fabric.setTlsRootCertsList(spec.tlsRootCerts.map((c) => Buffer.from(c)));
  const mspConfig = new msp.MSPConfig();
  mspConfig.setType(spec.type ?? 0);
  mspConfig.setConfig(fabric.serializeBinary());
  const value = new common.ConfigValue();
  value.setValue(mspConfig.serializeBinary());
  const group = new common.ConfigGroup();
  group.getValuesMap().set('MSP', value);
  return group;
}

export function configTransaction(
  txId: string,
  groups: { application: readonly OrgSpec[]; orderer: readonly OrgSpec[] },
): Uint8Array {
  const channel = new common.ConfigGroup();
  for (const [name, orgs] of [
    ['Application', groups.application],
    ['Orderer', groups.orderer],
  ] as const) {
    const group = new common.ConfigGroup();
    for (const org of orgs) group.getGroupsMap().set(org.name, orgGroup(org));
    channel.getGroupsMap().set(name, group);
  }
  const config = new common.Config();
  config.setChannelGroup(channel);
  const configEnvelope = new common.ConfigEnvelope();
  configEnvelope.setConfig(config);
  return envelope(
    header(common.HeaderType.CONFIG, txId, 'CvppMSP', 1_735_689_600),
    configEnvelope.serializeBinary(),
  );
}

export function block(
  number: number,
  envelopes: readonly Uint8Array[],
  filter?: readonly number[],
): Uint8Array {
  const h = new common.BlockHeader();
  h.setNumber(number);
  h.setDataHash(Buffer.from('d4a7a0', 'hex'));
  if (number > 0) h.setPreviousHash(Buffer.from('0123abcd', 'hex'));
  const data = new common.BlockData();
  data.setDataList([...envelopes]);
  const metadata = new common.BlockMetadata();
  const entries: Uint8Array[] = [new Uint8Array(), new Uint8Array(), new Uint8Array(), new Uint8Array()];
  if (filter !== undefined) entries[common.BlockMetadataIndex.TRANSACTIONS_FILTER] = Uint8Array.from(filter);
  metadata.setMetadataList(entries);
  const b = new common.Block();
  b.setHeader(h);
  b.setData(data);
  b.setMetadata(metadata);
  return b.serializeBinary();
}

export function processedTransaction(envelopeBytes: Uint8Array, validationCode: number): Uint8Array {
  const processed = new peer.ProcessedTransaction();
  processed.setTransactionenvelope(common.Envelope.deserializeBinary(envelopeBytes));
  processed.setValidationcode(validationCode);
  return processed.serializeBinary();
}
