// verifyBundle: checks a proof bundle (bundle.ts) against the checkpoints the user pins, offline and
// without trusting anything in the bundle but what hashes and signatures tie to a pinned checkpoint.
// Pure: no I/O, no clock (every certificate is checked at the time it signed: the transaction's
// timestamp, or the attestation's).
//
// The checks run in a fixed order, and the first that fails names the result's reason:
//
//   MALFORMED_BUNDLE                 not the format, or undecodable base64/hex/protobuf
//   CHECKPOINT_NOT_PINNED            no pin equals the bundle's checkpoint (the only trust anchor)
//   CONFIG_INVALID, CONFIG_HASH_MISMATCH, BLOCK_DATA_HASH_MISMATCH
//                                    the config block is the pinned one and defines MSPs and policy
//   BLOCK_DATA_HASH_MISMATCH, HEADER_CHAIN_BROKEN, CHECKPOINT_MISMATCH
//                                    the transaction's block hash-chains to the pinned block hash
//   TRANSACTION_NOT_FOUND            the block holds the named endorser transaction at the index
//   TRANSACTION_MARKED_INVALID       the committing peer's validation flag says not VALID
//   CERTIFICATE_UNTRUSTED            an identity does not chain to its MSP's roots at the tx time
//   CREATOR_SIGNATURE_INVALID        the envelope is not signed by its creator
//   NON_CANONICAL_SIGNATURE          a high-S ECDSA signature (Fabric accepts only low-S)
//   ENDORSEMENT_SIGNATURE_INVALID    an endorsement does not verify
//   PROPOSAL_HASH_MISMATCH           the endorsed proposal_hash is not the transaction's proposal's
//   ENDORSEMENT_POLICY_NOT_SATISFIED the endorsements do not satisfy /Channel/Application/Endorsement
//   VALUE_NOT_IN_WRITE_SET, WRONG_KIND
//                                    the endorsed write set writes claim.value to claim.key, of the kind
//   ATTESTATION_NOT_FOR_CLAIM        the attestation is not a call on this channel and chaincode with
//                                    claim.key as its last argument
//   ATTESTATION_SIGNATURE_INVALID, PROPOSAL_HASH_MISMATCH, ATTESTATION_POLICY_NOT_SATISFIED,
//   ATTESTATION_VERSION_MISMATCH     a policy-satisfying set of peers, endorsing that very call, read
//                                    the key at the tx's version
//   MERKLE_PATH_INVALID              (samples) the leaf is in the anchored Merkle tree

import { verify as verifySignature } from 'node:crypto';
import { BUNDLE_FORMAT, OBJECT_TYPE_OF_KIND, PROOF_KINDS, type ProofBundle, type ProofKind } from './bundle';
import {
  decodeBlock,
  decodeChaincodeAction,
  decodeChaincodeProposalPayload,
  decodeConfigEnvelope,
  decodeEnvelope,
  decodePayload,
  decodeProposalResponsePayload,
  decodeTransactionActions,
  decodeTxReadWriteSet,
  HEADER_TYPE_CONFIG,
  HEADER_TYPE_ENDORSER_TRANSACTION,
  METADATA_TRANSACTIONS_FILTER,
  type Block,
  type ChaincodeAction,
  type EndorsedAction,
  type Endorsement,
  type Payload,
  type Timestamp,
} from './fabric-messages';
import { blockDataHash, blockHeaderHash, isLowS, sha256, type HeaderFields } from './hashes';
import { merkleLeafHash, verifyAuditPath } from './merkle';
import { applicationMsps, ConfigError, validateIdentity, type Msp, type ValidIdentity } from './msp';
import { compileApplicationPolicy, type CompiledPolicy } from './policy';
import { ProtobufError } from './protobuf';

export const FAILURE_REASONS = [
  'MALFORMED_BUNDLE',
  'CHECKPOINT_NOT_PINNED',
  'CONFIG_INVALID',
  'CONFIG_HASH_MISMATCH',
  'BLOCK_DATA_HASH_MISMATCH',
  'HEADER_CHAIN_BROKEN',
  'CHECKPOINT_MISMATCH',
  'TRANSACTION_NOT_FOUND',
  'TRANSACTION_MARKED_INVALID',
  'CERTIFICATE_UNTRUSTED',
  'CREATOR_SIGNATURE_INVALID',
  'NON_CANONICAL_SIGNATURE',
  'ENDORSEMENT_SIGNATURE_INVALID',
  'PROPOSAL_HASH_MISMATCH',
  'ENDORSEMENT_POLICY_NOT_SATISFIED',
  'VALUE_NOT_IN_WRITE_SET',
  'WRONG_KIND',
  'ATTESTATION_NOT_FOR_CLAIM',
  'ATTESTATION_SIGNATURE_INVALID',
  'ATTESTATION_POLICY_NOT_SATISFIED',
  'ATTESTATION_VERSION_MISMATCH',
  'MERKLE_PATH_INVALID',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** What a pin must match: the Checkpoint fields that identify the checkpoint (txId and recordedAt do not). */
export interface CheckpointPin {
  readonly channel: string;
  readonly blockNumber: number;
  readonly blockHash: string;
  readonly configBlockNumber: number;
  readonly configBlockHash: string;
}

export interface Proved {
  readonly kind: ProofKind;
  readonly channel: string;
  readonly chaincode: string;
  /** The key with each U+0000 shown as '~'. */
  readonly key: string;
  /** The composite key's object type and attributes. */
  readonly keyParts: readonly string[];
  /** claim.value parsed as JSON. */
  readonly value: unknown;
  readonly txId: string;
  readonly blockNumber: number;
  readonly index: number;
  /** The transaction's channel-header timestamp, ISO-8601 UTC. */
  readonly timestamp: string;
  readonly creatorMsp: string;
  readonly endorsingMsps: readonly string[];
  readonly attestingMsps: readonly string[];
  /**
   * When the attestation was asked for: its channel-header timestamp, ISO-8601 UTC. The caller's
   * gateway sets it; the attesters signed it (it is under the proposal hash).
   */
  readonly attestedAt: string;
  /** The endorsement policy evaluated, e.g. "MAJORITY Endorsement of CvppMSP, …". */
  readonly policy: string;
  readonly checkpoint: {
    readonly blockNumber: number;
    readonly blockHash: string;
    readonly configBlockNumber: number;
    readonly configBlockHash: string;
  };
  /** For samples: the disclosed sample (parsed leaf) and its place in the anchored tree. */
  readonly sample?: { readonly leaf: unknown; readonly index: number; readonly size: number };
}

export type VerifyResult =
  | { readonly ok: true; readonly proved: Proved }
  | { readonly ok: false; readonly reason: FailureReason; readonly message: string };

/** A failed check: thrown inside the verifier, returned as { ok: false } by verifyBundle. */
class CheckFailed extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
  }
}

function fail(reason: FailureReason, message: string): never {
  throw new CheckFailed(reason, message);
}

/** Fabric's status for a successful chaincode response. */
const STATUS_OK = 200;
/** The application policy endorsements are checked against (Fabric's default chaincode policy). */
const ENDORSEMENT_POLICY = '/Channel/Application/Endorsement';
const ENDORSEMENT_POLICY_NAME = 'Endorsement';
const TX_VALID = 0;

// ---- 1. the bundle's shape (MALFORMED_BUNDLE)

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HASH_HEX = /^[0-9a-f]{64}$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field<T>(object: Json, name: string, where: string, check: (v: unknown) => v is T, what: string): T {
  const value = object[name];
  if (!check(value)) fail('MALFORMED_BUNDLE', `${where}${name} must be ${what}`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v !== '';
const isNatural = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isHash = (v: unknown): v is string => typeof v === 'string' && HASH_HEX.test(v);
const isBase64 = (v: unknown): v is string => typeof v === 'string' && BASE64.test(v);
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);

function objectField(object: Json, name: string, where: string): Json {
  return field(object, name, where, isObject, 'an object');
}

function checkCheckpointShape(object: Json, where: string): void {
  field(object, 'channel', where, isNonEmptyString, 'a non-empty string');
  field(object, 'blockNumber', where, isNatural, 'a non-negative integer');
  field(object, 'blockHash', where, isHash, '64 lowercase hex');
  field(object, 'configBlockNumber', where, isNatural, 'a non-negative integer');
  field(object, 'configBlockHash', where, isHash, '64 lowercase hex');
}

/** Checks every field the verifier reads has the format's type; returns the bundle typed. */
function checkShape(input: unknown): ProofBundle {
  if (!isObject(input)) fail('MALFORMED_BUNDLE', 'the bundle must be a JSON object');
  if (input.format !== BUNDLE_FORMAT) {
    fail('MALFORMED_BUNDLE', `format must be '${BUNDLE_FORMAT}', got ${JSON.stringify(input.format)}`);
  }
  const kind = field(input, 'kind', '', isString, 'a string');
  if (!(PROOF_KINDS as readonly string[]).includes(kind)) {
    fail('MALFORMED_BUNDLE', `kind must be one of ${PROOF_KINDS.join(', ')}`);
  }
  field(input, 'channel', '', isNonEmptyString, 'a non-empty string');
  field(input, 'chaincode', '', isNonEmptyString, 'a non-empty string');
  const claim = objectField(input, 'claim', '');
  field(claim, 'key', 'claim.', isNonEmptyString, 'a non-empty string');
  field(claim, 'value', 'claim.', isString, 'a string');
  const transaction = objectField(input, 'transaction', '');
  field(transaction, 'txId', 'transaction.', isNonEmptyString, 'a non-empty string');
  field(transaction, 'blockNumber', 'transaction.', isNatural, 'a non-negative integer');
  field(transaction, 'index', 'transaction.', isNatural, 'a non-negative integer');
  field(input, 'block', '', isBase64, 'base64');
  field(input, 'config', '', isBase64, 'base64');
  field(input, 'headers', '', isArray, 'an array').forEach((h, i) => {
    const where = `headers[${i}].`;
    if (!isObject(h)) fail('MALFORMED_BUNDLE', `headers[${i}] must be an object`);
    field(h, 'number', where, isNatural, 'a non-negative integer');
    field(h, 'previousHash', where, (v): v is string => v === '' || isHash(v), "64 lowercase hex or ''");
    field(h, 'dataHash', where, isHash, '64 lowercase hex');
  });
  const checkpoint = objectField(input, 'checkpoint', '');
  checkCheckpointShape(checkpoint, 'checkpoint.');
  if (checkpoint.channel !== input.channel) {
    fail(
      'MALFORMED_BUNDLE',
      `checkpoint.channel '${String(checkpoint.channel)}' is not the bundle's channel`,
    );
  }
  const attestation = objectField(input, 'attestation', '');
  field(attestation, 'payload', 'attestation.', isBase64, 'base64');
  if (input.merkle !== undefined || kind === 'sample') {
    const merkle = objectField(input, 'merkle', '');
    field(merkle, 'leaf', 'merkle.', isString, 'a string');
    field(merkle, 'index', 'merkle.', isNatural, 'a non-negative integer');
    field(merkle, 'size', 'merkle.', isNatural, 'a non-negative integer');
    field(merkle, 'path', 'merkle.', isArray, 'an array').forEach((p, i) => {
      if (!isHash(p)) fail('MALFORMED_BUNDLE', `merkle.path[${i}] must be 64 lowercase hex`);
    });
  }
  // Every field the format defines has now been checked.
  return input as unknown as ProofBundle;
}

const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

// ---- 2. the pin (CHECKPOINT_NOT_PINNED)

function checkPinned(bundle: ProofBundle, pins: readonly CheckpointPin[]): void {
  if (pins.length === 0)
    fail('CHECKPOINT_NOT_PINNED', 'no checkpoint is pinned: pass the checkpoints you trust');
  const c = bundle.checkpoint;
  const pinned = pins.some(
    (pin) =>
      pin.channel === c.channel &&
      pin.blockNumber === c.blockNumber &&
      pin.blockHash.toLowerCase() === c.blockHash &&
      pin.configBlockNumber === c.configBlockNumber &&
      pin.configBlockHash.toLowerCase() === c.configBlockHash,
  );
  if (!pinned) {
    fail(
      'CHECKPOINT_NOT_PINNED',
      `the bundle's checkpoint (${c.channel} block ${c.blockNumber} ${c.blockHash}, config block ${c.configBlockNumber} ${c.configBlockHash}) is none of the ${pins.length} pinned`,
    );
  }
}

// ---- 3. the config block (CONFIG_INVALID, BLOCK_DATA_HASH_MISMATCH, CONFIG_HASH_MISMATCH)

interface ChannelConfig {
  readonly msps: ReadonlyMap<string, Msp>;
  readonly endorsement: CompiledPolicy;
}

function checkDataHash(block: Block, what: string): void {
  const computed = blockDataHash(block.data);
  if (!computed.equals(block.header.dataHash)) {
    fail(
      'BLOCK_DATA_HASH_MISMATCH',
      `${what} ${block.header.number}: header data_hash ${hex(block.header.dataHash)} is not the SHA-256 of its data (${hex(computed)})`,
    );
  }
}

function checkConfig(bundle: ProofBundle, configBlock: Block): ChannelConfig {
  const { checkpoint } = bundle;
  if (configBlock.header.number !== checkpoint.configBlockNumber) {
    fail(
      'CONFIG_INVALID',
      `the config block is block ${configBlock.header.number}, not ${checkpoint.configBlockNumber}`,
    );
  }
  checkDataHash(configBlock, 'config block');
  const hash = hex(blockHeaderHash(configBlock.header));
  if (hash !== checkpoint.configBlockHash) {
    fail(
      'CONFIG_HASH_MISMATCH',
      `config block ${configBlock.header.number} hashes to ${hash}, not the pinned ${checkpoint.configBlockHash}`,
    );
  }
  try {
    const [first, ...rest] = configBlock.data;
    if (first === undefined || rest.length > 0)
      fail('CONFIG_INVALID', 'a config block holds exactly one envelope');
    const payload = decodePayload(decodeEnvelope(first).payloadBytes);
    const { type, channelId } = payload.channelHeader;
    if (type !== HEADER_TYPE_CONFIG)
      fail('CONFIG_INVALID', `the config block's envelope is of type ${type}, not CONFIG`);
    if (channelId !== bundle.channel) fail('CONFIG_INVALID', `the config block is of channel '${channelId}'`);
    const { channelGroup } = decodeConfigEnvelope(payload.data);
    const application = channelGroup.groups.get('Application');
    if (application === undefined) fail('CONFIG_INVALID', 'the config has no Application group');
    const msps = applicationMsps(application);
    return { msps, endorsement: compileApplicationPolicy(application, ENDORSEMENT_POLICY_NAME, msps) };
  } catch (error) {
    if (error instanceof ProtobufError || error instanceof ConfigError) fail('CONFIG_INVALID', error.message);
    throw error;
  }
}

// ---- 4. the hash chain (BLOCK_DATA_HASH_MISMATCH, HEADER_CHAIN_BROKEN, CHECKPOINT_MISMATCH)

function checkChain(bundle: ProofBundle, txBlock: Block): void {
  const { transaction, checkpoint } = bundle;
  if (txBlock.header.number !== transaction.blockNumber) {
    fail(
      'HEADER_CHAIN_BROKEN',
      `the block is block ${txBlock.header.number}, not the transaction's block ${transaction.blockNumber}`,
    );
  }
  checkDataHash(txBlock, 'block');
  let previous: HeaderFields & { number: number } = txBlock.header;
  for (const header of bundle.headers) {
    if (header.number !== previous.number + 1) {
      fail(
        'HEADER_CHAIN_BROKEN',
        `block ${header.number} follows block ${previous.number}: a header is missing or out of order`,
      );
    }
    const previousHash = hex(blockHeaderHash(previous));
    if (header.previousHash !== previousHash) {
      fail(
        'HEADER_CHAIN_BROKEN',
        `block ${header.number}: previous_hash ${header.previousHash || "''"} is not block ${previous.number}'s hash ${previousHash}`,
      );
    }
    previous = {
      number: header.number,
      previousHash: Buffer.from(header.previousHash, 'hex'),
      dataHash: Buffer.from(header.dataHash, 'hex'),
    };
  }
  if (previous.number !== checkpoint.blockNumber) {
    fail(
      'CHECKPOINT_MISMATCH',
      `the headers end at block ${previous.number}, the checkpoint is block ${checkpoint.blockNumber}`,
    );
  }
  const lastHash = hex(blockHeaderHash(previous));
  if (lastHash !== checkpoint.blockHash) {
    fail(
      'CHECKPOINT_MISMATCH',
      `block ${previous.number} hashes to ${lastHash}, not the checkpoint's ${checkpoint.blockHash}`,
    );
  }
}

// ---- 5. the transaction (TRANSACTION_NOT_FOUND, TRANSACTION_MARKED_INVALID)

interface FoundTransaction {
  readonly payloadBytes: Uint8Array;
  readonly signature: Uint8Array;
  readonly creator: Uint8Array;
  readonly timestamp: Date;
  readonly channelHeaderBytes: Uint8Array;
  readonly action: EndorsedAction;
}

function toDate(timestamp: Timestamp, what: string): Date {
  const millis = Number(timestamp.seconds) * 1000 + Math.floor(timestamp.nanos / 1e6);
  const date = new Date(millis);
  if (Number.isNaN(date.getTime())) fail('MALFORMED_BUNDLE', `the ${what} timestamp is out of range`);
  return date;
}

/** The only action of an endorser transaction's payload (Fabric's validator accepts exactly one). */
function singleAction(payload: Payload): EndorsedAction | string {
  const actions = decodeTransactionActions(payload.data);
  const [action, ...others] = actions;
  return action === undefined || others.length > 0 ? `${actions.length} actions, not one` : action;
}

function findTransaction(bundle: ProofBundle, txBlock: Block): FoundTransaction {
  const { txId, index, blockNumber } = bundle.transaction;
  const envelopeBytes = txBlock.data[index];
  if (envelopeBytes === undefined) {
    fail(
      'TRANSACTION_NOT_FOUND',
      `block ${blockNumber} has ${txBlock.data.length} transactions, none at index ${index}`,
    );
  }
  const envelope = decodeEnvelope(envelopeBytes);
  const payload = decodePayload(envelope.payloadBytes);
  const header = payload.channelHeader;
  if (
    header.type !== HEADER_TYPE_ENDORSER_TRANSACTION ||
    header.txId !== txId ||
    header.channelId !== bundle.channel
  ) {
    fail(
      'TRANSACTION_NOT_FOUND',
      `block ${blockNumber} index ${index} is transaction '${header.txId}' (type ${header.type}, channel '${header.channelId}'), not endorser transaction '${txId}' of '${bundle.channel}'`,
    );
  }
  const action = singleAction(payload);
  if (typeof action === 'string') fail('TRANSACTION_NOT_FOUND', `transaction '${txId}' has ${action}`);
  return {
    payloadBytes: envelope.payloadBytes,
    signature: envelope.signature,
    creator: payload.signatureHeader.creator,
    timestamp: toDate(header.timestamp, 'transaction'),
    channelHeaderBytes: payload.channelHeaderBytes,
    action,
  };
}

function checkValidityFlag(bundle: ProofBundle, txBlock: Block): void {
  const { index, blockNumber } = bundle.transaction;
  const code = txBlock.metadata[METADATA_TRANSACTIONS_FILTER]?.[index];
  if (code !== TX_VALID) {
    fail(
      'TRANSACTION_MARKED_INVALID',
      `block ${blockNumber}'s TRANSACTIONS_FILTER gives transaction ${index} validation code ${code ?? '(none)'}, not VALID (0). ` +
        "This byte is only the committing peer's claim (the block hash does not cover metadata); the attestation is what proves validity.",
    );
  }
}

// ---- 6. identities and signatures

function validIdentity(serialized: Uint8Array, config: ChannelConfig, at: Date, who: string): ValidIdentity {
  const identity = validateIdentity(serialized, config.msps, at);
  if (typeof identity === 'string') fail('CERTIFICATE_UNTRUSTED', `${who}: ${identity}`);
  return identity;
}

/** ECDSA P-256 with SHA-256 over `data`, DER signature, as Fabric's bccsp signs. */
function signatureVerifies(
  identity: ValidIdentity,
  data: readonly Uint8Array[],
  signature: Uint8Array,
): boolean {
  const key = identity.certificate.publicKey;
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return false;
  try {
    return verifySignature('sha256', Buffer.concat(data), { key, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}

interface SignedEndorsement {
  readonly identity: ValidIdentity;
  readonly signature: Uint8Array;
}

function endorsementIdentities(
  endorsements: readonly Endorsement[],
  config: ChannelConfig,
  at: Date,
  who: string,
): SignedEndorsement[] {
  return endorsements.map((e, i) => ({
    identity: validIdentity(e.endorser, config, at, `${who} ${i}`),
    signature: e.signature,
  }));
}

function checkLowS(signature: Uint8Array, who: string): void {
  if (!isLowS(signature)) {
    fail(
      'NON_CANONICAL_SIGNATURE',
      `${who}'s signature has S above n/2 (Fabric accepts only low-S ECDSA signatures)`,
    );
  }
}

/** Each endorsement signs proposal_response_payload ‖ endorser (the serialized identity). */
function checkEndorsementSignatures(
  signed: readonly SignedEndorsement[],
  proposalResponsePayload: Uint8Array,
  reason: FailureReason,
  who: string,
): void {
  signed.forEach(({ identity, signature }, i) => {
    if (!signatureVerifies(identity, [proposalResponsePayload, identity.serialized], signature)) {
      fail(reason, `${who} ${i} (${identity.msp.mspId} '${identity.subject}') does not verify`);
    }
  });
}

/**
 * The committer's check (protoutil.GetProposalHash2 in Fabric's msgvalidation): the endorsed
 * proposal_hash is SHA-256(channel_header ‖ signature_header ‖ chaincode_proposal_payload), each the
 * bytes as they are in the transaction: the payload header's channel header, the action's header (the
 * proposal's signature header) and the ChaincodeActionPayload's proposal payload, which the endorser
 * hashed with its transient map already removed. It ties the endorsements to this call: its channel,
 * time, creator, nonce, chaincode and arguments.
 */
function checkProposalHash(channelHeaderBytes: Uint8Array, action: EndorsedAction, who: string): void {
  const expected = sha256(channelHeaderBytes, action.header, action.chaincodeProposalPayload);
  const { proposalHash } = decodeProposalResponsePayload(action.proposalResponsePayload);
  if (!expected.equals(proposalHash)) {
    fail(
      'PROPOSAL_HASH_MISMATCH',
      `the ${who}'s endorsed proposal_hash ${hex(proposalHash)} is not the SHA-256 of its channel header, signature header and chaincode proposal payload (${hex(expected)}): the endorsements are not of this ${who}`,
    );
  }
}

function mspsOf(signed: readonly SignedEndorsement[]): string[] {
  return [...new Set(signed.map((s) => s.identity.msp.mspId))];
}

function checkPolicy(
  config: ChannelConfig,
  signed: readonly SignedEndorsement[],
  reason: FailureReason,
  who: string,
): void {
  const outcome = config.endorsement.evaluate(signed.map((s) => s.identity));
  if (!outcome.satisfied) {
    const signers = mspsOf(signed);
    fail(
      reason,
      `${who} by ${signers.length === 0 ? 'no org' : signers.join(', ')} (satisfying the sub-policy of ${outcome.satisfiedBy.length === 0 ? 'none' : outcome.satisfiedBy.join(', ')}) do not satisfy ${ENDORSEMENT_POLICY}: ${config.endorsement.text}`,
    );
  }
}

// ---- 7. the write (VALUE_NOT_IN_WRITE_SET, WRONG_KIND)

function chaincodeActionOf(proposalResponsePayload: Uint8Array): ChaincodeAction {
  return decodeChaincodeAction(decodeProposalResponsePayload(proposalResponsePayload).extension);
}

function checkWrite(bundle: ProofBundle, proposalResponsePayload: Uint8Array): void {
  const action = chaincodeActionOf(proposalResponsePayload);
  const { chaincode, claim } = bundle;
  if (action.chaincodeId.name !== chaincode) {
    fail(
      'VALUE_NOT_IN_WRITE_SET',
      `the transaction invoked chaincode '${action.chaincodeId.name}', not '${chaincode}'`,
    );
  }
  if (action.response.status !== STATUS_OK) {
    fail('VALUE_NOT_IN_WRITE_SET', `the chaincode responded ${action.response.status}, not ${STATUS_OK}`);
  }
  const writes = decodeTxReadWriteSet(action.results)
    .filter((ns) => ns.namespace === chaincode)
    .flatMap((ns) => ns.writes)
    .filter((w) => w.key === claim.key);
  if (writes.length === 0)
    fail(
      'VALUE_NOT_IN_WRITE_SET',
      `the transaction writes no key ${printableKey(claim.key)} in '${chaincode}'`,
    );
  const expected = Buffer.from(claim.value, 'utf8');
  // The last write of a key in a write set is the one committed (the peer keeps one per key anyway).
  const write = writes[writes.length - 1];
  if (write === undefined || write.isDelete)
    fail('VALUE_NOT_IN_WRITE_SET', `the transaction deletes ${printableKey(claim.key)}`);
  if (!expected.equals(write.value)) {
    fail('VALUE_NOT_IN_WRITE_SET', `the value written to ${printableKey(claim.key)} is not claim.value`);
  }
}

/** The parts of a Fabric composite key (U+0000 objectType U+0000 attr U+0000 …), or undefined. */
function compositeKeyParts(key: string): string[] | undefined {
  if (key.length < 3 || !key.startsWith('\u0000') || !key.endsWith('\u0000')) return undefined;
  return key.slice(1, -1).split('\u0000');
}

function printableKey(key: string): string {
  return `'${key.replaceAll('\u0000', '~')}'`;
}

function checkKind(bundle: ProofBundle): string[] {
  const parts = compositeKeyParts(bundle.claim.key);
  const expected = OBJECT_TYPE_OF_KIND[bundle.kind];
  if (parts === undefined || parts[0] !== expected) {
    fail(
      'WRONG_KIND',
      `key ${printableKey(bundle.claim.key)} is not a composite key of object type '${expected}' (kind '${bundle.kind}')`,
    );
  }
  return parts;
}

// ---- 8. the attestation (ATTESTATION_*, PROPOSAL_HASH_MISMATCH)
//
// Why a read proves validity: a peer stores a key's version {block_num, tx_num} only when it commits
// a VALID transaction's write of that key at that position (invalid transactions change no state).
// So endorsers that, after the transaction, simulate a read of the key and record version
// {transaction.blockNumber, transaction.index} in their signed read set attest that this exact
// transaction was committed valid on their ledger and is still the key's latest write. Signed by a
// set of peers that satisfies the endorsement policy, that attestation is as strong as the
// endorsements themselves — unlike the block's validation flags, which no hash covers.
//
// The attestation is the whole endorsed, unsigned transaction, so that its proposal hash can be
// recomputed: the endorsers signed a response to a call on this channel, of this chaincode, with
// claim.key as its last argument, at the channel header's time. A response endorsed on another
// channel whose orgs share these MSPs, or to another call, does not hash to what they signed.

interface Attestation {
  readonly timestamp: Date;
  readonly channelHeaderBytes: Uint8Array;
  readonly action: EndorsedAction;
}

/** The attestation's channel, chaincode and key (ATTESTATION_NOT_FOR_CLAIM). */
function attestationFor(bundle: ProofBundle): Attestation {
  const payload = decodePayload(fromBase64(bundle.attestation.payload));
  const { type, channelId, timestamp } = payload.channelHeader;
  if (type !== HEADER_TYPE_ENDORSER_TRANSACTION || channelId !== bundle.channel) {
    fail(
      'ATTESTATION_NOT_FOR_CLAIM',
      `the attestation is a transaction of type ${type} on channel '${channelId}', not an endorser transaction on '${bundle.channel}'`,
    );
  }
  const action = singleAction(payload);
  if (typeof action === 'string') fail('ATTESTATION_NOT_FOR_CLAIM', `the attestation has ${action}`);
  const invocation = decodeChaincodeProposalPayload(action.chaincodeProposalPayload);
  if (invocation.chaincodeId.name !== bundle.chaincode) {
    fail(
      'ATTESTATION_NOT_FOR_CLAIM',
      `the attestation calls chaincode '${invocation.chaincodeId.name}', not '${bundle.chaincode}'`,
    );
  }
  const last = invocation.args[invocation.args.length - 1];
  if (last === undefined || !Buffer.from(bundle.claim.key, 'utf8').equals(last)) {
    fail(
      'ATTESTATION_NOT_FOR_CLAIM',
      `the attestation's last argument is ${last === undefined ? 'missing' : printableKey(Buffer.from(last).toString('utf8'))}, not the key ${printableKey(bundle.claim.key)}`,
    );
  }
  return {
    timestamp: toDate(timestamp, 'attestation'),
    channelHeaderBytes: payload.channelHeaderBytes,
    action,
  };
}

function checkAttestation(
  bundle: ProofBundle,
  config: ChannelConfig,
): { attestingMsps: string[]; attestedAt: Date } {
  const attestation = attestationFor(bundle);
  const { action } = attestation;
  const prp = action.proposalResponsePayload;
  // The attesters signed when the attestation was asked for, maybe long after the transaction and
  // with renewed certificates: those must be valid then, not at the transaction's time.
  const signed = endorsementIdentities(
    action.endorsements,
    config,
    attestation.timestamp,
    'attestation endorser',
  );
  signed.forEach((s, i) => checkLowS(s.signature, `attestation endorser ${i}`));
  checkEndorsementSignatures(signed, prp, 'ATTESTATION_SIGNATURE_INVALID', 'attestation endorsement');
  checkProposalHash(attestation.channelHeaderBytes, action, 'attestation');
  checkPolicy(config, signed, 'ATTESTATION_POLICY_NOT_SATISFIED', 'the attestation is signed');

  const response = chaincodeActionOf(prp);
  const { chaincode, claim, transaction } = bundle;
  if (response.chaincodeId.name !== chaincode || response.response.status !== STATUS_OK) {
    fail(
      'ATTESTATION_VERSION_MISMATCH',
      `the attestation is a response ${response.response.status} of chaincode '${response.chaincodeId.name}', not ${STATUS_OK} of '${chaincode}'`,
    );
  }
  const reads = decodeTxReadWriteSet(response.results)
    .filter((ns) => ns.namespace === chaincode)
    .flatMap((ns) => ns.reads)
    .filter((r) => r.key === claim.key);
  const want = `{block ${transaction.blockNumber}, tx ${transaction.index}}`;
  if (reads.length === 0)
    fail('ATTESTATION_VERSION_MISMATCH', `the attestation does not read ${printableKey(claim.key)}`);
  for (const read of reads) {
    if (read.version?.blockNum !== transaction.blockNumber || read.version.txNum !== transaction.index) {
      const got =
        read.version === undefined
          ? 'no version (key absent)'
          : `{block ${read.version.blockNum}, tx ${read.version.txNum}}`;
      fail(
        'ATTESTATION_VERSION_MISMATCH',
        `the attestation reads ${printableKey(claim.key)} at ${got}, not at the transaction's ${want}`,
      );
    }
  }
  return { attestingMsps: mspsOf(signed), attestedAt: attestation.timestamp };
}

// ---- 9. the sample (MERKLE_PATH_INVALID)

const SAMPLE_TYPE = 'vpp.sample.v1';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function checkSample(bundle: ProofBundle, value: unknown): NonNullable<Proved['sample']> {
  const { merkle } = bundle;
  if (merkle === undefined) fail('MALFORMED_BUNDLE', "a 'sample' bundle needs merkle");
  if (!isObject(value) || !isHash(value.root) || !isNatural(value.count)) {
    fail('MERKLE_PATH_INVALID', 'the anchor value has no 64-hex root and integer count');
  }
  const leaf = parseJson(merkle.leaf);
  if (!isObject(leaf) || leaf.type !== SAMPLE_TYPE) {
    fail('MERKLE_PATH_INVALID', `the leaf is not a JSON object of type '${SAMPLE_TYPE}'`);
  }
  if (merkle.size !== value.count) {
    fail(
      'MERKLE_PATH_INVALID',
      `the path is for a tree of ${merkle.size} leaves, the anchor has ${value.count}`,
    );
  }
  const ok = verifyAuditPath(
    merkleLeafHash(Buffer.from(merkle.leaf, 'utf8')),
    merkle.index,
    merkle.size,
    merkle.path.map((h) => Buffer.from(h, 'hex')),
    Buffer.from(value.root, 'hex'),
  );
  if (!ok) {
    fail(
      'MERKLE_PATH_INVALID',
      `the path does not lead leaf ${merkle.index} of ${merkle.size} to the anchored root ${value.root}`,
    );
  }
  return { leaf, index: merkle.index, size: merkle.size };
}

// ---- the whole

function verifyOrThrow(input: unknown, pins: readonly CheckpointPin[]): Proved {
  const bundle = checkShape(input);
  let txBlock: Block;
  let configBlock: Block;
  try {
    txBlock = decodeBlock(fromBase64(bundle.block));
    configBlock = decodeBlock(fromBase64(bundle.config));
  } catch (error) {
    if (error instanceof ProtobufError) fail('MALFORMED_BUNDLE', error.message);
    throw error;
  }
  checkPinned(bundle, pins);
  const config = checkConfig(bundle, configBlock);
  checkChain(bundle, txBlock);
  const tx = findTransaction(bundle, txBlock);
  checkValidityFlag(bundle, txBlock);

  const creator = validIdentity(tx.creator, config, tx.timestamp, 'the creator');
  const endorsed = endorsementIdentities(tx.action.endorsements, config, tx.timestamp, 'endorser');
  if (!signatureVerifies(creator, [tx.payloadBytes], tx.signature)) {
    fail(
      'CREATOR_SIGNATURE_INVALID',
      `the envelope's signature does not verify with the creator's (${creator.msp.mspId} '${creator.subject}') certificate`,
    );
  }
  checkLowS(tx.signature, 'the creator');
  endorsed.forEach((e, i) => checkLowS(e.signature, `endorser ${i}`));
  const prp = tx.action.proposalResponsePayload;
  checkEndorsementSignatures(endorsed, prp, 'ENDORSEMENT_SIGNATURE_INVALID', 'endorsement');
  checkProposalHash(tx.channelHeaderBytes, tx.action, 'transaction');
  checkPolicy(config, endorsed, 'ENDORSEMENT_POLICY_NOT_SATISFIED', 'the transaction is endorsed');

  checkWrite(bundle, prp);
  const keyParts = checkKind(bundle);
  const { attestingMsps, attestedAt } = checkAttestation(bundle, config);

  const value = parseJson(bundle.claim.value);
  const { checkpoint, transaction } = bundle;
  return {
    kind: bundle.kind,
    channel: bundle.channel,
    chaincode: bundle.chaincode,
    key: bundle.claim.key.replaceAll('\u0000', '~'),
    keyParts,
    value,
    txId: transaction.txId,
    blockNumber: transaction.blockNumber,
    index: transaction.index,
    timestamp: tx.timestamp.toISOString(),
    creatorMsp: creator.msp.mspId,
    endorsingMsps: mspsOf(endorsed),
    attestingMsps,
    attestedAt: attestedAt.toISOString(),
    policy: config.endorsement.text,
    checkpoint: {
      blockNumber: checkpoint.blockNumber,
      blockHash: checkpoint.blockHash,
      configBlockNumber: checkpoint.configBlockNumber,
      configBlockHash: checkpoint.configBlockHash,
    },
    ...(bundle.kind === 'sample' ? { sample: checkSample(bundle, value) } : {}),
  };
}

/** Verifies `bundle` against the pinned checkpoints. Never throws for any input. */
export function verifyBundle(bundle: unknown, pins: readonly CheckpointPin[]): VerifyResult {
  try {
    return { ok: true, proved: verifyOrThrow(bundle, pins) };
  } catch (error) {
    if (error instanceof CheckFailed) return { ok: false, reason: error.reason, message: error.message };
    if (error instanceof ProtobufError)
      return { ok: false, reason: 'MALFORMED_BUNDLE', message: error.message };
    // Anything else is a bug in the verifier; a proof it cannot check is not a proof.
    return {
      ok: false,
      reason: 'MALFORMED_BUNDLE',
      message: `internal error: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
