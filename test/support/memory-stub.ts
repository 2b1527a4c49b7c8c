// An in-memory stand-in for the part of Fabric's ChaincodeStub the chaincode uses, faithful where it
// matters for contract logic:
// - keys are kept and scanned in UTF-8 byte order, as the peer's state database does;
// - composite keys use Fabric's exact encoding (U+0000 namespace and separators);
// - a transaction's writes are buffered and invisible to its own reads until the harness commits it,
//   and a failed transaction is simply never committed;
// - only the last setEvent of a transaction counts, but every call is recorded for assertions;
// - every committed write and delete is kept per key, so getHistoryForKey answers newest first as
//   the peer's history database does (a delete carries an empty value).
// Anything not implemented is absent, so chaincode that starts using it fails loudly here.

import { createHash } from 'node:crypto';
import type { Context } from 'fabric-contract-api';

type ChaincodeStub = Context['stub'];
type ClientIdentity = Context['clientIdentity'];
type StateQueryIterator = Awaited<ReturnType<ChaincodeStub['getStateByPartialCompositeKey']>>;
type KV = Awaited<ReturnType<StateQueryIterator['next']>>['value'];
type HistoryQueryIterator = Awaited<ReturnType<ChaincodeStub['getHistoryForKey']>>;
type KeyModification = Awaited<ReturnType<HistoryQueryIterator['next']>>['value'];
type Timestamp = ReturnType<ChaincodeStub['getTxTimestamp']>;

const COMPOSITE_NS = '\u0000';

function privateKeyOf(collection: string, key: string): string {
  return `${collection}\u0000${key}`;
}
const MIN_RUNE = '\u0000';
const MAX_RUNE = '\u{10FFFF}';

/** Orders keys as the peer does: by their UTF-8 bytes (not by JS UTF-16 code units). */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Fabric's createCompositeKey, including its validation (fabric-shim lib/stub.js). */
export function fabricCompositeKey(objectType: string, attributes: readonly string[]): string {
  for (const part of [objectType, ...attributes]) {
    if (typeof part !== 'string' || part.length === 0) {
      throw new Error('object type or attribute not a non-zero length string');
    }
  }
  return COMPOSITE_NS + objectType + MIN_RUNE + attributes.map((a) => a + MIN_RUNE).join('');
}

/** Fabric's splitCompositeKey. */
export function fabricSplitCompositeKey(key: string): { objectType: string | null; attributes: string[] } {
  if (key.length > 1 && key.startsWith(COMPOSITE_NS)) {
    const parts = key.substring(1).split(MIN_RUNE);
    parts.pop();
    const objectType = parts.shift() ?? null;
    return { objectType, attributes: parts };
  }
  return { objectType: null, attributes: [] };
}

export interface Caller {
  readonly mspId: string;
  /** X.509 attributes, e.g. { 'vpp.role': 'admin' }. */
  readonly attributes?: Readonly<Record<string, string>>;
  readonly id?: string;
}

export interface TxOptions {
  readonly caller: Caller;
  /** Transaction time; an ISO string or seconds since the epoch. Defaults to the ledger's clock. */
  readonly time?: string | number;
  readonly nanos?: number;
  readonly txId?: string;
  readonly fcn?: string;
  /** The proposal's transient map (private inputs that never reach the ledger). */
  readonly transient?: Readonly<Record<string, string | Uint8Array>>;
}

/** One committed write of a key; an undefined value is a delete. */
export interface HistoryRecord {
  readonly txId: string;
  readonly seconds: number;
  readonly nanos: number;
  readonly value: Uint8Array | undefined;
}

export interface RecordedEvent {
  readonly name: string;
  readonly payload: Uint8Array;
}

/** Shaped like the unsigned Long fabric-shim returns, without depending on the `long` package. */
interface RowIterator<T> {
  next(): Promise<{ value: T; done: boolean }>;
  close(): Promise<void>;
}

/**
 * fabric-shim's query results are both awaitable (the iterator, closed by the caller) and async
 * iterable (the rows, the iterator closed after the last one or on break).
 */
function iterable<T, I>(iterator: RowIterator<T>): Promise<I> & AsyncIterable<T> {
  return Object.assign(Promise.resolve(iterator as unknown as I), {
    [Symbol.asyncIterator]: async function* () {
      try {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          yield next.value;
        }
      } finally {
        await iterator.close();
      }
    },
  });
}

function longLike(value: number): Timestamp['seconds'] {
  const long = { low: value % 2 ** 32, high: Math.floor(value / 2 ** 32), unsigned: true };
  return Object.assign(long, {
    toNumber: () => value,
    toString: () => String(value),
  }) as unknown as Timestamp['seconds'];
}

function fakeIdentity(caller: Caller): ClientIdentity {
  const attributes = caller.attributes ?? {};
  const identity: ClientIdentity = {
    getMSPID: () => caller.mspId,
    getID: () => caller.id ?? `x509::/CN=user@${caller.mspId}::/CN=ca.${caller.mspId}`,
    getIDBytes: () => new Uint8Array(),
    getAttributeValue: (name) => attributes[name] ?? null,
    assertAttributeValue: (name, value) => attributes[name] === value,
  };
  return identity;
}

/** One transaction's view of the ledger: reads committed state, buffers writes. */
export class MemoryStub {
  readonly events: RecordedEvent[] = [];
  /** Buffered writes in call order of first touch; undefined marks a delete. */
  readonly writes = new Map<string, Uint8Array | undefined>();
  openIterators = 0;

  constructor(
    private readonly committed: ReadonlyMap<string, Uint8Array>,
    private readonly options: Required<Pick<TxOptions, 'txId' | 'fcn'>> &
      Pick<TxOptions, 'transient'> & { seconds: number; nanos: number },
    private readonly history: ReadonlyMap<string, readonly HistoryRecord[]> = new Map(),
    private readonly privateState: ReadonlyMap<string, Uint8Array> = new Map(),
  ) {}

  /** Private data writes of this transaction: `<collection>\u0000<key>` → value (undefined: purge). */
  readonly privateWrites = new Map<string, Uint8Array | undefined>();

  getTxID(): string {
    return this.options.txId;
  }

  getTransient(): Map<string, Uint8Array> {
    return new Map(
      Object.entries(this.options.transient ?? {}).map(([name, value]) => [
        name,
        typeof value === 'string' ? Buffer.from(value, 'utf8') : Uint8Array.from(value),
      ]),
    );
  }

  /** As a member peer answers: the committed value, or empty bytes. Non-members are the test's concern. */
  async getPrivateData(collection: string, key: string): Promise<Uint8Array> {
    const value = this.privateState.get(privateKeyOf(collection, key));
    return value === undefined ? new Uint8Array() : Uint8Array.from(value);
  }

  /** What every peer can read: SHA-256 of the committed value, or empty bytes. */
  async getPrivateDataHash(collection: string, key: string): Promise<Uint8Array> {
    const value = this.privateState.get(privateKeyOf(collection, key));
    return value === undefined
      ? new Uint8Array()
      : Uint8Array.from(createHash('sha256').update(value).digest());
  }

  async putPrivateData(collection: string, key: string, value: Uint8Array): Promise<void> {
    if (!(value instanceof Uint8Array) || value.length === 0) {
      throw new Error('memory stub: refusing to store an empty or non-byte private value');
    }
    this.privateWrites.set(privateKeyOf(collection, key), Uint8Array.from(value));
  }

  async purgePrivateData(collection: string, key: string): Promise<void> {
    this.privateWrites.set(privateKeyOf(collection, key), undefined);
  }

  getChannelID(): string {
    return 'vpp';
  }

  getFunctionAndParameters(): { fcn: string; params: string[] } {
    return { fcn: this.options.fcn, params: [] };
  }

  getTxTimestamp(): Timestamp {
    return { seconds: longLike(this.options.seconds), nanos: this.options.nanos };
  }

  async getState(key: string): Promise<Uint8Array> {
    const value = this.committed.get(key);
    // The peer answers an absent key with empty bytes.
    return value === undefined ? new Uint8Array() : Uint8Array.from(value);
  }

  async putState(key: string, value: Uint8Array): Promise<void> {
    if (key === '') {
      throw new Error('key must not be an empty string');
    }
    if (!(value instanceof Uint8Array) || value.length === 0) {
      throw new Error(`memory stub: refusing to store an empty or non-byte value at ${JSON.stringify(key)}`);
    }
    this.writes.set(key, Uint8Array.from(value));
  }

  async deleteState(key: string): Promise<void> {
    this.writes.set(key, undefined);
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    return fabricCompositeKey(objectType, attributes);
  }

  splitCompositeKey(key: string): { objectType: string | null; attributes: string[] } {
    return fabricSplitCompositeKey(key);
  }

  setEvent(name: string, payload: Uint8Array): void {
    if (typeof name !== 'string' || name === '') {
      throw new Error('Event name must be a non-empty string');
    }
    this.events.push({ name, payload: Uint8Array.from(payload) });
  }

  getStateByPartialCompositeKey(
    objectType: string,
    attributes: string[],
  ): Promise<StateQueryIterator> & AsyncIterable<KV> {
    const start = fabricCompositeKey(objectType, attributes);
    const end = start + MAX_RUNE;
    // Snapshot now: the committed state a real range query would see at this point.
    const rows: KV[] = [...this.committed.entries()]
      .filter(([key]) => compareKeys(key, start) >= 0 && compareKeys(key, end) < 0)
      .sort(([a], [b]) => compareKeys(a, b))
      .map(([key, value]) => ({ namespace: 'vpp', key, value: Uint8Array.from(value) }));
    return iterable(this.iterate(rows));
  }

  /**
   * Paged range query as the peer runs it on LevelDB: at most `pageSize` rows from `bookmark` (a key,
   * inclusive) or from the start; the returned bookmark is the next key, or '' after the last page.
   */
  async getStateByPartialCompositeKeyWithPagination(
    objectType: string,
    attributes: string[],
    pageSize: number,
    bookmark?: string,
  ): Promise<{ iterator: StateQueryIterator; metadata: { fetchedRecordsCount: number; bookmark: string } }> {
    const start = fabricCompositeKey(objectType, attributes);
    const end = start + MAX_RUNE;
    const from =
      bookmark !== undefined && bookmark !== '' && compareKeys(bookmark, start) > 0 ? bookmark : start;
    const all = [...this.committed.entries()]
      .filter(([key]) => compareKeys(key, from) >= 0 && compareKeys(key, end) < 0)
      .sort(([a], [b]) => compareKeys(a, b));
    const page = all
      .slice(0, pageSize)
      .map(([key, value]) => ({ namespace: 'vpp', key, value: Uint8Array.from(value) }));
    const next = all[pageSize]?.[0] ?? '';
    // An empty page with no next key has all-default metadata, which protobuf sends as no bytes:
    // fabric-shim then gives no `metadata` at all (its typings say otherwise).
    const metadata =
      page.length === 0 && next === '' ? undefined : { fetchedRecordsCount: page.length, bookmark: next };
    return {
      iterator: this.iterate(page) as unknown as StateQueryIterator,
      metadata: metadata as { fetchedRecordsCount: number; bookmark: string },
    };
  }

  getHistoryForKey(key: string): Promise<HistoryQueryIterator> & AsyncIterable<KeyModification> {
    // Newest first, as a snapshot of what is committed now.
    const rows: KeyModification[] = [...(this.history.get(key) ?? [])].reverse().map((record) => ({
      txId: record.txId,
      isDelete: record.value === undefined,
      value: record.value === undefined ? new Uint8Array() : Uint8Array.from(record.value),
      timestamp: { seconds: longLike(record.seconds), nanos: record.nanos },
    }));
    return iterable<KeyModification, HistoryQueryIterator>(this.iterate(rows));
  }

  private iterate<T>(rows: readonly T[]): RowIterator<T> {
    this.openIterators += 1;
    let position = 0;
    let closed = false;
    return {
      next: async () => {
        if (closed) {
          throw new Error('memory stub: next() on a closed iterator');
        }
        const row = rows[position];
        position += 1;
        // Like fabric-shim, the final result carries no value.
        return row === undefined
          ? ({ done: true } as { value: T; done: boolean })
          : { value: row, done: false };
      },
      close: async () => {
        if (!closed) {
          closed = true;
          this.openIterators -= 1;
        }
      },
    };
  }
}

export class MemoryTransaction {
  readonly ctx: Context;
  #committed = false;

  constructor(
    readonly stub: MemoryStub,
    clientIdentity: ClientIdentity,
    private readonly apply: (writes: ReadonlyMap<string, Uint8Array | undefined>) => void,
  ) {
    // Only the members the chaincode reads; Context itself is used as a type, never constructed.
    this.ctx = { stub: stub as unknown as ChaincodeStub, clientIdentity } as unknown as Context;
  }

  /** The event Fabric would publish: the last one set. */
  get event(): RecordedEvent | undefined {
    return this.stub.events.at(-1);
  }

  commit(): void {
    if (this.#committed) {
      throw new Error('memory stub: transaction committed twice');
    }
    this.#committed = true;
    this.apply(this.stub.writes);
  }
}

export const DEFAULT_START_TIME = '2025-01-01T00:00:00.000Z';

/** The committed world state plus a deterministic clock that advances one second per transaction. */
export class MemoryLedger {
  readonly #state = new Map<string, Uint8Array>();
  readonly #history = new Map<string, HistoryRecord[]>();
  readonly #private = new Map<string, Uint8Array>();
  #txCount = 0;
  #nextSeconds = Date.parse(DEFAULT_START_TIME) / 1000;

  begin(options: TxOptions): MemoryTransaction {
    this.#txCount += 1;
    const seconds = this.#resolveSeconds(options.time);
    this.#nextSeconds = seconds + 1;
    const txId = options.txId ?? `tx${String(this.#txCount).padStart(4, '0')}`;
    const nanos = options.nanos ?? 0;
    const stub = new MemoryStub(
      this.#state,
      {
        txId,
        fcn: options.fcn ?? '',
        seconds,
        nanos,
        ...(options.transient ? { transient: options.transient } : {}),
      },
      this.#history,
      this.#private,
    );
    return new MemoryTransaction(stub, fakeIdentity(options.caller), (writes) => {
      this.#apply(writes, { txId, seconds, nanos });
      for (const [key, value] of stub.privateWrites) {
        if (value === undefined) this.#private.delete(key);
        else this.#private.set(key, value);
      }
    });
  }

  /** Runs `fn` as a submitted transaction: committed if it resolves, discarded if it throws. */
  async submit<T>(
    options: TxOptions,
    fn: (ctx: Context) => Promise<T>,
  ): Promise<{ result: T; tx: MemoryTransaction }> {
    const tx = this.begin(options);
    const result = await fn(tx.ctx);
    tx.commit();
    return { result, tx };
  }

  /** Runs `fn` as an evaluated (query) transaction: never committed. */
  async evaluate<T>(options: TxOptions, fn: (ctx: Context) => Promise<T>): Promise<T> {
    return fn(this.begin(options).ctx);
  }

  /** Writes committed state directly, bypassing any chaincode (e.g. to plant corrupted data). */
  seed(key: string, value: Uint8Array | string): void {
    this.#state.set(key, typeof value === 'string' ? Buffer.from(value, 'utf8') : Uint8Array.from(value));
  }

  get(key: string): Uint8Array | undefined {
    const value = this.#state.get(key);
    return value === undefined ? undefined : Uint8Array.from(value);
  }

  getText(key: string): string | undefined {
    const value = this.#state.get(key);
    return value === undefined ? undefined : Buffer.from(value).toString('utf8');
  }

  privateText(collection: string, key: string): string | undefined {
    const value = this.#private.get(privateKeyOf(collection, key));
    return value === undefined ? undefined : Buffer.from(value).toString('utf8');
  }

  /** Committed keys in ledger order. */
  keys(): string[] {
    return [...this.#state.keys()].sort(compareKeys);
  }

  get size(): number {
    return this.#state.size;
  }

  #resolveSeconds(time: string | number | undefined): number {
    if (time === undefined) {
      return this.#nextSeconds;
    }
    const seconds = typeof time === 'number' ? time : Date.parse(time) / 1000;
    if (!Number.isInteger(seconds)) {
      throw new Error(`memory stub: transaction time must be whole seconds, got ${String(time)}`);
    }
    return seconds;
  }

  #apply(
    writes: ReadonlyMap<string, Uint8Array | undefined>,
    tx: Pick<HistoryRecord, 'txId' | 'seconds' | 'nanos'>,
  ): void {
    for (const [key, value] of writes) {
      const records = this.#history.get(key) ?? [];
      records.push({ ...tx, value });
      this.#history.set(key, records);
      if (value === undefined) {
        this.#state.delete(key);
      } else {
        this.#state.set(key, value);
      }
    }
  }
}
