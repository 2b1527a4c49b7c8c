/**
 * What the LDAP certificate directory (OpenLDAP slapd) is made of, as text: its slapd.conf, the
 * project's schema and the LDIF that seeds its tree. Pure functions of their inputs; slapd.ts writes
 * them and runs slapadd. The tree itself is described in platform/src/directory-layout.ts.
 */
import { createHash } from 'node:crypto';
import {
  orgDn,
  raBindDn,
  raUnitDn,
  VPP_ATTRIBUTES,
  VPP_IDENTITY_CLASS,
  VPP_SCHEMA_ARC,
} from '../../../platform/src/directory-layout';

/** Directory String syntax (RFC 4517), at most 256 characters. */
const DIRECTORY_STRING = '1.3.6.1.4.1.1466.115.121.1.15{256}';

const ATTRIBUTE_DESCRIPTIONS: Record<keyof typeof VPP_ATTRIBUTES, string> = {
  mspId: 'MSP id of the org whose CA issued the identity',
  role: 'role of the identity in VPP Ledger (vpp.role of its certificate)',
  derId: 'DER id of a device identity (vpp.derId of its certificate)',
  vppId: 'VPP id of a device identity (vpp.vppId of its certificate)',
};

/** The attribute types and the auxiliary class of an identity's VPP Ledger facts (slapd.conf syntax). */
export function vppSchemaText(): string {
  const keys = Object.keys(VPP_ATTRIBUTES) as (keyof typeof VPP_ATTRIBUTES)[];
  const attributes = keys.map(
    (key, i) =>
      `attributetype ( ${VPP_SCHEMA_ARC}.1.${i + 1} NAME '${VPP_ATTRIBUTES[key]}'\n` +
      `  DESC '${ATTRIBUTE_DESCRIPTIONS[key]}'\n` +
      `  EQUALITY caseExactMatch SUBSTR caseExactSubstringsMatch\n` +
      `  SYNTAX ${DIRECTORY_STRING} SINGLE-VALUE )`,
  );
  const names = keys.map((key) => VPP_ATTRIBUTES[key]).join(' $ ');
  const objectClass =
    `objectclass ( ${VPP_SCHEMA_ARC}.2.1 NAME '${VPP_IDENTITY_CLASS}'\n` +
    `  DESC 'a VPP Ledger identity: its org, role and DER/VPP ids'\n` +
    `  AUXILIARY MAY ( ${names} ) )`;
  return [
    `# VPP Ledger identity attributes; OIDs under the UUID arc ${VPP_SCHEMA_ARC} (ITU-T X.667).`,
    ...attributes,
    objectClass,
    '',
  ].join('\n');
}

export interface SlapdConfInput {
  baseDn: string;
  mspIds: readonly string[];
  /** Debian's /etc/ldap/schema: core, cosine and inetorgperson come from there. */
  systemSchemaDir: string;
  vppSchemaFile: string;
  /** Where the backend modules are (Debian: /usr/lib/ldap). */
  modulePath: string;
  dataDir: string;
  pidFile: string;
  argsFile: string;
}

/**
 * slapd.conf: one mdb database for the base DN, and the access rules. Anyone may read certificates
 * and CRLs (a directory of public certificates); passwords serve only to bind; each org's RA bind
 * identity may write its own org's subtree and nothing else. No rootdn: the tree is seeded offline
 * with slapadd, so no all-powerful password exists.
 */
export function slapdConfText(input: SlapdConfInput): string {
  const { baseDn } = input;
  const orgRules = input.mspIds.flatMap((mspId) => [
    `access to dn.subtree="${orgDn(baseDn, mspId)}"`,
    `  by dn.exact="${raBindDn(baseDn, mspId)}" write`,
    '  by * read',
  ]);
  return [
    '# Generated from network/topology.yaml (directory) by `npm start`; do not edit.',
    ...['core', 'cosine', 'inetorgperson'].map((name) => `include ${input.systemSchemaDir}/${name}.schema`),
    `include ${input.vppSchemaFile}`,
    '',
    `pidfile ${input.pidFile}`,
    `argsfile ${input.argsFile}`,
    `modulepath ${input.modulePath}`,
    'moduleload back_mdb',
    '',
    'database mdb',
    `suffix "${baseDn}"`,
    `directory ${input.dataDir}`,
    // The map's upper bound, not its size: 256 MB holds far more certificates than a VPP has devices.
    'maxsize 268435456',
    'index objectClass eq',
    'index cn eq',
    `index ${VPP_ATTRIBUTES.derId},${VPP_ATTRIBUTES.vppId},${VPP_ATTRIBUTES.role} eq`,
    '',
    'access to attrs=userPassword',
    '  by anonymous auth',
    '  by * none',
    ...orgRules,
    'access to *',
    '  by * read',
    '',
  ].join('\n');
}

/** `{SSHA}` of the secret: SHA-1 over secret and salt, salt appended (what slappasswd makes). */
export function sshaPassword(secret: string, salt: Buffer): string {
  const digest = createHash('sha1').update(secret).update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`;
}

export interface SeedOrg {
  mspId: string;
  description: string;
  /** DER of the org's identity CA root certificate. */
  caRootDer: Buffer;
  /** The RA bind identity's userPassword, already hashed (sshaPassword). */
  raPassword: string;
}

type LdifValue = string | Buffer;

/** One attribute line: `name: value` when the value is safe as text, `name:: base64` otherwise (RFC 2849). */
function ldifLine(name: string, value: LdifValue): string {
  const safe = typeof value === 'string' && /^[\x21-\x39\x3b\x3d-\x7e][\x20-\x7e]*$/.test(value);
  const line = safe ? `${name}: ${value}` : `${name}:: ${Buffer.from(value).toString('base64')}`;
  return foldLdifLine(line);
}

/** LDIF lines are folded at 76 characters: each continuation starts with one space. */
export function foldLdifLine(line: string, width = 76): string {
  if (line.length <= width) return line;
  const parts = [line.slice(0, width)];
  for (let at = width; at < line.length; at += width - 1) parts.push(` ${line.slice(at, at + width - 1)}`);
  return parts.join('\n');
}

function ldifEntry(dn: string, attributes: [string, LdifValue][]): string {
  return [ldifLine('dn', dn), ...attributes.map(([name, value]) => ldifLine(name, value))].join('\n');
}

/** The seed tree: the base entry, the RAs' unit with one bind identity per org, one entry per org. */
export function seedLdif(input: { baseDn: string; name: string; orgs: readonly SeedOrg[] }): string {
  const { baseDn } = input;
  const dc = /^dc=([^,]+)/.exec(baseDn)?.[1] ?? input.name;
  const entries = [
    ldifEntry(baseDn, [
      ['objectClass', 'top'],
      ['objectClass', 'dcObject'],
      ['objectClass', 'organization'],
      ['dc', dc],
      ['o', input.name],
    ]),
    ldifEntry(raUnitDn(baseDn), [
      ['objectClass', 'organizationalUnit'],
      ['ou', 'ra'],
      ['description', "the orgs' registration authorities: the directory's only writers"],
    ]),
    ...input.orgs.flatMap((org) => [
      ldifEntry(raBindDn(baseDn, org.mspId), [
        ['objectClass', 'applicationProcess'],
        ['objectClass', 'simpleSecurityObject'],
        ['cn', org.mspId],
        ['description', `registration authority of ${org.mspId}`],
        ['userPassword', org.raPassword],
      ]),
      ldifEntry(orgDn(baseDn, org.mspId), [
        ['objectClass', 'organization'],
        ['objectClass', 'pkiCA'],
        ['o', org.mspId],
        ['description', org.description],
        ['cACertificate;binary', org.caRootDer],
      ]),
    ]),
  ];
  return `${entries.join('\n\n')}\n`;
}
