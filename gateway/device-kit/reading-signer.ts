// What a device does to a reading: sign its canonical bytes (format `vpp.reading.v1`, defined in
// chaincode/src/domain/telemetry/reading.ts) with its own P-256 key. The same module signs for the
// fleet simulator, the `vpp-device` CLI and the tests, so there is one definition of a signed reading.

import { sign, type KeyObject } from 'node:crypto';
import {
  canonicalSignature,
  readingSigningBytes,
  type SignedReading,
  type UnsignedReading,
} from '../../chaincode/src/api';

/** Signs `reading`; the signature is sent in the canonical low-S form the ledger keeps. */
export function signReading(reading: UnsignedReading, privateKey: KeyObject): SignedReading {
  const signature = sign('sha256', readingSigningBytes(reading), { key: privateKey, dsaEncoding: 'der' });
  return { ...reading, signature: canonicalSignature(signature.toString('base64')) };
}
