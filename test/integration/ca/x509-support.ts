// Certificate facts node:crypto does not expose: Fabric's attribute extension and CRL serials.

import { execFileSync } from 'node:child_process';
import type { X509Certificate } from 'node:crypto';

/** DER of OID 1.2.3.4.5.6.7.8.1, the extension where fabric-ca puts `:ecert` attributes. */
const FABRIC_ATTRS_OID = Buffer.from([0x06, 0x08, 0x2a, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x01]);

/** Reads a DER length at `at`; returns the length and where the content starts. */
function derLength(der: Buffer, at: number): { length: number; start: number } {
  const first = der[at]!;
  if (first < 0x80) return { length: first, start: at + 1 };
  const octets = first & 0x7f;
  let length = 0;
  for (let i = 1; i <= octets; i++) length = length * 256 + der[at + i]!;
  return { length, start: at + 1 + octets };
}

/** The `attrs` object of the certificate's Fabric attribute extension, or undefined when absent. */
export function fabricAttrs(cert: X509Certificate): Record<string, string> | undefined {
  const der = cert.raw;
  const oid = der.indexOf(FABRIC_ATTRS_OID);
  if (oid < 0) return undefined;
  let at = oid + FABRIC_ATTRS_OID.length;
  // Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
  if (der[at] === 0x01) at += 3;
  if (der[at] !== 0x04) throw new Error('Fabric attribute extension: no OCTET STRING after the OID');
  const { length, start } = derLength(der, at + 1);
  const json = JSON.parse(der.subarray(start, start + length).toString('utf8')) as {
    attrs: Record<string, string>;
  };
  return json.attrs;
}

/** Serial numbers (upper-case hex, no leading zeros) listed by a PEM CRL, read with openssl. */
export function crlSerials(crlFile: string): string[] {
  const text = execFileSync('openssl', ['crl', '-in', crlFile, '-noout', '-text'], { encoding: 'utf8' });
  return [...text.matchAll(/Serial Number:\s*([0-9A-Fa-f]+)/g)].map((m) => normalSerial(m[1]!));
}

export function normalSerial(hex: string): string {
  return hex.toUpperCase().replace(/^0+(?=.)/, '');
}
