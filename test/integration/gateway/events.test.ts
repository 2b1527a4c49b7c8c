// GET /v1/events over real HTTP: an in-process gateway of the regulator org (own data folder, port 0)
// on the real network streams chaincode events as SSE; a client that disconnects and reconnects with
// Last-Event-ID receives every event exactly once.
import '../../support/quiet-logs';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startRegulatorGateway, type Harness } from '../../support/regulator-gateway';
import { connectAs, type Connection } from '../../support/fabric-client';
import { endorseInStep } from '../../../platform/src/fabric/bft-submit';

interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/** A minimal EventSource over fetch: collects parsed messages until closed. */
class SseClient {
  readonly messages: SseMessage[] = [];
  readonly #abort = new AbortController();
  #done: Promise<void> = Promise.resolve();
  status = 0;

  static async open(url: string, token: string, lastEventId?: string): Promise<SseClient> {
    const client = new SseClient();
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const res = await fetch(url, { headers, signal: client.#abort.signal });
    client.status = res.status;
    if (res.ok && res.body) client.#done = client.#read(res.body);
    return client;
  }

  async #read(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of stream) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message: SseMessage = { event: 'message', data: '' };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            const [field, ...rest] = line.split(':');
            const value = rest.join(':').replace(/^ /, '');
            if (field === 'id') message.id = value;
            else if (field === 'event') message.event = value;
            else if (field === 'data') data.push(value);
          }
          if (data.length > 0) this.messages.push({ ...message, data: data.join('\n') });
        }
      }
    } catch {
      // Aborted by close().
    }
  }

  /** Chaincode event messages (not `ready`). */
  get events(): { id: string; transactionId: string; eventName: string; blockNumber: number }[] {
    return this.messages
      .filter((m) => m.event === 'message')
      .map((m) => ({
        id: m.id ?? '',
        ...(JSON.parse(m.data) as { transactionId: string; eventName: string; blockNumber: number }),
      }));
  }

  get lastEventId(): string | undefined {
    return this.messages.filter((m) => m.id !== undefined).at(-1)?.id;
  }

  async waitFor(predicate: (client: SseClient) => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!predicate(this)) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.messages)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async close(): Promise<void> {
    this.#abort.abort();
    await this.#done;
  }
}

const position = (id: string): [number, number] => id.split(':').map(Number) as [number, number];
const byPosition = (a: string, b: string) => {
  const [ab, ai] = position(a);
  const [bb, bi] = position(b);
  return ab - bb || ai - bi;
};

describe('gateway events (SSE, real network)', () => {
  let gw: Harness;
  let cvpp: Connection;
  const eventsUrl = () => `${gw.url}/v1/events`;

  /** Submits a profile update (emits OrgProfileUpdated) and returns its tx id once committed. */
  async function submitEvent(label: string): Promise<string> {
    const profile = {
      displayName: `sse ${label} ${Date.now()}`,
      orgRole: 'cvpp',
      contactEmail: 'ops@cvpp.example',
    };
    const proposal = cvpp
      .contract('org')
      .newProposal('PutOrgProfile', { arguments: [JSON.stringify(profile)] });
    const commit = await (await endorseInStep(proposal)).submit();
    assert.equal((await commit.getStatus()).successful, true);
    return proposal.getTransactionId();
  }

  before(async () => {
    gw = await startRegulatorGateway();
    cvpp = connectAs('cvpp', 'admin');
  });
  after(async () => {
    cvpp?.close();
    await gw?.close();
  });

  it('should resume after a disconnect without losing or repeating an event', async () => {
    const first = await SseClient.open(eventsUrl(), gw.tokens.regulator);
    assert.equal(first.status, 200);
    await first.waitFor((c) => c.messages.some((m) => m.event === 'ready'), 'the ready message');
    assert.match(first.messages[0]?.id ?? '', /^\d+:-1$/);

    const before = [await submitEvent('a'), await submitEvent('b')];
    await first.waitFor(
      (c) => before.every((tx) => c.events.some((e) => e.transactionId === tx)),
      'events a, b',
    );
    const resumeAt = first.lastEventId!;
    await first.close();

    // Missed while disconnected.
    const during = [await submitEvent('c'), await submitEvent('d')];

    const second = await SseClient.open(eventsUrl(), gw.tokens.regulator, resumeAt);
    assert.equal(second.status, 200);
    const after = [await submitEvent('e')];
    await second.waitFor(
      (c) => [...during, ...after].every((tx) => c.events.some((e) => e.transactionId === tx)),
      'events c, d, e',
    );
    await second.close();

    const all = [...first.events, ...second.events];
    const ids = all.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, `no duplicate ids: ${ids.join(' ')}`);
    assert.deepEqual(ids, [...ids].sort(byPosition), 'positions increase across the reconnect');
    const txIds = all.map((e) => e.transactionId);
    assert.equal(new Set(txIds).size, txIds.length, 'no transaction delivered twice');
    const ours = txIds.filter((tx) => [...before, ...during, ...after].includes(tx));
    assert.deepEqual(ours, [...before, ...during, ...after], 'every event, in commit order');
    assert.ok(
      second.events.every((e) => byPosition(e.id, resumeAt) > 0),
      'nothing at or before Last-Event-ID',
    );
    assert.ok(all.every((e) => e.eventName === 'OrgProfileUpdated' && position(e.id)[0] === e.blockNumber));
  });

  it('should resume from the ready id when the client disconnected before any event', async () => {
    const first = await SseClient.open(eventsUrl(), gw.tokens.regulator);
    await first.waitFor((c) => c.lastEventId !== undefined, 'the ready message');
    const readyId = first.lastEventId!;
    await first.close();

    const missed = await submitEvent('missed');
    const second = await SseClient.open(eventsUrl(), gw.tokens.regulator, readyId);
    await second.waitFor((c) => c.events.some((e) => e.transactionId === missed), 'the missed event');
    await second.close();
    assert.equal(second.events.filter((e) => e.transactionId === missed).length, 1);
  });

  it('should replay from a given block with startBlock, and number events from index 0 per block', async () => {
    const txId = await submitEvent('replay');
    const live = await SseClient.open(`${eventsUrl()}?startBlock=0`, gw.tokens.regulator);
    await live.waitFor((c) => c.events.some((e) => e.transactionId === txId), 'the replayed event');
    await live.close();
    const replayed = live.events.find((e) => e.transactionId === txId)!;
    assert.match(replayed.id, /^\d+:\d+$/);
    assert.equal(position(replayed.id)[0], replayed.blockNumber);
    const inBlock = live.events.filter((e) => e.blockNumber === replayed.blockNumber).map((e) => e.id);
    assert.deepEqual(
      inBlock,
      inBlock.map((_, i) => `${replayed.blockNumber}:${i}`),
      'indices 0, 1, … per block',
    );
  });

  it('should answer 400 for a malformed Last-Event-ID and 401 without a token', async () => {
    const bad = await SseClient.open(eventsUrl(), gw.tokens.regulator, 'yesterday');
    assert.equal(bad.status, 400);
    await bad.close();
    const res = await fetch(eventsUrl());
    assert.equal(res.status, 401);
  });
});
