/** Certificate facts the gateway needs: serial, the Fabric `attrs` extension (where `vpp.role` is), CSRs. */
import { generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { KJUR } from 'jsrsasign';

/** DER of OID 1.2.3.4.5.6.7.8.1, the extension where fabric-ca puts `:ecert` attributes. */
const FABRIC_ATTRS_OID = Buffer.from([0x06, 0x08, 0x2a, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x01]);

function derLength(der: Buffer, at: number): { length: number; start: number } {
  const first = der[at] ?? 0;
  if (first < 0x80) return { length: first, start: at + 1 };
  const octets = first & 0x7f;
  let length = 0;
  for (let i = 1; i <= octets; i++) length = length * 256 + (der[at + i] ?? 0);
  return { length, start: at + 1 + octets };
}

/** The certificate's Fabric attributes (`{ "vpp.role": "admin", ... }`); empty when it has none. */
export function fabricAttrsOf(certPem: string): Record<string, string> {
  const der = new X509Certificate(certPem).raw;
  const oid = der.indexOf(FABRIC_ATTRS_OID);
  if (oid < 0) return {};
  let at = oid + FABRIC_ATTRS_OID.length;
  // Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
  if (der[at] === 0x01) at += 3;
  if (der[at] !== 0x04) return {};
  const { length, start } = derLength(der, at + 1);
  try {
    const parsed = JSON.parse(der.subarray(start, start + length).toString('utf8')) as { attrs?: unknown };
    const attrs = parsed.attrs;
    if (typeof attrs !== 'object' || attrs === null) return {};
    return Object.fromEntries(
      Object.entries(attrs).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  } catch {
    return {};
  }
}

/** Upper-case hex without leading zeros: the form CRLs, fabric-ca and tokens are compared in. */
export function normalSerial(hex: string): string {
  return hex
    .replace(/:/g, '')
    .toUpperCase()
    .replace(/^0+(?=.)/, '');
}

export function serialOf(certPem: string): string {
  return normalSerial(new X509Certificate(certPem).serialNumber);
}

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
