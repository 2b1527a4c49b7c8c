// The hashes and encodings Fabric chains blocks with, and the shape checks of its ECDSA signatures,
// written out here (rather than taken from a library) so that an auditor can compare them with
// Fabric's Go code: protoutil.BlockHeaderHash / BlockHeaderBytes, protoutil.ComputeBlockDataHash and
// bccsp/sw's low-S rule.

import { createHash } from 'node:crypto';

export function sha256(...parts: readonly Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** A DER length: short form below 128, else 0x80|n followed by n big-endian bytes. */
function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function derTlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

/**
 * A non-negative INTEGER as Go's encoding/asn1 writes a *big.Int: the minimal big-endian bytes, with
 * a leading 0x00 when the top bit is set (two's complement, so it stays positive); 0 is one 0x00 byte.
 */
function derUnsignedInteger(value: bigint): Buffer {
  if (value < 0n) throw new RangeError('negative block number');
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0x00]), bytes]);
  return derTlv(0x02, bytes);
}

export interface HeaderFields {
  readonly number: number | bigint;
  readonly previousHash: Uint8Array;
  readonly dataHash: Uint8Array;
}

/** ASN.1 DER of SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }. */
export function blockHeaderDer(header: HeaderFields): Buffer {
  return derTlv(
    0x30,
    Buffer.concat([
      derUnsignedInteger(BigInt(header.number)),
      derTlv(0x04, header.previousHash),
      derTlv(0x04, header.dataHash),
    ]),
  );
}

/** Fabric's block hash: SHA-256 of the header's DER encoding (what the next block's previous_hash holds). */
export function blockHeaderHash(header: HeaderFields): Buffer {
  return sha256(blockHeaderDer(header));
}

/** Fabric's BlockData hash: SHA-256 of the data entries concatenated, with no framing. */
export function blockDataHash(data: readonly Uint8Array[]): Buffer {
  return sha256(...data);
}

/** The order n of the P-256 group; Fabric accepts only signatures with S ≤ n/2 (low-S). */
export const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** Reads one DER INTEGER at `offset` as a positive bigint, strictly (minimal, short-form length). */
function readPositiveInteger(der: Uint8Array, offset: number): { value: bigint; next: number } | undefined {
  if (der[offset] !== 0x02) return undefined;
  const length = der[offset + 1];
  if (length === undefined || length === 0 || length >= 0x80 || offset + 2 + length > der.length) {
    return undefined;
  }
  const content = der.subarray(offset + 2, offset + 2 + length);
  const first = content[0] ?? 0;
  if (first & 0x80) return undefined; // negative
  if (first === 0 && length > 1 && ((content[1] ?? 0) & 0x80) === 0) return undefined; // not minimal
  const value = BigInt(`0x${Buffer.from(content).toString('hex')}`);
  return value === 0n ? undefined : { value, next: offset + 2 + length };
}

/** r and s of a DER ECDSA-Sig-Value SEQUENCE { INTEGER r, INTEGER s }; undefined if malformed. */
export function parseEcdsaSignature(der: Uint8Array): { r: bigint; s: bigint } | undefined {
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) return undefined;
  const r = readPositiveInteger(der, 2);
  if (r === undefined) return undefined;
  const s = readPositiveInteger(der, r.next);
  if (s === undefined || s.next !== der.length) return undefined;
  return { r: r.value, s: s.value };
}

/** Whether a DER ECDSA P-256 signature has a low S (S ≤ n/2), as Fabric requires. */
export function isLowS(der: Uint8Array): boolean {
  const parsed = parseEcdsaSignature(der);
  return parsed !== undefined && parsed.s <= P256_ORDER >> 1n;
}
