// What a device does to a reading: sign its canonical bytes (format `vpp.reading.v1`, defined in
// chaincode/src/domain/telemetry/reading.ts) with its own key — P-256 for scheme ecdsa-p256-sha256, SM2
// for sm2-sm3. The same module signs for the fleet simulator, the `vpp-device` CLI and the tests, so
// there is one definition of a signed reading.

import { sign, type KeyObject } from 'node:crypto';
import {
  canonicalSignature,
  readingSigningBytes,
  type SignedReading,
  type UnsignedReading,
} from '../../chaincode/src/api';
import { signSm2Sm3, type Sm2KeyPair } from './sm2-key';

/**
 * Signs `reading` with the key of its scheme (a KeyObject for ECDSA, an SM2 key pair for sm2-sm3);
 * the signature is sent in the canonical form the ledger keeps (low-S for ECDSA).
 */
export function signReading(reading: UnsignedReading, key: KeyObject | Sm2KeyPair): SignedReading {
  const bytes = readingSigningBytes(reading);
  let signature: Buffer;
  if (reading.scheme === 'sm2-sm3') {
    if (!('privateKeyHex' in key)) throw new Error('an sm2-sm3 reading needs an SM2 key');
    signature = signSm2Sm3(bytes, key);
  } else {
    if ('privateKeyHex' in key) throw new Error('an ecdsa-p256-sha256 reading needs a P-256 key');
    signature = sign('sha256', bytes, { key, dsaEncoding: 'der' });
  }
  return { ...reading, signature: canonicalSignature(signature.toString('base64'), reading.scheme) };
}
