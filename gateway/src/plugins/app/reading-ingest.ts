/**
 * The path of a device reading, wired once: POST /v1/readings → ReadingIngest (pre-check against the
 * DER directory, then the batcher) → the telemetry ledger facade → Fabric, as the gateway's ingest
 * identity. Raw samples go to the off-chain store, anchored by the batch's transaction.
 */
import fp from 'fastify-plugin';
import { calendarHistory, type MarketCalendarHistory } from '../../../../chaincode/src/api';
import type { GatewayConfig } from '../../config';
import { DerDirectory } from '../../telemetry/der-directory';
import { ReadingIngest } from '../../telemetry/ingest';
import { coalescedLookup } from '../../telemetry/lookup-coalescer';

/** How long the pre-check trusts the market calendar it read. */
const CALENDAR_TTL_MS = 10_000;
/** DERs per GetDers query: a few queries cover the directory's lookups in flight. */
const DER_LOOKUP_BATCH = 128;

declare module 'fastify' {
  interface FastifyInstance {
    readingIngest: ReadingIngest;
  }
}

export default fp(
  async (app, opts: { config: GatewayConfig }) => {
    const { calendar, registry, telemetry } = app.ledger;
    // The calendar changes rarely and only from a published effectiveFrom on; re-read it often enough
    // that a new version is seen before it takes effect (the chaincode checks every reading again).
    let cached: { readAt: number; history: Promise<MarketCalendarHistory> } | undefined;
    const calendarHistoryNow = (): Promise<MarketCalendarHistory> => {
      if (cached === undefined || Date.now() - cached.readAt > CALENDAR_TTL_MS) {
        const history = calendar.versionsAsService().then(calendarHistory);
        const entry = { readAt: Date.now(), history };
        history.catch(() => {
          if (cached === entry) cached = undefined; // a failed read is not remembered
        });
        cached = entry;
      }
      return cached.history;
    };
    const directory = new DerDirectory(
      coalescedLookup((derIds) => registry.storedDersAsService(derIds), DER_LOOKUP_BATCH),
      opts.config.derCacheTtlMs,
    );
    const ingest = new ReadingIngest({
      directory,
      calendar: calendarHistoryNow,
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
