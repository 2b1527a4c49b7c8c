/**
 * Device certificates issued offline for the registry bench: enrolling 100,000 devices through the RA
 * and fabric-ca (a registration and an enrollment each, about 6 devices/s on the development machine)
 * would take hours, so the bench stands in for a device factory that holds the org CA's signing key.
 * It copies one certificate that fabric-ca really issued (through the RA) and changes only what must
 * differ per device: the ids in its subject and attributes (same length) and its serial, then signs
 * the result with the CA's key. The copies share the template's device key pair; the registry does
 * not require distinct device keys, and every other check it makes (issuer, validity, attributes,
 * serial not bound elsewhere) runs on each copy as on an RA-issued certificate.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { caHome } from '../../platform/src/ca-layout';

interface Tlv {
  /** Offset of the tag byte. */
  readonly start: number;
  /** Offset of the first content byte. */
  readonly contentStart: number;
  /** Offset just past the content. */
  readonly end: number;
}

function tlvAt(der: Buffer, start: number): Tlv {
  const first = der[start + 1];
  if (first === undefined) throw new Error(`DER ends at ${start}`);
  let length = first;
  let contentStart = start + 2;
  if (first & 0x80) {
    const octets = first & 0x7f;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + (der[start + 2 + i] as number);
    contentStart += octets;
  }
  return { start, contentStart, end: contentStart + length };
}

function lengthOctets(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, content: Buffer) =>
  Buffer.concat([Buffer.from([tag]), lengthOctets(content.length), content]);

function replaceAll(bytes: Buffer, from: string, to: string): Buffer {
  if (from.length !== to.length) throw new Error(`${to} must have the length of ${from}`);
  const needle = Buffer.from(from, 'utf8');
  const out = Buffer.from(bytes);
  for (let at = out.indexOf(needle); at !== -1; at = out.indexOf(needle, at + needle.length)) {
    Buffer.from(to, 'utf8').copy(out, at);
  }
  return out;
}

/** A certificate to copy, its issuer's signing key, and the ids it names. */
export interface CertificateTemplate {
  readonly der: Buffer;
  readonly caKey: KeyObject;
  readonly derId: string;
  readonly vppId: string;
}

/**
 * A copy of the template for `derId` of `vppId` (each as long as the template's), with a serial
 * derived from the new ids, signed with the CA's key.
 */
export function issueCopy(template: CertificateTemplate, derId: string, vppId: string): string {
  const certificate = tlvAt(template.der, 0);
  const tbsTlv = tlvAt(template.der, certificate.contentStart);
  const algorithm = tlvAt(template.der, tbsTlv.end);
  let tbs = template.der.subarray(tbsTlv.start, tbsTlv.end);
  tbs = replaceAll(replaceAll(tbs, template.derId, derId), template.vppId, vppId);
  // TBSCertificate: [0] version, then the serial INTEGER; keep its length, first octet 0x01..0x7f.
  const version = tlvAt(tbs, tlvAt(tbs, 0).contentStart);
  const serial = tlvAt(tbs, version.end);
  const digest = createHash('sha256').update(`${derId}/${vppId}`).digest();
  digest.copy(tbs, serial.contentStart, 0, serial.end - serial.contentStart);
  tbs[serial.contentStart] = ((tbs[serial.contentStart] as number) & 0x7f) | 0x01;
  const signature = sign('sha256', tbs, template.caKey);
  const der = tlv(
    0x30,
    Buffer.concat([
      tbs,
      template.der.subarray(algorithm.start, algorithm.end),
      tlv(0x03, Buffer.concat([Buffer.from([0]), signature])),
    ]),
  );
  const body = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n`;
}

/** The identity CA's signing key of `org`'s fabric-ca server: the keystore key that matches its certificate. */
export function caSigningKey(org: string): KeyObject {
  const home = caHome(org);
  const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });
  const caPublic = spki(new X509Certificate(readFileSync(path.join(home, 'ca-cert.pem'))).publicKey);
  const keystore = path.join(home, 'msp', 'keystore');
  for (const file of readdirSync(keystore)) {
    const key = createPrivateKey(readFileSync(path.join(keystore, file)));
    if (spki(createPublicKey(key)).equals(caPublic)) return key;
  }
  throw new Error(`no key in ${keystore} matches the CA certificate of ${org}`);
}
