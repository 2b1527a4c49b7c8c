// The only module that touches ctx.stub's world-state APIs. Values go through the canonical codec and
// come back through a caller-supplied decoder, so every read is validated into a typed value and a
// corrupted or foreign record surfaces as INTERNAL instead of leaking half-typed data.
//
// Fabric semantics worth remembering: a transaction never sees its own writes (reads return the
// committed state), and range scans are re-executed at validation to detect phantoms.

import type { Context } from 'fabric-contract-api';
import { MAX_HISTORY_PAGE_SIZE, MAX_PAGE_SIZE, requireIntegerValue } from '../rules';
import { ErrorCode, VppError } from '../types/errors';
import type { HistoryEntry, HistoryPage } from '../types/history';
import { decode, encode, type JsonValue } from '../encoding/canonical-json';
import { compositeKey, printableKey, splitCompositeKey, type KeyPrefix } from '../encoding/keys';
import { getStates, setState } from './state-batching';
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

/**
 * The value's bytes exactly as stored, undefined if absent: for attesting a record (its hash), where
 * decoding would prove nothing. The read still enters the read set with the key's version.
 */
export async function readStateBytes(ctx: Context, key: string): Promise<Uint8Array | undefined> {
  const bytes = await ctx.stub.getState(key);
  return bytes === undefined || bytes === null || bytes.length === 0 ? undefined : bytes;
}

/** Reads and decodes a value; undefined if the key is absent (Fabric returns empty bytes). */
export async function readState<T>(ctx: Context, key: string, decoder: Decoder<T>): Promise<T | undefined> {
  const bytes = await ctx.stub.getState(key);
  if (bytes === undefined || bytes === null || bytes.length === 0) {
    return undefined;
  }
  return decodeStored(key, bytes, decoder);
}

/**
 * Reads and decodes many values at once (one round trip per batch where the peer allows it, see
 * state-batching.ts), in the order of `keys`; undefined where a key is absent.
 */
export async function readStates<T>(
  ctx: Context,
  keys: readonly string[],
  decoder: Decoder<T>,
): Promise<(T | undefined)[]> {
  const values = await getStates(ctx.stub, keys);
  return values.map((bytes, i) =>
    bytes.length === 0 ? undefined : decodeStored(keys[i] as string, bytes, decoder),
  );
}

/**
 * Like readStates, but every key must exist: for the first that does not, the error `missing` makes
 * for its index is thrown (what absence means is the caller's: NOT_FOUND, or an inconsistent index).
 */
export async function requireStates<T>(
  ctx: Context,
  keys: readonly string[],
  decoder: Decoder<T>,
  missing: (index: number) => Error,
): Promise<T[]> {
  const values = await readStates(ctx, keys, decoder);
  return values.map((value, i) => {
    if (value === undefined) throw missing(i);
    return value;
  });
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

/**
 * ALREADY_EXISTS with `detail` if `key` holds a value: for records written once (an interval, its
 * demand, a bid, a clearing, an instruction). The value is decoded, so a corrupted one is INTERNAL.
 */
export async function requireAbsent<T>(
  ctx: Context,
  key: string,
  decoder: Decoder<T>,
  detail: string,
): Promise<void> {
  if ((await readState(ctx, key, decoder)) !== undefined) {
    throw new VppError(ErrorCode.ALREADY_EXISTS, detail);
  }
}

/** Writes the canonical encoding of `value` and returns the exact bytes written (e.g. for events). */
export async function writeState(ctx: Context, key: string, value: unknown): Promise<Uint8Array> {
  const bytes = encode(value);
  await setState(ctx.stub, key, bytes);
  return bytes;
}

export async function deleteState(ctx: Context, key: string): Promise<void> {
  await setState(ctx.stub, key, undefined);
}

type StateIterator = Awaited<ReturnType<Context['stub']['getStateByPartialCompositeKey']>>;

/** Drains a range-query iterator into typed entries, always closing it (the peer keeps it open otherwise). */
async function collect<T>(
  iterator: StateIterator,
  prefix: KeyPrefix,
  decoder: Decoder<T>,
): Promise<Entry<T>[]> {
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
  return collect(iterator, prefix, decoder);
}

/**
 * Entries under a partial composite key in ledger key order, handed to `visit` one by one until it
 * answers false or the range ends; the iterator is then closed. Stopping early keeps the read (and
 * the range Fabric re-checks for phantoms at validation) to the keys actually needed.
 */
export async function scanPrefixWhile<T>(
  ctx: Context,
  prefix: KeyPrefix,
  decoder: Decoder<T>,
  visit: (entry: Entry<T>) => boolean,
): Promise<void> {
  const iterator = await ctx.stub.getStateByPartialCompositeKey(prefix.objectType, [...prefix.attributes]);
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const { key, value } = next.value;
      const parts = splitCompositeKey(key);
      if (parts === undefined || parts.objectType !== prefix.objectType) {
        throw new VppError(ErrorCode.INTERNAL, `range scan returned a foreign key ${printableKey(key)}`);
      }
      if (!visit({ key, attributes: parts.attributes, value: decodeStored(key, value, decoder) })) break;
    }
  } finally {
    await iterator.close();
  }
}

export interface Page<T> {
  readonly entries: Entry<T>[];
  /** Pass back to get the next page; '' when there is none. */
  readonly bookmark: string;
}

/**
 * One page of entries under a partial composite key; `pageSize` must be 1..`maxPageSize` (the list's
 * own bound, MAX_PAGE_SIZE unless its records are large). Paged range queries are read-only in Fabric
 * (the peer refuses them in a transaction that writes), which suits the list queries that use them.
 */
export async function scanPrefixPage<T>(
  ctx: Context,
  prefix: KeyPrefix,
  decoder: Decoder<T>,
  pageSize: number,
  bookmark: string,
  maxPageSize: number = MAX_PAGE_SIZE,
): Promise<Page<T>> {
  requireIntegerValue(pageSize, 'pageSize', { min: 1, max: maxPageSize });
  // The peer starts the scan at the bookmark itself, so one from another list would page through
  // keys outside this prefix (another VPP's readings, say): only this list's own keys are accepted.
  if (bookmark !== '' && !bookmark.startsWith(compositeKey(prefix.objectType, prefix.attributes))) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, 'bookmark does not belong to this list');
  }
  const { iterator, metadata } = await ctx.stub.getStateByPartialCompositeKeyWithPagination(
    prefix.objectType,
    [...prefix.attributes],
    pageSize,
    bookmark,
  );
  // fabric-shim leaves `metadata` out when the peer's is all defaults (an empty last page), though
  // its typings promise one.
  const next = (metadata as typeof metadata | undefined)?.bookmark ?? '';
  return { entries: await collect(iterator, prefix, decoder), bookmark: next };
}

/** Emits the transaction's chaincode event. Fabric keeps only the last event set per transaction. */
export function emitEvent(ctx: Context, name: string, payload: Uint8Array): void {
  ctx.stub.setEvent(name, payload);
}

/** Emits the canonical JSON of `payload` as the transaction's chaincode event. */
export function emitJson(ctx: Context, name: string, payload: unknown): void {
  emitEvent(ctx, name, encode(payload));
}

/**
 * Decoder of index entries, which hold one id (`what` names it in the message): an index entry that
 * holds anything else means the ledger is inconsistent, which reads surface as INTERNAL.
 */
export function indexEntry(what: string): Decoder<string> {
  return (value) => {
    if (typeof value !== 'string') {
      throw new VppError(ErrorCode.INVALID_ARGUMENT, `index entry must be ${what}`);
    }
    return value;
  };
}

/**
 * One page of the committed writes of `key`, as the peer returns them (newest first), from the entry
 * whose txId is `bookmark` ('' for the newest). The peer's history query has no paging, so the
 * iterator is walked past earlier pages; only the page itself is decoded and answered. Values are
 * returned as text, not decoded: history is an audit view and must show corrupted or foreign records
 * as they are.
 */
export async function history(
  ctx: Context,
  key: string,
  pageSize: number,
  bookmark: string,
): Promise<HistoryPage> {
  requireIntegerValue(pageSize, 'pageSize', { min: 1, max: MAX_HISTORY_PAGE_SIZE });
  const iterator = await ctx.stub.getHistoryForKey(key);
  const entries: HistoryEntry[] = [];
  let started = bookmark === '';
  let next = '';
  try {
    for (let item = await iterator.next(); !item.done; item = await iterator.next()) {
      const { txId, timestamp, isDelete, value } = item.value;
      started ||= txId === bookmark;
      if (!started) continue;
      if (entries.length === pageSize) {
        next = txId;
        break;
      }
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
  if (!started) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, 'bookmark does not belong to this list');
  }
  return { entries, bookmark: next };
}

// ---- private data collections ----

/** Reads and decodes a private value; undefined when this peer holds none (absent, or not a member). */
export async function readPrivate<T>(
  ctx: Context,
  collection: string,
  key: string,
  decoder: Decoder<T>,
): Promise<T | undefined> {
  const bytes = await ctx.stub.getPrivateData(collection, key);
  if (bytes === undefined || bytes === null || bytes.length === 0) return undefined;
  return decodeStored(key, bytes, decoder);
}

/** The raw private bytes (for hashing exactly what is stored); undefined when absent here. */
export async function readPrivateBytes(
  ctx: Context,
  collection: string,
  key: string,
): Promise<Uint8Array | undefined> {
  const bytes = await ctx.stub.getPrivateData(collection, key);
  return bytes === undefined || bytes === null || bytes.length === 0 ? undefined : bytes;
}

/** Writes a private value (canonical encoding); only its hash reaches the block and other peers. */
export async function writePrivate(
  ctx: Context,
  collection: string,
  key: string,
  value: unknown,
): Promise<Uint8Array> {
  const bytes = encode(value);
  await ctx.stub.putPrivateData(collection, key, bytes);
  return bytes;
}

/** The transient input `name` of the proposal, as text; undefined when the client sent none. */
export function transientText(ctx: Context, name: string): string | undefined {
  const bytes = ctx.stub.getTransient().get(name);
  return bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');
}

/**
 * Hex SHA-256 of a private value, as every channel peer keeps it (members and non-members alike);
 * undefined when there is none.
 */
export async function privateHash(
  ctx: Context,
  collection: string,
  key: string,
): Promise<string | undefined> {
  const bytes = await ctx.stub.getPrivateDataHash(collection, key);
  return bytes === undefined || bytes === null || bytes.length === 0
    ? undefined
    : Buffer.from(bytes).toString('hex');
}
