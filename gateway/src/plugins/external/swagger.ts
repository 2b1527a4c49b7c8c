/** OpenAPI 3 from the route schemas, with Swagger UI at /docs (the JSON at /docs/json). */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import type { GatewayConfig } from '../../config';

export default fp(
  async (app, opts: { config: GatewayConfig }) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: `VPP Ledger gateway (${opts.config.org.mspId})`,
          description:
            'The REST gateway of one consortium org. Log in with POST /v1/auth/token, then send ' +
            '`Authorization: Bearer <token>`. Every transaction is signed with the caller’s own Fabric identity. ' +
            'Errors are `{ "error": { "code", "message", "details?", "txId?" } }`. ' +
            'Read your writes across gateways: a write answers with `X-Transaction-Id` and `X-Block-Number`; ' +
            'send that number as `X-Min-Block` (or `?minBlock=`) to any org’s gateway and it answers only ' +
            'once its peer has committed that block (503 BLOCK_NOT_YET_COMMITTED with Retry-After after ' +
            `${opts.config.minBlockTimeoutMs} ms; 400 INVALID_MIN_BLOCK if malformed).`,
          version: '0.1.0',
        },
        components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  },
  { name: 'swagger' },
);
