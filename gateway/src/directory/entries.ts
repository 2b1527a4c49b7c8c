/**
 * What the registration authority publishes in the LDAP certificate directory, as plain data: an
 * identity's entry, made from its certificate alone (the enrollment id, role and DER/VPP ids are the
 * certificate's subject CN and Fabric attributes), and the CRL attribute of the org's entry. The tree
 * is described in platform/src/directory-layout.ts.
 */
import { X509Certificate } from 'node:crypto';
import { DER_ID_ATTRIBUTE, ROLE_ATTRIBUTE, VPP_ID_ATTRIBUTE } from '../../../chaincode/src/api';
import {
  identityDn,
  orgDn,
  VPP_ATTRIBUTES,
  VPP_IDENTITY_CLASS,
} from '../../../platform/src/directory-layout';
import { fabricAttrsOf, serialOf } from '../core/x509';

/** The attribute holding the DER bytes of a certificate (RFC 4523: transferred with ;binary). */
export const USER_CERTIFICATE = 'userCertificate;binary';
export const CRL_ATTRIBUTE = 'certificateRevocationList;binary';

export interface DirectoryAttribute {
  type: string;
  values: string[] | Buffer[];
}

export interface DirectoryEntry {
  dn: string;
  /** Set when the entry is made; left as they are when it is replaced. */
  objectClasses: string[];
  /** The RDN's attribute (cn), which a replacement cannot change. */
  naming: DirectoryAttribute;
  /** Everything the publication (re)writes. */
  attributes: DirectoryAttribute[];
}

/** fabric-ca puts the enrollment id in the certificate's attributes and in its subject CN. */
function enrollmentIdOf(cert: X509Certificate, attrs: Record<string, string>): string {
  const fromAttrs = attrs['hf.EnrollmentID'];
  if (fromAttrs) return fromAttrs;
  const cn = cert.subject
    .split('\n')
    .find((part) => part.startsWith('CN='))
    ?.slice(3);
  if (!cn) throw new Error('the certificate names no enrollment id (no hf.EnrollmentID, no subject CN)');
  return cn;
}

/**
 * The entry of the identity a certificate was issued to, under its org: a `device` for a DER's light
 * node, an `inetOrgPerson` for a person; both `pkiUser` (the certificate) and `vppIdentity`.
 */
export function identityEntryOf(baseDn: string, mspId: string, certPem: string): DirectoryEntry {
  const cert = new X509Certificate(certPem);
  const attrs = fabricAttrsOf(cert);
  const enrollmentId = enrollmentIdOf(cert, attrs);
  const role = attrs[ROLE_ATTRIBUTE];
  const device = role === 'device';
  const optional = (type: string, value: string | undefined): DirectoryAttribute[] =>
    value ? [{ type, values: [value] }] : [];
  return {
    dn: identityDn(baseDn, mspId, enrollmentId),
    objectClasses: [device ? 'device' : 'inetOrgPerson', 'pkiUser', VPP_IDENTITY_CLASS],
    naming: { type: 'cn', values: [enrollmentId] },
    attributes: [
      { type: USER_CERTIFICATE, values: [cert.raw] },
      { type: VPP_ATTRIBUTES.mspId, values: [mspId] },
      ...optional(VPP_ATTRIBUTES.role, role),
      ...optional(VPP_ATTRIBUTES.derId, attrs[DER_ID_ATTRIBUTE]),
      ...optional(VPP_ATTRIBUTES.vppId, attrs[VPP_ID_ATTRIBUTE]),
      // `device` may hold the certificate's serial; a person (inetOrgPerson) must have a surname.
      device ? { type: 'serialNumber', values: [serialOf(cert)] } : { type: 'sn', values: [enrollmentId] },
    ],
  };
}

/** DER of a PEM CRL (the directory holds certificates and CRLs in DER, as RFC 4523 asks). */
export function crlDerOf(crlPem: string): Buffer {
  const body = /-----BEGIN X509 CRL-----([\s\S]+?)-----END X509 CRL-----/.exec(crlPem)?.[1];
  if (!body) throw new Error('not a PEM CRL');
  return Buffer.from(body.replace(/\s+/g, ''), 'base64');
}

/** The org entry's CRL attribute, replaced at every publication. */
export function crlAttributeOf(
  baseDn: string,
  mspId: string,
  crlPem: string,
): { dn: string } & DirectoryAttribute {
  return { dn: orgDn(baseDn, mspId), type: CRL_ATTRIBUTE, values: [crlDerOf(crlPem)] };
}
