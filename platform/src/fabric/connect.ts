/**
 * The one place a fabric-gateway Gateway is made: a gRPC client to an org's peer over TLS, and a
 * Gateway per signing identity with the project's one set of deadlines. The REST gateway's
 * per-caller cache and the org connections of setup, tests and benches are built on it.
 */
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers, type Gateway, type Signer } from '@hyperledger/fabric-gateway';
import { createPrivateKey } from 'node:crypto';

/**
 * Every Fabric call is bounded. A commit-status wait covers ordering and validation, and a leader
 * failover under this topology's SmartBFT timings (10 s heartbeat, 8 s view change) takes well under
 * 60 s. The bound also keeps the REST gateway's worst case (endorse + submit + commit status, 120 s)
 * within what its HTTP clients wait (120 s), so they get its answer with the transaction id rather
 * than a timeout of their own.
 */
export const DEADLINES_MS = {
  evaluate: 10_000,
  endorse: 30_000,
  submit: 30_000,
  commitStatus: 60_000,
} as const;

/**
 * The largest gRPC message a client sends or takes: the peer's own default (peer.maxRecvMsgSize and
 * maxSendMsgSize, 100 MB) rather than grpc-js's 4 MB, which a prepared transaction of one settlement
 * of thousands of DERs (one line per DER in its write set) or a large evaluate answer exceeds. Above
 * it the gateway answers RESULT_TOO_LARGE.
 */
export const MAX_GRPC_MESSAGE_BYTES = 100 * 1024 * 1024;

/** A gRPC client to a peer that presents a certificate issued under `tlsRootCert`. */
export function newPeerClient(
  endpoint: string,
  tlsRootCert: Buffer,
  options: grpc.ClientOptions = {},
): grpc.Client {
  return new grpc.Client(endpoint, grpc.credentials.createSsl(tlsRootCert), {
    'grpc.max_receive_message_length': MAX_GRPC_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_GRPC_MESSAGE_BYTES,
    ...options,
  });
}

/**
 * An identity that signs its own proposals and transactions: with a private key in PEM (a file
 * key), or with a signer whose key stays elsewhere (an HSM token, keys/softhsm.ts).
 */
export type SigningIdentity = { mspId: string; certPem: string } & ({ keyPem: string } | { signer: Signer });

/** A Gateway on `client` that signs as `identity`; closing it leaves the client open. */
export function newGateway(client: grpc.Client, identity: SigningIdentity): Gateway {
  const after = (ms: number) => () => ({ deadline: Date.now() + ms });
  return connect({
    client,
    identity: { mspId: identity.mspId, credentials: Buffer.from(identity.certPem) },
    signer:
      'signer' in identity ? identity.signer : signers.newPrivateKeySigner(createPrivateKey(identity.keyPem)),
    hash: hash.sha256,
    evaluateOptions: after(DEADLINES_MS.evaluate),
    endorseOptions: after(DEADLINES_MS.endorse),
    submitOptions: after(DEADLINES_MS.submit),
    commitStatusOptions: after(DEADLINES_MS.commitStatus),
  });
}
