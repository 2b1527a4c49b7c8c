// X.509 facts that both the chaincode and the gateway read from certificates: serial, subject CN,
// validity, the Fabric `attrs` extension (where fabric-ca puts `vpp.role`, `vpp.derId`, ...), and
// whether a certificate was issued by one of a set of CA certificates. node:crypto only, so the same
// code runs on every endorser and gives the same answer (no clock: validity is checked against the
// transaction time passed in).

import { X509Certificate } from 'node:crypto';
import { ErrorCode, VppError } from '../../types/errors';

/** DER of OID 1.2.3.4.5.6.7.8.1, the extension where fabric-ca puts `:ecert` attributes. */
const FABRIC_ATTRS_OID = Buffer.from([0x06, 0x08, 0x2a, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x01]);

/** Longest PEM we parse; a leaf certificate from fabric-ca is about 1 KiB. */
export const MAX_CERTIFICATE_PEM_LENGTH = 8192;

function derLength(der: Buffer, at: number): { length: number; start: number } {
  const first = der[at] ?? 0;
  if (first < 0x80) return { length: first, start: at + 1 };
  const octets = first & 0x7f;
  let length = 0;
  for (let i = 1; i <= octets; i++) length = length * 256 + (der[at + i] ?? 0);
  return { length, start: at + 1 + octets };
}

/** Upper-case hex without leading zeros: the form CRLs, fabric-ca and the ledger compare serials in. */
export function normalSerial(hex: string): string {
  return hex
    .replace(/:/g, '')
    .toUpperCase()
    .replace(/^0+(?=.)/, '');
}

/** Parses a PEM certificate; a malformed one is INVALID_ARGUMENT naming `what`. */
export function parseCertificate(pem: unknown, what = 'certificate'): X509Certificate {
  if (typeof pem !== 'string' || !pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `${what} must be a PEM certificate`);
  }
  if (pem.length > MAX_CERTIFICATE_PEM_LENGTH) {
    throw new VppError(
      ErrorCode.INVALID_ARGUMENT,
      `${what} exceeds ${MAX_CERTIFICATE_PEM_LENGTH} characters`,
    );
  }
  try {
    return new X509Certificate(pem);
  } catch {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `${what} is not a readable X.509 certificate`);
  }
}

/** The certificate's Fabric attributes (`{ "vpp.role": "device", ... }`); empty when it has none. */
export function fabricAttrsOf(cert: X509Certificate | string): Record<string, string> {
  const der = (typeof cert === 'string' ? new X509Certificate(cert) : cert).raw;
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

export function serialOf(cert: X509Certificate | string): string {
  return normalSerial((typeof cert === 'string' ? new X509Certificate(cert) : cert).serialNumber);
}

/** The CN of the subject (fabric-ca puts the enrollment id there), or '' when there is none. */
export function subjectCommonName(cert: X509Certificate): string {
  const line = cert.subject.split('\n').find((part) => part.startsWith('CN='));
  return line === undefined ? '' : line.slice(3);
}

/** Whether `cert` names one of `cas` as issuer and carries a valid signature by that CA's key. */
export function isIssuedByOneOf(cert: X509Certificate, cas: readonly X509Certificate[]): boolean {
  return cas.some((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey));
}

/** Whether the certificate is valid at `isoTime` (its notBefore ≤ time ≤ notAfter). */
export function isValidAt(cert: X509Certificate, isoTime: string): boolean {
  const at = Date.parse(isoTime);
  return Date.parse(cert.validFrom) <= at && at <= Date.parse(cert.validTo);
}

/** ISO-8601 form of a certificate date (node gives `Mar  1 12:00:00 2026 GMT`). */
export function certificateDateIso(text: string): string {
  return new Date(Date.parse(text)).toISOString();
}
