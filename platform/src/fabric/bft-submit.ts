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
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  GatewayError,
  type Contract,
  type Gateway,
  type Proposal,
  type Status,
  type Transaction,
} from '@hyperledger/fabric-gateway';
import { gateway as gatewayProtos, msp } from '@hyperledger/fabric-protos';

const ALREADY_PROCESSED = 'request already processed';
const PAYLOADS_DIFFER = 'ProposalResponsePayloads do not match';
const ENDORSE_ATTEMPTS = 4;
const ENDORSE_PAUSE_MS = 250;

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
      await new Promise((resolve) => setTimeout(resolve, ENDORSE_PAUSE_MS * attempt));
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
}

/** Endorse, submit and wait for the commit status, riding out the "already processed" race. */
export async function submitAndWait(
  gateway: Gateway,
  channel: string,
  contract: Contract,
  transaction: string,
  args: string[],
  onTxId: (txId: string) => void = () => undefined,
  privateInput?: PrivateInput,
): Promise<SubmitOutcome> {
  const proposal = contract.newProposal(transaction, {
    arguments: args,
    ...(privateInput === undefined
      ? {}
      : { transientData: privateInput.transient, endorsingOrganizations: [...privateInput.endorsers] }),
  });
  const txId = proposal.getTransactionId();
  onTxId(txId);
  const endorsed = await endorseInStep(proposal);
  try {
    const submitted = await endorsed.submit();
    return { result: submitted.getResult(), txId, status: await submitted.getStatus(), recovered: false };
  } catch (err) {
    if (!isAlreadyProcessed(err)) throw err;
    const status = await commitOf(gateway, channel, txId).getStatus();
    return { result: endorsed.getResult(), txId, status, recovered: true };
  }
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
