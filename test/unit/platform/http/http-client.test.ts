import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bodyOf, httpRequest, HttpTimeoutError } from '../../../../platform/src/http/http-client';
import { startEchoServer, type EchoServer } from '../../../support/echo-server';

describe('platform/http/http-client', () => {
  let server: EchoServer;
  before(async () => {
    server = await startEchoServer((req, res) => {
      if (req.url.startsWith('/json')) {
        res.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ method: req.method, url: req.url, body: req.body }));
      } else if (req.url === '/text') {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('starting');
      } else if (req.url === '/empty') {
        res.writeHead(204).end();
      } else if (req.url === '/stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(':\n\n'); // never ends
      }
      // '/silent': no answer at all
    });
  });
  after(() => server.close());

  describe('#httpRequest', () => {
    it('should send a JSON body with its type and length, and the path as it is', async () => {
      const answer = await httpRequest(server.origin, '/json/a%20b?x=1&y=2', {
        method: 'POST',
        json: { n: 1, s: 'é' },
        timeoutMs: 5_000,
      });
      assert.equal(answer.status, 201);
      assert.deepEqual(JSON.parse(answer.text), {
        method: 'POST',
        url: '/json/a%20b?x=1&y=2',
        body: '{"n":1,"s":"é"}',
      });
      const sent = server.received.at(-1)!;
      assert.equal(sent.headers['content-type'], 'application/json');
      assert.equal(sent.headers['content-length'], String(Buffer.byteLength('{"n":1,"s":"é"}')));
    });

    it('should send a raw body with the headers given', async () => {
      await httpRequest(server.origin, '/json', {
        method: 'PUT',
        body: 'a=1',
        headers: { 'content-type': 'text/plain', authorization: 'Bearer t' },
        timeoutMs: 5_000,
      });
      const sent = server.received.at(-1)!;
      assert.deepEqual(
        [sent.method, sent.body, sent.headers['content-type'], sent.headers.authorization],
        ['PUT', 'a=1', 'text/plain', 'Bearer t'],
      );
    });

    it('should resolve error statuses rather than reject them', async () => {
      const answer = await httpRequest(server.origin, '/text', { timeoutMs: 5_000 });
      assert.deepEqual([answer.status, answer.text], [503, 'starting']);
    });

    it('should resolve on the head of a response that never ends when asked for the head only', async () => {
      const answer = await httpRequest(server.origin, '/stream', { timeoutMs: 5_000, headOnly: true });
      assert.deepEqual(
        [answer.status, answer.headers['content-type'], answer.text],
        [200, 'text/event-stream', ''],
      );
    });

    it('should fail with HttpTimeoutError when the server stays silent', async () => {
      await assert.rejects(
        httpRequest(server.origin, '/silent', { timeoutMs: 200 }),
        (err: Error) =>
          err instanceof HttpTimeoutError &&
          err.message === `GET ${server.origin}/silent: no answer in 200 ms`,
      );
    });

    it('should reject when nothing listens', async () => {
      await assert.rejects(httpRequest('http://127.0.0.1:1', '/', { timeoutMs: 2_000 }), /ECONNREFUSED/);
    });

    it('should reuse one connection for requests that keep it alive', async () => {
      const before = server.connections();
      for (let i = 0; i < 3; i++) {
        const answer = await httpRequest(server.origin, '/json', {
          method: 'POST',
          json: i,
          timeoutMs: 5_000,
          keepAlive: true,
        });
        assert.equal(answer.status, 201);
      }
      assert.equal(server.connections() - before, 1);
    });
  });

  describe('#bodyOf', () => {
    it('should parse JSON when labelled JSON and keep anything else as text', async () => {
      const json = await httpRequest(server.origin, '/json', { timeoutMs: 5_000 });
      assert.deepEqual(bodyOf(json), { method: 'GET', url: '/json', body: '' });
      assert.equal(bodyOf(await httpRequest(server.origin, '/text', { timeoutMs: 5_000 })), 'starting');
      assert.equal(bodyOf(await httpRequest(server.origin, '/empty', { timeoutMs: 5_000 })), '');
    });
  });
});
