// Chaincode events → SSE messages with resumable positions. The Fabric stream is (re)opened at the
// block of the resume position and every event up to and including that position is skipped, so a
// client that reconnects with Last-Event-ID gets each event exactly once.

import { EventPositioner, formatPosition, type EventPosition } from './checkpoint';
import type { SseMessage } from './sse';

/** The fields of a fabric-gateway ChaincodeEvent the stream uses. */
export interface ChaincodeEventLike {
  readonly blockNumber: bigint;
  readonly transactionId: string;
  readonly chaincodeName: string;
  readonly eventName: string;
  readonly payload: Uint8Array;
}

/** A Fabric event stream: async-iterable and closeable (fabric-gateway's CloseableAsyncIterable). */
export interface EventSource extends AsyncIterable<ChaincodeEventLike> {
  close(): void;
}

/** The data of one SSE `message`. */
export interface ChaincodeEventData {
  readonly blockNumber: number;
  readonly transactionId: string;
  readonly chaincodeName: string;
  readonly eventName: string;
  /** The payload parsed as JSON when it is JSON (our chaincode's events always are)… */
  readonly payload?: unknown;
  /** …otherwise the raw bytes, base64. */
  readonly payloadBase64?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function eventData(event: ChaincodeEventLike): ChaincodeEventData {
  const base = {
    blockNumber: Number(event.blockNumber),
    transactionId: event.transactionId,
    chaincodeName: event.chaincodeName,
    eventName: event.eventName,
  };
  try {
    return { ...base, payload: JSON.parse(utf8.decode(event.payload)) as unknown };
  } catch {
    return { ...base, payloadBase64: Buffer.from(event.payload).toString('base64') };
  }
}

/** The opening message: names where the stream starts, so even a client that saw no event can resume. */
export function readyMessage(after: EventPosition): SseMessage {
  return {
    event: 'ready',
    id: formatPosition(after),
    data: JSON.stringify({ resumeAfter: formatPosition(after) }),
  };
}

/**
 * Sends every chaincode event after `after` to `send`, in order, until the source ends or fails
 * (the caller then ends the response and the client reconnects) or `signal` aborts (client gone).
 * The source is always closed.
 */
export async function pumpEvents(options: {
  readonly open: (startBlock: bigint) => Promise<EventSource>;
  readonly after: EventPosition;
  readonly send: (message: SseMessage) => Promise<void>;
  readonly signal: AbortSignal;
}): Promise<void> {
  const { open, after, send, signal } = options;
  if (signal.aborted) return;
  const source = await open(after.block);
  const stop = () => source.close();
  signal.addEventListener('abort', stop, { once: true });
  try {
    const positioner = new EventPositioner(after);
    for await (const event of source) {
      if (signal.aborted) break;
      const position = positioner.next(event.blockNumber);
      if (position === undefined) continue;
      await send({ id: formatPosition(position), data: JSON.stringify(eventData(event)) });
    }
  } catch (err) {
    // Closing the source on abort ends the iteration with a CANCELLED error; that is not a failure.
    if (!signal.aborted) throw err;
  } finally {
    signal.removeEventListener('abort', stop);
    source.close();
  }
}
