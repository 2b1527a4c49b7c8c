/**
 * Certificate facts the gateway needs: serial and the Fabric `attrs` extension (shared with the
 * chaincode, which reads certificates the same way), and CSRs for enrollment.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { KJUR } from 'jsrsasign';

export { fabricAttrsOf, normalSerial, serialOf } from '../../../chaincode/src/api';

/** A fresh P-256 key pair and a PKCS#10 request for CN=<enrollmentId>, for enrollment with the CA. */
export function newKeyAndCsr(enrollmentId: string): {
  privateKey: KeyObject;
  keyPem: string;
  csrPem: string;
} {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const csrPem = KJUR.asn1.csr.CSRUtil.newCSRPEM({
    subject: { str: `/CN=${enrollmentId}` },
    sbjpubkey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sigalg: 'SHA256withECDSA',
    sbjprvkey: keyPem,
  });
  return { privateKey, keyPem, csrPem };
}
