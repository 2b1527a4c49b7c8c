// The keys a device certificate vouches for: its own (ECDSA P-256) public key, and the SM2 public key
// its `vpp.sm2PublicKey` attribute binds, if any (domain/pki/sm2.ts says why the SM2 key is bound that
// way). A reading names its scheme; the key of that scheme checks it.

import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { fabricAttrsOf } from './certificate';
import { parseSm2PublicKeyHex, SM2_PUBLIC_KEY_ATTRIBUTE } from './sm2';

export interface DeviceKeys {
  /** The certificate's subject public key (P-256): scheme ecdsa-p256-sha256. */
  readonly ecdsa: KeyObject;
  /** The SM2 public key (uncompressed point, hex) bound by the certificate: scheme sm2-sm3. */
  readonly sm2: string | undefined;
}

/**
 * The SM2 key a certificate binds: undefined without the attribute; a present but malformed or
 * off-curve key is refused by registration (domain/registry/der.ts) and reads as undefined here.
 */
export function boundSm2Key(cert: X509Certificate): string | undefined {
  return parseSm2PublicKeyHex(fabricAttrsOf(cert)[SM2_PUBLIC_KEY_ATTRIBUTE]);
}

/** The keys of a device certificate (PEM). */
export function deviceKeysOf(certificatePem: string): DeviceKeys {
  const cert = new X509Certificate(certificatePem);
  return { ecdsa: createPublicKey(certificatePem), sm2: boundSm2Key(cert) };
}
