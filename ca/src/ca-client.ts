/**
 * Runs the real fabric-ca-client binary: bounded in time, with errors that say which identity and
 * which command failed and what the client printed. Secrets never appear in error messages.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { caNames, caTlsRootFile, derivedSecret } from '../../platform/src/ca-layout';
import { runPaths } from '../../platform/src/paths';
import type { Org, Topology } from '../../platform/src/topology';
import { BOOTSTRAP_USER, bootstrapSecret, fabricBinary } from './ca-server';

export const DEFAULT_CA_TIMEOUT_MS = 30_000;

export type CaKind = 'identity' | 'tls';

export class CaClientError extends Error {
  constructor(
    readonly identity: string,
    readonly command: string,
    readonly stderr: string,
    reason: string,
  ) {
    super(`fabric-ca-client failed for ${identity} (${reason}): ${command}\n${stderr.trim()}`);
    this.name = 'CaClientError';
  }
}

export interface CaContext {
  topology: Topology;
  org: Org;
  binary: string;
  secret: string;
  timeoutMs: number;
}

export function caContext(topology: Topology, org: Org, timeoutMs = DEFAULT_CA_TIMEOUT_MS): CaContext {
  return {
    topology,
    org,
    binary: fabricBinary(topology, 'fabric-ca-client'),
    secret: bootstrapSecret(org.name),
    timeoutMs,
  };
}

/** Client homes stay apart from the MSPs handed to nodes: they hold the raw enrollment output. */
export function clientHome(org: string, ...parts: string[]): string {
  // Owner only: the registrars' keys live here, and no deployment mounts this folder.
  const root = runPaths.crypto(org, '.ca-client');
  mkdirSync(root, { recursive: true, mode: 0o700 });
  return path.join(root, ...parts);
}

/** The home of the bootstrap registrar's enrollment on one of the org's CAs. */
export function registrarHome(org: string, kind: CaKind): string {
  return clientHome(org, `registrar-${kind}`);
}

/** The enrollment secret of an identity on one of the org's CAs (derivedSecret says why derived). */
export function identitySecret(ctx: CaContext, kind: CaKind, enrollmentId: string): string {
  return derivedSecret(ctx.secret, caNames(ctx.org.name)[kind], enrollmentId);
}

export function caUrl(org: Org, credentials?: { id: string; secret: string }): string {
  const auth = credentials
    ? `${encodeURIComponent(credentials.id)}:${encodeURIComponent(credentials.secret)}@`
    : '';
  return `https://${auth}${org.ca.host}:${org.ca.port}`;
}

/** Arguments every call shares: the CA to talk to and the root of the server's HTTPS certificate. */
function commonArgs(ctx: CaContext, kind: CaKind, home: string): string[] {
  return [
    '-H',
    home,
    '--caname',
    caNames(ctx.org.name)[kind],
    '--tls.certfiles',
    caTlsRootFile(ctx.org.name),
  ];
}

/** Hides the given secrets and the password part of every `https://id:secret@host` URL. */
function hide(text: string, secrets: string[]): string {
  const bare = secrets.reduce((out, s) => (s ? out.replaceAll(s, '***') : out), text);
  return bare.replace(/(https?:\/\/[^:/@\s]+:)[^@\s]+@/g, '$1***@');
}

function quoted(arg: string): string {
  return /^[\w@%+=:,./*-]+$/.test(arg) ? arg : `'${arg}'`;
}

/** Runs one fabric-ca-client command; `identity` names who the call is about, for the error. */
export function runCaClient(ctx: CaContext, identity: string, args: string[]): Promise<string> {
  const secrets = [ctx.secret, ...args.filter((_, i) => args[i - 1] === '--id.secret')];
  // Only our flags configure the client: no FABRIC_CA_CLIENT_* from the caller's shell.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('FABRIC_CA_CLIENT_')),
  );
  return new Promise((resolve, reject) => {
    execFile(
      ctx.binary,
      args,
      { env, timeout: ctx.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (!err) return resolve(`${stdout}${stderr}`);
        const command = hide(`fabric-ca-client ${args.map(quoted).join(' ')}`, secrets);
        const reason = err.killed
          ? `no answer within ${Math.round(ctx.timeoutMs / 1000)} s`
          : `exit ${String(err.code ?? err.signal)}`;
        const output = hide(`${stderr}${stdout}`, secrets);
        reject(new CaClientError(identity, command, output, reason));
      },
    );
  });
}

/** Enrolls the bootstrap registrar of one CA, unless its enrollment is already on disk. */
export async function enrollRegistrar(ctx: CaContext, kind: CaKind): Promise<string> {
  const home = registrarHome(ctx.org.name, kind);
  if (existsSync(path.join(home, 'msp', 'signcerts', 'cert.pem'))) return home;
  const url = caUrl(ctx.org, { id: BOOTSTRAP_USER, secret: ctx.secret });
  await runCaClient(ctx, `${BOOTSTRAP_USER}@${caNames(ctx.org.name)[kind]}`, [
    'enroll',
    '-u',
    url,
    ...commonArgs(ctx, kind, home),
  ]);
  return home;
}

export interface Registration {
  enrollmentId: string;
  type: 'peer' | 'orderer' | 'client' | 'admin';
  /** fabric-ca `--id.attrs` syntax: `name=value[:ecert]`, comma separated, quoted when a value has commas. */
  attrs?: string;
}

/** Registers an identity; "already registered" is success (the secret is derived, so unchanged). */
export async function register(ctx: CaContext, kind: CaKind, reg: Registration): Promise<void> {
  const args = [
    'register',
    '-u',
    caUrl(ctx.org),
    ...commonArgs(ctx, kind, registrarHome(ctx.org.name, kind)),
    '--id.name',
    reg.enrollmentId,
    '--id.secret',
    identitySecret(ctx, kind, reg.enrollmentId),
    '--id.type',
    reg.type,
    ...(reg.attrs ? ['--id.attrs', reg.attrs] : []),
  ];
  try {
    await runCaClient(ctx, `${reg.enrollmentId}@${caNames(ctx.org.name)[kind]}`, args);
  } catch (err) {
    if (err instanceof CaClientError && /is already registered/.test(err.stderr)) return;
    throw err;
  }
}

/**
 * Enrolls an identity into a fresh client home and returns the home's MSP folder. TLS enrollments
 * use the CA's `tls` profile and carry the host names as SANs.
 */
export async function enroll(
  ctx: CaContext,
  kind: CaKind,
  enrollmentId: string,
  home: string,
  hosts?: string[],
): Promise<string> {
  const secret = identitySecret(ctx, kind, enrollmentId);
  // A crashed earlier attempt may have left a key behind: one keystore must hold exactly one key.
  rmSync(path.join(home, 'msp'), { recursive: true, force: true });
  await runCaClient(ctx, `${enrollmentId}@${caNames(ctx.org.name)[kind]}`, [
    'enroll',
    '-u',
    caUrl(ctx.org, { id: enrollmentId, secret }),
    ...commonArgs(ctx, kind, home),
    '-M',
    path.join(home, 'msp'),
    ...(kind === 'tls' ? ['--enrollment.profile', 'tls'] : []),
    ...(hosts ? ['--csr.hosts', hosts.join(',')] : []),
  ]);
  return path.join(home, 'msp');
}
