// The device side of the CVPP gateway's REST API: enroll with a CSR and post signed readings.
// node:http rather than fetch, which refuses some ports the topology uses (10080).

import http from 'node:http';
import type { Sample, SignedReading } from '../../chaincode/src/api';
import type { ReadingOutcome } from '../src/telemetry/ingest';
import { Device, newDeviceKey } from './device';

export interface ReadingsAnswer {
  accepted: number;
  duplicates: number;
  rejected: number;
  results: ReadingOutcome[];
}

export class DeviceApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
    this.name = 'DeviceApiError';
  }
}

/** One keep-alive agent per process: a fleet sends many small requests. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export function postJson<T>(
  baseUrl: string,
  urlPath: string,
  body: unknown,
  timeoutMs = 120_000,
): Promise<T> {
  const url = new URL(urlPath, baseUrl);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        timeout: timeoutMs,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            return reject(new DeviceApiError(res.statusCode ?? 0, 'MALFORMED_RESPONSE', text.slice(0, 200)));
          }
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(parsed as T);
          const error = (parsed as { error?: { code?: string; message?: string } }).error ?? {};
          reject(new DeviceApiError(status, error.code ?? 'HTTP_ERROR', error.message ?? text.slice(0, 200)));
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`POST ${url.pathname}: no answer in ${timeoutMs} ms`)));
    req.end(payload);
  });
}

/** Makes a key, enrolls it with the one-time secret, and returns the device (key kept in memory). */
export async function enrollDevice(baseUrl: string, derId: string, secret: string): Promise<Device> {
  const { privateKey, csrPem } = newDeviceKey(derId);
  const answer = await postJson<{ certificatePem: string }>(baseUrl, `/v1/devices/${derId}/enroll`, {
    secret,
    csr: csrPem,
  });
  return new Device({ derId, privateKey, certPem: answer.certificatePem });
}

/** Posts signed readings, with the raw samples behind them if the device keeps any. */
export function postReadings(
  baseUrl: string,
  readings: SignedReading[],
  samples?: Sample[],
): Promise<ReadingsAnswer> {
  return postJson<ReadingsAnswer>(
    baseUrl,
    '/v1/readings',
    samples === undefined ? { readings } : { readings, samples },
  );
}
