/**
 * Proof bundles and checkpoints, wired once: the bundle builder reads blocks through the caller's own
 * qscc access and endorses the attestation as the caller; the regulator's gateway also records a
 * checkpoint on its schedule (config.checkpointIntervalSeconds) whenever the chain has moved.
 */
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { Network } from '@hyperledger/fabric-gateway';
import type { Checkpoint, ProofBundle } from '../../../../verifier/src/bundle';
import type { GatewayConfig } from '../../config';
import { decodeBlock, decodeChainInfo } from '../../blocks-and-events/block-decoder';
import { newBundleBuilder, type BundleRequest } from '../../proofs/bundle-builder';
import { nextCheckpoint, type CheckpointSources } from '../../proofs/checkpointer';
import { callerOf } from './auth';

export interface Proofs {
  /** The bundle of one record, built as the caller. */
  bundle(request: FastifyRequest, wanted: BundleRequest): Promise<ProofBundle>;
  /** Records a checkpoint at the chain's tip now; undefined if nothing new since the latest one. */
  recordCheckpoint(request: FastifyRequest): Promise<{ checkpoint: Checkpoint; txId: string } | undefined>;
}

declare module 'fastify' {
  interface FastifyInstance {
    proofs: Proofs;
  }
}

function qsccBlock(network: Network, channel: string) {
  return async (blockNumber: number): Promise<Uint8Array> =>
    network.getContract('qscc').evaluateTransaction('GetBlockByNumber', channel, String(blockNumber));
}

export default fp(
  async (app, opts: { config: GatewayConfig }) => {
    const { channel, chaincode } = opts.config;
    const proofs = app.ledger.proofs;
    const builder = newBundleBuilder();

    const checkpointSources = (network: Network): CheckpointSources => ({
      chainInfo: async () =>
        decodeChainInfo(await network.getContract('qscc').evaluateTransaction('GetChainInfo', channel)),
      configBlockNumber: async () =>
        decodeBlock(await network.getContract('cscc').evaluateTransaction('GetConfigBlock', channel)).number,
      block: qsccBlock(network, channel),
      latest: () => proofs.latestCheckpoint(),
    });

    app.decorate('proofs', {
      bundle: (request, wanted) =>
        builder.build(
          {
            channel,
            chaincode,
            attest: (key) => proofs.attest(request, key),
            block: qsccBlock(app.fabric.network(callerOf(request)), channel),
            checkpointFrom: (blockNumber) => proofs.checkpointFrom(blockNumber),
          },
          wanted,
        ),
      async recordCheckpoint(request) {
        const input = await nextCheckpoint(
          checkpointSources(app.fabric.network(callerOf(request))),
          'on-demand',
        );
        if (input === undefined) return undefined;
        const committed = await proofs.recordCheckpoint(request, input);
        return { checkpoint: committed.result, txId: committed.txId };
      },
    } satisfies Proofs);

    const interval = opts.config.checkpointIntervalSeconds;
    if (interval === undefined) return;
    let running: Promise<void> | undefined;
    const tick = () => {
      if (running !== undefined) return; // a slow round is never overlapped by the next
      running = (async () => {
        try {
          const input = await nextCheckpoint(checkpointSources(app.fabric.service.network()), 'scheduled');
          if (input === undefined) return;
          const committed = await proofs.recordCheckpointAsService(input, app.log);
          app.log.info({ txId: committed.txId, checkpoint: committed.result }, 'checkpoint recorded');
        } catch (err) {
          app.log.warn({ err }, 'checkpoint not recorded this round');
        } finally {
          running = undefined;
        }
      })();
    };
    const timer = setInterval(tick, interval * 1000);
    timer.unref();
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await running;
    });
  },
  { name: 'proofs', dependencies: ['ledger', 'fabric-connection'] },
);
