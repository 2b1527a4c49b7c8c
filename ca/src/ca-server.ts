/**
 * One fabric-ca-server per org, hosting two CAs: the identity CA (the server's default CA) that
 * issues enrollment certificates, and a TLS CA (loaded with --cafiles) that issues TLS certificates.
 * Separate roots keep a TLS certificate from ever passing as a signing identity and vice versa.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { bootstrapSecretFile, caHome, caNames, type CaNames } from '../../platform/src/ca-layout';
import { binaryIn } from '../../platform/src/fabric-binaries';
import { locateFabricHome } from '../../platform/src/fabric-home';
import { orgByName, type Org, type Topology } from '../../platform/src/topology';

/** Name of the bootstrap registrar on both CAs. */
export const BOOTSTRAP_USER = 'admin';

/** The default (identity) CA's config: where fabric-ca-server looks for it in its home. */
export function identityCaConfigFile(org: string): string {
  return path.join(caHome(org), 'fabric-ca-server-config.yaml');
}

/** The TLS CA's home: fabric-ca roots an additional CA in the folder of its config file. */
export function tlsCaConfigFile(org: string): string {
  return path.join(caHome(org), 'tlsca', 'fabric-ca-server-config.yaml');
}

/** An org given as its name or as the topology entry; either way the topology's own entry is used. */
export type OrgRef = Org | string;

export function orgOf(topology: Topology, ref: OrgRef): Org {
  return orgByName(topology, typeof ref === 'string' ? ref : ref.name);
}

export function fabricBinary(topology: Topology, name: 'fabric-ca-server' | 'fabric-ca-client'): string {
  const file = binaryIn(locateFabricHome(topology.fabric).dir, topology.fabric, name);
  if (!existsSync(file)) {
    throw new Error(`${name} not found at ${file}: run \`npm run install-fabric\` (or set VPP_FABRIC_HOME)`);
  }
  return file;
}

/** The org's bootstrap secret: created once (random, mode 0600), then reused on every call. */
export function bootstrapSecret(org: string): string {
  const file = bootstrapSecretFile(org);
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length > 0) return secret;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Hex only: the secret travels inside `user:secret` and enrollment URLs, where ':' and '@' break parsing.
  const secret = randomBytes(24).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/** Attributes of a bootstrap registrar, as fabric-ca's own default config gives its `-b` user. */
const REGISTRAR_ATTRS = {
  'hf.Registrar.Roles': '*',
  'hf.Registrar.DelegateRoles': '*',
  'hf.Registrar.Attributes': '*',
  'hf.Revoker': true,
  'hf.GenCRL': true,
  'hf.IntermediateCA': true,
  'hf.AffiliationMgr': true,
};

/**
 * The config of one of the two CAs. Every field that matters is explicit: fabric-ca fills missing
 * fields of a --cafiles CA from the default CA, and a copied csr.cn would give both roots one subject,
 * which the server refuses. FABRIC_CA_SERVER_* variables (caEnv) still override the default CA's file.
 */
function caConfig(topology: Topology, org: Org, kind: keyof CaNames, secret: string): object {
  const name = caNames(org.name)[kind];
  return {
    // Without it fabric-ca assumes version 0 and its oldest database levels.
    version: topology.fabric.caVersion,
    ca: { name },
    crl: { expiry: '24h' },
    registry: {
      maxenrollments: -1,
      identities: [
        { name: BOOTSTRAP_USER, pass: secret, type: 'client', affiliation: '', attrs: REGISTRAR_ATTRS },
      ],
    },
    // Every identity is registered at the root affiliation: an org has one CA, so nothing to subdivide.
    affiliations: {},
    db: { type: 'sqlite3', datasource: 'fabric-ca-server.db' },
    csr: {
      cn: name,
      keyrequest: { algo: 'ecdsa', size: 256 },
      names: [{ O: org.mspId, OU: kind === 'tls' ? 'TLS' : 'Identity' }],
      // Read for the default CA's own HTTPS certificate; caEnv's FABRIC_CA_SERVER_CSR_HOSTS wins.
      hosts: [...new Set([org.ca.host, 'localhost', '127.0.0.1'])],
      ca: { expiry: '131400h', pathlength: 1 },
    },
    signing: {
      default: { usage: ['digital signature'], expiry: '8760h' },
      profiles: {
        // Server and client auth: orderers dial each other with their server pair; the server's
        // own HTTPS certificate is signed with this profile too.
        tls: {
          usage: ['signing', 'key encipherment', 'server auth', 'client auth', 'key agreement'],
          expiry: '8760h',
        },
      },
    },
    bccsp: { default: 'SW', sw: { hash: 'SHA2', security: 256, filekeystore: { keystore: 'msp/keystore' } } },
  };
}

export interface CaServerCommand {
  command: string;
  args: string[];
}

/** Written once and then left alone: the CA keys and database it describes are created on first start. */
function writeConfigOnce(file: string, config: object): void {
  if (existsSync(file)) return;
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const header = '# generated by ca/src/ca-server.ts; holds the bootstrap secret (mode 0600)\n';
  writeFileSync(file, header + stringify(config), { mode: 0o600 });
}

/**
 * Writes the org's CA server home (idempotent: the secret and both CA configs are written once
 * and kept). Needs no binary, so `npm run generate` can prepare homes for the compose deployment.
 *
 * The bootstrap registrar is in the default CA's config file rather than `-b admin:<secret>`:
 * fabric-ca-server prints `boot: user:pass` in the config dump of its log at every start, and a
 * command line is readable by every local user; `pass` lines are left out of that dump.
 */
export function writeCaServerHome(topology: Topology, ref: OrgRef): void {
  const org = orgOf(topology, ref);
  const secret = bootstrapSecret(org.name);
  // The server keeps its keys and database here: owner only.
  mkdirSync(caHome(org.name), { recursive: true, mode: 0o700 });
  chmodSync(caHome(org.name), 0o700);
  writeConfigOnce(identityCaConfigFile(org.name), caConfig(topology, org, 'identity', secret));
  writeConfigOnce(tlsCaConfigFile(org.name), caConfig(topology, org, 'tls', secret));
}

/** Prepares the home and returns how to start the server; the caller adds nodeEnvOf(topology, ca node). */
export function prepareCaServer(topology: Topology, ref: OrgRef): CaServerCommand {
  const org = orgOf(topology, ref);
  const command = fabricBinary(topology, 'fabric-ca-server');
  writeCaServerHome(topology, org);
  return { command, args: ['start', '--cafiles', tlsCaConfigFile(org.name)] };
}
