// SM2 public keys and SM2-with-SM3 signatures (GB/T 32918, GB/T 32905), for devices that sign their
// readings with national commercial cryptography (scheme `sm2-sm3`, domain/telemetry/reading.ts).
//
// How an SM2 key is certified. fabric-ca issues ECDSA P-256 certificates only, so a device's
// certificate from the CVPP CA binds its SM2 public key in a fabric-ca attribute, `vpp.sm2PublicKey`:
// the uncompressed point 04‖x‖y in lower-case hex, in the same signed `attrs` extension that binds
// vpp.derId and vpp.vppId. One CA, one chain of trust, one revocation list: the CA certificate the
// ledger already records for the CVPP org vouches for the SM2 key exactly as it vouches for the DER
// id, and revoking the certificate revokes both keys. The RA puts the attribute there only after the
// device proves it holds the SM2 private key (gateway/src/routes/devices).
//
// Verification follows GB/T 32918.2 with the default distinguishing ID of GM/T 0009-2012
// ("1234567812345678"): e = SM3(Z_A ‖ M), Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A). This is
// what OpenSSL 3 computes for `openssl pkeyutl -sign -rawin -digest sm3 -pkeyopt
// distid:1234567812345678` and `openssl dgst -sm3 -sign key.pem -sigopt distid:1234567812345678`.
// The arithmetic is sm-crypto-v2's (on @noble/curves), pure JavaScript, the same on every endorser.

import { sm2 } from 'sm-crypto-v2';
import { pemBody, pemOf } from '../../encoding/pem';

/** The fabric-ca attribute of a device certificate that binds the device's SM2 public key. */
export const SM2_PUBLIC_KEY_ATTRIBUTE = 'vpp.sm2PublicKey';
/** The default distinguishing ID of GM/T 0009-2012, used by OpenSSL 3 and most SM2 devices. */
export const SM2_DEFAULT_ID = '1234567812345678';

/** DER of SubjectPublicKeyInfo's head for an SM2 key: id-ecPublicKey, curve 1.2.156.10197.1.301, BIT STRING. */
const SM2_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d03420004', 'hex');
/** DER of the SM2 curve OID (1.2.156.10197.1.301), present in every SM2 key file. */
export const SM2_CURVE_OID = Buffer.from('06082a811ccf5501822d', 'hex');
const POINT_HEX = /^04[0-9a-f]{128}$/;

/**
 * The point if `text` is an uncompressed SM2 public key in lower-case hex that lies on the curve (and
 * is not the identity), else undefined. One spelling only, so two certificates never bind the same key
 * under two names.
 */
export function parseSm2PublicKeyHex(text: unknown): string | undefined {
  if (typeof text !== 'string' || !POINT_HEX.test(text)) return undefined;
  try {
    return sm2.verifyPublicKey(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

/** The SM2 public key (hex point) of a PEM SubjectPublicKeyInfo such as `openssl pkey -pubout` writes. */
export function sm2PublicKeyFromPem(pem: string): string | undefined {
  const der = pemBody(pem, 'PUBLIC KEY');
  if (der === undefined || der.length !== SM2_SPKI_PREFIX.length + 64) return undefined;
  if (!der.subarray(0, SM2_SPKI_PREFIX.length).equals(SM2_SPKI_PREFIX)) return undefined;
  return parseSm2PublicKeyHex(der.subarray(SM2_SPKI_PREFIX.length - 1).toString('hex'));
}

/** The PEM SubjectPublicKeyInfo of an SM2 public key (hex point), readable by OpenSSL. */
export function sm2PublicKeyPem(publicKeyHex: string): string {
  return pemOf(
    'PUBLIC KEY',
    Buffer.concat([SM2_SPKI_PREFIX.subarray(0, -1), Buffer.from(publicKeyHex, 'hex')]),
  );
}

// A key's precomputed multiples (window 4) make each later verification ~8× cheaper (about 1.2 ms
// instead of 10 ms here) and cost about what one cold verification does, so every key is precomputed
// on first use and kept. Each costs ~76 KiB of heap: at most MAX_PRECOMPUTED are kept, the least
// recently used dropped first. A pure function of the key, so nothing depends on what is cached.
const PRECOMPUTE_WINDOW = 4;
const MAX_PRECOMPUTED = 1024;
const precomputed = new Map<string, ReturnType<typeof sm2.precomputePublicKey>>();

function precomputedKey(publicKeyHex: string): ReturnType<typeof sm2.precomputePublicKey> {
  let point = precomputed.get(publicKeyHex);
  if (point === undefined) {
    point = sm2.precomputePublicKey(publicKeyHex, PRECOMPUTE_WINDOW);
    if (precomputed.size >= MAX_PRECOMPUTED) precomputed.delete(precomputed.keys().next().value as string);
  } else {
    precomputed.delete(publicKeyHex); // re-inserted below: most recently used last
  }
  precomputed.set(publicKeyHex, point);
  return point;
}

/**
 * Whether `derSignature` (DER SEQUENCE { r, s }) is an SM2 signature of `message` with SM3 and the
 * default distinguishing ID by the key `publicKeyHex` (a point parseSm2PublicKeyHex accepted).
 */
export function verifySm2Sm3(message: Uint8Array, derSignature: Uint8Array, publicKeyHex: string): boolean {
  try {
    return sm2.doVerifySignature(
      message,
      Buffer.from(derSignature).toString('hex'),
      precomputedKey(publicKeyHex),
      {
        der: true,
        hash: true,
        userId: SM2_DEFAULT_ID,
      },
    );
  } catch {
    return false;
  }
}
