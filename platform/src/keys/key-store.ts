/**
 * Where the network's signing keys live, as the topology selects it (`keys:` in
 * network/topology.yaml): 0600 files (the default) or a SoftHSM2 token reached through PKCS#11.
 * The pure part: the option's schema, the store it selects, the token's configuration text and
 * the key identifiers. Token access itself is in softhsm.ts.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

/** A token label as PKCS#11 stores it: at most 32 bytes, padded with spaces, so no edge spaces. */
const tokenLabel = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, { message: 'must be 1 to 32 characters of A-Z a-z 0-9 . _ -' });

export const KeysSchema = z
  .discriminatedUnion('store', [
    z.strictObject({ store: z.literal('file') }),
    z.strictObject({
      store: z.literal('softhsm'),
      /** Token label prefix; each org has its own token `<tokenLabel>-<org>`. */
      tokenLabel: tokenLabel.max(24).default('vpp'),
    }),
  ])
  .default({ store: 'file' });

export type KeysOption = z.infer<typeof KeysSchema>;

/** Where one org's keys are kept. */
export type KeyStore =
  | { kind: 'file' }
  | {
      kind: 'softhsm';
      /** The org's own token. */
      tokenLabel: string;
    };

/** The store of `org`'s keys under the topology's `keys` option. */
export function keyStoreOf(keys: KeysOption, org: string): KeyStore {
  if (keys.store === 'file') return { kind: 'file' };
  return { kind: 'softhsm', tokenLabel: `${keys.tokenLabel}-${org}` };
}

/** The softhsm2.conf of a token folder (what SOFTHSM2_CONF names for the processes using it). */
export const softhsmConfFile = (dir: string): string => path.join(dir, 'softhsm2.conf');

/** softhsm2.conf for a token folder of its own (SOFTHSM2_CONF names this file). */
export function softhsmConfText(tokenDir: string): string {
  return [
    '# Generated: a development SoftHSM2 token for this network only.',
    `directories.tokendir = ${tokenDir}`,
    'objectstore.backend = file',
    'log.level = ERROR',
    'slots.removable = false',
    '',
  ].join('\n');
}

/**
 * The uncompressed EC point (04 || X || Y) out of CKA_EC_POINT, which PKCS#11 returns DER-wrapped
 * in an OCTET STRING (04 41 04 ...). A bare point is accepted as is.
 */
export function uncompressedPointOf(ckaEcPoint: Uint8Array): Buffer {
  const bytes = Buffer.from(ckaEcPoint);
  const P256_POINT = 65;
  if (bytes.length === P256_POINT && bytes[0] === 0x04) return bytes;
  if (bytes.length === P256_POINT + 2 && bytes[0] === 0x04 && bytes[1] === P256_POINT && bytes[2] === 0x04)
    return bytes.subarray(2);
  throw new Error(`not a P-256 EC point (${bytes.length} bytes)`);
}

/**
 * The key's CKA_ID: SHA-256 of its uncompressed public point, Fabric's subject key identifier, so
 * the certificate names the key it belongs to.
 */
export function keyIdentifierOf(point: Uint8Array): Buffer {
  return createHash('sha256').update(point).digest();
}

/** The P-256 public key as a JWK, from its uncompressed point (for node:crypto and jsrsasign). */
export function publicJwkOf(point: Uint8Array): { kty: 'EC'; crv: 'P-256'; x: string; y: string } {
  const bytes = uncompressedPointOf(point);
  return {
    kty: 'EC',
    crv: 'P-256',
    x: bytes.subarray(1, 33).toString('base64url'),
    y: bytes.subarray(33, 65).toString('base64url'),
  };
}

/**
 * `sign` one digest at a time. A PKCS#11 session does one signing operation at a time (a second
 * C_SignInit meanwhile is CKR_OPERATION_ACTIVE), and one identity's signer has one session, while
 * its transactions (a caller's requests, the ingest batches) are signed concurrently.
 */
export function oneAtATime<T>(sign: (digest: Uint8Array) => Promise<T>): (digest: Uint8Array) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (digest) => {
    const next = last.then(() => sign(digest));
    last = next.catch(() => undefined);
    return next;
  };
}
