/** The gateway's settings: which org it serves (from the environment), everything else from the topology. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MspId } from '../../chaincode/src/api';
import { tlsRootsOf } from './core/client-cert';
import type { GatewayTls } from './privacy/shared-data-access';
import { caNames, caTlsRootFile, enrollmentIdsOf } from '../../platform/src/ca-layout';
import { directoryPaths, directoryUrl, raBindDn } from '../../platform/src/directory-layout';
import { keyStoreOf, type KeyStore } from '../../platform/src/keys/key-store';
import { cryptoPaths, runPaths } from '../../platform/src/paths';
import { loadTopology, type Org, type Topology } from '../../platform/src/topology';

export interface GatewayConfig {
  org: Org;
  topology: Topology;
  listenHost: string;
  port: number;
  /**
   * The gateway's TLS pair from its org's TLS CA (client and server usage): its HTTPS certificate,
   * and the client certificate it presents to the data holder's gateway (mutual TLS). `rootsFile`
   * is the consortium's TLS roots: whom it trusts as a client and which client certificates it takes.
   */
  tls: { certFile: string; keyFile: string; rootsFile: string };
  /** Serve plain HTTP instead of HTTPS: only by VPP_GATEWAY_PLAIN_HTTP=1 and only on a loopback host. */
  plainHttp: boolean;
  peer: { endpoint: string; tlsCaFile: string };
  channel: string;
  chaincode: string;
  /** The gateway's own folder: token secret, callers' keys, revoked set. */
  dataDir: string;
  ca: { url: string; name: string; tlsRootFile: string };
  /** The org admin's MSP folder: the registrar for the RA (register, revoke, gencrl). */
  registrarMsp: string;
  registrarId: string;
  /** Enrollment ids the RA refuses to revoke: the network's own nodes and operators. */
  protectedIds: string[];
  caChainFile: string;
  tokenTtlSeconds: number;
  bodyLimit: number;
  logLevel: string;
  /** The ingest identity that submits batches of device-signed readings. */
  ingest: { enrollmentId: string; msp: string };
  /**
   * Where the callers' and the ingest identity's keys are made and kept: files in dataDir, or the
   * org's SoftHSM2 token in `dir` (topology `keys`).
   */
  keys: { store: KeyStore; dir: string };
  /** Batching of device readings: flush at maxSize readings or maxDelayMs after the first. */
  batching: { maxSize: number; maxDelayMs: number; maxInFlight: number };
  /** How long a DER's registry entry is trusted for the gateway's early checks. */
  derCacheTtlMs: number;
  /** How long a request with X-Min-Block waits for the peer to commit that block. */
  minBlockTimeoutMs: number;
  /** Limits on the public and login routes: the topology's, each overridable from the environment. */
  rateLimits: RateLimits;
  /**
   * The LDAP certificate directory the RA publishes in, as the org's RA bind identity (its secret in
   * a 0600 file the network made); absent when the topology has no directory.
   */
  directory?: { url: string; baseDn: string; bindDn: string; secretFile: string };
  /**
   * How often the regulator's gateway records a checkpoint (proofs/checkpointer.ts) when the chain has
   * moved; absent on the other orgs' gateways and unless VPP_CHECKPOINT_INTERVAL_SECONDS is set.
   */
  checkpointIntervalSeconds?: number;
}

export type RateLimits = Topology['rateLimits'];
export type RateLimit = RateLimits[keyof RateLimits];

/** `VPP_RATE_LIMIT_READINGS_PER_DEVICE` for `readingsPerDevice`. */
export const rateLimitEnvKey = (name: string) =>
  `VPP_RATE_LIMIT_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/** The topology's limits, each replaced by `VPP_RATE_LIMIT_<NAME>=max/seconds` when set. */
function rateLimitsOf(env: NodeJS.ProcessEnv, topology: Topology): RateLimits {
  const limits: Record<string, RateLimit> = { ...topology.rateLimits };
  for (const name of Object.keys(limits)) {
    const key = rateLimitEnvKey(name);
    const raw = env[key];
    if (raw === undefined || raw === '') continue;
    const match = /^([1-9]\d{0,8})\/([1-9]\d{0,8})$/.exec(raw);
    if (!match) throw new Error(`${key} must be max/seconds such as 12/60, got ${raw}`);
    limits[name] = { max: Number(match[1]), windowSeconds: Number(match[2]) };
  }
  return limits as RateLimits;
}

function required(env: NodeJS.ProcessEnv, key: string): string {
  const value = env[key];
  if (!value) throw new Error(`${key} is not set`);
  return value;
}

function positive(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${key} must be a positive integer, got ${raw}`);
  return value;
}

/**
 * The regulator's gateway records checkpoints on a schedule only when VPP_CHECKPOINT_INTERVAL_SECONDS
 * names an interval (0 or unset: on demand only, POST /v1/proofs/checkpoints). Off by default: with
 * it on, two fresh-clone runs of the suite saw the regulator's peer stall during the chaincode
 * upgrade test, and the cause is not yet known (README, Proof bundles).
 */
function checkpointScheduleOf(env: NodeJS.ProcessEnv, org: Org): { checkpointIntervalSeconds?: number } {
  const key = 'VPP_CHECKPOINT_INTERVAL_SECONDS';
  if (org.mspId !== MspId.REGULATOR || env[key] === undefined || env[key] === '' || env[key] === '0')
    return {};
  return { checkpointIntervalSeconds: positive(env, key, 60) };
}

/** Names and addresses that reach this machine only. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Plain HTTP is a debugging switch for one machine: tokens must never cross a network in clear. */
function plainHttpOf(env: NodeJS.ProcessEnv, listenHost: string): boolean {
  const raw = env.VPP_GATEWAY_PLAIN_HTTP;
  if (raw === undefined || raw === '' || raw === '0') return false;
  if (raw !== '1') throw new Error(`VPP_GATEWAY_PLAIN_HTTP must be 1 or 0, got ${raw}`);
  if (!isLoopbackHost(listenHost))
    throw new Error(
      `VPP_GATEWAY_PLAIN_HTTP=1 is refused: the gateway listens on ${listenHost}, not loopback`,
    );
  return true;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, topology = loadTopology()): GatewayConfig {
  const orgName = required(env, 'VPP_GATEWAY_ORG');
  const org = topology.orgs.find((o) => o.name === orgName);
  if (!org) throw new Error(`VPP_GATEWAY_ORG=${orgName} is not an org of the topology`);
  const ids = enrollmentIdsOf(org.name);
  const listenHost = env.VPP_GATEWAY_HOST ?? org.gateway.host;
  return {
    org,
    topology,
    listenHost,
    port: Number(env.VPP_GATEWAY_PORT ?? org.gateway.port),
    tls: {
      certFile: env.VPP_GATEWAY_TLS_CERT ?? cryptoPaths.tls(org.name, 'gateway', 'server.crt'),
      keyFile: env.VPP_GATEWAY_TLS_KEY ?? cryptoPaths.tls(org.name, 'gateway', 'server.key'),
      rootsFile: env.VPP_GATEWAY_TLS_ROOTS ?? cryptoPaths.tlsRoots(),
    },
    plainHttp: plainHttpOf(env, listenHost),
    peer: {
      endpoint: env.VPP_PEER_ENDPOINT ?? `${org.peer.host}:${org.peer.port}`,
      tlsCaFile: env.VPP_PEER_TLS_CA ?? cryptoPaths.tls(org.name, 'peer', 'ca.crt'),
    },
    channel: topology.channel.name,
    chaincode: topology.chaincode.name,
    dataDir: env.VPP_GATEWAY_DATA ?? runPaths.data(`gateway.${org.name}`),
    ca: {
      url: `https://${org.ca.host}:${org.ca.port}`,
      name: caNames(org.name).identity,
      tlsRootFile: caTlsRootFile(org.name),
    },
    registrarMsp: cryptoPaths.userMsp(org.name, 'admin'),
    registrarId: ids.admin,
    protectedIds: ['admin', ...Object.values(ids)],
    caChainFile: path.join(cryptoPaths.orgMsp(org.name), 'cacerts', 'ca.pem'),
    tokenTtlSeconds: Number(env.VPP_TOKEN_TTL_SECONDS ?? 900),
    bodyLimit: 64 * 1024,
    logLevel: env.VPP_LOG_LEVEL ?? 'info',
    ingest: { enrollmentId: ids.ingest, msp: cryptoPaths.userMsp(org.name, 'ingest') },
    keys: { store: keyStoreOf(topology.keys, org.name), dir: runPaths.hsm(org.name) },
    batching: {
      maxSize: positive(env, 'VPP_BATCH_MAX_SIZE', 500),
      maxDelayMs: positive(env, 'VPP_BATCH_MAX_DELAY_MS', 150),
      maxInFlight: positive(env, 'VPP_BATCH_MAX_IN_FLIGHT', 4),
    },
    derCacheTtlMs: positive(env, 'VPP_DER_CACHE_TTL_MS', 30_000),
    minBlockTimeoutMs: positive(env, 'VPP_MIN_BLOCK_TIMEOUT_MS', 5_000),
    rateLimits: rateLimitsOf(env, topology),
    ...checkpointScheduleOf(env, org),
    ...(topology.directory
      ? {
          directory: {
            url: directoryUrl(topology.directory),
            baseDn: topology.directory.baseDn,
            bindDn: raBindDn(topology.directory.baseDn, org.mspId),
            secretFile: directoryPaths.raSecret(org.name),
          },
        }
      : {}),
  };
}

/** The TLS files of the gateway, read once on first use (unit tests of other routes never need them). */
export function gatewayTlsOnce(config: Pick<GatewayConfig, 'tls'>): () => GatewayTls {
  let loaded: GatewayTls | undefined;
  return () => {
    if (loaded) return loaded;
    const ca = readFileSync(config.tls.rootsFile);
    const client = { ca, cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) };
    loaded = { client, roots: tlsRootsOf(ca.toString('utf8')) };
    return loaded;
  };
}
