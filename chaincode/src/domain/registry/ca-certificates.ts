// Each organisation records its CA certificates on the ledger, so that the chaincode can check who
// issued a device certificate without trusting the submitter. The setup script records them as the
// org's admin and checks that they are the ones in the channel MSP (the chaincode cannot read the
// channel configuration itself).

import type { X509Certificate } from 'node:crypto';
import {
  invalid,
  POSITIVE,
  requireInteger,
  requireIsoTimestamp,
  requireObject,
  requireText,
} from '../../rules';
import type { MspId } from '../../types/consortium';
import { parseCertificate } from '../pki/certificate';

export const MAX_CA_CERTIFICATES = 8;

export interface CaCertificates {
  readonly mspId: MspId;
  /** PEM certificates, in the order recorded. */
  readonly certificates: readonly string[];
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly version: number;
}

/** Validates a list of CA certificates (PEM); each must be a CA certificate. */
export function parseCaCertificateList(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_CA_CERTIFICATES) {
    throw invalid(`certificates must be a list of 1..${MAX_CA_CERTIFICATES} PEM certificates`);
  }
  return value.map((pem: unknown, i) => {
    const cert = parseCertificate(pem, `certificates[${i}]`);
    if (!cert.ca) throw invalid(`certificates[${i}] is not a CA certificate`);
    return (pem as string).trim() + '\n';
  });
}

export function buildCaCertificates(
  mspId: MspId,
  certificates: string[],
  previous: CaCertificates | undefined,
  recordedBy: string,
  at: string,
): CaCertificates {
  return { mspId, certificates, recordedAt: at, recordedBy, version: (previous?.version ?? 0) + 1 };
}

export function parseStoredCaCertificates(value: unknown): CaCertificates {
  const fields = requireObject(value, 'stored CA certificates', [
    'mspId',
    'certificates',
    'recordedAt',
    'recordedBy',
    'version',
  ]);
  const version = requireInteger(fields, 'version', POSITIVE);
  return {
    mspId: requireText(fields, 'mspId', { min: 1, max: 64 }) as MspId,
    certificates: parseCaCertificateList(fields.certificates),
    recordedAt: requireIsoTimestamp(fields, 'recordedAt'),
    recordedBy: requireText(fields, 'recordedBy', { min: 1, max: 256 }),
    version,
  };
}

export function caCertificatesOf(record: CaCertificates | undefined): X509Certificate[] {
  return (record?.certificates ?? []).map((pem, i) => parseCertificate(pem, `CA certificate ${i}`));
}
