// The channel's MSPs as the config block defines them, and the checks Fabric's X.509 MSP makes of an
// identity: its certificate chains to one of the MSP's roots (through its intermediates), every
// certificate of the chain is valid at the given time, and — with NodeOUs enabled — it carries
// exactly one node role OU (client, peer, admin, orderer). Roles for policy principals come from
// those OUs. The MSPs' revocation lists are NOT checked: node:crypto cannot parse a CRL, and a
// hand-written CRL parser is more code to audit than this verifier's whole protobuf reader.

import { X509Certificate } from 'node:crypto';
import {
  decodeMspConfig,
  decodeSerializedIdentity,
  MSP_TYPE_FABRIC,
  ROLE_ADMIN,
  ROLE_CLIENT,
  ROLE_MEMBER,
  ROLE_ORDERER,
  ROLE_PEER,
  type ConfigGroup,
  type OuIdentifier,
} from './fabric-messages';

export interface Msp {
  readonly mspId: string;
  /** The org's group name under /Channel/Application. */
  readonly orgName: string;
  readonly roots: readonly X509Certificate[];
  readonly intermediates: readonly X509Certificate[];
  readonly admins: readonly X509Certificate[];
  /** Node OU identifiers when NodeOUs are enabled, else undefined. */
  readonly nodeOUs: Readonly<Record<NodeRole, OuIdentifier | undefined>> | undefined;
}

export type NodeRole = 'client' | 'peer' | 'admin' | 'orderer';
const NODE_ROLES: readonly NodeRole[] = ['client', 'peer', 'admin', 'orderer'];

/** A configuration problem: the config block does not define the MSPs the verifier needs. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseCertificate(pem: Uint8Array, what: string): X509Certificate {
  try {
    return new X509Certificate(Buffer.from(pem));
  } catch {
    throw new ConfigError(`${what} is not an X.509 certificate`);
  }
}

/** The MSPs of the application orgs (/Channel/Application/<org>/MSP), by MSP id, in config order. */
export function applicationMsps(application: ConfigGroup): Map<string, Msp> {
  const msps = new Map<string, Msp>();
  for (const [orgName, org] of application.groups) {
    const value = org.values.get('MSP');
    if (value === undefined) throw new ConfigError(`application org ${orgName} has no MSP value`);
    const { type, fabric } = decodeMspConfig(value);
    if (type !== MSP_TYPE_FABRIC || fabric === undefined) {
      throw new ConfigError(`application org ${orgName}: MSP type ${type} is not an X.509 (FABRIC) MSP`);
    }
    if (fabric.name === '' || msps.has(fabric.name)) {
      throw new ConfigError(`application org ${orgName}: missing or duplicate MSP id '${fabric.name}'`);
    }
    if (fabric.rootCerts.length === 0) throw new ConfigError(`MSP ${fabric.name} has no root certificate`);
    const where = `MSP ${fabric.name}`;
    const enabled = fabric.nodeOUs?.enable === true ? fabric.nodeOUs : undefined;
    msps.set(fabric.name, {
      mspId: fabric.name,
      orgName,
      roots: fabric.rootCerts.map((c, i) => parseCertificate(c, `${where} root certificate ${i}`)),
      intermediates: fabric.intermediateCerts.map((c, i) =>
        parseCertificate(c, `${where} intermediate certificate ${i}`),
      ),
      admins: fabric.admins.map((c, i) => parseCertificate(c, `${where} admin certificate ${i}`)),
      nodeOUs:
        enabled === undefined
          ? undefined
          : { client: enabled.client, peer: enabled.peer, admin: enabled.admin, orderer: enabled.orderer },
    });
  }
  return msps;
}

/** An identity whose certificate chains to its MSP's roots and was valid at the time checked. */
export interface ValidIdentity {
  /** The serialized msp.SerializedIdentity, as signed over by endorsers. */
  readonly serialized: Uint8Array;
  readonly msp: Msp;
  readonly certificate: X509Certificate;
  /** Issuers from the certificate's direct issuer up to the root. */
  readonly issuers: readonly X509Certificate[];
  readonly subject: string;
  /** The node role its OU gives it (NodeOUs enabled), else undefined. */
  readonly nodeRole: NodeRole | undefined;
}

/** The OU values of a certificate's subject, from node's one-attribute-per-line rendering. */
export function organizationalUnits(certificate: X509Certificate): string[] {
  return certificate.subject
    .split('\n')
    .flatMap((line) => line.split(' + '))
    .filter((attribute) => attribute.startsWith('OU='))
    .map((attribute) => attribute.slice(3).replace(/\\(.)/g, '$1'));
}

const MAX_CHAIN_LENGTH = 8;

function isValidAt(certificate: X509Certificate, at: Date): boolean {
  return certificate.validFromDate <= at && at <= certificate.validToDate;
}

function issues(issuer: X509Certificate, certificate: X509Certificate): boolean {
  return issuer.ca && certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
}

/** The issuers of `leaf` up to one of the MSP's roots, or a reason why there is no such chain. */
function chainOf(leaf: X509Certificate, msp: Msp, at: Date): X509Certificate[] | string {
  const issuers: X509Certificate[] = [];
  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN_LENGTH; depth++) {
    const root = msp.roots.find((candidate) => issues(candidate, current));
    if (root !== undefined) {
      issuers.push(root);
      const expired = [leaf, ...issuers].find((c) => !isValidAt(c, at));
      if (expired !== undefined) {
        return `certificate '${expired.subject.replace(/\n/g, ',')}' is not valid at ${at.toISOString()} (valid ${expired.validFromDate.toISOString()} to ${expired.validToDate.toISOString()})`;
      }
      return issuers;
    }
    const intermediate = msp.intermediates.find((c) => !issuers.includes(c) && issues(c, current));
    if (intermediate === undefined) break;
    issuers.push(intermediate);
    current = intermediate;
  }
  return `certificate does not chain to a root certificate of ${msp.mspId}`;
}

function ouMatches(
  identifier: OuIdentifier | undefined,
  ous: readonly string[],
  issuers: readonly X509Certificate[],
) {
  if (identifier === undefined || identifier.organizationalUnit === '') return false;
  if (!ous.includes(identifier.organizationalUnit)) return false;
  // A certificate in the identifier restricts the OU to identities that CA issued directly.
  if (identifier.certificate.length === 0) return true;
  try {
    const required = new X509Certificate(Buffer.from(identifier.certificate));
    return issuers[0]?.raw.equals(required.raw) ?? false;
  } catch {
    return false;
  }
}

/**
 * Validates a serialized identity against the MSPs at time `at`. Returns the identity, or a reason
 * why it is not one of the channel's valid identities.
 */
export function validateIdentity(
  serialized: Uint8Array,
  msps: ReadonlyMap<string, Msp>,
  at: Date,
): ValidIdentity | string {
  let mspId: string;
  let pem: string;
  try {
    const identity = decodeSerializedIdentity(serialized);
    mspId = identity.mspId;
    pem = utf8.decode(identity.idBytes);
  } catch {
    return 'not a serialized identity';
  }
  const msp = msps.get(mspId);
  if (msp === undefined) return `MSP '${mspId}' is not an application org of the channel`;
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    return `${mspId} identity is not an X.509 certificate`;
  }
  const subject = certificate.subject.replace(/\n/g, ',');
  if (certificate.ca) return `${mspId} identity '${subject}' is a CA certificate`;
  const issuers = chainOf(certificate, msp, at);
  if (typeof issuers === 'string') return `${mspId} identity '${subject}': ${issuers}`;
  let nodeRole: NodeRole | undefined;
  const { nodeOUs } = msp;
  if (nodeOUs !== undefined) {
    // Fabric: with NodeOUs on, an identity is valid only with exactly one node role.
    const ous = organizationalUnits(certificate);
    const roles = NODE_ROLES.filter((role) => ouMatches(nodeOUs[role], ous, issuers));
    if (roles.length !== 1) {
      return `${mspId} identity '${subject}' has ${roles.length === 0 ? 'no' : 'more than one'} node role OU`;
    }
    nodeRole = roles[0];
  }
  return { serialized, msp, certificate, issuers, subject, nodeRole };
}

export const ROLE_NAMES: Readonly<Record<number, string>> = {
  [ROLE_MEMBER]: 'member',
  [ROLE_ADMIN]: 'admin',
  [ROLE_CLIENT]: 'client',
  [ROLE_PEER]: 'peer',
  [ROLE_ORDERER]: 'orderer',
};

/** Whether a valid identity satisfies MSPRole {mspId, role}, as Fabric's MSP.SatisfiesPrincipal. */
export function satisfiesRole(identity: ValidIdentity, mspId: string, role: number): boolean {
  if (identity.msp.mspId !== mspId) return false;
  switch (role) {
    case ROLE_MEMBER:
      return true;
    case ROLE_ADMIN:
      return (
        identity.msp.admins.some((admin) => admin.raw.equals(identity.certificate.raw)) ||
        identity.nodeRole === 'admin'
      );
    case ROLE_CLIENT:
      return identity.nodeRole === 'client';
    case ROLE_PEER:
      return identity.nodeRole === 'peer';
    case ROLE_ORDERER:
      return identity.nodeRole === 'orderer';
    default:
      return false;
  }
}
