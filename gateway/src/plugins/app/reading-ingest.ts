/**
 * The path of a device reading, wired once: POST /v1/readings → ReadingIngest (pre-check against the
 * DER directory, then the batcher) → the telemetry ledger facade → Fabric, as the gateway's ingest
 * identity. Raw samples go to the off-chain store, anchored by the batch's transaction.
 */
import fp from 'fastify-plugin';
import type { GatewayConfig } from '../../config';
import { DerDirectory } from '../../telemetry/der-directory';
import { ReadingIngest } from '../../telemetry/ingest';

declare module 'fastify' {
  interface FastifyInstance {
    readingIngest: ReadingIngest;
  }
}

export default fp(
  async (app, opts: { config: GatewayConfig }) => {
    const { registry, telemetry } = app.ledger;
    const directory = new DerDirectory(
      (derId) => registry.storedDerAsService(derId),
      opts.config.derCacheTtlMs,
    );
    const ingest = new ReadingIngest({
      directory,
      limits: opts.config.batching,
      samples: app.offChain,
      record: async (readings, samples) => {
        app.metrics.batchSize.observe(readings.length);
        const outcome = await telemetry.recordReadings(readings, samples, app.log);
        for (const r of outcome.results) app.metrics.readings.inc({ status: r.status, code: r.code ?? '' });
        return outcome;
      },
    });
    app.decorate('readingIngest', ingest);
    app.addHook('onClose', async () => ingest.close());
  },
  { name: 'reading-ingest', dependencies: ['ledger', 'metrics', 'off-chain-store'] },
);
