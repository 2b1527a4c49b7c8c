// The one canonical form of a reading signature, applied by the gateway's pre-check, the device kit's
// signer and the chaincode alike. ECDSA is malleable: (r, s) and (r, n − s) both verify, and a DER
// signature can be written in base64 several ways (padding left off, non-zero pad bits) that decode to
// the same bytes. Left alone, anyone could turn a device's published reading into a "new" one.
//
//   encoding  canonical base64: standard alphabet, padding present, pad bits zero (it re-encodes to
//             itself) — anything else is refused as NON_CANONICAL_SIGNATURE;
//   DER       SEQUENCE { INTEGER r, INTEGER s } with exact short-form lengths, minimal positive
//             integers, 1 ≤ r, s < n (n of the scheme's curve), nothing after it — anything else is
//             refused likewise;
//   low-S     (ECDSA only) a high-S signature (s > n/2) is NOT refused — outside signers such as the
//             OpenSSL command line produce one half of the time — but normalised to (r, n − s) before it
//             is checked, stored or compared. Both verify with the same key, so nothing a device signed
//             is lost. An SM2 signature has no such twin (its check uses r + s, so (r, n − s) fails
//             without the private key): it is kept as sent.

import { ErrorCode, VppError } from '../../types/errors';

/** The order n of the P-256 group. */
export const P256_ORDER = 0xffffffff_00000000_ffffffff_ffffffff_bce6faad_a7179e84_f3b9cac2_fc632551n;
/** The order n of the SM2 group (GB/T 32918.5, the recommended 256-bit curve). */
export const SM2_ORDER = 0xfffffffe_ffffffff_ffffffff_ffffffff_7203df6b_21c6052b_53bbf409_39d54123n;
const HALF_ORDER = P256_ORDER >> 1n;
const SEQUENCE_TAG = 0x30;
const INTEGER_TAG = 0x02;
/** A 256-bit scalar is 32 bytes; DER adds a leading zero when its top bit is set. */
const MAX_INTEGER_LENGTH = 33;

export interface EcdsaSignature {
  readonly r: bigint;
  readonly s: bigint;
}

/** The bytes of a base64 text that is the only base64 of its bytes, or undefined. */
export function decodeCanonicalBase64(text: string): Buffer | undefined {
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** One strict DER INTEGER at `at`: its value and where the next element starts, or undefined. */
function readInteger(der: Buffer, at: number, order: bigint): { value: bigint; next: number } | undefined {
  const length = der[at + 1];
  if (der[at] !== INTEGER_TAG || length === undefined || length < 1 || length > MAX_INTEGER_LENGTH) {
    return undefined;
  }
  const body = der.subarray(at + 2, at + 2 + length);
  if (body.length !== length) return undefined;
  const first = body[0] as number;
  if (first >= 0x80) return undefined; // negative
  if (first === 0x00 && (length === 1 || (body[1] as number) < 0x80)) return undefined; // not minimal
  const value = BigInt(`0x${body.toString('hex')}`);
  if (value < 1n || value >= order) return undefined;
  return { value, next: at + 2 + length };
}

/** (r, s) of a strict DER signature on a curve of order `order` (P-256 by default), or undefined for any other bytes. */
export function decodeDerSignature(der: Buffer, order = P256_ORDER): EcdsaSignature | undefined {
  if (der[0] !== SEQUENCE_TAG || der[1] !== der.length - 2) return undefined;
  const r = readInteger(der, 2, order);
  const s = r === undefined ? undefined : readInteger(der, r.next, order);
  if (r === undefined || s === undefined || s.next !== der.length) return undefined;
  return { r: r.value, s: s.value };
}

function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  const body = Buffer.from(hex, 'hex');
  return Buffer.concat([Buffer.from([INTEGER_TAG, body.length]), body]);
}

/** The strict DER of (r, s). */
export function encodeDerSignature({ r, s }: EcdsaSignature): Buffer {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  return Buffer.concat([Buffer.from([SEQUENCE_TAG, body.length]), body]);
}

/** The low-S twin: (r, n − s) when s is above n/2, the signature itself otherwise. */
export function lowS(signature: EcdsaSignature): EcdsaSignature {
  return signature.s > HALF_ORDER ? { r: signature.r, s: P256_ORDER - signature.s } : signature;
}

/** The signature schemes a reading may name (see domain/telemetry/reading.ts). */
export const SIGNATURE_SCHEMES = ['ecdsa-p256-sha256', 'sm2-sm3'] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];

const SCHEME_RULES: Record<SignatureScheme, { order: bigint; name: string; normalise: boolean }> = {
  'ecdsa-p256-sha256': { order: P256_ORDER, name: 'ECDSA P-256', normalise: true },
  'sm2-sm3': { order: SM2_ORDER, name: 'SM2', normalise: false },
};

/**
 * The canonical form of a reading signature (base64 of the strict DER; for ECDSA its low-S form): a
 * high-S ECDSA signature comes back as its low-S twin; a non-canonical base64 or DER is refused
 * (NON_CANONICAL_SIGNATURE).
 */
export function canonicalSignature(base64: string, scheme: SignatureScheme = 'ecdsa-p256-sha256'): string {
  const rules = SCHEME_RULES[scheme];
  const der = decodeCanonicalBase64(base64);
  const signature = der === undefined ? undefined : decodeDerSignature(der, rules.order);
  if (signature === undefined) {
    throw new VppError(
      ErrorCode.NON_CANONICAL_SIGNATURE,
      `signature must be canonical base64 (standard alphabet, padded, zero pad bits) of a strict DER ${rules.name} signature`,
    );
  }
  return encodeDerSignature(rules.normalise ? lowS(signature) : signature).toString('base64');
}
