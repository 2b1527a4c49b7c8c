/**
 * Idempotent writes without a store of our own: the transaction id itself is the idempotency
 * record. Fabric derives a transaction id as SHA-256(nonce ‖ creator) and commits an id at most
 * once: the peer refuses to endorse an id already on the ledger, and a second copy ordered later is
 * invalidated as DUPLICATE_TXID. A proposal whose nonce is derived from the caller's idempotency
 * key (and the attempt number, so a read-conflict retry gets an id of its own) therefore has the
 * same id however often, through whichever gateway process, the caller retries; and the ledger,
 * not a gateway's memory, says what became of it.
 *
 * The nonce is public (it is in the transaction), which is fine: it protects nothing secret, only
 * keeps ids distinct, and the creator (the caller's own certificate) is part of the id.
 */
import { createHash } from 'node:crypto';
import { GatewayError } from '@hyperledger/fabric-gateway';
import { common, gateway as gatewayProtos, peer } from '@hyperledger/fabric-protos';

/** Keys as clients make them: UUIDs, ULIDs, order numbers. Printable, no spaces, at most 128. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:~-]{1,128}$/;

/** Fabric's nonce length (fabric-gateway uses 24 random bytes). */
const NONCE_BYTES = 24;
const DUPLICATE_TX = 'duplicate transaction found';

/** The nonce of attempt `attempt` (0-based) of the write made under `key`. */
export function idempotentNonce(key: string, attempt: number): Buffer {
  return createHash('sha256')
    .update(`vpp-ledger idempotency\u0000${key}\u0000${attempt}`)
    .digest()
    .subarray(0, NONCE_BYTES);
}

/** Fabric's transaction id: hex SHA-256 of nonce ‖ serialized creator. */
export function transactionIdOf(nonce: Uint8Array, creator: Uint8Array): string {
  return createHash('sha256').update(nonce).update(creator).digest('hex');
}

/**
 * Rewrites a serialized, unsigned gateway.ProposedTransaction (fabric-gateway's Proposal.getBytes())
 * to carry the given nonce and the transaction id that follows from it; everything else, the
 * creator included, is kept. Any signature is dropped, so the proposal is signed afresh.
 */
export function withNonce(
  proposedTransactionBytes: Uint8Array,
  nonce: Uint8Array,
): { bytes: Uint8Array; txId: string } {
  const proposed = gatewayProtos.ProposedTransaction.deserializeBinary(proposedTransactionBytes);
  const signed = proposed.getProposal();
  if (!signed) throw new Error('proposed transaction without a signed proposal');
  const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
  const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
  const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
  const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());

  const txId = transactionIdOf(nonce, signatureHeader.getCreator_asU8());
  signatureHeader.setNonce(nonce);
  channelHeader.setTxId(txId);
  header.setSignatureHeader(signatureHeader.serializeBinary());
  header.setChannelHeader(channelHeader.serializeBinary());
  proposal.setHeader(header.serializeBinary());
  signed.setProposalBytes(proposal.serializeBinary());
  signed.setSignature(new Uint8Array());
  proposed.setTransactionId(txId);
  return { bytes: proposed.serializeBinary(), txId };
}

function proposalOf(proposedTransactionBytes: Uint8Array): peer.Proposal {
  const signed = gatewayProtos.ProposedTransaction.deserializeBinary(proposedTransactionBytes).getProposal();
  if (!signed) throw new Error('proposed transaction without a signed proposal');
  return peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
}

/** The chaincode invocation (chaincode, function, arguments) a proposal carries, as bytes. */
export function invocationOfProposal(proposedTransactionBytes: Uint8Array): Uint8Array {
  const proposal = proposalOf(proposedTransactionBytes);
  return peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8()).getInput_asU8();
}

/**
 * The proposal's channel header (its id and its own timestamp), as bytes: the transaction built
 * from the proposal carries it unchanged, so it tells which of several copies of one id committed.
 */
export function channelHeaderOfProposal(proposedTransactionBytes: Uint8Array): Uint8Array {
  const proposal = proposalOf(proposedTransactionBytes);
  return common.Header.deserializeBinary(proposal.getHeader_asU8()).getChannelHeader_asU8();
}

/** What the ledger holds of a committed transaction (valid or not), decoded from qscc's ProcessedTransaction. */
export interface RecordedOutcome {
  /** peer.TxValidationCode; 0 is VALID. */
  readonly validationCode: number;
  /** The chaincode's result, as the first submitter received it. */
  readonly result: Uint8Array;
  /** The invocation, to tell a retry from a different request under the same key. */
  readonly invocation: Uint8Array;
  /** The channel header of the proposal the committed copy was built from. */
  readonly channelHeader: Uint8Array;
}

export function recordedOutcomeOf(processedTransactionBytes: Uint8Array): RecordedOutcome {
  const processed = peer.ProcessedTransaction.deserializeBinary(processedTransactionBytes);
  const envelope = processed.getTransactionenvelope();
  if (!envelope) throw new Error('processed transaction without an envelope');
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const channelHeader = payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array();
  const action = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()[0];
  if (!action) throw new Error('transaction without an action');
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const responsePayload = peer.ProposalResponsePayload.deserializeBinary(
    actionPayload.getAction()?.getProposalResponsePayload_asU8() ?? new Uint8Array(),
  );
  const chaincodeAction = peer.ChaincodeAction.deserializeBinary(responsePayload.getExtension_asU8());
  const invocation = peer.ChaincodeProposalPayload.deserializeBinary(
    actionPayload.getChaincodeProposalPayload_asU8(),
  ).getInput_asU8();
  return {
    validationCode: processed.getValidationcode(),
    result: chaincodeAction.getResponse()?.getPayload_asU8() ?? new Uint8Array(),
    invocation,
    channelHeader,
  };
}

/**
 * Whether endorsement was refused because the peer is simulating another copy of the same id right
 * now (the chaincode handler's "txid: … exists"): a race of retries, over once that copy is endorsed.
 */
export function isSameIdInFlight(err: unknown): boolean {
  return (
    err instanceof GatewayError &&
    [err.message, ...err.details.map((d) => d.message)].some((m) => /txid: [0-9a-f]+\([^)]*\) exists/.test(m))
  );
}

/** Whether endorsement was refused because a transaction with this id is already on the ledger. */
export function isDuplicateTransaction(err: unknown): boolean {
  return (
    err instanceof GatewayError &&
    [err.message, ...err.details.map((d) => d.message)].some((m) => m.includes(DUPLICATE_TX))
  );
}

/** The idempotency key was used before for a different request (another function or other arguments). */
export class IdempotencyKeyReusedError extends Error {
  constructor(
    readonly key: string,
    readonly txId: string,
  ) {
    super(`idempotency key ${key} was used for a different request (transaction ${txId})`);
    this.name = 'IdempotencyKeyReusedError';
  }
}
