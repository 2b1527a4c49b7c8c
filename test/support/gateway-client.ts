/**
 * Talks to the running org gateways over real HTTP, and knows the login secrets of the identities
 * the bring-up enrolled (derived from each CA's bootstrap secret, as ca/src/ca-client.ts derives them).
 */
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { caContext, identitySecret } from '../../ca/src/ca-client';
import { enrollmentIdsOf } from '../../platform/src/ca-layout';
import { runPaths } from '../../platform/src/paths';
import { orgNamed, topology, type Connection } from './fabric-client';

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  headers: http.IncomingHttpHeaders;
}

export function gatewayUrl(orgName: string): string {
  const org = orgNamed(orgName);
  return `http://${org.gateway.host}:${org.gateway.port}`;
}

/** The enrollment secret the bring-up registered `<org>admin` / `appuser` with. */
export function bootstrapUserSecret(
  orgName: string,
  user: 'admin' | 'appuser',
): { id: string; secret: string } {
  const id = enrollmentIdsOf(orgName)[user];
  return { id, secret: identitySecret(caContext(topology, orgNamed(orgName)), 'identity', id) };
}

/**
 * One HTTP request with node:http (not fetch: fetch refuses port 10080, the regulator gateway's).
 */
export function call<T = unknown>(
  orgName: string,
  method: string,
  url: string,
  options: { token?: string; body?: unknown; rawBody?: string; contentType?: string } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const org = orgNamed(orgName);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: org.gateway.host, port: org.gateway.port, method, path: url, headers, timeout: 120_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const json = String(res.headers['content-type'] ?? '').includes('json') && text.length > 0;
          resolve({
            status: res.statusCode ?? 0,
            body: (json ? JSON.parse(text) : text) as T,
            headers: res.headers,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer`)));
    req.end(body);
  });
}

export async function login(orgName: string, enrollmentId: string, secret: string): Promise<string> {
  const res = await call<{ token: string }>(orgName, 'POST', '/v1/auth/token', {
    body: { enrollmentId, secret },
  });
  if (res.status !== 200)
    throw new Error(`login ${enrollmentId}@${orgName}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

export async function loginAdmin(orgName: string): Promise<string> {
  const { id, secret } = bootstrapUserSecret(orgName, 'admin');
  return login(orgName, id, secret);
}

/** A user the test registered through the gateway's RA and logged in. */
export interface TestUser {
  enrollmentId: string;
  secret: string;
  token: string;
}

export async function registerAndLogin(
  orgName: string,
  adminToken: string,
  enrollmentId: string,
  role: string,
): Promise<TestUser> {
  const res = await call<{ secret: string }>(orgName, 'POST', '/v1/identities', {
    token: adminToken,
    body: { enrollmentId, role },
  });
  if (res.status !== 201)
    throw new Error(`register ${enrollmentId}: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    enrollmentId,
    secret: res.body.secret,
    token: await login(orgName, enrollmentId, res.body.secret),
  };
}

/** The key and certificate the org's gateway keeps for one of its callers. */
export function gatewayCredentialsOf(
  orgName: string,
  enrollmentId: string,
): { certPem: string; keyPem: string } {
  const dir = path.join(runPaths.data(`gateway.${orgName}`), 'identities', enrollmentId);
  return {
    certPem: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    keyPem: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
  };
}

/** A direct fabric-gateway connection (no REST) signing with the given certificate and key. */
/** The creator certificate (PEM bytes) of a committed transaction, read with qscc GetTransactionByID. */
export async function creatorOfTransaction(connection: Connection, txId: string): Promise<Buffer> {
  const qscc = connection.gateway.getNetwork(topology.channel.name).getContract('qscc');
  const bytes = await qscc.evaluateTransaction('GetTransactionByID', topology.channel.name, txId);
  const processed = peer.ProcessedTransaction.deserializeBinary(bytes);
  const envelope = processed.getTransactionenvelope();
  if (!envelope) throw new Error(`transaction ${txId} has no envelope`);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const header = payload.getHeader();
  if (!header) throw new Error(`transaction ${txId} has no header`);
  const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
  const creator = msp.SerializedIdentity.deserializeBinary(signatureHeader.getCreator_asU8());
  return Buffer.from(creator.getIdBytes_asU8());
}

/** Only the status of a request: resolves on the response head and drops the rest (streams included). */
export function statusOf(orgName: string, method: string, url: string, token?: string): Promise<number> {
  const org = orgNamed(orgName);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: org.gateway.host,
        port: org.gateway.port,
        method,
        path: url,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        timeout: 60_000,
      },
      (res) => {
        resolve(res.statusCode ?? 0);
        res.destroy();
        req.destroy();
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer`)));
    req.end();
  });
}
