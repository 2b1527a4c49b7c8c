/**
 * The CVPP gateway's off-chain store (embedded SQLite, node:sqlite): high-frequency samples in
 * batches whose Merkle roots are anchored on the ledger, and DER owners' personal data, encrypted
 * field by field with the gateway's field key next to the SHA-256 the ledger records.
 *
 * Batches: saveBatch stores the samples and their leaf hashes (leaf order = input order) and returns
 * the root to anchor; markAnchored records the anchoring transaction; dropBatch removes a batch whose
 * transaction failed. A proof is only as good as its root: compare `root` (and `proof.size`) with the
 * anchor on the ledger, and hash the disclosed sample yourself (sampleLeaf) rather than trusting a
 * hash stored here.
 *
 * Errors a caller can cause are VppErrors (INVALID_ARGUMENT, ALREADY_EXISTS, NOT_FOUND,
 * INVALID_STATE); an inconsistent store is a plain Error.
 */
import { chmodSync } from 'node:fs';
import { DatabaseSync, type SQLOutputValue, type StatementSync } from 'node:sqlite';
import {
  ENTITY_ID_PATTERN as ID_PATTERN,
  ErrorCode,
  isVppError,
  MAX_ANCHOR_SAMPLES,
  merkleProof,
  type MerkleProof,
  merkleRoot,
  type OwnerData,
  ownerDataHash,
  parseOwnerData,
  parseSample,
  type Sample,
  sampleLeaf,
  VppError,
} from '../../../chaincode/src/api';
import { decryptField, encryptField, type FieldKey } from './field-crypto';

export interface StoredSample {
  readonly id: number;
  readonly batchId: string;
  readonly leafIndex: number;
  readonly sample: Sample;
  /** sampleLeaf of the sample as read from the store. */
  readonly leafHash: string;
}

export interface SampleProof {
  readonly sample: Sample;
  /** sampleLeaf of the sample as read from the store. */
  readonly leafHash: string;
  readonly proof: MerkleProof;
  /** The batch's root as stored here; compare it with the anchor on the ledger. */
  readonly root: string;
  readonly batchId: string;
  /** The anchoring transaction, null while the batch is not anchored. */
  readonly txId: string | null;
}

export interface SavedBatch {
  readonly root: string;
  readonly leafHashes: string[];
  /** Store ids of the samples, in input order. */
  readonly sampleIds: number[];
}

const MAX_TX_ID_LENGTH = 128;
/** Owner-data columns holding sealed text, by OwnerData field. */
const SEALED_COLUMNS = {
  name: 'name_sealed',
  address: 'address_sealed',
  contractId: 'contract_id_sealed',
  email: 'email_sealed',
} as const;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sample_batches (
  batch_id    TEXT PRIMARY KEY,
  root        TEXT NOT NULL,
  count       INTEGER NOT NULL,
  created_at  TEXT NOT NULL,
  tx_id       TEXT,
  anchored_at TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS samples (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  batch_id       TEXT NOT NULL REFERENCES sample_batches (batch_id) ON DELETE CASCADE,
  leaf_index     INTEGER NOT NULL,
  der_id         TEXT NOT NULL,
  interval_id    TEXT NOT NULL,
  sequence       INTEGER NOT NULL,
  offset_seconds INTEGER NOT NULL,
  energy_wh      INTEGER NOT NULL,
  leaf_hash      TEXT NOT NULL,
  UNIQUE (batch_id, leaf_index),
  UNIQUE (der_id, interval_id, sequence, offset_seconds)
) STRICT;
CREATE TABLE IF NOT EXISTS owner_data (
  der_id             TEXT PRIMARY KEY,
  name_sealed        TEXT NOT NULL,
  address_sealed     TEXT NOT NULL,
  contract_id_sealed TEXT NOT NULL,
  email_sealed       TEXT,
  salt               TEXT NOT NULL,
  sha256             TEXT NOT NULL,
  updated_at         TEXT NOT NULL
) STRICT;
`;

type Row = Record<string, SQLOutputValue>;

function corrupt(detail: string): Error {
  return new Error(`off-chain store is inconsistent: ${detail}`);
}

function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw corrupt(`column ${column} is not text`);
  return value;
}

function optionalText(row: Row, column: string): string | null {
  const value = row[column];
  if (value === null) return null;
  return text(row, column);
}

function integer(row: Row, column: string): number {
  const value = row[column];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw corrupt(`column ${column} is not an integer`);
  }
  return value;
}

function isUniqueViolation(err: unknown): boolean {
  // SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY
  const errcode = (err as { errcode?: unknown }).errcode;
  return errcode === 2067 || errcode === 1555;
}

function requireBatchId(batchId: unknown): string {
  if (typeof batchId !== 'string' || !ID_PATTERN.test(batchId)) {
    throw new VppError(
      ErrorCode.INVALID_ARGUMENT,
      "batchId must be 1..64 characters of A-Z, a-z, 0-9, '.', '_' or '-', starting alphanumeric",
    );
  }
  return batchId;
}

function sealContext(derId: string, field: keyof typeof SEALED_COLUMNS): string {
  return `owner-data:${derId}:${field}`;
}

export class OffChainStore {
  readonly #db: DatabaseSync;
  readonly #key: FieldKey;
  readonly #keys: readonly FieldKey[];
  readonly #insertBatch: StatementSync;
  readonly #insertSample: StatementSync;
  readonly #selectBatch: StatementSync;
  readonly #anchorBatch: StatementSync;
  readonly #deleteBatch: StatementSync;
  readonly #selectSample: StatementSync;
  readonly #selectLeafHashes: StatementSync;
  readonly #selectSamplesOf: StatementSync;
  readonly #upsertOwnerData: StatementSync;
  readonly #selectOwnerData: StatementSync;

  /**
   * Opens (creating if needed) the store in `file`, or in memory for ':memory:'. `key` seals new
   * personal fields; `previousKeys` only open fields sealed before a key change.
   */
  constructor(file: string, key: FieldKey, previousKeys: readonly FieldKey[] = []) {
    this.#db = new DatabaseSync(file);
    this.#key = key;
    this.#keys = [key, ...previousKeys];
    try {
      if (file !== ':memory:') {
        chmodSync(file, 0o600);
        this.#db.exec('PRAGMA journal_mode = WAL');
        this.#db.exec('PRAGMA synchronous = NORMAL');
      }
      this.#db.exec('PRAGMA foreign_keys = ON');
      this.#db.exec('PRAGMA busy_timeout = 5000');
      this.#db.exec(SCHEMA);
    } catch (err) {
      this.#db.close();
      throw err;
    }
    const db = this.#db;
    this.#insertBatch = db.prepare(
      'INSERT INTO sample_batches (batch_id, root, count, created_at) VALUES (?, ?, ?, ?)',
    );
    this.#insertSample = db.prepare(
      `INSERT INTO samples (batch_id, leaf_index, der_id, interval_id, sequence, offset_seconds, energy_wh, leaf_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#selectBatch = db.prepare('SELECT * FROM sample_batches WHERE batch_id = ?');
    this.#anchorBatch = db.prepare(
      'UPDATE sample_batches SET tx_id = ?, anchored_at = ? WHERE batch_id = ? AND tx_id IS NULL',
    );
    this.#deleteBatch = db.prepare('DELETE FROM sample_batches WHERE batch_id = ? AND tx_id IS NULL');
    this.#selectSample = db.prepare('SELECT * FROM samples WHERE id = ?');
    this.#selectLeafHashes = db.prepare(
      'SELECT leaf_index, leaf_hash FROM samples WHERE batch_id = ? ORDER BY leaf_index',
    );
    this.#selectSamplesOf = db.prepare(
      `SELECT * FROM samples WHERE der_id = ? AND interval_id = ?
       ORDER BY sequence, offset_seconds, id`,
    );
    this.#upsertOwnerData = db.prepare(
      `INSERT INTO owner_data (der_id, name_sealed, address_sealed, contract_id_sealed, email_sealed, salt, sha256, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (der_id) DO UPDATE SET
         name_sealed = excluded.name_sealed, address_sealed = excluded.address_sealed,
         contract_id_sealed = excluded.contract_id_sealed, email_sealed = excluded.email_sealed,
         salt = excluded.salt,
         sha256 = excluded.sha256, updated_at = excluded.updated_at`,
    );
    this.#selectOwnerData = db.prepare('SELECT * FROM owner_data WHERE der_id = ?');
  }

  #transaction<T>(work: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (err) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw err;
    }
  }

  // ---- sample batches ----

  /**
   * Stores the samples (1..MAX_ANCHOR_SAMPLES, each validated by parseSample) as batch `batchId` in
   * one transaction and returns the root to anchor. ALREADY_EXISTS if the batch id is taken or a
   * sample with the same (derId, intervalId, sequence, offsetSeconds) is already stored.
   */
  saveBatch(batchId: string, samples: readonly Sample[]): SavedBatch {
    requireBatchId(batchId);
    if (!Array.isArray(samples) || samples.length < 1 || samples.length > MAX_ANCHOR_SAMPLES) {
      throw new VppError(ErrorCode.INVALID_ARGUMENT, `a batch holds 1..${MAX_ANCHOR_SAMPLES} samples`);
    }
    const parsed = samples.map((sample, i) => {
      try {
        return parseSample(sample);
      } catch (err) {
        if (isVppError(err)) throw new VppError(err.code, `sample ${i}: ${err.detail}`);
        throw err;
      }
    });
    const leafHashes = parsed.map(sampleLeaf);
    const root = merkleRoot(leafHashes);
    const sampleIds = this.#transaction(() => {
      try {
        this.#insertBatch.run(batchId, root, parsed.length, new Date().toISOString());
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new VppError(ErrorCode.ALREADY_EXISTS, `batch ${batchId} already exists`);
        }
        throw err;
      }
      return parsed.map((s, i) => {
        try {
          const { lastInsertRowid } = this.#insertSample.run(
            batchId,
            i,
            s.derId,
            s.intervalId,
            s.sequence,
            s.offsetSeconds,
            s.energyWh,
            leafHashes[i] as string,
          );
          return Number(lastInsertRowid);
        } catch (err) {
          if (isUniqueViolation(err)) {
            throw new VppError(
              ErrorCode.ALREADY_EXISTS,
              `sample ${i}: der ${s.derId} interval ${s.intervalId} sequence ${s.sequence} offset ${s.offsetSeconds}s is already stored`,
            );
          }
          throw err;
        }
      });
    });
    return { root, leafHashes, sampleIds };
  }

  /**
   * Records the transaction that anchored the batch's root. Repeating it with the same txId changes
   * nothing; NOT_FOUND for an unknown batch, INVALID_STATE if another transaction anchored it.
   */
  markAnchored(batchId: string, txId: string): void {
    if (typeof txId !== 'string' || txId.length < 1 || txId.length > MAX_TX_ID_LENGTH) {
      throw new VppError(ErrorCode.INVALID_ARGUMENT, `txId must be 1..${MAX_TX_ID_LENGTH} characters`);
    }
    this.#transaction(() => {
      const batch = this.#selectBatch.get(batchId);
      if (batch === undefined) {
        throw new VppError(ErrorCode.NOT_FOUND, `batch ${batchId} does not exist`);
      }
      const anchoredBy = optionalText(batch, 'tx_id');
      if (anchoredBy === txId) return;
      if (anchoredBy !== null) {
        throw new VppError(
          ErrorCode.INVALID_STATE,
          `batch ${batchId} is already anchored by transaction ${anchoredBy}`,
        );
      }
      this.#anchorBatch.run(txId, new Date().toISOString(), batchId);
    });
  }

  /**
   * Removes a batch that was not anchored (its transaction failed) with its samples, so they can be
   * stored again. Returns whether a batch was removed; INVALID_STATE for an anchored batch.
   */
  dropBatch(batchId: string): boolean {
    return this.#transaction(() => {
      const batch = this.#selectBatch.get(batchId);
      if (batch === undefined) return false;
      const anchoredBy = optionalText(batch, 'tx_id');
      if (anchoredBy !== null) {
        throw new VppError(
          ErrorCode.INVALID_STATE,
          `batch ${batchId} is anchored by transaction ${anchoredBy} and cannot be dropped`,
        );
      }
      return Number(this.#deleteBatch.run(batchId).changes) === 1;
    });
  }

  #storedSample(row: Row): StoredSample {
    const id = integer(row, 'id');
    let sample: Sample;
    try {
      sample = parseSample({
        derId: row.der_id,
        intervalId: row.interval_id,
        sequence: row.sequence,
        offsetSeconds: row.offset_seconds,
        energyWh: row.energy_wh,
      });
    } catch (err) {
      throw corrupt(`sample ${id} does not decode: ${(err as Error).message}`);
    }
    return {
      id,
      batchId: text(row, 'batch_id'),
      leafIndex: integer(row, 'leaf_index'),
      sample,
      leafHash: sampleLeaf(sample),
    };
  }

  getSample(id: number): StoredSample | undefined {
    if (!Number.isSafeInteger(id)) return undefined;
    const row = this.#selectSample.get(id);
    return row === undefined ? undefined : this.#storedSample(row);
  }

  /** The sample with its audit path in its batch's tree; undefined for an unknown id. */
  proofOf(id: number): SampleProof | undefined {
    const stored = this.getSample(id);
    if (stored === undefined) return undefined;
    const batch = this.#selectBatch.get(stored.batchId);
    if (batch === undefined) throw corrupt(`sample ${id} belongs to missing batch ${stored.batchId}`);
    const rows = this.#selectLeafHashes.all(stored.batchId);
    const count = integer(batch, 'count');
    if (rows.length !== count || rows.some((row, i) => integer(row, 'leaf_index') !== i)) {
      throw corrupt(`batch ${stored.batchId} should hold leaves 0..${count - 1}`);
    }
    const leafHashes = rows.map((row) => text(row, 'leaf_hash'));
    return {
      sample: stored.sample,
      leafHash: stored.leafHash,
      proof: merkleProof(leafHashes, stored.leafIndex),
      root: text(batch, 'root'),
      batchId: stored.batchId,
      txId: optionalText(batch, 'tx_id'),
    };
  }

  /** Every stored sample of the DER's interval, by sequence, then offset. */
  samplesOf(derId: string, intervalId: string): { id: number; sample: Sample }[] {
    return this.#selectSamplesOf
      .all(derId, intervalId)
      .map((row) => this.#storedSample(row))
      .map(({ id, sample }) => ({ id, sample }));
  }

  // ---- owner data ----

  /**
   * Stores (or replaces) the owner data of data.derId, validated by parseOwnerData: the personal
   * fields sealed with the field key, and their hash, which is returned for the ledger.
   */
  putOwnerData(data: OwnerData): { sha256: string } {
    const parsed = parseOwnerData(data);
    const sha256 = ownerDataHash(parsed);
    const seal = (field: keyof typeof SEALED_COLUMNS, value: string) =>
      encryptField(this.#key, value, sealContext(parsed.derId, field));
    this.#upsertOwnerData.run(
      parsed.derId,
      seal('name', parsed.name),
      seal('address', parsed.address),
      seal('contractId', parsed.contractId),
      parsed.email === undefined ? null : seal('email', parsed.email),
      parsed.salt,
      sha256,
      new Date().toISOString(),
    );
    return { sha256 };
  }

  /**
   * The owner data of the DER, decrypted; undefined if none is stored. Throws if a field does not
   * decrypt (altered, or sealed with a key this store was not given) or the data no longer matches
   * the hash recorded with it.
   */
  getOwnerData(derId: string): OwnerData | undefined {
    const row = this.#selectOwnerData.get(derId);
    if (row === undefined) return undefined;
    const open = (field: keyof typeof SEALED_COLUMNS) =>
      decryptField(this.#keys, text(row, SEALED_COLUMNS[field]), sealContext(derId, field));
    const email = optionalText(row, SEALED_COLUMNS.email) === null ? undefined : open('email');
    const data: OwnerData = {
      derId: text(row, 'der_id'),
      name: open('name'),
      address: open('address'),
      contractId: open('contractId'),
      ...(email === undefined ? {} : { email }),
      salt: text(row, 'salt'),
    };
    if (ownerDataHash(data) !== text(row, 'sha256')) {
      throw corrupt(`the owner data of der ${derId} does not match its recorded hash`);
    }
    return data;
  }

  /** The recorded hash of the DER's owner data (without decrypting it); undefined if none is stored. */
  ownerDataHashOf(derId: string): string | undefined {
    const row = this.#selectOwnerData.get(derId);
    return row === undefined ? undefined : text(row, 'sha256');
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
