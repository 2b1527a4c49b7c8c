/**
 * The LDAP certificate directory's tree (DIT), as both the network (which seeds it) and the gateways'
 * registration authorities (which publish into it) name it:
 *
 *   <baseDn>                                  dcObject + organization
 *     ou=ra                                   organizationalUnit: the registration authorities
 *       cn=<mspId>                            an org RA's bind identity (userPassword: auth only)
 *     o=<mspId>                               organization + pkiCA: cACertificate;binary (the org CA's
 *                                             root), certificateRevocationList;binary (its latest CRL)
 *       cn=<enrollmentId>                     one per identity: device (devices) or inetOrgPerson
 *                                             (people), + pkiUser (userCertificate;binary) + vppIdentity
 *
 * The bind identities are outside the orgs' subtrees so that no enrollment id can collide with them.
 */
import path from 'node:path';
import { runPaths } from './paths';
import type { Directory } from './topology';

/**
 * The project's schema arc: a UUID under 2.25 (ITU-T X.667), which needs no registration.
 * Attribute types are <arc>.1.n, object classes <arc>.2.n.
 */
export const VPP_SCHEMA_ARC = '2.25.261506351925575610976718680654522161511';

/** The auxiliary class that carries an identity's org, role and DER/VPP ids. */
export const VPP_IDENTITY_CLASS = 'vppIdentity';
export const VPP_ATTRIBUTES = {
  mspId: 'vppMspId',
  role: 'vppRole',
  derId: 'vppDerId',
  vppId: 'vppVppId',
} as const;

/** The RDN value escaped as RFC 4514 asks (enrollment ids are ours, but a comma must not split a DN). */
export function escapeRdnValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}

export const directoryUrl = (directory: Pick<Directory, 'host' | 'port'>) =>
  `ldap://${directory.host}:${directory.port}`;

/** The entry of an org (its CA's root and CRL), the parent of its identities. */
export const orgDn = (baseDn: string, mspId: string) => `o=${escapeRdnValue(mspId)},${baseDn}`;

export const raUnitDn = (baseDn: string) => `ou=ra,${baseDn}`;

/** The org RA's bind identity: the only one that may write under the org's entry. */
export const raBindDn = (baseDn: string, mspId: string) => `cn=${escapeRdnValue(mspId)},${raUnitDn(baseDn)}`;

export const identityDn = (baseDn: string, mspId: string, enrollmentId: string) =>
  `cn=${escapeRdnValue(enrollmentId)},${orgDn(baseDn, mspId)}`;

/** The files the network writes for the directory, under the run folder. */
export const directoryPaths = {
  /** slapd.conf and the project's schema. */
  config: (...parts: string[]) => runPaths.config('directory', ...parts),
  /** The org RA's bind password (0600), made when the directory is first seeded. */
  raSecret: (org: string) => path.join(runPaths.crypto(org, 'directory'), 'ra-secret'),
};
