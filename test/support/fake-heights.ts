// A peer's height for unit tests: a settable height and block streams the test feeds by hand, so a
// test decides exactly when the "peer" commits each block.
import type { BlockNumbers, HeightSource } from '../../gateway/src/blocks-and-events/block-height';

/** One open block stream: the blocks pushed to it are delivered in order until it is closed. */
class ManualStream implements BlockNumbers {
  readonly #queue: bigint[] = [];
  #wake: (() => void) | undefined;
  closed = false;
  #failed = false;

  constructor(readonly startBlock: bigint) {}

  push(block: bigint): void {
    this.#queue.push(block);
    this.#wake?.();
  }

  /** The peer drops the stream: the reader gets an error. */
  fail(): void {
    this.#failed = true;
    this.close();
  }

  close(): void {
    this.closed = true;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<bigint> {
    for (;;) {
      const next = this.#queue.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.#failed) throw new Error('stream failed');
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }
}

/** A HeightSource whose height and blocks the test sets; it records what was asked of it. */
export class FakeHeights implements HeightSource {
  peerHeight = 0n;
  heightReads = 0;
  readonly streams: ManualStream[] = [];

  async height(): Promise<bigint> {
    this.heightReads++;
    return this.peerHeight;
  }

  async blocks(startBlock: bigint): Promise<BlockNumbers> {
    const stream = new ManualStream(startBlock);
    this.streams.push(stream);
    return stream;
  }

  /** The stream opened last. */
  get stream(): ManualStream | undefined {
    return this.streams.at(-1);
  }

  /** The peer commits `block`: the height passes it and every open stream delivers it. */
  commit(block: bigint): void {
    this.peerHeight = block + 1n;
    for (const stream of this.streams) if (!stream.closed) stream.push(block);
  }
}

/** Resolves after the pending callbacks and timers of now have run. */
export const settle = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));
