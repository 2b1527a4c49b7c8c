import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { FakeHeights, settle } from '../../../../support/fake-heights';
import {
  bearer,
  FakeLedger,
  openGateway,
  tokenFor,
  type TestGateway,
} from '../../../../support/route-harness';

const VPP = { vppId: 'vpp-1', displayName: 'VPP one', feeBps: 500 };

describe('gateway/plugins/app/read-your-writes', () => {
  const ledger = new FakeLedger({ txId: 'tx-ryw-1', answer: VPP });
  const heights = new FakeHeights();
  let gateway: TestGateway;
  let app: FastifyInstance;
  const auth = () => bearer(tokenFor(app, 'operator', 'CvppMSP'));
  const read = (headers: Record<string, string> = {}, query = '') =>
    app.inject({ method: 'GET', url: `/v1/vpps/vpp-1/ders${query}`, headers: { ...auth(), ...headers } });

  before(async () => {
    gateway = await openGateway('cvpp', { fabric: ledger.port, heights }, 'gw-ryw-', {
      VPP_MIN_BLOCK_TIMEOUT_MS: '150',
    });
    app = gateway.app;
  });
  after(() => gateway.close());
  beforeEach(() => {
    ledger.reset();
    ledger.answer = { ders: [], bookmark: '' };
  });

  describe('a write', () => {
    it('should answer with X-Transaction-Id and X-Block-Number of its commit, the body unchanged', async () => {
      ledger.answer = VPP;
      ledger.blockNumber = 41n;
      const res = await app.inject({ method: 'POST', url: '/v1/vpps', headers: auth(), payload: VPP });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.headers['x-transaction-id'], 'tx-ryw-1');
      assert.equal(res.headers['x-block-number'], '41');
      assert.deepEqual(res.json(), { record: VPP, txId: 'tx-ryw-1' });
      // The commit status came from this gateway's peer: it has block 41.
      assert.ok(app.blockHeight.known >= 42n);
    });

    it('should leave reads without those headers', async () => {
      const res = await read();
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['x-transaction-id'], undefined);
      assert.equal(res.headers['x-block-number'], undefined);
    });
  });

  describe('X-Min-Block', () => {
    it('should serve at once a block the peer is known to have', async () => {
      app.blockHeight.observe(42n);
      const res = await read({ 'x-min-block': '41' });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { ders: [], bookmark: '' });
      assert.equal(ledger.calls.length, 1);
    });

    it('should hold the request until the peer commits the block, then serve it', async () => {
      heights.peerHeight = app.blockHeight.known;
      const block = heights.peerHeight + 1n;
      const pending = read({ 'x-min-block': String(block) });
      await settle(20);
      assert.equal(ledger.calls.length, 0);
      heights.commit(block - 1n);
      heights.commit(block);
      const res = await pending;
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(ledger.calls.length, 1);
    });

    it('should accept the minBlock query parameter on a route with a strict query schema', async () => {
      const res = await read({}, '?pageSize=5&minBlock=1');
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(ledger.calls.length, 1);
      assert.equal(ledger.calls[0]?.args.includes('minBlock'), false);
    });

    it('should refuse a malformed value with 400 INVALID_MIN_BLOCK before the ledger is called', async () => {
      for (const [headers, query] of [
        [{ 'x-min-block': 'soon' }, ''],
        [{ 'x-min-block': '-3' }, ''],
        [{}, '?minBlock=1.5'],
        [{}, '?minBlock=1&minBlock=2'],
      ] as const) {
        const res = await read(headers, query);
        assert.equal(res.statusCode, 400, `${JSON.stringify(headers)} ${query}`);
        assert.equal(res.json().error.code, 'INVALID_MIN_BLOCK');
        assert.equal(typeof res.json().error.message, 'string');
      }
      assert.deepEqual(ledger.calls, []);
    });

    it('should answer 503 BLOCK_NOT_YET_COMMITTED with Retry-After after the bound', async () => {
      const started = Date.now();
      const res = await read({ 'x-min-block': '1000000' });
      const waited = Date.now() - started;
      assert.equal(res.statusCode, 503, res.body);
      assert.equal(res.json().error.code, 'BLOCK_NOT_YET_COMMITTED');
      assert.equal(res.headers['retry-after'], '1');
      assert.ok(waited >= 140 && waited < 2_000, `waited ${waited} ms`);
      assert.deepEqual(ledger.calls, []);
    });

    it('should check authentication before waiting', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/v1/vpps/vpp-1/ders',
        headers: { 'x-min-block': '1000000' },
      });
      assert.equal(res.statusCode, 401);
    });
  });

  describe('OpenAPI', () => {
    it('should document X-Min-Block on requests and the commit headers on a write', async () => {
      const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
      const post = doc.paths['/v1/vpps'].post;
      assert.deepEqual(Object.keys(post.responses['201'].headers), ['x-transaction-id', 'x-block-number']);
      assert.equal(post.responses['400'].headers, undefined);
      const get = doc.paths['/v1/vpps/{vppId}/ders'].get;
      const header = get.parameters.find((p: { in: string; name: string }) => p.in === 'header');
      assert.equal(header?.name, 'x-min-block');
      assert.equal(get.responses['200'].headers, undefined);
    });
  });
});
