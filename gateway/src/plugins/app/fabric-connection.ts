/**
 * The org's peer connection: one gRPC client (TLS) shared by every caller, and one fabric-gateway
 * Gateway per caller identity, each signing with that caller's own private key. Both come from
 * platform's connection factory, and every write takes its one BFT-aware submit path.
 */
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import type { Contract, Gateway, Network } from '@hyperledger/fabric-gateway';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../../core/api-error';
import { commitFailure } from '../../core/fabric-errors';
import type { AppPorts } from '../../app';
import type { GatewayConfig } from '../../config';
import type { GatewayMetrics } from '../external/gateway-metrics';
import { submitAndWait, type PrivateInput } from '../../../../platform/src/fabric/bft-submit';
import { IDEMPOTENCY_KEY_PATTERN } from '../../../../platform/src/fabric/idempotency';
import { newGateway, newPeerClient } from '../../../../platform/src/fabric/connect';
import { callerOf, type Caller } from './auth';
import type { KeyRef } from '../../core/identity-store';
import { serviceIdentityOf, type ServiceIdentity, type SigningKeys } from './signing-keys';

/** A committed transaction: the chaincode's result bytes, its id and the block it committed in. */
export interface Submitted {
  readonly result: Uint8Array;
  readonly txId: string;
  readonly blockNumber: bigint;
  /** Answered from an earlier submission under the request's idempotency key. */
  readonly replayed?: boolean;
}

/** TSDoc'd port: what routes use to reach the ledger as the calling user. */
export interface FabricPort {
  /** Whether the gRPC channel to the peer is connected (waits briefly for a reconnect). */
  ready(): Promise<boolean>;
  /** The caller's Network on the channel (chaincode events, qscc, block events). */
  network(caller: Caller): Network;
  /** A contract of the project's chaincode, as the caller. */
  contract(caller: Caller, contractName: string): Contract;
  /** Query as the request's caller; returns the chaincode's result bytes. */
  evaluate(request: FastifyRequest, contractName: string, tx: string, args: string[]): Promise<Uint8Array>;
  /**
   * Endorse, order and wait for commit as the request's caller; retries MVCC conflicts twice.
   * `privateInput` carries private data (the transient map, never in the ledger or the block) and
   * the organisations allowed to endorse with it.
   */
  submit(
    request: FastifyRequest,
    contractName: string,
    tx: string,
    args: string[],
    privateInput?: PrivateInput,
  ): Promise<Submitted>;
  /**
   * As the gateway's own ingest identity (vpp.role=ingest), for work no user signs: batches of
   * device-signed readings and the reads that pre-check them. `log` carries the tx ids.
   */
  service: {
    evaluate(contractName: string, tx: string, args: string[]): Promise<Uint8Array>;
    submit(contractName: string, tx: string, args: string[], log: FastifyBaseLogger): Promise<Submitted>;
    /** The gateway identity's Network on the channel (the peer's height and blocks). */
    network(): Network;
  };
  /** Drops cached Gateways of an identity (after revocation). */
  forget(enrollmentId: string): void;
  close(): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    fabric: FabricPort;
  }
}

const MVCC_RETRIES = 2;
const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

/**
 * The request's `Idempotency-Key`, if it sent one. A retry with the same key (same caller, same
 * request) gets the same transaction ids, so the ledger commits the write at most once and answers
 * the retry with the first outcome.
 */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(raw)) {
    throw new ApiError(
      400,
      'INVALID_IDEMPOTENCY_KEY',
      'Idempotency-Key must be 1 to 128 characters of A-Z, a-z, 0-9 and . _ : ~ -',
    );
  }
  return raw;
}

/** Endorse, order, wait for commit; MVCC conflicts are retried with a fresh proposal. */
async function submitWithRetry(
  gateway: Gateway,
  channel: { name: string; orgs: readonly string[] },
  target: Contract,
  labels: { contract: string; transaction: string },
  args: string[],
  log: FastifyBaseLogger,
  metrics: GatewayMetrics,
  privateInput?: PrivateInput,
  idempotencyKey?: string,
): Promise<Submitted> {
  for (let attempt = 0; ; attempt++) {
    const started = process.hrtime.bigint();
    const outcome = await submitAndWait(gateway, channel.name, target, labels.transaction, args, {
      onTxId: (txId) => log.info({ txId, ...labels, attempt }, 'submitting transaction'),
      ...(privateInput === undefined ? {} : { privateInput }),
      ...(idempotencyKey === undefined ? {} : { idempotency: { key: idempotencyKey, attempt } }),
      channelOrgs: channel.orgs,
    });
    const { txId, status } = outcome;
    if (outcome.replayed)
      log.info({ txId, idempotencyKey }, 'answered from the earlier submission under this idempotency key');
    metrics.submitSeconds.observe(labels, seconds(started));
    if (outcome.recovered)
      log.warn({ txId }, 'orderers reported the transaction already processed; awaited its commit');
    if (status.successful) {
      log.info({ txId, blockNumber: String(status.blockNumber) }, 'transaction committed');
      return {
        result: outcome.result,
        txId,
        blockNumber: status.blockNumber,
        ...(outcome.replayed ? { replayed: true } : {}),
      };
    }
    const failure: ApiError = commitFailure(status.code, txId);
    if (failure.status === 409) metrics.readConflicts.inc(labels);
    if (failure.status !== 409 || attempt >= MVCC_RETRIES) throw failure;
    log.warn({ txId, code: failure.code }, 'read conflict; retrying');
  }
}

export function newFabricConnection(
  config: GatewayConfig,
  credentialsOf: (caller: Caller) => { certPem: string } & KeyRef,
  metrics: GatewayMetrics,
  keys: SigningKeys,
  serviceIdentity: () => ServiceIdentity,
): FabricPort {
  // Keepalive: this client lives as long as the gateway, and a dead peer connection must show.
  const client = newPeerClient(config.peer.endpoint, readFileSync(config.peer.tlsCaFile), {
    'grpc.keepalive_time_ms': 30_000,
  });
  const gateways = new Map<string, { enrollmentId: string; gateway: Gateway }>();
  const channelOf = { name: config.channel, orgs: config.topology.orgs.map((org) => org.mspId) };
  const SERVICE: Caller = {
    enrollmentId: config.ingest.enrollmentId,
    role: 'admin',
    serial: 'service',
    mspId: config.org.mspId,
  };

  function gatewayOf(caller: Caller): Gateway {
    const key = `${caller.enrollmentId}:${caller.serial}`;
    const cached = gateways.get(key);
    if (cached) return cached.gateway;
    const credentials = caller === SERVICE ? serviceIdentity() : credentialsOf(caller);
    const gateway = newGateway(client, {
      mspId: config.org.mspId,
      certPem: credentials.certPem,
      signer: keys.signerOf(credentials),
    });
    gateways.set(key, { enrollmentId: caller.enrollmentId, gateway });
    return gateway;
  }

  const network = (caller: Caller) => gatewayOf(caller).getNetwork(config.channel);
  const contract = (caller: Caller, name: string) => network(caller).getContract(config.chaincode, name);

  return {
    ready: () =>
      new Promise((resolve) => {
        if (client.getChannel().getConnectivityState(true) === grpc.connectivityState.READY)
          return resolve(true);
        client.waitForReady(Date.now() + 1_000, (err) => resolve(!err));
      }),
    network,
    contract,
    async evaluate(request, contractName, tx, args) {
      const started = process.hrtime.bigint();
      // Refused queries are counted too: the count is the number of lookups the peer was asked for.
      try {
        return await contract(callerOf(request), contractName).evaluate(tx, { arguments: args });
      } finally {
        metrics.evaluateSeconds.observe({ contract: contractName, transaction: tx }, seconds(started));
      }
    },
    async submit(request, contractName, tx, args, privateInput) {
      const caller = callerOf(request);
      const idempotencyKey = idempotencyKeyOf(request);
      return submitWithRetry(
        gatewayOf(caller),
        channelOf,
        contract(caller, contractName),
        { contract: contractName, transaction: tx },
        args,
        request.log,
        metrics,
        privateInput,
        idempotencyKey,
      );
    },
    service: {
      async evaluate(contractName, tx, args) {
        const started = process.hrtime.bigint();
        try {
          return await contract(SERVICE, contractName).evaluate(tx, { arguments: args });
        } finally {
          metrics.evaluateSeconds.observe({ contract: contractName, transaction: tx }, seconds(started));
        }
      },
      submit: (contractName, tx, args, log) =>
        submitWithRetry(
          gatewayOf(SERVICE),
          channelOf,
          contract(SERVICE, contractName),
          { contract: contractName, transaction: tx },
          args,
          log,
          metrics,
        ),
      network: () => network(SERVICE),
    },
    forget(enrollmentId) {
      for (const [key, entry] of gateways) {
        if (entry.enrollmentId !== enrollmentId) continue;
        entry.gateway.close();
        gateways.delete(key);
      }
    },
    close() {
      for (const entry of gateways.values()) entry.gateway.close();
      gateways.clear();
      client.close();
    },
  };
}

export default fp(
  async (app, opts: { config: GatewayConfig; ports: AppPorts }) => {
    const port =
      opts.ports.fabric ??
      newFabricConnection(
        opts.config,
        (caller) => {
          const stored = app.identities.get(caller.enrollmentId);
          if (!stored || stored.serial !== caller.serial) {
            throw new ApiError(
              401,
              'TOKEN_INVALID',
              'the identity behind this token is no longer enrolled here',
            );
          }
          return stored;
        },
        app.metrics,
        app.signingKeys,
        await serviceIdentityOf(opts.config, app.signingKeys, app.ra.enrollCsr),
      );
    app.decorate('fabric', port);
    app.addHook('onClose', async () => port.close());
  },
  { name: 'fabric-connection', dependencies: ['metrics', 'signing-keys', 'ra'] },
);
