// Positions in the chaincode event stream, used as SSE event ids so a client can resume with
// Last-Event-ID. A position `<block>:<index>` names the index-th event (0-based) of the chaincode within
// that block. Replaying a block yields the same events in the same order (only valid transactions
// carry events, at most one each), so a position is stable across connections and peers.
// `<block>:-1` is "before the first event of the block": the id of the stream's opening `ready`
// event, so a client that reconnects before seeing any event still resumes where it started.

export interface EventPosition {
  readonly block: bigint;
  /** -1 = before the block's first event. */
  readonly index: number;
}

/** Up to 20 digits for a uint64 block number; index up to 9 digits, or -1. */
const POSITION = /^(0|[1-9][0-9]{0,19}):(-1|0|[1-9][0-9]{0,8})$/;
const MAX_UINT64 = 2n ** 64n - 1n;

export function formatPosition(position: EventPosition): string {
  return `${position.block}:${position.index}`;
}

/** The position, or undefined if `text` is not one (callers answer 400). */
export function parsePosition(text: string | undefined): EventPosition | undefined {
  const match = POSITION.exec(text?.trim() ?? '');
  if (match?.[1] === undefined) return undefined;
  const block = BigInt(match[1]);
  if (block > MAX_UINT64) return undefined;
  return { block, index: Number(match[2]) };
}

/** Negative if a comes before b, zero if equal, positive after. */
export function comparePositions(a: EventPosition, b: EventPosition): number {
  if (a.block !== b.block) return a.block < b.block ? -1 : 1;
  return a.index - b.index;
}

/** The position just before the first event of `block`. */
export function startOfBlock(block: bigint): EventPosition {
  return { block, index: -1 };
}

/**
 * Numbers the events of a stream that starts at a block boundary and drops those at or before
 * `after`. Feed it every event in delivery order; it returns the event's position, or undefined
 * if the event was already delivered.
 */
export class EventPositioner {
  #block: bigint | undefined;
  #index = -1;

  constructor(private readonly after: EventPosition) {}

  next(blockNumber: bigint): EventPosition | undefined {
    if (blockNumber !== this.#block) {
      if (this.#block !== undefined && blockNumber < this.#block) {
        throw new Error(`event stream went backwards from block ${this.#block} to ${blockNumber}`);
      }
      this.#block = blockNumber;
      this.#index = -1;
    }
    this.#index += 1;
    const position = { block: blockNumber, index: this.#index };
    return comparePositions(position, this.after) > 0 ? position : undefined;
  }
}
