// A device's SM2 key: made here or by OpenSSL (`openssl genpkey -algorithm SM2`), kept as the same
// PKCS#8 PEM OpenSSL writes, so either can use the other's key file. Signing is SM2 with SM3 and the
// default distinguishing ID (chaincode/src/domain/pki/sm2.ts), DER-encoded as OpenSSL writes it.

import { sm2 } from 'sm-crypto-v2';
import { pemBody, pemOf, SM2_CURVE_OID, SM2_DEFAULT_ID } from '../../chaincode/src/api';

export interface Sm2KeyPair {
  /** The private scalar d, 64 hex digits. */
  readonly privateKeyHex: string;
  /** The public point 04‖x‖y, 130 hex digits. */
  readonly publicKeyHex: string;
}

/** An ECPrivateKey's head up to d: SEQUENCE, INTEGER 1, OCTET STRING of 32 bytes. */
const EC_PRIVATE_KEY_D = Buffer.from('0201010420', 'hex');
/** PKCS#8 PrivateKeyInfo head for an SM2 key with its public key: version 0, id-ecPublicKey + SM2. */
const PKCS8_HEAD = Buffer.from(
  '308187020100301306072a8648ce3d020106082a811ccf5501822d046d306b0201010420',
  'hex',
);
/** Between d and the public point: [1] { BIT STRING, no unused bits }. */
const PUBLIC_KEY_HEAD = Buffer.from('a144034200', 'hex');

export function newSm2Key(): Sm2KeyPair {
  const pair = sm2.generateKeyPairHex();
  return { privateKeyHex: pair.privateKey.padStart(64, '0'), publicKeyHex: pair.publicKey };
}

/** The key as a PKCS#8 PEM ("PRIVATE KEY"), the form `openssl genpkey -algorithm SM2` writes. */
export function sm2KeyPem(key: Sm2KeyPair): string {
  return pemOf(
    'PRIVATE KEY',
    Buffer.concat([
      PKCS8_HEAD,
      Buffer.from(key.privateKeyHex, 'hex'),
      PUBLIC_KEY_HEAD,
      Buffer.from(key.publicKeyHex, 'hex'),
    ]),
  );
}

/**
 * An SM2 private key from a PKCS#8 ("PRIVATE KEY", `openssl genpkey`) or SEC 1 ("SM2 PRIVATE KEY" or
 * "EC PRIVATE KEY", `openssl ec`) PEM; the public point is derived from d. Anything that is not an SM2
 * key is refused.
 */
export function sm2KeyFromPem(pem: string): Sm2KeyPair {
  const der =
    pemBody(pem, 'PRIVATE KEY') ?? pemBody(pem, 'SM2 PRIVATE KEY') ?? pemBody(pem, 'EC PRIVATE KEY');
  if (der === undefined)
    throw new Error('not a PEM private key (PRIVATE KEY, SM2 PRIVATE KEY or EC PRIVATE KEY)');
  if (der.indexOf(SM2_CURVE_OID) < 0) throw new Error('not an SM2 key (curve 1.2.156.10197.1.301)');
  const at = der.indexOf(EC_PRIVATE_KEY_D);
  if (at < 0 || der.length < at + EC_PRIVATE_KEY_D.length + 32)
    throw new Error('no SM2 private scalar found');
  const privateKeyHex = der
    .subarray(at + EC_PRIVATE_KEY_D.length, at + EC_PRIVATE_KEY_D.length + 32)
    .toString('hex');
  return { privateKeyHex, publicKeyHex: sm2.getPublicKeyFromPrivateKey(privateKeyHex) };
}

/** The DER SM2-with-SM3 signature (default ID) of `message`. */
export function signSm2Sm3(message: Uint8Array, key: Sm2KeyPair): Buffer {
  const hex = sm2.doSignature(message, key.privateKeyHex, {
    der: true,
    hash: true,
    publicKey: key.publicKeyHex,
    userId: SM2_DEFAULT_ID,
  });
  return Buffer.from(hex, 'hex');
}
