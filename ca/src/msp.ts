/**
 * Turns raw fabric-ca-client output (keystore/<ski>_sk, cacerts/<host>-<port>-<ca>.pem, plus
 * IssuerPublicKey and friends) into the fixed layout the rest of the project names: signcerts/cert.pem,
 * keystore/key.pem, cacerts/ca.pem, tlscacerts/ca.pem, config.yaml; and TLS folders server.{crt,key}, ca.crt.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

/** Private keys: owner read/write only. */
export const KEY_MODE = 0o600;

/** NodeOUs: the OU fabric-ca writes from the identity type decides the MSP role; all chain to ca.pem. */
export const NODE_OUS_CONFIG = [
  'NodeOUs:',
  '  Enable: true',
  ...(['Client', 'Peer', 'Admin', 'Orderer'] as const).flatMap((role) => [
    `  ${role}OUIdentifier:`,
    '    Certificate: cacerts/ca.pem',
    `    OrganizationalUnitIdentifier: ${role.toLowerCase()}`,
  ]),
  '',
].join('\n');

/** The single PEM file of one folder of an enrollment MSP. */
function onlyFile(dir: string, what: string): string {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith('.')) : [];
  const [only] = files;
  if (files.length !== 1 || only === undefined) {
    throw new Error(`expected exactly one ${what} in ${dir}, found ${files.length} (${files.join(', ')})`);
  }
  return path.join(dir, only);
}

export interface Enrollment {
  cert: Buffer;
  key: Buffer;
  /** The issuing root: cacerts for a default-profile enrollment, tlscacerts for a tls-profile one. */
  root: Buffer;
}

export function readEnrollment(msp: string): Enrollment {
  const rootDir = existsSync(path.join(msp, 'tlscacerts')) ? 'tlscacerts' : 'cacerts';
  return {
    cert: readFileSync(path.join(msp, 'signcerts', 'cert.pem')),
    key: readFileSync(onlyFile(path.join(msp, 'keystore'), 'private key')),
    root: readFileSync(onlyFile(path.join(msp, rootDir), 'root certificate')),
  };
}

/**
 * Writes via a temporary name and a rename, so a crash never leaves half a file; and only when the
 * bytes differ, so a re-run leaves every file (and its mtime) untouched. Returns whether it wrote.
 */
export function writeIfChanged(file: string, content: Buffer | string, mode = 0o644): boolean {
  const bytes = Buffer.from(content);
  if (existsSync(file) && readFileSync(file).equals(bytes)) {
    chmodSync(file, mode);
    return false;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, bytes, { mode });
  chmodSync(temp, mode);
  renameSync(temp, file);
  return true;
}

export interface MspFiles {
  cert: string;
  key: string;
  cacert: string;
  tlscacert: string;
  config: string;
}

export function mspFiles(msp: string): MspFiles {
  return {
    cert: path.join(msp, 'signcerts', 'cert.pem'),
    key: path.join(msp, 'keystore', 'key.pem'),
    cacert: path.join(msp, 'cacerts', 'ca.pem'),
    tlscacert: path.join(msp, 'tlscacerts', 'ca.pem'),
    config: path.join(msp, 'config.yaml'),
  };
}

/** True when a local MSP is complete; the certificate is written last, so it marks completion. */
export function hasLocalMsp(msp: string, withTlsRoot: boolean): boolean {
  const files = mspFiles(msp);
  return [files.key, files.cacert, files.config, ...(withTlsRoot ? [files.tlscacert] : []), files.cert].every(
    (f) => existsSync(f),
  );
}

/** A signing identity's MSP (node or user); users also get the TLS root, which CLIs need. */
export function installLocalMsp(enrollment: Enrollment, msp: string, tlsRoot?: Buffer): void {
  const files = mspFiles(msp);
  writeIfChanged(files.key, enrollment.key, KEY_MODE);
  writeIfChanged(files.cacert, enrollment.root);
  if (tlsRoot) writeIfChanged(files.tlscacert, tlsRoot);
  writeIfChanged(files.config, NODE_OUS_CONFIG);
  writeIfChanged(files.cert, enrollment.cert);
}

/** The org's MSP as the channel sees it: roots and NodeOUs only, no signing identity. */
export function installChannelMsp(msp: string, identityRoot: Buffer, tlsRoot: Buffer): boolean {
  const files = mspFiles(msp);
  return [
    writeIfChanged(files.cacert, identityRoot),
    writeIfChanged(files.tlscacert, tlsRoot),
    writeIfChanged(files.config, NODE_OUS_CONFIG),
  ].some(Boolean);
}

export interface TlsFiles {
  cert: string;
  key: string;
  ca: string;
}

export function hasTlsFiles(files: TlsFiles): boolean {
  return [files.key, files.ca, files.cert].every((f) => existsSync(f));
}

export function installTls(enrollment: Enrollment, files: TlsFiles): void {
  writeIfChanged(files.key, enrollment.key, KEY_MODE);
  writeIfChanged(files.ca, enrollment.root);
  writeIfChanged(files.cert, enrollment.cert);
}
