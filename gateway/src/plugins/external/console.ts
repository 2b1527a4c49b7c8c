/**
 * The web console at /console/: static files built by `npm run build` (gateway/console, bundled by
 * esbuild into dist/console), served by this gateway so the console talks only to its own
 * organisation's API, with the same tokens. The files hold no data and are public; every figure the
 * console shows comes from an API route whose roles the gateway checks as for any client.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

/** dist/console, beside dist/gateway (this file runs as dist/gateway/src/plugins/external/console.js). */
export const CONSOLE_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'console');

/**
 * Scripts, styles and connections only from this gateway; no frames. Observable Plot writes a
 * <style> element and style attributes into its SVG, hence 'unsafe-inline' for styles only.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

export default fp(
  async (app) => {
    app.get('/console', { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
      reply.redirect('/console/', 301),
    );
    if (!existsSync(CONSOLE_DIR)) {
      app.log.warn({ dir: CONSOLE_DIR }, 'console not built (npm run build): /console/ answers 404');
      return;
    }
    await app.register(fastifyStatic, {
      root: CONSOLE_DIR,
      prefix: '/console/',
      index: ['index.html'],
      decorateReply: false,
      setHeaders: (res) => {
        res.header('content-security-policy', CONSOLE_CSP);
        res.header('x-content-type-options', 'nosniff');
        res.header('referrer-policy', 'no-referrer');
      },
    });
  },
  { name: 'console' },
);
