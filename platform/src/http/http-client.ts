/**
 * The one HTTP client for outbound calls: gateway to gateway, a device to its gateway, tests and
 * benches to the org gateways, the supervisor's health probes and metrics reads. node:http and
 * node:https rather than fetch(): fetch refuses the WHATWG "bad ports" (the topology keeps gateways
 * off them, for the console's sake, but nothing else). It needs nothing of the topology, so the device
 * kit carries it to a device.
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpRequest {
  /** GET unless given. */
  method?: string;
  headers?: Record<string, string>;
  /** A body sent as JSON (content-type application/json). */
  json?: unknown;
  /** A body sent as it is; its content-type goes in `headers`. */
  body?: string;
  /** Every request is bounded: it fails when the server stays silent this long. */
  timeoutMs: number;
  /** Reuse connections through one keep-alive agent per protocol: for many small requests. */
  keepAlive?: boolean;
  /** Resolve on the response head and drop the body (a stream, or a status probe); `text` is empty. */
  headOnly?: boolean;
  /** For `https://` origins: whom to trust, and the client certificate to present (mutual TLS). */
  tls?: HttpsTrust;
}

/**
 * The server's certificate must chain to one of `ca` (PEM, one or more roots) and name the host
 * dialled; there is no switch to accept anything else. Without `tls`, Node's public roots apply,
 * which refuse the consortium's own CAs.
 */
export interface HttpsTrust {
  ca: string | Buffer;
  /** A client certificate and its key (PEM), for a server that asks for one. */
  cert?: string | Buffer;
  key?: string | Buffer;
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export class HttpTimeoutError extends Error {
  constructor(what: string, timeoutMs: number) {
    super(`${what}: no answer in ${timeoutMs} ms`);
    this.name = 'HttpTimeoutError';
  }
}

const agents = new Map<string, http.Agent>();

/**
 * A fleet sends many small requests: one pool per protocol for the whole process. An https agent
 * keys its sockets by the TLS options too, so callers with other roots or client certificates
 * never share a connection.
 */
function keepAliveAgent(protocol: string): http.Agent {
  let agent = agents.get(protocol);
  if (!agent) {
    const options = { keepAlive: true, maxSockets: 64 };
    agent = protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
    agents.set(protocol, agent);
  }
  return agent;
}

/** Only the trust fields: a stray `rejectUnauthorized` or the like cannot ride along. */
function trustOptions(tls: HttpsTrust): https.RequestOptions {
  return {
    ca: tls.ca,
    ...(tls.cert === undefined ? {} : { cert: tls.cert }),
    ...(tls.key === undefined ? {} : { key: tls.key }),
  };
}

/**
 * One request to `origin` (`http://host:port` or `https://…`) for `path`, which is sent as it is
 * (query included, nothing normalised). Resolves with any status; rejects on network errors and
 * timeouts only.
 */
export function httpRequest(origin: string, path: string, request: HttpRequest): Promise<HttpAnswer> {
  const url = new URL(origin);
  const method = request.method ?? 'GET';
  const headers: Record<string, string> = { ...request.headers };
  let body = request.body;
  if (request.json !== undefined) {
    body = JSON.stringify(request.json);
    headers['content-type'] = 'application/json';
  }
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  const send = url.protocol === 'https:' ? https.request : http.request;
  const what = `${method} ${origin}${path}`;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        protocol: url.protocol,
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers,
        timeout: request.timeoutMs,
        ...(url.protocol === 'https:' && request.tls ? trustOptions(request.tls) : {}),
        ...(request.keepAlive ? { agent: keepAliveAgent(url.protocol) } : {}),
      },
      (res) => {
        const head = { status: res.statusCode ?? 0, headers: res.headers };
        if (request.headOnly) {
          resolve({ ...head, text: '' });
          res.destroy();
          req.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ ...head, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new HttpTimeoutError(what, request.timeoutMs)));
    req.end(body);
  });
}

/** The body parsed as JSON when the server labels it JSON, otherwise the text itself. */
export function bodyOf<T>(answer: HttpAnswer): T {
  const json = String(answer.headers['content-type'] ?? '').includes('json') && answer.text.length > 0;
  return (json ? JSON.parse(answer.text) : answer.text) as T;
}
