// Personal data of a DER's owner (name, postal address, supply contract, e-mail). It never goes on
// the shared ledger: the CVPP organisation keeps it (encrypted, in its gateway's store or a private
// collection) and the ledger holds only its SHA-256 (every peer keeps it), so whoever is later shown the data
// under a consent grant can check it is exactly what was recorded.
//
// ## Hashed bytes
//
//   UTF-8 of the canonical JSON (keys sorted, no whitespace) of the parsed data
//   { "address", "contractId", "derId", "email"?, "name", "salt" }   ("email" left out when absent)
//
// Text fields are trimmed by parseOwnerData, so hash the parsed value, not the raw request. The
// salt (32 random bytes, 64 lowercase hex, chosen by the holder's gateway and kept with the data)
// makes the public hash useless for confirming guessed personal details: without the salt nobody can
// test a candidate name and address against it; with the data (and so the salt) anyone can check it.

import { createHash } from 'node:crypto';
import { toCanonicalJson } from '../../encoding/canonical-json';
import {
  ENTITY_ID,
  requireEmail,
  requireId,
  requireObject,
  requireSha256Hex,
  requireText,
} from '../../rules';

export const OWNER_NAME_RULE = { min: 1, max: 200 } as const;
export const OWNER_ADDRESS_RULE = { min: 1, max: 500 } as const;
export const OWNER_CONTRACT_ID_RULE = { min: 1, max: 64 } as const;

export interface OwnerData {
  readonly derId: string;
  readonly name: string;
  readonly address: string;
  readonly contractId: string;
  readonly email?: string;
  /** 64 lowercase hex: random, per record; see the format above. */
  readonly salt: string;
}

const OWNER_DATA_FIELDS = ['derId', 'name', 'address', 'contractId', 'email', 'salt'] as const;

/** Validates owner data strictly; text is trimmed, bounded and free of control characters. */
export function parseOwnerData(value: unknown): OwnerData {
  const fields = requireObject(value, 'owner data', OWNER_DATA_FIELDS);
  return {
    derId: requireId(fields, 'derId', ENTITY_ID),
    name: requireText(fields, 'name', OWNER_NAME_RULE),
    address: requireText(fields, 'address', OWNER_ADDRESS_RULE),
    contractId: requireText(fields, 'contractId', OWNER_CONTRACT_ID_RULE),
    ...(fields.email === undefined ? {} : { email: requireEmail(fields, 'email') }),
    salt: requireSha256Hex(fields, 'salt'),
  };
}

/** The hashed bytes (format above); properties other than the owner-data fields are ignored. */
export function ownerDataBytes(data: OwnerData): Buffer {
  return Buffer.from(
    toCanonicalJson({
      address: data.address,
      contractId: data.contractId,
      derId: data.derId,
      email: data.email,
      name: data.name,
      salt: data.salt,
    }),
    'utf8',
  );
}

/** Hex SHA-256 of ownerDataBytes. */
export function ownerDataHash(data: OwnerData): string {
  return createHash('sha256').update(ownerDataBytes(data)).digest('hex');
}

/** The public fingerprint of a DER owner's personal data: its SHA-256 as every peer keeps it. */
export interface OwnerDataHash {
  readonly derId: string;
  readonly sha256: string;
}

/** What PutOwnerData answers: the fingerprint, and the transaction that recorded the data. */
export interface OwnerDataFingerprint extends OwnerDataHash {
  readonly txId: string;
  readonly at: string;
}
