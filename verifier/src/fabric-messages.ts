// Decoders for exactly the Fabric messages the verifier reads, by field number. The numbers come
// from Fabric's .proto files (fabric-protos: common/common.proto, common/configtx.proto,
// common/policies.proto, msp/*.proto, peer/transaction.proto, peer/proposal.proto,
// peer/proposal_response.proto, peer/chaincode.proto, ledger/rwset/…), each checked against the
// generated reader of @hyperledger/fabric-protos. Fields the verifier does not need are skipped.
// Byte fields that are signed or hashed over are kept exactly as they were on the wire.

import {
  boolField,
  bytesField,
  hasField,
  int32Field,
  int64Field,
  mapField,
  parseMessage,
  ProtobufError,
  repeatedBytesField,
  safeUintField,
  stringField,
  type ProtoMessage,
} from './protobuf';

// ---- common/common.proto

export const HEADER_TYPE_CONFIG = 1;
export const HEADER_TYPE_ENDORSER_TRANSACTION = 3;
/** BlockMetadataIndex.TRANSACTIONS_FILTER: one validation code byte per transaction. */
export const METADATA_TRANSACTIONS_FILTER = 2;

export interface BlockHeader {
  readonly number: number;
  readonly previousHash: Uint8Array;
  readonly dataHash: Uint8Array;
}

export interface Block {
  readonly header: BlockHeader;
  /** BlockData.data: each entry a serialized Envelope. */
  readonly data: Uint8Array[];
  /** BlockMetadata.metadata, by BlockMetadataIndex. */
  readonly metadata: Uint8Array[];
}

/** Parses `bytes` as a message, or fails naming what it was meant to be. */
function parseAs(what: string, bytes: Uint8Array): ProtoMessage {
  try {
    return parseMessage(bytes);
  } catch (error) {
    throw new ProtobufError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** common.BlockHeader {number=1, previous_hash=2, data_hash=3}. */
export function decodeBlockHeader(bytes: Uint8Array): BlockHeader {
  const m = parseAs('BlockHeader', bytes);
  return { number: safeUintField(m, 1), previousHash: bytesField(m, 2), dataHash: bytesField(m, 3) };
}

/** common.Block {header=1, data=2 (BlockData {data=1 repeated}), metadata=3 (BlockMetadata {metadata=1 repeated})}. */
export function decodeBlock(bytes: Uint8Array): Block {
  const m = parseAs('Block', bytes);
  if (!hasField(m, 1)) throw new ProtobufError('Block: no header');
  return {
    header: decodeBlockHeader(bytesField(m, 1)),
    data: repeatedBytesField(parseAs('BlockData', bytesField(m, 2)), 1),
    metadata: repeatedBytesField(parseAs('BlockMetadata', bytesField(m, 3)), 1),
  };
}

export interface Envelope {
  /** The serialized Payload, exactly the bytes the creator signed. */
  readonly payloadBytes: Uint8Array;
  readonly signature: Uint8Array;
}

/** common.Envelope {payload=1, signature=2}. */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  const m = parseAs('Envelope', bytes);
  return { payloadBytes: bytesField(m, 1), signature: bytesField(m, 2) };
}

export interface Timestamp {
  readonly seconds: bigint;
  readonly nanos: number;
}

export interface ChannelHeader {
  readonly type: number;
  readonly version: number;
  readonly timestamp: Timestamp;
  readonly channelId: string;
  readonly txId: string;
}

export interface SignatureHeader {
  /** A serialized msp.SerializedIdentity. */
  readonly creator: Uint8Array;
  readonly nonce: Uint8Array;
}

export interface Payload {
  readonly channelHeader: ChannelHeader;
  /** Header.channel_header exactly as on the wire (the proposal hash covers these bytes). */
  readonly channelHeaderBytes: Uint8Array;
  readonly signatureHeader: SignatureHeader;
  readonly data: Uint8Array;
}

/** google.protobuf.Timestamp {seconds=1 int64, nanos=2 int32}. */
function decodeTimestamp(bytes: Uint8Array): Timestamp {
  const m = parseAs('Timestamp', bytes);
  return { seconds: int64Field(m, 1), nanos: int32Field(m, 2) };
}

/** common.ChannelHeader {type=1, version=2, timestamp=3, channel_id=4, tx_id=5, …}. */
export function decodeChannelHeader(bytes: Uint8Array): ChannelHeader {
  const m = parseAs('ChannelHeader', bytes);
  return {
    type: int32Field(m, 1),
    version: int32Field(m, 2),
    timestamp: decodeTimestamp(bytesField(m, 3)),
    channelId: stringField(m, 4),
    txId: stringField(m, 5),
  };
}

/** common.Payload {header=1 (Header {channel_header=1, signature_header=2}), data=2}. */
export function decodePayload(bytes: Uint8Array): Payload {
  const m = parseAs('Payload', bytes);
  const header = parseAs('Header', bytesField(m, 1));
  const signatureHeader = parseAs('SignatureHeader', bytesField(header, 2));
  const channelHeaderBytes = bytesField(header, 1);
  return {
    channelHeader: decodeChannelHeader(channelHeaderBytes),
    channelHeaderBytes,
    signatureHeader: { creator: bytesField(signatureHeader, 1), nonce: bytesField(signatureHeader, 2) },
    data: bytesField(m, 2),
  };
}

// ---- msp/identities.proto

export interface SerializedIdentity {
  readonly mspId: string;
  /** For an X.509 MSP: the PEM certificate. */
  readonly idBytes: Uint8Array;
}

/** msp.SerializedIdentity {mspid=1, id_bytes=2}. */
export function decodeSerializedIdentity(bytes: Uint8Array): SerializedIdentity {
  const m = parseAs('SerializedIdentity', bytes);
  return { mspId: stringField(m, 1), idBytes: bytesField(m, 2) };
}

// ---- peer/transaction.proto, peer/proposal_response.proto, peer/proposal.proto, peer/chaincode.proto

export interface Endorsement {
  /** A serialized msp.SerializedIdentity: signed over together with the response payload. */
  readonly endorser: Uint8Array;
  readonly signature: Uint8Array;
}

export interface EndorsedAction {
  /** TransactionAction.header: the proposal's serialized SignatureHeader, exactly as on the wire. */
  readonly header: Uint8Array;
  /** The serialized ChaincodeProposalPayload (the transient map already removed), exactly as on the wire. */
  readonly chaincodeProposalPayload: Uint8Array;
  /** The serialized ProposalResponsePayload, exactly as endorsed. */
  readonly proposalResponsePayload: Uint8Array;
  readonly endorsements: Endorsement[];
}

/** peer.Endorsement {endorser=1, signature=2}. */
function decodeEndorsement(bytes: Uint8Array): Endorsement {
  const m = parseAs('Endorsement', bytes);
  return { endorser: bytesField(m, 1), signature: bytesField(m, 2) };
}

/**
 * The endorsed actions of a peer.Transaction {actions=1 repeated TransactionAction {header=1,
 * payload=2}}, each payload a ChaincodeActionPayload {chaincode_proposal_payload=1, action=2
 * (ChaincodeEndorsedAction {proposal_response_payload=1, endorsements=2 repeated})}.
 */
export function decodeTransactionActions(bytes: Uint8Array): EndorsedAction[] {
  const tx = parseAs('Transaction', bytes);
  return repeatedBytesField(tx, 1).map((actionBytes) => {
    const action = parseAs('TransactionAction', actionBytes);
    const actionPayload = parseAs('ChaincodeActionPayload', bytesField(action, 2));
    const endorsed = parseAs('ChaincodeEndorsedAction', bytesField(actionPayload, 2));
    return {
      header: bytesField(action, 1),
      chaincodeProposalPayload: bytesField(actionPayload, 1),
      proposalResponsePayload: bytesField(endorsed, 1),
      endorsements: repeatedBytesField(endorsed, 2).map(decodeEndorsement),
    };
  });
}

export interface ChaincodeId {
  readonly path: string;
  readonly name: string;
  readonly version: string;
}

/** peer.ChaincodeID {path=1, name=2, version=3}. */
function decodeChaincodeId(bytes: Uint8Array): ChaincodeId {
  const m = parseAs('ChaincodeID', bytes);
  return { path: stringField(m, 1), name: stringField(m, 2), version: stringField(m, 3) };
}

export interface ChaincodeInvocation {
  readonly chaincodeId: ChaincodeId;
  /** ChaincodeInput.args: the function name, then its arguments, as the client sent them. */
  readonly args: Uint8Array[];
  readonly isInit: boolean;
}

/**
 * The invocation in a peer.ChaincodeProposalPayload {input=1 bytes, transient_map=2}: input is a
 * serialized ChaincodeInvocationSpec {chaincode_spec=1 (ChaincodeSpec {type=1, chaincode_id=2
 * (ChaincodeID), input=3 (ChaincodeInput {args=1 repeated bytes, decorations=2 map, is_init=3}),
 * timeout=4})}. The transient map (absent from a transaction's copy) is not read.
 */
export function decodeChaincodeProposalPayload(bytes: Uint8Array): ChaincodeInvocation {
  const m = parseAs('ChaincodeProposalPayload', bytes);
  const invocation = parseAs('ChaincodeInvocationSpec', bytesField(m, 1));
  const spec = parseAs('ChaincodeSpec', bytesField(invocation, 1));
  const input = parseAs('ChaincodeInput', bytesField(spec, 3));
  return {
    chaincodeId: decodeChaincodeId(bytesField(spec, 2)),
    args: repeatedBytesField(input, 1),
    isInit: boolField(input, 3),
  };
}

export interface ProposalResponsePayload {
  readonly proposalHash: Uint8Array;
  /** For a chaincode proposal: a serialized ChaincodeAction. */
  readonly extension: Uint8Array;
}

/** peer.ProposalResponsePayload {proposal_hash=1, extension=2}. */
export function decodeProposalResponsePayload(bytes: Uint8Array): ProposalResponsePayload {
  const m = parseAs('ProposalResponsePayload', bytes);
  return { proposalHash: bytesField(m, 1), extension: bytesField(m, 2) };
}

export interface ChaincodeAction {
  /** A serialized rwset.TxReadWriteSet. */
  readonly results: Uint8Array;
  readonly response: { readonly status: number; readonly message: string; readonly payload: Uint8Array };
  readonly chaincodeId: ChaincodeId;
}

/**
 * peer.ChaincodeAction {results=1, events=2, response=3 (Response {status=1, message=2, payload=3}),
 * chaincode_id=4 (ChaincodeID {path=1, name=2, version=3})}.
 */
export function decodeChaincodeAction(bytes: Uint8Array): ChaincodeAction {
  const m = parseAs('ChaincodeAction', bytes);
  const response = parseAs('Response', bytesField(m, 3));
  return {
    results: bytesField(m, 1),
    response: {
      status: int32Field(response, 1),
      message: stringField(response, 2),
      payload: bytesField(response, 3),
    },
    chaincodeId: decodeChaincodeId(bytesField(m, 4)),
  };
}

// ---- ledger/rwset/rwset.proto, ledger/rwset/kvrwset/kv_rwset.proto

export interface KVRead {
  readonly key: string;
  /** Absent when the key did not exist at simulation time. */
  readonly version: { readonly blockNum: number; readonly txNum: number } | undefined;
}

export interface KVWrite {
  readonly key: string;
  readonly isDelete: boolean;
  readonly value: Uint8Array;
}

export interface NsReadWriteSet {
  readonly namespace: string;
  readonly reads: KVRead[];
  readonly writes: KVWrite[];
}

/** kvrwset.KVRead {key=1, version=2 (Version {block_num=1, tx_num=2})}. */
function decodeKVRead(bytes: Uint8Array): KVRead {
  const m = parseAs('KVRead', bytes);
  if (!hasField(m, 2)) return { key: stringField(m, 1), version: undefined };
  const version = parseAs('Version', bytesField(m, 2));
  return {
    key: stringField(m, 1),
    version: { blockNum: safeUintField(version, 1), txNum: safeUintField(version, 2) },
  };
}

/** kvrwset.KVWrite {key=1, is_delete=2, value=3}. */
function decodeKVWrite(bytes: Uint8Array): KVWrite {
  const m = parseAs('KVWrite', bytes);
  return { key: stringField(m, 1), isDelete: boolField(m, 2), value: bytesField(m, 3) };
}

/**
 * rwset.TxReadWriteSet {data_model=1, ns_rwset=2 repeated NsReadWriteSet {namespace=1, rwset=2
 * (kvrwset.KVRWSet {reads=1, range_queries_info=2, writes=3, metadata_writes=4}),
 * collection_hashed_rwset=3}}. Only the public reads and writes are decoded.
 */
export function decodeTxReadWriteSet(bytes: Uint8Array): NsReadWriteSet[] {
  const m = parseAs('TxReadWriteSet', bytes);
  return repeatedBytesField(m, 2).map((nsBytes) => {
    const ns = parseAs('NsReadWriteSet', nsBytes);
    const kv = parseAs('KVRWSet', bytesField(ns, 2));
    return {
      namespace: stringField(ns, 1),
      reads: repeatedBytesField(kv, 1).map(decodeKVRead),
      writes: repeatedBytesField(kv, 3).map(decodeKVWrite),
    };
  });
}

// ---- common/configtx.proto, common/policies.proto, msp/msp_principal.proto, msp/msp_config.proto

export interface ConfigGroup {
  readonly groups: ReadonlyMap<string, ConfigGroup>;
  /** ConfigValue.value of each value, still serialized (its type depends on the key). */
  readonly values: ReadonlyMap<string, Uint8Array>;
  readonly policies: ReadonlyMap<string, Policy>;
}

export const POLICY_TYPE_SIGNATURE = 1;
export const POLICY_TYPE_MSP = 2;
export const POLICY_TYPE_IMPLICIT_META = 3;

export interface Policy {
  readonly type: number;
  readonly value: Uint8Array;
}

/** A config tree deeper than this is refused (Fabric's is 4 levels: Channel/Application/Org/…). */
const MAX_CONFIG_DEPTH = 16;

/**
 * common.ConfigGroup {version=1, groups=2 map<string, ConfigGroup>, values=3 map<string,
 * ConfigValue {version=1, value=2, mod_policy=3}>, policies=4 map<string, ConfigPolicy {version=1,
 * policy=2 (Policy {type=1, value=2}), mod_policy=3}>, mod_policy=5}.
 */
function decodeConfigGroup(bytes: Uint8Array, depth: number): ConfigGroup {
  if (depth > MAX_CONFIG_DEPTH) throw new ProtobufError('ConfigGroup: nested too deeply');
  const m = parseAs('ConfigGroup', bytes);
  const groups = new Map<string, ConfigGroup>();
  for (const [name, group] of mapField(m, 2)) groups.set(name, decodeConfigGroup(group, depth + 1));
  const values = new Map<string, Uint8Array>();
  for (const [name, value] of mapField(m, 3)) values.set(name, bytesField(parseAs('ConfigValue', value), 2));
  const policies = new Map<string, Policy>();
  for (const [name, configPolicy] of mapField(m, 4)) {
    const policy = parseAs('Policy', bytesField(parseAs('ConfigPolicy', configPolicy), 2));
    policies.set(name, { type: int32Field(policy, 1), value: bytesField(policy, 2) });
  }
  return { groups, values, policies };
}

/** common.ConfigEnvelope {config=1 (Config {sequence=1, channel_group=2}), last_update=2}: the channel group. */
export function decodeConfigEnvelope(bytes: Uint8Array): { sequence: number; channelGroup: ConfigGroup } {
  const envelope = parseAs('ConfigEnvelope', bytes);
  const config = parseAs('Config', bytesField(envelope, 1));
  return { sequence: safeUintField(config, 1), channelGroup: decodeConfigGroup(bytesField(config, 2), 0) };
}

export const IMPLICIT_META_ANY = 0;
export const IMPLICIT_META_ALL = 1;
export const IMPLICIT_META_MAJORITY = 2;

export interface ImplicitMetaPolicy {
  readonly subPolicy: string;
  readonly rule: number;
}

/** common.ImplicitMetaPolicy {sub_policy=1, rule=2}. */
export function decodeImplicitMetaPolicy(bytes: Uint8Array): ImplicitMetaPolicy {
  const m = parseAs('ImplicitMetaPolicy', bytes);
  return { subPolicy: stringField(m, 1), rule: int32Field(m, 2) };
}

/** A SignaturePolicy: SignedBy an identity of the envelope's list, or N out of sub-rules. */
export type SignaturePolicy =
  { readonly signedBy: number } | { readonly n: number; readonly rules: readonly SignaturePolicy[] };

export interface SignaturePolicyEnvelope {
  readonly rule: SignaturePolicy;
  /** Serialized MSPPrincipals, indexed by SignedBy. */
  readonly identities: readonly Uint8Array[];
}

const MAX_POLICY_DEPTH = 32;

/** common.SignaturePolicy {oneof: signed_by=1 int32, n_out_of=2 (NOutOf {n=1 int32, rules=2 repeated})}. */
function decodeSignaturePolicy(bytes: Uint8Array, depth: number): SignaturePolicy {
  if (depth > MAX_POLICY_DEPTH) throw new ProtobufError('SignaturePolicy: nested too deeply');
  const m = parseAs('SignaturePolicy', bytes);
  if (hasField(m, 2)) {
    const nOutOf = parseAs('NOutOf', bytesField(m, 2));
    return {
      n: int32Field(nOutOf, 1),
      rules: repeatedBytesField(nOutOf, 2).map((rule) => decodeSignaturePolicy(rule, depth + 1)),
    };
  }
  return { signedBy: int32Field(m, 1) };
}

/** common.SignaturePolicyEnvelope {version=1, rule=2, identities=3 repeated MSPPrincipal}. */
export function decodeSignaturePolicyEnvelope(bytes: Uint8Array): SignaturePolicyEnvelope {
  const m = parseAs('SignaturePolicyEnvelope', bytes);
  return { rule: decodeSignaturePolicy(bytesField(m, 2), 0), identities: repeatedBytesField(m, 3) };
}

export const PRINCIPAL_ROLE = 0;
export const ROLE_MEMBER = 0;
export const ROLE_ADMIN = 1;
export const ROLE_CLIENT = 2;
export const ROLE_PEER = 3;
export const ROLE_ORDERER = 4;

export interface MspPrincipal {
  readonly classification: number;
  /** For classification ROLE: the MSPRole. */
  readonly role: { readonly mspId: string; readonly role: number } | undefined;
}

/** common.MSPPrincipal {principal_classification=1, principal=2}; for ROLE, MSPRole {msp_identifier=1, role=2}. */
export function decodeMspPrincipal(bytes: Uint8Array): MspPrincipal {
  const m = parseAs('MSPPrincipal', bytes);
  const classification = int32Field(m, 1);
  if (classification !== PRINCIPAL_ROLE) return { classification, role: undefined };
  const role = parseAs('MSPRole', bytesField(m, 2));
  return { classification, role: { mspId: stringField(role, 1), role: int32Field(role, 2) } };
}

export const MSP_TYPE_FABRIC = 0;

export interface OuIdentifier {
  /** PEM of the CA the OU must be issued under; empty for any CA of the MSP. */
  readonly certificate: Uint8Array;
  readonly organizationalUnit: string;
}

export interface FabricMspConfig {
  readonly name: string;
  readonly rootCerts: Uint8Array[];
  readonly intermediateCerts: Uint8Array[];
  readonly admins: Uint8Array[];
  readonly nodeOUs:
    | {
        readonly enable: boolean;
        readonly client: OuIdentifier | undefined;
        readonly peer: OuIdentifier | undefined;
        readonly admin: OuIdentifier | undefined;
        readonly orderer: OuIdentifier | undefined;
      }
    | undefined;
}

/** msp.FabricOUIdentifier {certificate=1, organizational_unit_identifier=2}. */
function decodeOuIdentifier(m: ProtoMessage, field: number): OuIdentifier | undefined {
  if (!hasField(m, field)) return undefined;
  const ou = parseAs('FabricOUIdentifier', bytesField(m, field));
  return { certificate: bytesField(ou, 1), organizationalUnit: stringField(ou, 2) };
}

/**
 * msp.MSPConfig {type=1, config=2}; for type FABRIC, FabricMSPConfig {name=1, root_certs=2,
 * intermediate_certs=3, admins=4, revocation_list=5, signing_identity=6,
 * organizational_unit_identifiers=7, crypto_config=8, tls_root_certs=9, tls_intermediate_certs=10,
 * fabric_node_ous=11 (FabricNodeOUs {enable=1, client_ou_identifier=2, peer_ou_identifier=3,
 * admin_ou_identifier=4, orderer_ou_identifier=5})}.
 */
export function decodeMspConfig(bytes: Uint8Array): { type: number; fabric: FabricMspConfig | undefined } {
  const m = parseAs('MSPConfig', bytes);
  const type = int32Field(m, 1);
  if (type !== MSP_TYPE_FABRIC) return { type, fabric: undefined };
  const c = parseAs('FabricMSPConfig', bytesField(m, 2));
  let nodeOUs: FabricMspConfig['nodeOUs'];
  if (hasField(c, 11)) {
    const ous = parseAs('FabricNodeOUs', bytesField(c, 11));
    nodeOUs = {
      enable: boolField(ous, 1),
      client: decodeOuIdentifier(ous, 2),
      peer: decodeOuIdentifier(ous, 3),
      admin: decodeOuIdentifier(ous, 4),
      orderer: decodeOuIdentifier(ous, 5),
    };
  }
  return {
    type,
    fabric: {
      name: stringField(c, 1),
      rootCerts: repeatedBytesField(c, 2),
      intermediateCerts: repeatedBytesField(c, 3),
      admins: repeatedBytesField(c, 4),
      nodeOUs,
    },
  };
}
