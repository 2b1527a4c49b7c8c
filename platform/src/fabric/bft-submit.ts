/**
 * Submitting to a SmartBFT ordering service through the peer's gateway. The peer broadcasts each
 * transaction to every orderer and wants a quorum (3 of 4) of "accepted" answers; under load the
 * orderers that hear of a transaction after the leader already ordered it answer "request already
 * processed", and the peer then reports UNAVAILABLE although the transaction is on its way into a
 * block. In that one case this waits for the transaction's commit status instead of failing, so a
 * client neither reports a false failure nor resubmits a transaction that is already ordered.
 *
 * Endorsement has its own race: a peer one block behind the others simulates on older state, and the
 * gateway refuses the set with "ProposalResponsePayloads do not match". The same proposal is then
 * endorsed again after a short pause (bounded), once the lagging peer has committed.
 *
 * Once an endorsed transaction has been sent for ordering, a failure no longer means "not written":
 * orderers that took it may still order it when the others come back (with two of four orderers
 * down, a transaction the peer reported as unavailable committed minutes later). Such failures
 * become OutcomeUnknownError, never a plain failure, and the same signed transaction is sent again
 * first (bounded): one transaction id commits at most once, so that resend is safe where a new
 * proposal would not be.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  GatewayError,
  type Contract,
  type Gateway,
  type Proposal,
  type Status,
  type SubmittedTransaction,
  type Transaction,
} from '@hyperledger/fabric-gateway';
import { common, gateway as gatewayProtos, msp, peer } from '@hyperledger/fabric-protos';
import {
  channelHeaderOfProposal,
  IdempotencyKeyReusedError,
  idempotentNonce,
  invocationOfProposal,
  isDuplicateTransaction,
  isSameIdInFlight,
  recordedOutcomeOf,
  withNonce,
  type RecordedOutcome,
} from './idempotency';

const ALREADY_PROCESSED = 'request already processed';
const PAYLOADS_DIFFER = 'ProposalResponsePayloads do not match';
const ENDORSE_ATTEMPTS = 4;
const ENDORSE_PAUSE_MS = 250;
const SUBMIT_ATTEMPTS = 3;
const SUBMIT_PAUSE_MS = 500;
/**
 * Answers by which the orderers refused a transaction outright (its signature, creator or form): it
 * was ordered nowhere. Every other submit failure leaves the outcome open.
 */
const REFUSED_BY_ORDERERS = new Set<number>([
  GrpcStatus.INVALID_ARGUMENT,
  GrpcStatus.PERMISSION_DENIED,
  GrpcStatus.UNAUTHENTICATED,
  GrpcStatus.FAILED_PRECONDITION,
]);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether endorsement failed only because the endorsing peers were at different heights. */
export function isPeersOutOfStep(err: unknown): boolean {
  return (
    err instanceof GatewayError &&
    err.code === GrpcStatus.ABORTED &&
    err.details.some((detail) => detail.message.includes(PAYLOADS_DIFFER))
  );
}

/** Endorses, and again (bounded, with a growing pause) while the peers are out of step. */
export async function endorseInStep(proposal: Proposal): Promise<Transaction> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await proposal.endorse();
    } catch (err) {
      if (!isPeersOutOfStep(err) || attempt >= ENDORSE_ATTEMPTS) throw err;
      await pause(ENDORSE_PAUSE_MS * attempt);
    }
  }
}

/** Whether a submit failure means "some orderers already had it", not "no orderer took it". */
export function isAlreadyProcessed(err: unknown): boolean {
  // SubmitError is exported as a type only; it is the GatewayError that carries a transaction id.
  return (
    err instanceof GatewayError &&
    'transactionId' in err &&
    err.code === GrpcStatus.UNAVAILABLE &&
    err.details.some((detail) => detail.message.includes(ALREADY_PROCESSED))
  );
}

/** An orderer's refusal of a transaction above the channel's absoluteMaxBytes (BAD_REQUEST). */
const TOO_LARGE_FOR_ORDERERS = /message payload is \d+ bytes and exceeds maximum allowed \d+ bytes/;

/**
 * Whether an orderer refused the transaction for its size. The peer's gateway reports it as
 * UNAVAILABLE ("insufficient number of orderers…"), yet it is final: every orderer checks the same
 * channel limit, so no quorum can order it and sending it again gives the same answer.
 */
export function isTooLargeForOrderers(err: unknown): boolean {
  return (
    err instanceof GatewayError &&
    [err.message, ...err.details.map((d) => d.message)].some((m) => TOO_LARGE_FOR_ORDERERS.test(m))
  );
}

/** Whether the orderers refused a submitted transaction outright, so that it was ordered nowhere. */
export function isRefusedByOrderers(err: unknown): boolean {
  return err instanceof GatewayError && (REFUSED_BY_ORDERERS.has(err.code) || isTooLargeForOrderers(err));
}

/**
 * The transaction was sent for ordering, but whether it commits is not known: the orderers did not
 * confirm it, or its commit status did not arrive. It may still commit. Its commit status (by
 * `txId`) settles it; resubmitting a new proposal for the same intent might write twice.
 */
export class OutcomeUnknownError extends Error {
  constructor(
    readonly transaction: string,
    readonly txId: string,
    readonly reason: string,
  ) {
    super(`${transaction} ${txId}: outcome unknown (${reason})`);
    this.name = 'OutcomeUnknownError';
  }
}

const reasonOf = (err: unknown) =>
  err instanceof GatewayError
    ? [err.message, ...err.details.map((d) => d.message)].join('; ')
    : err instanceof Error
      ? err.message
      : String(err);

/**
 * Sends the endorsed transaction for ordering, and the same signed transaction again (bounded, with
 * a growing pause) while the orderers neither took it nor refused it.
 */
export async function submitToOrderers(endorsed: Transaction): Promise<SubmittedTransaction> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await endorsed.submit();
    } catch (err) {
      if (isAlreadyProcessed(err) || isRefusedByOrderers(err) || attempt >= SUBMIT_ATTEMPTS) throw err;
      await pause(SUBMIT_PAUSE_MS * attempt);
    }
  }
}

/** A commit status, or OutcomeUnknownError if it cannot be had. */
async function statusOrUnknown(
  transaction: string,
  txId: string,
  read: () => Promise<Status>,
): Promise<Status> {
  try {
    return await read();
  } catch (err) {
    throw new OutcomeUnknownError(transaction, txId, `no commit status: ${reasonOf(err)}`);
  }
}

/** A commit-status request for a transaction the gateway's identity submitted. */
function commitOf(gateway: Gateway, channel: string, transactionId: string) {
  const { mspId, credentials } = gateway.getIdentity();
  const creator = new msp.SerializedIdentity();
  creator.setMspid(mspId);
  creator.setIdBytes(credentials);
  const request = new gatewayProtos.CommitStatusRequest();
  request.setChannelId(channel);
  request.setTransactionId(transactionId);
  request.setIdentity(creator.serializeBinary());
  const signed = new gatewayProtos.SignedCommitStatusRequest();
  signed.setRequest(request.serializeBinary());
  return gateway.newCommit(signed.serializeBinary());
}

/**
 * Private inputs of a transaction: the transient map, and the organisations that may see it (the
 * private collection's members, which must also be its endorsers).
 */
export interface PrivateInput {
  readonly transient: Record<string, Uint8Array>;
  readonly endorsers: readonly string[];
}

export interface SubmitOutcome {
  readonly result: Uint8Array;
  readonly txId: string;
  readonly status: Status;
  /** The peer reported the "already processed" race and the commit status was awaited instead. */
  readonly recovered: boolean;
  /** An earlier submission under the same idempotency key was on the ledger; this is its outcome. */
  readonly replayed?: boolean;
}

/** A write the caller may retry safely: attempt `attempt` (0-based) of the request made under `key`. */
export interface Idempotency {
  readonly key: string;
  readonly attempt: number;
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** What the ledger recorded under a transaction id; the key was reused if the invocation differs. */
async function recordedUnder(
  gateway: Gateway,
  channel: string,
  proposalBytes: Uint8Array,
  txId: string,
  key: string,
): Promise<RecordedOutcome> {
  const qscc = gateway.getNetwork(channel).getContract('qscc');
  const recorded = recordedOutcomeOf(await qscc.evaluateTransaction('GetTransactionByID', channel, txId));
  if (!sameBytes(recorded.invocation, invocationOfProposal(proposalBytes)))
    throw new IdempotencyKeyReusedError(key, txId);
  return recorded;
}

/** The outcome the ledger recorded for a transaction id, as the first submitter would have seen it. */
async function recordedOutcome(
  gateway: Gateway,
  channel: string,
  proposalBytes: Uint8Array,
  txId: string,
  key: string,
): Promise<SubmitOutcome> {
  const recorded = await recordedUnder(gateway, channel, proposalBytes, txId, key);
  const block = await gateway
    .getNetwork(channel)
    .getContract('qscc')
    .evaluateTransaction('GetBlockByTxID', channel, txId);
  const blockNumber = BigInt(common.Block.deserializeBinary(block).getHeader()?.getNumber() ?? 0);
  const code = recorded.validationCode as Status['code'];
  const status: Status = {
    blockNumber,
    code,
    successful: code === peer.TxValidationCode.VALID,
    transactionId: txId,
  };
  return { result: recorded.result, txId, status, recovered: false, replayed: true };
}

/**
 * Endorse, submit and wait for the commit status, riding out the "already processed" race. Fails
 * with the endorsement's error (nothing was sent for ordering), the orderers' outright refusal, or
 * OutcomeUnknownError once the transaction may have been ordered.
 */
export interface SubmitOptions {
  /** Called with the transaction id before anything is sent (for logs). */
  readonly onTxId?: (txId: string) => void;
  readonly privateInput?: PrivateInput;
  readonly idempotency?: Idempotency;
  /**
   * The channel's member MSP ids. Given, a write whose endorsement failed only because one org's
   * peer cannot reach its chaincode server is endorsed by the other orgs instead (when the policy
   * allows it; the peers' validation decides).
   */
  readonly channelOrgs?: readonly string[];
}

const CHAINCODE_UNREACHABLE = 'could not launch chaincode';

/**
 * The one org whose peer failed to endorse only because it could not reach its chaincode server
 * (crashed, restarting), if that is the whole failure.
 */
export function orgWithoutChaincode(err: unknown): string | undefined {
  if (!(err instanceof GatewayError) || err.details.length === 0) return undefined;
  const orgs = new Set(err.details.map((d) => d.mspId));
  const unreachable = err.details.every((d) => d.message.includes(CHAINCODE_UNREACHABLE));
  return unreachable && orgs.size === 1 ? [...orgs][0] : undefined;
}

export async function submitAndWait(
  gateway: Gateway,
  channel: string,
  contract: Contract,
  transaction: string,
  args: string[],
  options: SubmitOptions = {},
): Promise<SubmitOutcome> {
  const { privateInput, idempotency } = options;
  const propose = (endorsers: readonly string[] | undefined) => {
    const built = contract.newProposal(transaction, {
      arguments: args,
      ...(privateInput === undefined ? {} : { transientData: privateInput.transient }),
      ...(endorsers === undefined ? {} : { endorsingOrganizations: [...endorsers] }),
    });
    if (!idempotency) return built;
    // The function is part of the nonce, so a request that writes twice gets two ids under one key.
    const seed = `${contract.getContractName() ?? ''}:${transaction}:${idempotency.key}`;
    return gateway.newProposal(withNonce(built.getBytes(), idempotentNonce(seed, idempotency.attempt)).bytes);
  };
  let endorsers = privateInput?.endorsers;
  let proposal = propose(endorsers);
  let txId = proposal.getTransactionId();
  options.onTxId?.(txId);
  const replay = (key: string) => recordedOutcome(gateway, channel, proposal.getBytes(), txId, key);
  let endorsed: Transaction;
  for (let attempt = 1; ; attempt++) {
    try {
      endorsed = await endorseInStep(proposal);
      break;
    } catch (err) {
      if (idempotency && isDuplicateTransaction(err)) return replay(idempotency.key);
      const missing = endorsers === undefined ? orgWithoutChaincode(err) : undefined;
      if (missing !== undefined && options.channelOrgs) {
        // Nothing was sent for ordering: the same request goes to the other orgs' peers.
        endorsers = options.channelOrgs.filter((org) => org !== missing);
        proposal = propose(endorsers);
        txId = proposal.getTransactionId();
        options.onTxId?.(txId);
        continue;
      }
      // Retries under one key racing each other: wait until the other copy is endorsed (bounded).
      if (!idempotency || !isSameIdInFlight(err) || attempt >= ENDORSE_ATTEMPTS) throw err;
      await pause(ENDORSE_PAUSE_MS * attempt);
    }
  }
  let result: Uint8Array;
  let status: Status;
  let recovered = false;
  try {
    const submitted = await submitToOrderers(endorsed);
    result = submitted.getResult();
    status = await statusOrUnknown(transaction, txId, () => submitted.getStatus());
  } catch (err) {
    if (err instanceof OutcomeUnknownError || isRefusedByOrderers(err)) throw err;
    if (!isAlreadyProcessed(err)) throw new OutcomeUnknownError(transaction, txId, reasonOf(err));
    result = endorsed.getResult();
    status = await statusOrUnknown(transaction, txId, () => commitOf(gateway, channel, txId).getStatus());
    recovered = true;
  }
  if (idempotency) {
    // Another copy of this id (an earlier try of the same request) was ordered first: its outcome counts.
    if (status.code === peer.TxValidationCode.DUPLICATE_TXID) return replay(idempotency.key);
    // Racing retries under one key each send a copy of the id and each hear "committed"; only the
    // copy on the ledger has the result to answer with (a timestamp in it may differ).
    if (status.successful) {
      const recorded = await recordedUnder(gateway, channel, proposal.getBytes(), txId, idempotency.key);
      if (!sameBytes(recorded.channelHeader, channelHeaderOfProposal(proposal.getBytes())))
        return { result: recorded.result, txId, status, recovered, replayed: true };
    }
  }
  return { result, txId, status, recovered };
}

/** A transaction that was ordered but committed as invalid; `code` is its peer.TxValidationCode. */
export class NotCommittedError extends Error {
  constructor(
    readonly transaction: string,
    readonly txId: string,
    readonly code: number,
  ) {
    super(`${transaction} ${txId} committed as invalid (${code})`);
    this.name = 'NotCommittedError';
  }
}
