// Signed readings in, recorded readings out. POST is public at the token layer because devices hold
// no API token: every reading is authenticated by its own signature, checked by the gateway against
// the DER's registered certificate and again by the chaincode.
import { isVppError, parseSample } from '../../../../chaincode/src/api';
import { ApiError } from '../../core/api-error';
import { ANY_ROLE } from '../../core/roles';
import type { RoutePlugin } from '../../core/schema-types';
import { derReadingsSchema, postReadingsSchema, vppReadingsSchema } from '../../schemas/readings';

const routes: RoutePlugin = async (app) => {
  const limited = { preHandler: app.rateLimits.readings };
  app.post(
    '/v1/readings',
    { config: { public: true }, schema: postReadingsSchema, ...limited },
    async (request) => {
      const samples = (request.body.samples ?? []).map((item, i) => {
        try {
          return parseSample(item);
        } catch (err) {
          const detail = isVppError(err) ? err.detail : String(err);
          throw new ApiError(400, 'INVALID_SAMPLE', `samples[${i}]: ${detail}`);
        }
      });
      const results = await app.readingIngest.ingest(request.body.readings, samples);
      for (const r of results) {
        if (r.checkedBy === 'gateway') app.metrics.readings.inc({ status: r.status, code: r.code ?? '' });
      }
      const count = (status: string) => results.filter((r) => r.status === status).length;
      return {
        accepted: count('accepted'),
        duplicates: count('duplicate'),
        rejected: count('rejected'),
        results,
      };
    },
  );

  app.get(
    '/v1/ders/:derId/readings',
    { config: { roles: ANY_ROLE }, schema: derReadingsSchema },
    async (request) =>
      app.ledger.telemetry.derReadings(request, request.params.derId, request.query.intervalId),
  );

  app.get(
    '/v1/vpps/:vppId/readings',
    { config: { roles: ANY_ROLE }, schema: vppReadingsSchema },
    async (request) => {
      const { intervalId, pageSize, bookmark } = request.query;
      return app.ledger.telemetry.vppReadings(request, request.params.vppId, intervalId, pageSize, bookmark);
    },
  );
};

export default routes;
