import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeviceApiError, postJson } from '../../../../gateway/device-kit/device-api';
import { startEchoServer, type EchoServer } from '../../../support/echo-server';

describe('device-kit/device-api', () => {
  let server: EchoServer;
  before(async () => {
    server = await startEchoServer((req, res) => {
      const json = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.url === '/ok') json(200, { echoed: JSON.parse(req.body) as unknown });
      else if (req.url === '/refused') json(422, { error: { code: 'BAD_SIGNATURE', message: 'no' } });
      else if (req.url === '/bare') json(500, {});
      else res.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>');
    });
  });
  after(() => server.close());

  describe('#postJson', () => {
    it('should post JSON to the gateway and return its JSON answer', async () => {
      assert.deepEqual(await postJson({ url: `${server.origin}/ignored/base` }, '/ok', { a: [1] }), {
        echoed: { a: [1] },
      });
      const sent = server.received.at(-1)!;
      assert.deepEqual(
        [sent.method, sent.url, sent.headers['content-type']],
        ['POST', '/ok', 'application/json'],
      );
    });

    it("should turn an error answer into a DeviceApiError with the gateway's code and message", async () => {
      await assert.rejects(
        postJson({ url: server.origin }, '/refused', {}),
        (err: DeviceApiError) =>
          err instanceof DeviceApiError &&
          err.status === 422 &&
          err.code === 'BAD_SIGNATURE' &&
          err.message === '422 BAD_SIGNATURE: no',
      );
      await assert.rejects(
        postJson({ url: server.origin }, '/bare', {}),
        (err: DeviceApiError) =>
          err.status === 500 && err.code === 'HTTP_ERROR' && err.message === '500 HTTP_ERROR: {}',
      );
    });

    it('should name an answer that is not JSON MALFORMED_RESPONSE', async () => {
      await assert.rejects(
        postJson({ url: server.origin }, '/html', {}),
        (err: DeviceApiError) =>
          err.status === 502 &&
          err.code === 'MALFORMED_RESPONSE' &&
          err.message === '502 MALFORMED_RESPONSE: <html>bad gateway</html>',
      );
    });
  });
});
