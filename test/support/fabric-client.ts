/**
 * Connects to an org's peer through @hyperledger/fabric-gateway as one of that org's enrolled
 * identities (crypto laid out by ca/src/enroll.ts), or as one of the callers an org gateway keeps,
 * for integration tests on the real network; and reads back who signed a transaction.
 */
import type { Signer } from '@hyperledger/fabric-gateway';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  connectAs as connectAsIdentity,
  connectWith as connectWithKey,
  type Connection,
} from '../../platform/src/fabric/org-connection';
import { runPaths } from '../../platform/src/paths';
import { loadTopology, orgByName, type Org, type Topology } from '../../platform/src/topology';

export const topology: Topology = loadTopology();

export function orgNamed(name: string): Org {
  return orgByName(topology, name);
}

export type { Connection };

export function connectAs(orgName: string, user: 'admin' | 'appuser' | 'ingest'): Connection {
  return connectAsIdentity(topology, orgName, user);
}

/**
 * A fabric-gateway connection to the org's peer that signs with the given certificate and key (a
 * private key in PEM, or a signer whose key stays in an HSM token).
 */
export function connectWith(orgName: string, certPem: string, key: string | Signer): Connection {
  return connectWithKey(topology, orgName, certPem, key);
}

export const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

/** The key and certificate the org's gateway keeps for one of its callers. */
export function gatewayCredentialsOf(
  orgName: string,
  enrollmentId: string,
): { certPem: string; keyPem: string } {
  const dir = path.join(runPaths.data(`gateway.${orgName}`), 'identities', enrollmentId);
  return {
    certPem: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    keyPem: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
  };
}

/** The creator certificate (PEM bytes) of a committed transaction, read with qscc GetTransactionByID. */
export async function creatorOfTransaction(connection: Connection, txId: string): Promise<Buffer> {
  const qscc = connection.gateway.getNetwork(topology.channel.name).getContract('qscc');
  const bytes = await qscc.evaluateTransaction('GetTransactionByID', topology.channel.name, txId);
  const processed = peer.ProcessedTransaction.deserializeBinary(bytes);
  const envelope = processed.getTransactionenvelope();
  if (!envelope) throw new Error(`transaction ${txId} has no envelope`);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const header = payload.getHeader();
  if (!header) throw new Error(`transaction ${txId} has no header`);
  const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
  const creator = msp.SerializedIdentity.deserializeBinary(signatureHeader.getCreator_asU8());
  return Buffer.from(creator.getIdBytes_asU8());
}
