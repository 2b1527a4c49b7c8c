/**
 * An in-process HTTPS server for TLS tests: it presents `pair`, asks every client for a certificate
 * (verified against `clientCa`, but optional, as the gateway does) and answers with `handler`.
 */
import { createServer, type ServerOptions } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestTlsPair } from './test-pki';

export interface HttpsTestServer {
  origin: string;
  close(): Promise<void>;
}

export async function startHttpsServer(
  pair: TestTlsPair,
  clientCa: string,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<HttpsTestServer> {
  const options: ServerOptions = {
    cert: pair.certPem,
    key: pair.keyPem,
    ca: clientCa,
    requestCert: true,
    rejectUnauthorized: false,
  };
  const server = createServer(options, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers `body` as JSON with status 200. */
export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
