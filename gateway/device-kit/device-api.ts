// The device side of the CVPP gateway's REST API: enroll with a CSR and post signed readings, through
// platform's HTTP client (which needs no topology: a device knows only its gateway's URL).

import type { Sample, SignedReading } from '../../chaincode/src/api';
import type { ReadingOutcome } from '../src/telemetry/ingest';
import { httpRequest, type HttpsTrust } from '../../platform/src/http/http-client';
import { Device, newDeviceKey } from './device';
import { signSm2Sm3, type Sm2KeyPair } from './sm2-key';

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

/**
 * The gateway a device talks to: its URL (https://…) and the TLS root(s) its certificate must chain
 * to (the org's TLS CA root, or the consortium's bundle). Without `tls` only public roots are trusted,
 * which refuse the consortium's gateways: a device never talks to a server it cannot verify.
 */
export interface GatewayTarget {
  url: string;
  tls?: HttpsTrust;
}

/** POSTs a JSON body and returns the JSON answer; anything but 2xx becomes a DeviceApiError. */
export async function postJson<T>(
  gateway: GatewayTarget,
  urlPath: string,
  body: unknown,
  timeoutMs = 120_000,
  keepAlive = true,
): Promise<T> {
  // A fleet sends many small requests: keep connections open between them.
  const answer = await httpRequest(new URL(gateway.url).origin, urlPath, {
    method: 'POST',
    json: body,
    timeoutMs,
    keepAlive,
    ...(gateway.tls === undefined ? {} : { tls: gateway.tls }),
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.text);
  } catch {
    throw new DeviceApiError(answer.status, 'MALFORMED_RESPONSE', answer.text.slice(0, 200));
  }
  if (answer.status >= 200 && answer.status < 300) return parsed as T;
  const error = (parsed as { error?: { code?: string; message?: string } }).error ?? {};
  throw new DeviceApiError(
    answer.status,
    error.code ?? 'HTTP_ERROR',
    error.message ?? answer.text.slice(0, 200),
  );
}

/**
 * Makes a key, enrolls it with the one-time secret, and returns the device (keys kept in memory). A
 * device registered with an SM2 key passes that key: it signs the CSR with it (sm2Proof), proving to
 * the RA that it holds the key its certificate will bind, and signs its readings sm2-sm3.
 */
export async function enrollDevice(
  gateway: GatewayTarget,
  derId: string,
  secret: string,
  sm2Key?: Sm2KeyPair,
): Promise<Device> {
  const { privateKey, csrPem } = newDeviceKey(derId);
  const sm2Proof =
    sm2Key === undefined ? undefined : signSm2Sm3(Buffer.from(csrPem, 'utf8'), sm2Key).toString('base64');
  // A fresh connection: enrollment happens once per device, and its one-time secret must not meet a
  // kept connection that the server closes as the request goes out (the device would not know
  // whether its secret was used).
  const answer = await postJson<{ certificatePem: string }>(
    gateway,
    `/v1/devices/${derId}/enroll`,
    { secret, csr: csrPem, ...(sm2Proof === undefined ? {} : { sm2Proof }) },
    120_000,
    false,
  );
  return new Device({
    derId,
    privateKey,
    certPem: answer.certificatePem,
    ...(sm2Key === undefined ? {} : { sm2Key }),
  });
}

/** Posts signed readings, with the raw samples behind them if the device keeps any. */
export function postReadings(
  gateway: GatewayTarget,
  readings: SignedReading[],
  samples?: Sample[],
): Promise<ReadingsAnswer> {
  return postJson<ReadingsAnswer>(
    gateway,
    '/v1/readings',
    samples === undefined ? { readings } : { readings, samples },
  );
}
