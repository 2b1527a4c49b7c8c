/**
 * Enrolls one org's whole crypto tree from its running CA server: node identities and TLS pairs,
 * the org admin, an application user, and the channel MSP. Idempotent: whatever is already on disk
 * is kept byte for byte, so a re-run after a restart re-enrolls nothing and changes no certificate.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { cryptoPaths } from '../../platform/src/paths';
import { enrollmentIdsOf } from '../../platform/src/ca-layout';
import { nodeOf, serviceNameOf, type Org, type Topology } from '../../platform/src/topology';
import {
  caContext,
  clientHome,
  enroll,
  enrollRegistrar,
  register,
  registrarHome,
  type CaContext,
  type CaKind,
  type Registration,
} from './ca-client';
import { orgOf, type OrgRef } from './ca-server';
import {
  hasLocalMsp,
  hasTlsFiles,
  installChannelMsp,
  installLocalMsp,
  installTls,
  readEnrollment,
  writeIfChanged,
  type TlsFiles,
} from './msp';

/** The `vpp.role` of each org's application user, as the chaincode's access rules name them. */
export const APP_ROLE_OF: Record<Org['name'], string> = {
  cvpp: 'operator',
  trading: 'trading',
  control: 'control',
  regulator: 'regulator',
};

export interface EnrollOptions {
  /** Bound on each fabric-ca-client call. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface EnrollResult {
  /** What this run enrolled, as `<enrollment id>@<ca name>`; empty when everything was on disk. */
  enrolled: string[];
  skipped: string[];
  /** Whether the channel MSP's files were (re)written. */
  channelMspWritten: boolean;
  elapsedMs: number;
}

interface Task {
  kind: CaKind;
  registration: Registration;
  /** CSR hosts (TLS server certificates only). */
  hosts?: string[];
  done: () => boolean;
  install: (msp: string) => void;
}

type TlsNode = 'peer' | 'orderer' | 'chaincode' | 'gateway';

function tlsFilesOf(org: string, node: TlsNode): TlsFiles {
  return {
    cert: cryptoPaths.tls(org, node, 'server.crt'),
    key: cryptoPaths.tls(org, node, 'server.key'),
    ca: cryptoPaths.tls(org, node, 'ca.crt'),
  };
}

/** Every name a client may dial the node by: its topology host, loopback, and its compose service. */
function tlsHostsOf(org: Org, node: TlsNode): string[] {
  const self = nodeOf(org, node);
  return [...new Set([self.host, 'localhost', '127.0.0.1', serviceNameOf(self)])];
}

function tasksOf(org: Org, tlsRoot: () => Buffer): Task[] {
  const ids = enrollmentIdsOf(org.name);
  const nodeMsp = (node: 'peer' | 'orderer'): Task => {
    const msp = cryptoPaths.nodeMsp(org.name, node);
    return {
      kind: 'identity',
      registration: { enrollmentId: ids[node], type: node },
      hosts: [nodeOf(org, node).host],
      done: () => hasLocalMsp(msp, false),
      install: (from) => installLocalMsp(readEnrollment(from), msp),
    };
  };
  const userMsp = (user: 'admin' | 'appuser' | 'ingest', registration: Registration): Task => {
    const msp = cryptoPaths.userMsp(org.name, user);
    return {
      kind: 'identity',
      registration,
      done: () => hasLocalMsp(msp, true),
      install: (from) => installLocalMsp(readEnrollment(from), msp, tlsRoot()),
    };
  };
  const tls = (node: TlsNode, type: Registration['type']): Task => {
    const files = tlsFilesOf(org.name, node);
    return {
      kind: 'tls',
      registration: { enrollmentId: ids[node], type },
      hosts: tlsHostsOf(org, node),
      done: () => hasTlsFiles(files),
      install: (from) => installTls(readEnrollment(from), files),
    };
  };
  return [
    nodeMsp('peer'),
    nodeMsp('orderer'),
    // The org admin can later act as the org's registrar (the gateway's RA registers and revokes users).
    userMsp('admin', {
      enrollmentId: ids.admin,
      type: 'admin',
      attrs: [
        'vpp.role=admin:ecert',
        '"hf.Registrar.Roles=client,peer,orderer,admin"',
        '"hf.Registrar.Attributes=vpp.*"',
        'hf.Revoker=true',
        'hf.GenCRL=true',
      ].join(','),
    }),
    userMsp('appuser', {
      enrollmentId: ids.appuser,
      type: 'client',
      attrs: `vpp.role=${APP_ROLE_OF[org.name]}:ecert`,
    }),
    userMsp('ingest', { enrollmentId: ids.ingest, type: 'client', attrs: 'vpp.role=ingest:ecert' }),
    tls('peer', 'peer'),
    tls('orderer', 'orderer'),
    tls('chaincode', 'client'),
    tls('gateway', 'client'),
  ];
}

async function runTask(ctx: CaContext, task: Task): Promise<void> {
  const { enrollmentId } = task.registration;
  await register(ctx, task.kind, task.registration);
  const home = clientHome(ctx.org.name, `${task.kind}-${enrollmentId}`);
  task.install(await enroll(ctx, task.kind, enrollmentId, home, task.hosts));
  // The installed MSP is the one copy of the key that should exist; the raw output goes.
  rmSync(home, { recursive: true, force: true });
}

/**
 * Enrolls everything the org's nodes and users need. The CA server of the org must be running
 * unless everything is already on disk (then no CA call is made at all).
 */
export async function enrollOrg(
  topology: Topology,
  ref: OrgRef,
  options: EnrollOptions = {},
): Promise<EnrollResult> {
  const started = Date.now();
  const org = orgOf(topology, ref);
  const ctx = caContext(topology, org, options.timeoutMs);
  const log = options.log ?? (() => undefined);
  const registrarMsp = (kind: CaKind) => path.join(registrarHome(org.name, kind), 'msp');
  const tlsRoot = () => readEnrollment(registrarMsp('tls')).root;

  const tasks = tasksOf(org, tlsRoot);
  const pending = tasks.filter((t) => !t.done());
  const label = (t: Task) => `${t.registration.enrollmentId}@${t.kind}`;
  // Registrars first (no-ops when enrolled): every task and the channel MSP need their roots.
  await enrollRegistrar(ctx, 'identity');
  await enrollRegistrar(ctx, 'tls');
  // One sequence per CA: each CA has its own SQLite database, so the two run side by side.
  await Promise.all(
    (['identity', 'tls'] as const).map(async (kind) => {
      for (const task of pending.filter((t) => t.kind === kind)) {
        await runTask(ctx, task);
        log(`${org.name}: enrolled ${label(task)}`);
      }
    }),
  );
  const channelMspWritten = installChannelMsp(
    cryptoPaths.orgMsp(org.name),
    readEnrollment(registrarMsp('identity')).root,
    tlsRoot(),
  );
  return {
    enrolled: pending.map(label),
    skipped: tasks.filter((t) => !pending.includes(t)).map(label),
    channelMspWritten,
    elapsedMs: Date.now() - started,
  };
}

/**
 * Writes the one bundle of the consortium's TLS CA roots (every org's, in topology order): what the
 * gateways trust for each other's server and client certificates, and what tests, benches, the demo
 * and devices verify a gateway against. Needs every org enrolled; unchanged roots leave the file as it is.
 */
export function writeTlsRoots(topology: Topology): boolean {
  const roots = topology.orgs.map((org) =>
    readFileSync(cryptoPaths.tls(org.name, 'gateway', 'ca.crt'), 'utf8'),
  );
  return writeIfChanged(cryptoPaths.tlsRoots(), roots.map((pem) => `${pem.trim()}\n`).join(''));
}
