// The only module that touches ctx.stub's world-state APIs. Values go through the canonical codec and
// come back through a caller-supplied decoder, so every read is validated into a typed value and a
// corrupted or foreign record surfaces as INTERNAL instead of leaking half-typed data.
//
// Fabric semantics worth remembering: a transaction never sees its own writes (reads return the
// committed state), and range scans are re-executed at validation to detect phantoms.

import type { Context } from 'fabric-contract-api';
import { ErrorCode, VppError } from '../types/errors';
import { decode, encode, type JsonValue } from './codec';
import { splitCompositeKey, type KeyPrefix } from './keys';
import { timestampToIso } from './tx-time';

/** Turns a decoded JSON value into a typed record, throwing if it does not have the expected shape. */
export type Decoder<T> = (value: JsonValue) => T;

export interface Entry<T> {
  readonly key: string;
  /** The composite-key attributes after the object type. */
  readonly attributes: readonly string[];
  readonly value: T;
}

function decodeStored<T>(key: string, bytes: Uint8Array, decoder: Decoder<T>): T {
  try {
    return decoder(decode(bytes));
  } catch (err) {
    const why = err instanceof VppError ? err.detail : String(err);
    throw new VppError(ErrorCode.INTERNAL, `stored value at ${printableKey(key)} is unreadable: ${why}`);
  }
}

/** Keys contain U+0000; make them legible in error messages. */
export function printableKey(key: string): string {
  return key.replaceAll('\u0000', '~').replace(/^~/, '');
}

/** Reads and decodes a value; undefined if the key is absent (Fabric returns empty bytes). */
export async function readState<T>(ctx: Context, key: string, decoder: Decoder<T>): Promise<T | undefined> {
  const bytes = await ctx.stub.getState(key);
  if (bytes === undefined || bytes === null || bytes.length === 0) {
    return undefined;
  }
  return decodeStored(key, bytes, decoder);
}

/** Like readState, but absence is a NOT_FOUND error naming `what`. */
export async function requireState<T>(
  ctx: Context,
  key: string,
  decoder: Decoder<T>,
  what: string,
): Promise<T> {
  const value = await readState(ctx, key, decoder);
  if (value === undefined) {
    throw new VppError(ErrorCode.NOT_FOUND, `${what} does not exist`);
  }
  return value;
}

/** Writes the canonical encoding of `value` and returns the exact bytes written (e.g. for events). */
export async function writeState(ctx: Context, key: string, value: unknown): Promise<Uint8Array> {
  const bytes = encode(value);
  await ctx.stub.putState(key, bytes);
  return bytes;
}

export async function deleteState(ctx: Context, key: string): Promise<void> {
  await ctx.stub.deleteState(key);
}

/**
 * All entries under a partial composite key, in ledger key order. The iterator is always closed,
 * even when decoding fails, because the peer keeps an open query per unclosed iterator.
 */
export async function scanPrefix<T>(
  ctx: Context,
  prefix: KeyPrefix,
  decoder: Decoder<T>,
): Promise<Entry<T>[]> {
  const iterator = await ctx.stub.getStateByPartialCompositeKey(prefix.objectType, [...prefix.attributes]);
  const entries: Entry<T>[] = [];
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const { key, value } = next.value;
      const parts = splitCompositeKey(key);
      if (parts === undefined || parts.objectType !== prefix.objectType) {
        throw new VppError(ErrorCode.INTERNAL, `range scan returned a foreign key ${printableKey(key)}`);
      }
      entries.push({ key, attributes: parts.attributes, value: decodeStored(key, value, decoder) });
    }
  } finally {
    await iterator.close();
  }
  return entries;
}

/** Emits the transaction's chaincode event. Fabric keeps only the last event set per transaction. */
export function emitEvent(ctx: Context, name: string, payload: Uint8Array): void {
  ctx.stub.setEvent(name, payload);
}

/** One write of a key, as the peer's history database records it. */
export interface HistoryEntry {
  readonly txId: string;
  /** The writing transaction's timestamp, ISO-8601 UTC. */
  readonly timestamp: string;
  readonly isDelete: boolean;
  /** The value written, as UTF-8 text; empty for a delete. */
  readonly value: string;
}

/**
 * Every committed write of `key`, as the peer returns them (newest first). Values are returned as
 * text, not decoded: history is an audit view and must show corrupted or foreign records as they are.
 */
export async function history(ctx: Context, key: string): Promise<HistoryEntry[]> {
  const iterator = await ctx.stub.getHistoryForKey(key);
  const entries: HistoryEntry[] = [];
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const { txId, timestamp, isDelete, value } = next.value;
      entries.push({
        txId,
        timestamp: timestampToIso(timestamp),
        isDelete,
        value: isDelete || value === undefined ? '' : Buffer.from(value).toString('utf8'),
      });
    }
  } finally {
    await iterator.close();
  }
  return entries;
}
