// Keys of the registry and of telemetry: org profiles, CA certificates, VPPs, DERs and their indexes,
// and readings (one key per DER per interval per sequence, grouped by VPP and interval).

import { isIntegerIn } from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';
import { assertKeyPart, compositeKey, keyPrefix, type KeyPrefix } from './composite-key';
import { ORG_PROFILE, CA_CERTIFICATES, VPP, DER, DER_BY_VPP, DER_BY_CERT, READING } from './object-types';

// ---- org profiles: one per MSP, keyed by the MSP ID ----

export function orgProfileKey(mspId: string): string {
  assertKeyPart(mspId, 'mspId');
  return compositeKey(ORG_PROFILE, [mspId]);
}

export function orgProfilePrefix(): KeyPrefix {
  return keyPrefix(ORG_PROFILE);
}

// ---- CA certificates: one record per MSP ----

export function caCertificatesKey(mspId: string): string {
  return compositeKey(CA_CERTIFICATES, [mspId]);
}

// ---- VPPs and DERs ----

export function vppKey(vppId: string): string {
  return compositeKey(VPP, [vppId]);
}

export function vppPrefix(): KeyPrefix {
  return keyPrefix(VPP);
}

export function derKey(derId: string): string {
  return compositeKey(DER, [derId]);
}

/** Index entry: DER `derId` belongs to VPP `vppId` (value: the DER id). Written once per DER. */
export function derByVppKey(vppId: string, derId: string): string {
  return compositeKey(DER_BY_VPP, [vppId, derId]);
}

export function derByVppPrefix(vppId: string): KeyPrefix {
  return keyPrefix(DER_BY_VPP, [vppId]);
}

/** Index entry: the certificate with this serial is (or was) bound to a DER. Serials never move. */
export function derByCertKey(serial: string): string {
  return compositeKey(DER_BY_CERT, [serial]);
}

// ---- readings: one key per DER per interval per sequence, grouped by VPP and interval ----

/** Sequences are zero-padded so that a range scan returns them in order. */
function sequencePart(sequence: number): string {
  if (!isIntegerIn(sequence, { min: 0, max: 9999 })) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `sequence ${sequence} is out of range`);
  }
  return String(sequence).padStart(4, '0');
}

export function readingKey(vppId: string, intervalId: string, derId: string, sequence: number): string {
  return compositeKey(READING, [vppId, intervalId, derId, sequencePart(sequence)]);
}

/** Every reading of a VPP in one interval (settlement's input), or of one DER in it. */
export function readingPrefix(vppId: string, intervalId: string, derId?: string): KeyPrefix {
  return keyPrefix(READING, derId === undefined ? [vppId, intervalId] : [vppId, intervalId, derId]);
}
