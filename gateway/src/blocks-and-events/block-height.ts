// Read your writes, and others': how far the gateway's own peer has committed, and a bounded wait
// until it has committed a given block. A client that wrote through another org's gateway names the
// block of its write (X-Min-Block); this gateway answers only once its peer has that block, so a
// read never shows the past. The height is learnt without polling: from this gateway's own commits,
// one chain-info read when a wait starts, then one block stream from the peer shared by every
// waiter, kept open a while after the last waiter so that a steady flow of such reads rarely waits.

import { ApiError } from '../core/api-error';

/** A stream of block numbers from the peer, in commit order (fabric-gateway's filtered block events). */
export interface BlockNumbers extends AsyncIterable<bigint> {
  close(): void;
}

/** TSDoc'd port: where the peer's height comes from. */
export interface HeightSource {
  /** The peer's ledger height now (the number of its next block). */
  height(): Promise<bigint>;
  /** Block numbers as the peer commits them, from `startBlock` on; it waits for blocks not yet there. */
  blocks(startBlock: bigint): Promise<BlockNumbers>;
}

export interface BlockHeightOptions {
  /** How long a request waits for its block at most. */
  readonly timeoutMs: number;
  /** How long the block stream stays open after the last waiter. */
  readonly lingerMs?: number;
  /** The pause before the stream is opened again after it failed. */
  readonly retryMs?: number;
}

/** The stable code of a block the peer did not commit within the bound (503, with Retry-After). */
export const BLOCK_NOT_YET_COMMITTED = 'BLOCK_NOT_YET_COMMITTED';
/** The stable code of a malformed X-Min-Block or minBlock (400). */
export const INVALID_MIN_BLOCK = 'INVALID_MIN_BLOCK';

const BLOCK_NUMBER = /^(0|[1-9][0-9]{0,19})$/;
const MAX_UINT64 = 2n ** 64n - 1n;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A block number as a client sends it (decimal, up to uint64); ApiError 400 INVALID_MIN_BLOCK if not. */
export function parseMinBlock(text: string, from: string): bigint {
  const trimmed = text.trim();
  const value = BLOCK_NUMBER.test(trimmed) ? BigInt(trimmed) : undefined;
  if (value === undefined || value > MAX_UINT64) {
    throw new ApiError(400, INVALID_MIN_BLOCK, `${from} must be a block number (a non-negative integer)`);
  }
  return value;
}

interface Waiter {
  readonly block: bigint;
  readonly resolve: () => void;
}

/** The peer's committed height as far as known, and bounded waits for a block. */
export class BlockHeight {
  #known = 0n;
  readonly #waiters = new Set<Waiter>();
  #following = false;
  #stream: BlockNumbers | undefined;
  #linger: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    private readonly source: HeightSource,
    private readonly options: BlockHeightOptions,
  ) {}

  /** The height known so far (0 before anything was learnt). */
  get known(): bigint {
    return this.#known;
  }

  /** Learns that the peer's height is at least `height` (e.g. it committed block `height - 1`). */
  observe(height: bigint): void {
    if (height <= this.#known) return;
    this.#known = height;
    for (const waiter of this.#waiters) {
      if (waiter.block < height) {
        this.#waiters.delete(waiter);
        waiter.resolve();
      }
    }
    this.#idle();
  }

  /**
   * Resolves once the peer has committed `block` (its height is above it), at once if that is already
   * known; ApiError 503 BLOCK_NOT_YET_COMMITTED after the bound.
   */
  async reached(block: bigint): Promise<void> {
    if (block < this.#known) return;
    if (this.#closed) throw this.#notYet(block);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        this.#idle();
        reject(this.#notYet(block));
      }, this.options.timeoutMs);
      const waiter: Waiter = {
        block,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.#waiters.add(waiter);
      clearTimeout(this.#linger);
      this.#linger = undefined;
      if (!this.#following) void this.#follow();
    });
  }

  /** Stops following the peer; later waits for unknown blocks fail at once. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#linger);
    this.#stream?.close();
  }

  #notYet(block: bigint): ApiError {
    const seconds = Math.max(1, Math.ceil(this.options.timeoutMs / 1000));
    return new ApiError(
      503,
      BLOCK_NOT_YET_COMMITTED,
      `this gateway's peer has not committed block ${block} yet (height ${this.#known}); retry in ${seconds} s`,
    );
  }

  /** With no waiter left, the stream is closed after the linger (at once if none is set). */
  #idle(): void {
    if (this.#waiters.size > 0 || this.#stream === undefined || this.#linger !== undefined) return;
    const stream = this.#stream;
    this.#linger = setTimeout(() => {
      this.#linger = undefined;
      if (this.#waiters.size === 0) stream.close();
    }, this.options.lingerMs ?? 0);
    this.#linger.unref();
  }

  /** One follower at a time: the height once, then the peer's blocks, again after a failure while needed. */
  async #follow(): Promise<void> {
    this.#following = true;
    try {
      while (!this.#closed && (this.#waiters.size > 0 || this.#linger !== undefined)) {
        try {
          this.observe(await this.source.height());
          if (this.#waiters.size === 0) break;
          this.#stream = await this.source.blocks(this.#known);
          this.#idle();
          for await (const block of this.#stream) this.observe(block + 1n);
        } catch {
          // The peer or the stream failed (or was closed): the waiters' own bound decides.
        }
        this.#stream?.close();
        this.#stream = undefined;
        if (this.#waiters.size > 0 && !this.#closed) await pause(this.options.retryMs ?? 250);
      }
    } finally {
      this.#stream?.close();
      this.#stream = undefined;
      this.#following = false;
      clearTimeout(this.#linger);
      this.#linger = undefined;
    }
  }
}
