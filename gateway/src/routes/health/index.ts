import type { RoutePlugin } from '../../core/schema-types';
import { ApiError } from '../../core/api-error';
import { errorResponses } from '../../schemas/common';

// 200 only while the gRPC connection to the org's peer is up: the supervisor's readiness probe.
const routes: RoutePlugin = async (app) => {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        tags: ['ops'],
        summary: 'Liveness of the gateway and its peer connection',
        response: {
          200: { type: 'object', properties: { status: { type: 'string' }, peer: { type: 'string' } } },
          ...errorResponses(503),
        },
      },
    },
    async () => {
      if (await app.fabric.ready()) return { status: 'ok', peer: app.config.peer.endpoint };
      throw new ApiError(503, 'PEER_UNAVAILABLE', `no connection to ${app.config.peer.endpoint}`);
    },
  );
};

export default routes;
