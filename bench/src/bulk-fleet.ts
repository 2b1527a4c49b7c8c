/**
 * Large fleets for the benches: one device enrolled through the RA as the certificate template,
 * copies for every other DER (device-certificates.ts), and bulk registration in batches.
 */
import { X509Certificate } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { DerBatchResult, DerType } from '../../chaincode/src/api';
import { Device } from '../../gateway/device-kit/device';
import { call } from '../../platform/src/http/gateway-rest';
import { caSigningKey, issueCopy, type CertificateTemplate } from './device-certificates';
import { enrollFleet, inParallel, type Operator } from './fleet-setup';

const ORG = 'cvpp';

export interface Registration {
  derId: string;
  vppId: string;
  derType: DerType;
  capacityW: number;
  zone: string;
  certificatePem: string;
}

export interface CertificateFactory {
  /** A copy of the template's certificate for `derId` of `vppId` (ids as long as the template's). */
  certificateOf(derId: string, vppId: string): string;
  /** A device of `derId` holding `certificatePem` and the template's key, to sign readings with. */
  deviceOf(derId: string, certificatePem: string): Device;
}

/**
 * Enrolls `templateDerId` through the RA and registers it under `vppId` (one DER, as a user would);
 * its certificate is the template of every copy.
 */
export async function certificateFactory(
  operator: Operator,
  templateDerId: string,
  vppId: string,
): Promise<CertificateFactory> {
  const enrolled = await enrollFleet(
    [{ derId: templateDerId, derType: 'pv', capacityW: 5000 }],
    vppId,
    operator,
  );
  const device = enrolled.get(templateDerId) as Device;
  const template: CertificateTemplate = {
    der: new X509Certificate(device.credentials.certPem).raw,
    caKey: caSigningKey(ORG),
    derId: templateDerId,
    vppId,
  };
  return {
    certificateOf: (derId, ofVpp) => issueCopy(template, derId, ofVpp),
    deviceOf: (derId, certPem) => new Device({ derId, privateKey: device.credentials.privateKey, certPem }),
  };
}

export interface BulkOutcome {
  registered: number;
  /** Refused registrations by code. */
  refusals: Map<string, number>;
  /** Submit → commit of each batch, ms. */
  latencies: number[];
  seconds: number;
}

/** Registers `registrations` with POST /v1/ders/batch, `batchSize` per request, `concurrency` in flight. */
export async function registerInBatches(
  operator: Operator,
  registrations: readonly Registration[],
  options: { batchSize: number; concurrency: number; progressEvery?: number },
): Promise<BulkOutcome> {
  const batches: Registration[][] = [];
  for (let i = 0; i < registrations.length; i += options.batchSize) {
    batches.push(registrations.slice(i, i + options.batchSize));
  }
  const outcome: BulkOutcome = { registered: 0, refusals: new Map(), latencies: [], seconds: 0 };
  const started = performance.now();
  let done = 0;
  await inParallel(batches, options.concurrency, async (batch) => {
    const sent = performance.now();
    const res = await call<DerBatchResult>(ORG, 'POST', '/v1/ders/batch', {
      token: operator.token,
      body: { ders: batch },
    });
    outcome.latencies.push(performance.now() - sent);
    if (res.status !== 200) throw new Error(`bulk registration: ${res.status} ${JSON.stringify(res.body)}`);
    outcome.registered += res.body.registered;
    for (const result of res.body.results) {
      if (result.status === 'refused') {
        const code = result.code ?? '';
        outcome.refusals.set(code, (outcome.refusals.get(code) ?? 0) + 1);
      }
    }
    done += 1;
    if (options.progressEvery && done % options.progressEvery === 0) {
      const seconds = (performance.now() - started) / 1000;
      process.stderr.write(`  ${outcome.registered} DERs in ${seconds.toFixed(0)} s\n`);
    }
  });
  outcome.seconds = (performance.now() - started) / 1000;
  outcome.latencies.sort((a, b) => a - b);
  return outcome;
}
