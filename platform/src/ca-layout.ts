/**
 * Names and places of each org's CA server and of the identities it enrolls. ca/ creates them; the
 * REST gateway (its registration authority), the tests and the benches only need to find them, so
 * they live here rather than in ca/.
 */
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { runPaths } from './paths';

export interface CaNames {
  identity: string;
  tls: string;
}

/** The two CAs of an org's CA server: identities (the server's default CA) and TLS certificates. */
export function caNames(org: string): CaNames {
  return { identity: `ca-${org}`, tls: `tlsca-${org}` };
}

/** The server home (FABRIC_CA_SERVER_HOME). */
export function caHome(org: string): string {
  return runPaths.data(`ca.${org}`);
}

/**
 * What a client must trust to reach the CA server over TLS. With TLS on and no tls.certfile,
 * fabric-ca-server generates tls-cert.pem on first start, signed by the default (identity) CA,
 * so the identity root is also the root of the server's HTTPS certificate.
 */
export function caTlsRootFile(org: string): string {
  return path.join(caHome(org), 'ca-cert.pem');
}

/** Kept with the run folder: `npm run reset` deletes it together with the CA databases it opened. */
export function bootstrapSecretFile(org: string): string {
  return runPaths.config('secrets', `ca-${org}-bootstrap`);
}

/**
 * The enrollment secret of an identity that the bring-up registered on the CA named `caName`.
 * Derived from the CA's bootstrap secret, so that a re-run after a crash (identity registered,
 * enrollment not yet copied) can enroll again without storing more secrets, and so that tests and
 * benches can log in as the enrolled users.
 */
export function derivedSecret(bootstrapSecret: string, caName: string, enrollmentId: string): string {
  return createHmac('sha256', bootstrapSecret).update(`${caName}/${enrollmentId}`).digest('hex').slice(0, 32);
}

/** Enrollment ids (the certificates' CN). `admin` itself is the CA's bootstrap registrar. */
export function enrollmentIdsOf(org: string) {
  return {
    peer: `peer.${org}`,
    orderer: `orderer.${org}`,
    chaincode: `chaincode.${org}`,
    gateway: `gateway.${org}`,
    admin: `${org}admin`,
    appuser: 'appuser',
    /** The gateway's courier for device-signed readings (vpp.role=ingest); it cannot sign readings. */
    ingest: `ingest.${org}`,
  } as const;
}
