/** Entry point of one org's gateway: `node dist/gateway/src/server.js` with VPP_GATEWAY_ORG set. */
import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:https';
import { buildApp } from './app';
import { loadConfig, type GatewayConfig } from './config';
import { installCpuProfileOnSignal } from '../../chaincode/src/api';

/**
 * HTTPS with the gateway's certificate from its org's TLS CA. Every client is asked for a
 * certificate, verified against the consortium's TLS roots; one without a certificate (a user, a
 * device, curl) still connects, so the handshake cannot refuse it: `rejectUnauthorized` is off on
 * this server side only, and the routes that need a gateway at the other end check the verified
 * result themselves (core/client-cert.ts).
 */
function httpsOptionsOf(config: GatewayConfig): ServerOptions {
  return {
    cert: readFileSync(config.tls.certFile),
    key: readFileSync(config.tls.keyFile),
    ca: readFileSync(config.tls.rootsFile),
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  installCpuProfileOnSignal();
  const app = await buildApp(config, config.plainHttp ? {} : { https: httpsOptionsOf(config) });
  if (config.plainHttp)
    app.log.warn({ host: config.listenHost }, 'plain HTTP on loopback (VPP_GATEWAY_PLAIN_HTTP=1)');
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'closing');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'close failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  await app.listen({ host: config.listenHost, port: config.port });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
