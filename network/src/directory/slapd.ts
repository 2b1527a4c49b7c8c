/**
 * Prepares the LDAP certificate directory for its launch: writes slapd.conf and the schema under the
 * run folder and, the first time, makes each org RA's bind secret and seeds the tree offline with
 * slapadd. slapd then runs in the foreground under its keeper, like every other node.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { directoryPaths, directoryUrl } from '../../../platform/src/directory-layout';
import { cryptoPaths, runPaths } from '../../../platform/src/paths';
import type { NetworkNode, Topology } from '../../../platform/src/topology';
import { seedLdif, slapdConfText, sshaPassword, vppSchemaText } from './slapd-config';

const SYSTEM_SCHEMA_DIR = '/etc/ldap/schema';
const MODULE_PATH = '/usr/lib/ldap';
const SLAPADD_TIMEOUT_MS = 30_000;

/** An OpenLDAP program: on the PATH, or in /usr/sbin where Debian puts it (often not on a user's PATH). */
export function openLdapBinary(
  name: 'slapd' | 'slapadd',
  env: NodeJS.ProcessEnv = process.env,
  systemDir = '/usr/sbin',
): string {
  const dirs = [...(env.PATH ?? '').split(path.delimiter).filter(Boolean), systemDir];
  const found = dirs.map((dir) => path.join(dir, name)).find((file) => existsSync(file));
  if (!found)
    throw new Error(
      `${name} is not installed: run network/bin/ensure-deps.sh as root (Debian package slapd)`,
    );
  return found;
}

/** The org RA's bind secret, made once (0600) and read back afterwards. */
export function raSecret(org: string): string {
  const file = directoryPaths.raSecret(org);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(24).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/** Writes the directory's config, seeds its database when it has none, and says how to start slapd. */
export function prepareDirectory(topology: Topology, node: NetworkNode): { command: string; args: string[] } {
  const { directory } = topology;
  if (!directory) throw new Error(`${node.id}: the topology has no directory`);
  const dataDir = runPaths.data(node.id);
  const confFile = directoryPaths.config('slapd.conf');
  const schemaFile = directoryPaths.config('vpp.schema');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(path.dirname(confFile), { recursive: true });
  writeFileSync(schemaFile, vppSchemaText());
  writeFileSync(
    confFile,
    slapdConfText({
      baseDn: directory.baseDn,
      mspIds: topology.orgs.map((org) => org.mspId),
      systemSchemaDir: SYSTEM_SCHEMA_DIR,
      vppSchemaFile: schemaFile,
      modulePath: MODULE_PATH,
      dataDir,
      pidFile: path.join(dataDir, 'slapd.pid'),
      argsFile: path.join(dataDir, 'slapd.args'),
    }),
  );
  if (!existsSync(path.join(dataDir, 'data.mdb'))) seed(topology, directory.baseDn, confFile);
  return {
    command: openLdapBinary('slapd'),
    // -d 0: stay in the foreground (no fork), so the keeper owns the process; no debug output.
    args: ['-f', confFile, '-h', `${directoryUrl(directory)}/`, '-d', '0'],
  };
}

function seed(topology: Topology, baseDn: string, confFile: string): void {
  const ldif = seedLdif({
    baseDn,
    name: topology.name,
    orgs: topology.orgs.map((org) => ({
      mspId: org.mspId,
      description: org.description,
      caRootDer: new X509Certificate(
        readFileSync(path.join(cryptoPaths.orgMsp(org.name), 'cacerts', 'ca.pem')),
      ).raw,
      raPassword: sshaPassword(raSecret(org.name), randomBytes(8)),
    })),
  });
  const ldifFile = directoryPaths.config('seed.ldif');
  writeFileSync(ldifFile, ldif);
  execFileSync(openLdapBinary('slapadd'), ['-f', confFile, '-l', ldifFile], {
    stdio: 'pipe',
    timeout: SLAPADD_TIMEOUT_MS,
  });
}
