import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  eventData,
  pumpEvents,
  readyMessage,
  type ChaincodeEventLike,
  type EventSource,
} from '../../../../gateway/src/blocks-and-events/event-stream';
import type { SseMessage } from '../../../../gateway/src/blocks-and-events/sse';

const bytes = (text: string) => new TextEncoder().encode(text);

function event(block: number, txId: string, payload = `{"tx":"${txId}"}`): ChaincodeEventLike {
  return {
    blockNumber: BigInt(block),
    transactionId: txId,
    chaincodeName: 'vpp',
    eventName: 'OrgProfileUpdated',
    payload: bytes(payload),
  };
}

/** An in-memory event source that replays a fixed chain of events from a start block. */
function sourceOf(chain: ChaincodeEventLike[]) {
  const opened: bigint[] = [];
  let closed = 0;
  const open = async (startBlock: bigint): Promise<EventSource> => {
    opened.push(startBlock);
    const events = chain.filter((e) => e.blockNumber >= startBlock);
    return {
      close: () => {
        closed += 1;
      },
      async *[Symbol.asyncIterator]() {
        yield* events;
      },
    };
  };
  return { open, opened, closed: () => closed };
}

const CHAIN = [event(5, 'a'), event(5, 'b'), event(6, 'c'), event(7, 'd')];

async function collect(after: { block: bigint; index: number }, controller = new AbortController()) {
  const source = sourceOf(CHAIN);
  const sent: SseMessage[] = [];
  await pumpEvents({
    open: source.open,
    after,
    send: async (message) => {
      sent.push(message);
    },
    signal: controller.signal,
  });
  return { sent, source };
}

describe('ledger/event-stream', () => {
  describe('#pumpEvents', () => {
    it('should resume after the given position: open at its block, skip it and what came before', async () => {
      const { sent, source } = await collect({ block: 5n, index: 0 });
      assert.deepEqual(
        sent.map((m) => [m.id, (JSON.parse(m.data) as { transactionId: string }).transactionId]),
        [
          ['5:1', 'b'],
          ['6:0', 'c'],
          ['7:0', 'd'],
        ],
      );
      assert.deepEqual(source.opened, [5n]);
      assert.equal(source.closed(), 1);
    });

    it('should give a client that reconnects with the last id it saw exactly the rest, once', async () => {
      const first = await collect({ block: 5n, index: -1 });
      const seen = first.sent.slice(0, 2);
      const resumed = await collect({ block: 6n, index: 0 });
      const ids = [...seen, ...resumed.sent].map((m) => m.id);
      assert.deepEqual(ids, ['5:0', '5:1', '7:0']);
    });

    it('should stop and close the source when the client goes away', async () => {
      const controller = new AbortController();
      const source = sourceOf(CHAIN);
      const sent: SseMessage[] = [];
      await pumpEvents({
        open: source.open,
        after: { block: 5n, index: -1 },
        send: async (message) => {
          sent.push(message);
          if (sent.length === 2) controller.abort();
        },
        signal: controller.signal,
      });
      assert.deepEqual(
        sent.map((m) => m.id),
        ['5:0', '5:1'],
      );
      assert.ok(source.closed() >= 1);
    });
  });

  describe('#eventData', () => {
    it('should parse a JSON payload and fall back to base64 for other bytes', () => {
      assert.deepEqual(eventData(event(9, 'x')).payload, { tx: 'x' });
      const binary = { ...event(9, 'y'), payload: new Uint8Array([0xff, 0x00]) };
      assert.deepEqual(eventData(binary), {
        blockNumber: 9,
        transactionId: 'y',
        chaincodeName: 'vpp',
        eventName: 'OrgProfileUpdated',
        payloadBase64: '/wA=',
      });
    });
  });

  describe('#readyMessage', () => {
    it('should carry the resume position as its id', () => {
      const message = readyMessage({ block: 12n, index: -1 });
      assert.equal(message.event, 'ready');
      assert.equal(message.id, '12:-1');
      assert.deepEqual(JSON.parse(message.data), { resumeAfter: '12:-1' });
    });
  });
});
