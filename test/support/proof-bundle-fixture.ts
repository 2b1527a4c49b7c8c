// Builds complete, valid proof bundles (verifier/src/bundle.ts) in memory, with
// @hyperledger/fabric-protos (not the verifier's own decoders) and a throwaway PKI of four orgs:
// a root CA each, peers with OU=peer and a client with OU=client (NodeOUs enabled), a config block
// with MAJORITY Endorsement over OR('<Msp>.peer'), a block holding the endorsed transaction, the
// headers after it to the checkpoint, and an attestation (the endorsed, unsigned transaction of
// proofs:AttestRecord(key), as Fabric's gateway prepares it). Block hashes are computed with
// jsrsasign's ASN.1 encoder, independently of the verifier's; proposal hashes as Fabric's client and
// endorsers compute them. Options make one thing different at a time, with everything else (hashes,
// signatures, the checkpoint) rebuilt consistently around it.

import { createHash, sign, type KeyObject } from 'node:crypto';
import { common, ledger, msp, peer } from '@hyperledger/fabric-protos';
import { KJUR } from 'jsrsasign';
import { leafHash, merkleProof, merkleRoot } from '../../chaincode/src/domain/privacy/merkle';
import { BUNDLE_FORMAT, type Checkpoint, type ProofBundle, type ProofKind } from '../../verifier/src/bundle';
import type { CheckpointPin } from '../../verifier/src/verify';
import { newTestCa, newTestIdentity, type TestCa, type TestIdentity } from './test-pki';

export const CHANNEL = 'vppchannel';
export const CHAINCODE = 'vpp';
export const MSP_IDS = ['CvppMSP', 'TradingMSP', 'ControlMSP', 'RegulatorMSP'] as const;
export type MspId = (typeof MSP_IDS)[number];

export const CONFIG_BLOCK_NUMBER = 4;
export const TX_BLOCK_NUMBER = 10;
/** The transaction's index in its block (index 0 holds another transaction). */
export const TX_INDEX = 1;
export const HEADER_COUNT = 3;
export const CHECKPOINT_BLOCK_NUMBER = TX_BLOCK_NUMBER + HEADER_COUNT;
export const TX_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
/** 2026-11-25T10:13:20.500Z. */
export const TX_SECONDS = 1_795_601_600;
export const TX_NANOS = 500_000_000;
/** When the attestation was asked for: 2026-11-25T11:23:20.250Z (after the checkpoint). */
export const ATTESTED_SECONDS = TX_SECONDS + 4_200;
export const ATTESTED_NANOS = 250_000_000;
/** The function the attestation calls, with the key as its one argument. */
export const ATTEST_FUNCTION = 'proofs:AttestRecord';

export const READING_KEY = '\u0000vpp.reading\u0000pv-001\u00002026-11-25T10:15:00.000Z\u00000\u0000';
export const READING_VALUE =
  '{"derId":"pv-001","energyWh":1234,"intervalId":"2026-11-25T10:15:00.000Z","sequence":0,"type":"vpp.reading.v1"}';

export interface OrgPki {
  readonly mspId: MspId;
  readonly ca: TestCa;
  readonly peers: readonly TestIdentity[];
}

export interface Pki {
  readonly orgs: ReadonlyMap<MspId, OrgPki>;
  readonly client: TestIdentity;
  /** A CA no MSP of the channel trusts, and a peer certificate it issued naming CvppMSP. */
  readonly rogueCa: TestCa;
  readonly roguePeer: TestIdentity;
}

/** Makes the four orgs' CAs and identities (slow: call once per test file). */
export function newPki(): Pki {
  const orgs = new Map<MspId, OrgPki>();
  for (const mspId of MSP_IDS) {
    const org = mspId.replace(/MSP$/, '').toLowerCase();
    const ca = newTestCa(`ca.${org}`, `/O=${mspId}/CN=ca.${org}`);
    const peers = [0, 1].map((i) => newTestIdentity(ca, `/O=${mspId}/OU=peer/CN=peer${i}.${org}`));
    orgs.set(mspId, { mspId, ca, peers });
  }
  const cvpp = orgs.get('CvppMSP')!;
  const rogueCa = newTestCa('ca.cvpp', cvpp.ca.subject);
  return {
    orgs,
    client: newTestIdentity(cvpp.ca, '/O=CvppMSP/OU=client/CN=appuser'),
    rogueCa,
    roguePeer: newTestIdentity(rogueCa, '/O=CvppMSP/OU=peer/CN=peer0.cvpp'),
  };
}

// ---- signatures

const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  return Buffer.concat([Buffer.from([0x02, hex.length / 2]), Buffer.from(hex, 'hex')]);
}

/** r and s of a DER ECDSA signature node:crypto made (always short-form lengths for P-256). */
function rsOf(der: Buffer): { r: bigint; s: bigint } {
  const rLength = der[3]!;
  const r = BigInt(`0x${der.subarray(4, 4 + rLength).toString('hex')}`);
  const sLength = der[5 + rLength]!;
  const s = BigInt(`0x${der.subarray(6 + rLength, 6 + rLength + sLength).toString('hex')}`);
  return { r, s };
}

function derSignature(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** ECDSA P-256 / SHA-256, normalized to low S as Fabric's signers do. */
export function fabricSign(key: KeyObject, data: Uint8Array): Buffer {
  const { r, s } = rsOf(sign('sha256', data, { key, dsaEncoding: 'der' }));
  return derSignature(r, s > P256_N / 2n ? P256_N - s : s);
}

/** The same signature with S replaced by n − S: still valid ECDSA, but not canonical for Fabric. */
export function toHighS(signature: Uint8Array): Buffer {
  const { r, s } = rsOf(Buffer.from(signature));
  return derSignature(r, P256_N - s);
}

export function serializedIdentity(mspId: string, identity: TestIdentity): Uint8Array {
  const id = new msp.SerializedIdentity();
  id.setMspid(mspId);
  id.setIdBytes(Buffer.from(identity.certPem));
  return id.serializeBinary();
}

// ---- hashes, computed independently of the verifier

export function sha256Hex(...parts: Uint8Array[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** Fabric's block hash with jsrsasign's DER: SEQUENCE { INTEGER, OCTET STRING, OCTET STRING }. */
export function referenceBlockHash(number: number, previousHashHex: string, dataHashHex: string): string {
  // @types/jsrsasign declares newObject as an instance method; at runtime it is ASN1Util's own.
  const asn1 = KJUR.asn1.ASN1Util as unknown as { newObject(param: object): { tohex(): string } };
  const der = asn1
    .newObject({
      seq: [{ int: number }, { octstr: { hex: previousHashHex } }, { octstr: { hex: dataHashHex } }],
    })
    .tohex();
  return sha256Hex(Buffer.from(der, 'hex'));
}

// ---- messages

function timestampOf(seconds: number, nanos: number) {
  const ts = common.ChannelHeader.deserializeBinary(Uint8Array.from([0x1a, 0x00])).getTimestamp()!;
  ts.setSeconds(seconds);
  ts.setNanos(nanos);
  return ts;
}

const NONCE = Buffer.from('0123456789abcdef0123456789abcdef01234567', 'hex');

interface HeaderSpec {
  readonly type: number;
  readonly txId: string;
  readonly channel: string;
  readonly creator: Uint8Array;
  readonly seconds?: number;
  readonly nanos?: number;
  readonly nonce?: Uint8Array;
  /** For an endorser transaction: the chaincode named in the header's ChaincodeHeaderExtension. */
  readonly chaincode?: string;
}

/** Header's two fields, serialized: the bytes a proposal hash and a creator's signature cover. */
export interface HeaderBytes {
  readonly channelHeader: Uint8Array;
  readonly signatureHeader: Uint8Array;
}

function headerBytes(spec: HeaderSpec): HeaderBytes {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(spec.type);
  channelHeader.setTxId(spec.txId);
  channelHeader.setChannelId(spec.channel);
  channelHeader.setTimestamp(timestampOf(spec.seconds ?? TX_SECONDS, spec.nanos ?? TX_NANOS));
  if (spec.chaincode !== undefined) {
    const chaincodeId = new peer.ChaincodeID();
    chaincodeId.setName(spec.chaincode);
    const extension = new peer.ChaincodeHeaderExtension();
    extension.setChaincodeId(chaincodeId);
    channelHeader.setExtension$(extension.serializeBinary());
  }
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(spec.creator);
  signatureHeader.setNonce(spec.nonce ?? NONCE);
  return {
    channelHeader: channelHeader.serializeBinary(),
    signatureHeader: signatureHeader.serializeBinary(),
  };
}

function payloadOf(headers: HeaderBytes, data: Uint8Array): Uint8Array {
  const header = new common.Header();
  header.setChannelHeader(headers.channelHeader);
  header.setSignatureHeader(headers.signatureHeader);
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(data);
  return payload.serializeBinary();
}

function payloadBytes(type: number, txId: string, channel: string, creator: Uint8Array, data: Uint8Array) {
  return payloadOf(headerBytes({ type, txId, channel, creator }), data);
}

/**
 * A transaction's ChaincodeProposalPayload {input: ChaincodeInvocationSpec {chaincode_spec {type NODE,
 * chaincode_id {name}, input {args}}}}, without the transient map (Fabric removes it before the
 * proposal payload goes into a transaction, and hashes it without).
 */
export function chaincodeProposalPayload(chaincode: string, args: readonly string[]): Uint8Array {
  const chaincodeId = new peer.ChaincodeID();
  chaincodeId.setName(chaincode);
  const input = new peer.ChaincodeInput();
  input.setArgsList(args.map((arg) => Buffer.from(arg, 'utf8')));
  const spec = new peer.ChaincodeSpec();
  spec.setType(peer.ChaincodeSpec.Type.NODE);
  spec.setChaincodeId(chaincodeId);
  spec.setInput(input);
  const invocation = new peer.ChaincodeInvocationSpec();
  invocation.setChaincodeSpec(spec);
  const payload = new peer.ChaincodeProposalPayload();
  payload.setInput(invocation.serializeBinary());
  return payload.serializeBinary();
}

/** Fabric's proposal hash: SHA-256(channel_header ‖ signature_header ‖ chaincode_proposal_payload). */
export function proposalHashOf(headers: HeaderBytes, proposalPayload: Uint8Array): Buffer {
  return Buffer.from(sha256Hex(headers.channelHeader, headers.signatureHeader, proposalPayload), 'hex');
}

function envelopeBytes(payload: Uint8Array, signature: Uint8Array): Uint8Array {
  const envelope = new common.Envelope();
  envelope.setPayload(payload);
  envelope.setSignature(signature);
  return envelope.serializeBinary();
}

interface RwSpec {
  readonly reads?: readonly { key: string; blockNum: number; txNum: number }[];
  readonly writes?: readonly { key: string; value: string; isDelete?: boolean }[];
}

/** A ProposalResponsePayload of `proposalHash` whose extension is the ChaincodeAction of `chaincode` with this rwset. */
export function proposalResponsePayload(
  rw: RwSpec,
  proposalHash: Uint8Array,
  chaincode = CHAINCODE,
  status = 200,
): Uint8Array {
  const kv = new ledger.rwset.kvrwset.KVRWSet();
  kv.setReadsList(
    (rw.reads ?? []).map((r) => {
      const version = new ledger.rwset.kvrwset.Version();
      version.setBlockNum(r.blockNum);
      version.setTxNum(r.txNum);
      const read = new ledger.rwset.kvrwset.KVRead();
      read.setKey(r.key);
      read.setVersion(version);
      return read;
    }),
  );
  kv.setWritesList(
    (rw.writes ?? []).map((w) => {
      const write = new ledger.rwset.kvrwset.KVWrite();
      write.setKey(w.key);
      write.setIsDelete(w.isDelete ?? false);
      write.setValue(Buffer.from(w.value, 'utf8'));
      return write;
    }),
  );
  const ns = new ledger.rwset.NsReadWriteSet();
  ns.setNamespace(chaincode);
  ns.setRwset(kv.serializeBinary());
  const lifecycle = new ledger.rwset.NsReadWriteSet();
  lifecycle.setNamespace('_lifecycle');
  const txRw = new ledger.rwset.TxReadWriteSet();
  txRw.setNsRwsetList([lifecycle, ns]);
  const response = new peer.Response();
  response.setStatus(status);
  const chaincodeId = new peer.ChaincodeID();
  chaincodeId.setName(chaincode);
  chaincodeId.setVersion('1.0');
  const action = new peer.ChaincodeAction();
  action.setResults(txRw.serializeBinary());
  action.setResponse(response);
  action.setChaincodeId(chaincodeId);
  const prp = new peer.ProposalResponsePayload();
  prp.setProposalHash(proposalHash);
  prp.setExtension$(action.serializeBinary());
  return prp.serializeBinary();
}

export interface Signer {
  readonly mspId: string;
  readonly identity: TestIdentity;
}

export interface Endorsed {
  readonly endorser: Uint8Array;
  readonly signature: Uint8Array;
}

export function endorse(prp: Uint8Array, signers: readonly Signer[]): Endorsed[] {
  return signers.map(({ mspId, identity }) => {
    const endorser = serializedIdentity(mspId, identity);
    return { endorser, signature: fabricSign(identity.privateKey, Buffer.concat([prp, endorser])) };
  });
}

/** The proposal's parts an endorsed transaction carries: what its proposal hash covers. */
interface Proposal {
  readonly headers: HeaderBytes;
  readonly proposalPayload: Uint8Array;
}

/** peer.Transaction of one action, as protoutil.CreateTx assembles it from a proposal and its endorsements. */
function endorserTransactionData(
  proposal: Proposal,
  prp: Uint8Array,
  endorsements: readonly Endorsed[],
): Uint8Array {
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(prp);
  endorsed.setEndorsementsList(
    endorsements.map((e) => {
      const endorsement = new peer.Endorsement();
      endorsement.setEndorser(e.endorser);
      endorsement.setSignature(e.signature);
      return endorsement;
    }),
  );
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(proposal.proposalPayload);
  actionPayload.setAction(endorsed);
  const action = new peer.TransactionAction();
  action.setHeader(proposal.headers.signatureHeader);
  action.setPayload(actionPayload.serializeBinary());
  const tx = new peer.Transaction();
  tx.setActionsList([action]);
  return tx.serializeBinary();
}

function signaturePolicy(mspId: string, role: number): common.SignaturePolicyEnvelope {
  const mspRole = new msp.MSPRole();
  mspRole.setMspIdentifier(mspId);
  mspRole.setRole(role as 0);
  const principal = new msp.MSPPrincipal();
  principal.setPrincipalClassification(msp.MSPPrincipal.Classification.ROLE);
  principal.setPrincipal(mspRole.serializeBinary());
  const signedBy = new common.SignaturePolicy();
  signedBy.setSignedBy(0);
  const nOutOf = new common.SignaturePolicy.NOutOf();
  nOutOf.setN(1);
  nOutOf.setRulesList([signedBy]);
  const rule = new common.SignaturePolicy();
  rule.setNOutOf(nOutOf);
  const envelope = new common.SignaturePolicyEnvelope();
  envelope.setRule(rule);
  envelope.setIdentitiesList([principal]);
  return envelope;
}

function configPolicy(type: number, value: Uint8Array): common.ConfigPolicy {
  const policy = new common.Policy();
  policy.setType(type);
  policy.setValue(value);
  const configPolicy = new common.ConfigPolicy();
  configPolicy.setPolicy(policy);
  return configPolicy;
}

function ouIdentifier(ou: string): msp.FabricOUIdentifier {
  const id = new msp.FabricOUIdentifier();
  id.setOrganizationalUnitIdentifier(ou);
  return id;
}

export interface ConfigOptions {
  /** Root certificates per MSP, replacing the org's own CA. */
  readonly rootCerts?: Partial<Record<MspId, string>>;
  readonly implicitMetaRule?: number;
}

function configData(pki: Pki, options: ConfigOptions): Uint8Array {
  const application = new common.ConfigGroup();
  for (const org of pki.orgs.values()) {
    const nodeOUs = new msp.FabricNodeOUs();
    nodeOUs.setEnable(true);
    nodeOUs.setClientOuIdentifier(ouIdentifier('client'));
    nodeOUs.setPeerOuIdentifier(ouIdentifier('peer'));
    nodeOUs.setAdminOuIdentifier(ouIdentifier('admin'));
    nodeOUs.setOrdererOuIdentifier(ouIdentifier('orderer'));
    const fabric = new msp.FabricMSPConfig();
    fabric.setName(org.mspId);
    fabric.setRootCertsList([Buffer.from(options.rootCerts?.[org.mspId] ?? org.ca.certPem)]);
    fabric.setFabricNodeOus(nodeOUs);
    const mspConfig = new msp.MSPConfig();
    mspConfig.setType(0);
    mspConfig.setConfig(fabric.serializeBinary());
    const value = new common.ConfigValue();
    value.setValue(mspConfig.serializeBinary());
    const group = new common.ConfigGroup();
    group.getValuesMap().set('MSP', value);
    const peerPolicy = signaturePolicy(org.mspId, msp.MSPRole.MSPRoleType.PEER);
    group
      .getPoliciesMap()
      .set('Endorsement', configPolicy(common.Policy.PolicyType.SIGNATURE, peerPolicy.serializeBinary()));
    application.getGroupsMap().set(org.mspId.replace(/MSP$/, ''), group);
  }
  const meta = new common.ImplicitMetaPolicy();
  meta.setSubPolicy('Endorsement');
  meta.setRule((options.implicitMetaRule ?? common.ImplicitMetaPolicy.Rule.MAJORITY) as 2);
  application
    .getPoliciesMap()
    .set('Endorsement', configPolicy(common.Policy.PolicyType.IMPLICIT_META, meta.serializeBinary()));
  const channel = new common.ConfigGroup();
  channel.getGroupsMap().set('Application', application);
  channel.getGroupsMap().set('Orderer', new common.ConfigGroup());
  const config = new common.Config();
  config.setSequence(3);
  config.setChannelGroup(channel);
  const configEnvelope = new common.ConfigEnvelope();
  configEnvelope.setConfig(config);
  return configEnvelope.serializeBinary();
}

export interface BuiltBlock {
  readonly bytes: Uint8Array;
  readonly hash: string;
  readonly dataHash: string;
}

/** A common.Block with a correct data hash; `filter` is the TRANSACTIONS_FILTER metadata. */
export function buildBlock(
  number: number,
  previousHash: string,
  data: readonly Uint8Array[],
  filter?: number[],
): BuiltBlock {
  const dataHash = sha256Hex(...data);
  const header = new common.BlockHeader();
  header.setNumber(number);
  header.setPreviousHash(Buffer.from(previousHash, 'hex'));
  header.setDataHash(Buffer.from(dataHash, 'hex'));
  const blockData = new common.BlockData();
  blockData.setDataList([...data]);
  const metadata = new common.BlockMetadata();
  const entries: Uint8Array[] = [
    Buffer.from('signatures'),
    new Uint8Array(),
    Uint8Array.from(filter ?? []),
    new Uint8Array(),
  ];
  metadata.setMetadataList(entries);
  const block = new common.Block();
  block.setHeader(header);
  block.setData(blockData);
  block.setMetadata(metadata);
  return {
    bytes: block.serializeBinary(),
    hash: referenceBlockHash(number, previousHash, dataHash),
    dataHash,
  };
}

// ---- the bundle

export interface BundleOptions {
  readonly kind?: 'reading' | 'sample';
  /** The orgs whose peer 0 endorses the transaction (default Cvpp, Control, Regulator). */
  readonly endorsers?: readonly Signer[];
  /** The orgs whose peer 1 signs the attestation (default all four). */
  readonly attesters?: readonly Signer[];
  /** The version the attestation reads (default the transaction's). */
  readonly attestedVersion?: { readonly blockNum: number; readonly txNum: number };
  readonly filterByte?: number;
  /** The transaction's creator (default the CvppMSP client). */
  readonly creator?: TestIdentity;
  /** Rewrites the creator's envelope signature before the block is built. */
  readonly creatorSignature?: (signature: Buffer) => Uint8Array;
  /** Rewrites the transaction's endorsements before the block is built. */
  readonly endorsements?: (endorsements: Endorsed[]) => Endorsed[];
  /** Rewrites the transaction's proposal hash before its endorsers sign (the block is built around it). */
  readonly txProposalHash?: (hash: Buffer) => Uint8Array;
  readonly attestation?: AttestationOptions;
  readonly config?: ConfigOptions;
}

/** The attestation made different, everything around it (hashes, signatures) still consistent. */
export interface AttestationOptions {
  /** The channel the attestation was endorsed on (default the bundle's). */
  readonly channel?: string;
  /** The chaincode it calls (default the bundle's; its response still names the bundle's). */
  readonly chaincode?: string;
  /** Its last argument (default the claim's key; it still reads the claim's key). */
  readonly key?: string;
  /** Rewrites its proposal hash before the attesters sign. */
  readonly proposalHash?: (hash: Buffer) => Uint8Array;
  /** Rewrites its endorsements after they are made. */
  readonly endorsements?: (endorsements: Endorsed[]) => Endorsed[];
  /** Replaces the endorsed ProposalResponsePayload after its endorsers signed it. */
  readonly responsePayload?: (prp: Uint8Array) => Uint8Array;
}

export interface BuiltBundle {
  readonly bundle: ProofBundle;
  readonly pin: CheckpointPin;
  /** The sample disclosed in a 'sample' bundle (leaf index 2 of 5). */
  readonly sampleLeaf?: string;
}

export function signerOf(pki: Pki, mspId: MspId, peerIndex = 0): Signer {
  return { mspId, identity: pki.orgs.get(mspId)!.peers[peerIndex]! };
}

const SAMPLE_INDEX = 2;
const SAMPLE_COUNT = 5;

function sampleLeaves(): string[] {
  return Array.from({ length: SAMPLE_COUNT }, (_, i) =>
    JSON.stringify({
      derId: 'pv-001',
      energyWh: 10 + i,
      intervalId: '2026-11-25T10:15:00.000Z',
      offsetSeconds: 30 * i,
      sequence: 0,
      type: 'vpp.sample.v1',
    }),
  );
}

export const SAMPLE_KEY = '\u0000vpp.sampleAnchor\u0000anchor-0001\u0000';

function claimOf(kind: ProofKind): { key: string; value: string } {
  if (kind !== 'sample') return { key: READING_KEY, value: READING_VALUE };
  const root = merkleRoot(sampleLeaves().map((leaf) => leafHash(Buffer.from(leaf))));
  return {
    key: SAMPLE_KEY,
    value: JSON.stringify({
      anchorId: 'anchor-0001',
      count: SAMPLE_COUNT,
      recordedAt: '2026-11-25T10:20:00.500Z',
      root,
      txId: TX_ID,
    }),
  };
}

/**
 * The attestation: the common.Payload of proofs:AttestRecord(key), called by the CvppMSP client after
 * the transaction committed, endorsed by the attesters and never signed or submitted, as Fabric's
 * gateway prepares it (protoutil.CreateTx).
 */
function attestationPayload(pki: Pki, key: string, options: BundleOptions): Uint8Array {
  const a = options.attestation ?? {};
  const creator = serializedIdentity('CvppMSP', pki.client);
  const nonce = Buffer.from('fedcba9876543210fedcba9876543210fedcba98', 'hex');
  const proposal: Proposal = {
    headers: headerBytes({
      type: common.HeaderType.ENDORSER_TRANSACTION,
      txId: sha256Hex(nonce, creator),
      channel: a.channel ?? CHANNEL,
      creator,
      seconds: ATTESTED_SECONDS,
      nanos: ATTESTED_NANOS,
      nonce,
      chaincode: a.chaincode ?? CHAINCODE,
    }),
    proposalPayload: chaincodeProposalPayload(a.chaincode ?? CHAINCODE, [ATTEST_FUNCTION, a.key ?? key]),
  };
  const hash = proposalHashOf(proposal.headers, proposal.proposalPayload);
  const attested = options.attestedVersion ?? { blockNum: TX_BLOCK_NUMBER, txNum: TX_INDEX };
  const prp = proposalResponsePayload(
    { reads: [{ key, ...attested }] },
    (a.proposalHash ?? ((h) => h))(hash),
  );
  const attesters = options.attesters ?? MSP_IDS.map((mspId) => signerOf(pki, mspId, 1));
  const endorsements = (a.endorsements ?? ((e) => e))(endorse(prp, attesters));
  const data = endorserTransactionData(proposal, (a.responsePayload ?? ((p) => p))(prp), endorsements);
  return payloadOf(proposal.headers, data);
}

export function buildBundle(pki: Pki, options: BundleOptions = {}): BuiltBundle {
  const kind = options.kind ?? 'reading';
  const claim = claimOf(kind);

  const configPayload = payloadBytes(
    common.HeaderType.CONFIG,
    '',
    CHANNEL,
    serializedIdentity('CvppMSP', pki.client),
    configData(pki, options.config ?? {}),
  );
  const configBlock = buildBlock(CONFIG_BLOCK_NUMBER, sha256Hex(Buffer.from('block 3')), [
    envelopeBytes(configPayload, Buffer.from('orderer signature')),
  ]);

  const endorsers = options.endorsers ?? [
    signerOf(pki, 'CvppMSP'),
    signerOf(pki, 'ControlMSP'),
    signerOf(pki, 'RegulatorMSP'),
  ];
  const creatorIdentity = options.creator ?? pki.client;
  const creator = serializedIdentity('CvppMSP', creatorIdentity);
  const txProposal: Proposal = {
    headers: headerBytes({
      type: common.HeaderType.ENDORSER_TRANSACTION,
      txId: TX_ID,
      channel: CHANNEL,
      creator,
      chaincode: CHAINCODE,
    }),
    proposalPayload: chaincodeProposalPayload(CHAINCODE, ['telemetry:RecordReadings', claim.value]),
  };
  const txHash = proposalHashOf(txProposal.headers, txProposal.proposalPayload);
  const prp = proposalResponsePayload({ writes: [claim] }, (options.txProposalHash ?? ((h) => h))(txHash));
  const payload = payloadOf(
    txProposal.headers,
    endorserTransactionData(txProposal, prp, (options.endorsements ?? ((e) => e))(endorse(prp, endorsers))),
  );
  const creatorSignature = fabricSign(creatorIdentity.privateKey, payload);
  const txEnvelope = envelopeBytes(payload, (options.creatorSignature ?? ((sig) => sig))(creatorSignature));
  const otherPayload = payloadBytes(
    common.HeaderType.ENDORSER_TRANSACTION,
    'f'.repeat(64),
    CHANNEL,
    creator,
    Buffer.from('other'),
  );
  const otherEnvelope = envelopeBytes(otherPayload, fabricSign(pki.client.privateKey, otherPayload));
  const txBlock = buildBlock(
    TX_BLOCK_NUMBER,
    sha256Hex(Buffer.from('block 9')),
    [otherEnvelope, txEnvelope],
    [0, options.filterByte ?? 0],
  );

  const headers: { number: number; previousHash: string; dataHash: string }[] = [];
  let previousHash = txBlock.hash;
  for (let number = TX_BLOCK_NUMBER + 1; number <= CHECKPOINT_BLOCK_NUMBER; number++) {
    const dataHash = sha256Hex(Buffer.from(`block ${number} data`));
    headers.push({ number, previousHash, dataHash });
    previousHash = referenceBlockHash(number, previousHash, dataHash);
  }
  const checkpoint: Checkpoint = {
    channel: CHANNEL,
    blockNumber: CHECKPOINT_BLOCK_NUMBER,
    blockHash: previousHash,
    configBlockNumber: CONFIG_BLOCK_NUMBER,
    configBlockHash: configBlock.hash,
    txId: 'c'.repeat(64),
    recordedAt: '2026-11-25T11:00:00.000Z',
  };

  const attestation = attestationPayload(pki, claim.key, options);
  const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

  const leaves = sampleLeaves();
  const proof = merkleProof(
    leaves.map((leaf) => leafHash(Buffer.from(leaf))),
    SAMPLE_INDEX,
  );
  const bundle: ProofBundle = {
    format: BUNDLE_FORMAT,
    kind,
    channel: CHANNEL,
    chaincode: CHAINCODE,
    claim,
    transaction: { txId: TX_ID, blockNumber: TX_BLOCK_NUMBER, index: TX_INDEX },
    block: toBase64(txBlock.bytes),
    headers,
    checkpoint,
    config: toBase64(configBlock.bytes),
    attestation: { payload: toBase64(attestation) },
    ...(kind === 'sample'
      ? { merkle: { leaf: leaves[SAMPLE_INDEX]!, index: proof.index, size: proof.size, path: proof.path } }
      : {}),
  };
  const { channel, blockNumber, blockHash, configBlockNumber, configBlockHash } = checkpoint;
  return {
    bundle,
    pin: { channel, blockNumber, blockHash, configBlockNumber, configBlockHash },
    ...(kind === 'sample' ? { sampleLeaf: leaves[SAMPLE_INDEX] } : {}),
  };
}

export type DeepMutable<T> = { -readonly [K in keyof T]: DeepMutable<T[K]> };

/** A deep, mutable copy of a bundle, for tampering with one field. */
export function mutableCopy(bundle: ProofBundle): DeepMutable<ProofBundle> {
  return JSON.parse(JSON.stringify(bundle)) as DeepMutable<ProofBundle>;
}
