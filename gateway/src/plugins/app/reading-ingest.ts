/** Device telemetry: the DER directory for early checks and the batching ingest of signed readings. */
import fp from 'fastify-plugin';
import type { BatchResult } from '../../../../chaincode/src/api';
import { toApiError } from '../../core/fabric-errors';
import type { GatewayConfig } from '../../config';
import { DerDirectory } from '../../telemetry/der-directory';
import { ReadingIngest } from '../../telemetry/ingest';

declare module 'fastify' {
  interface FastifyInstance {
    telemetry: { ingest: ReadingIngest; directory: DerDirectory };
  }
}

export default fp(
  async (app, opts: { config: GatewayConfig }) => {
    const directory = new DerDirectory(async (derId) => {
      try {
        return Buffer.from(await app.fabric.service.evaluate('registry', 'GetDer', [derId])).toString('utf8');
      } catch (err) {
        if (toApiError(err).code === 'NOT_FOUND') return undefined;
        throw err;
      }
    }, opts.config.derCacheTtlMs);
    const ingest = new ReadingIngest({
      directory,
      limits: opts.config.batching,
      samples: {
        save: (batchId, samples) => app.offChain.saveBatch(batchId, samples),
        anchored: (batchId, txId) => app.offChain.markAnchored(batchId, txId),
        drop: (batchId) => app.offChain.dropBatch(batchId),
      },
      record: async (readings, samples) => {
        app.metrics.batchSize.observe(readings.length);
        const batch = samples === undefined ? readings : { readings, samples };
        const { result } = await app.fabric.service.submit(
          'telemetry',
          'RecordReadings',
          [JSON.stringify(batch)],
          app.log,
        );
        const outcome = JSON.parse(Buffer.from(result).toString('utf8')) as BatchResult;
        for (const r of outcome.results) app.metrics.readings.inc({ status: r.status, code: r.code ?? '' });
        return outcome;
      },
    });
    app.decorate('telemetry', { ingest, directory });
    app.addHook('onClose', async () => ingest.close());
  },
  { name: 'telemetry', dependencies: ['fabric-connection', 'metrics', 'privacy'] },
);
