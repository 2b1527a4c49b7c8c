/** The gateway's settings: which org it serves (from the environment), everything else from the topology. */
import path from 'node:path';
import { caNames, caTlsRootFile, enrollmentIdsOf } from '../../platform/src/ca-layout';
import { keyStoreOf, type KeyStore } from '../../platform/src/keys/key-store';
import { cryptoPaths, runPaths } from '../../platform/src/paths';
import { loadTopology, type Org, type Topology } from '../../platform/src/topology';

export interface GatewayConfig {
  org: Org;
  topology: Topology;
  listenHost: string;
  port: number;
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env, topology = loadTopology()): GatewayConfig {
  const orgName = required(env, 'VPP_GATEWAY_ORG');
  const org = topology.orgs.find((o) => o.name === orgName);
  if (!org) throw new Error(`VPP_GATEWAY_ORG=${orgName} is not an org of the topology`);
  const ids = enrollmentIdsOf(org.name);
  return {
    org,
    topology,
    listenHost: env.VPP_GATEWAY_HOST ?? org.gateway.host,
    port: Number(env.VPP_GATEWAY_PORT ?? org.gateway.port),
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
  };
}
