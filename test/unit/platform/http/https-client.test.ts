import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { httpRequest } from '../../../../platform/src/http/http-client';
import { sendJson, startHttpsServer, type HttpsTestServer } from '../../../support/https-server';
import { newTestTlsCa, newTestTlsPair } from '../../../support/test-pki';

describe('platform/http/http-client over HTTPS', () => {
  const ca = newTestTlsCa('cvpp', 'CvppMSP');
  const otherCa = newTestTlsCa('trading', 'TradingMSP');
  let server: HttpsTestServer;
  before(async () => {
    server = await startHttpsServer(newTestTlsPair(ca, 'gateway.cvpp'), ca.certPem, (req, res) => {
      const socket = req.socket as import('node:tls').TLSSocket;
      const client = socket.getPeerCertificate();
      sendJson(res, { client: client.subject?.CN ?? null, authorized: socket.authorized });
    });
  });
  after(() => server.close());

  it('should answer when the server certificate chains to the given CA', async () => {
    const answer = await httpRequest(server.origin, '/', { timeoutMs: 5_000, tls: { ca: ca.certPem } });
    assert.deepEqual([answer.status, JSON.parse(answer.text)], [200, { client: null, authorized: false }]);
  });

  it('should refuse a server whose certificate does not chain to the given CA', async () => {
    await assert.rejects(
      httpRequest(server.origin, '/', { timeoutMs: 5_000, tls: { ca: otherCa.certPem } }),
      (err: NodeJS.ErrnoException) => {
        // The server sends its root along (it is also its client CA): a root the client does not trust.
        assert.equal(err.code, 'SELF_SIGNED_CERT_IN_CHAIN');
        return true;
      },
    );
  });

  it('should refuse the server without a CA (public roots only)', async () => {
    await assert.rejects(
      httpRequest(server.origin, '/', { timeoutMs: 5_000 }),
      /self-signed certificate in certificate chain/,
    );
  });

  it('should refuse a server certificate that does not name the host dialled', async () => {
    const elsewhere = await startHttpsServer(
      newTestTlsPair(ca, 'gateway.cvpp', ['gateway-cvpp']),
      ca.certPem,
      (_req, res) => sendJson(res, {}),
    );
    try {
      await assert.rejects(
        httpRequest(elsewhere.origin, '/', { timeoutMs: 5_000, tls: { ca: ca.certPem } }),
        (err: NodeJS.ErrnoException) => {
          assert.equal(err.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
          return true;
        },
      );
    } finally {
      await elsewhere.close();
    }
  });

  it('should present the client certificate it is given (mutual TLS), also over kept-alive connections', async () => {
    const pair = newTestTlsPair(ca, 'gateway.trading');
    for (const keepAlive of [false, true]) {
      const answer = await httpRequest(server.origin, '/', {
        timeoutMs: 5_000,
        keepAlive,
        tls: { ca: ca.certPem, cert: pair.certPem, key: pair.keyPem },
      });
      assert.deepEqual(JSON.parse(answer.text), { client: 'gateway.trading', authorized: true });
    }
    // The same kept-alive pool, without the client certificate: not a connection that presented one.
    const bare = await httpRequest(server.origin, '/', {
      timeoutMs: 5_000,
      keepAlive: true,
      tls: { ca: ca.certPem },
    });
    assert.deepEqual(JSON.parse(bare.text), { client: null, authorized: false });
  });
});
