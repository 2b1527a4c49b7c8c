import assert from 'node:assert/strict';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { ApiError } from '../../../../gateway/src/core/api-error';
import { clientCertificateOf, gatewayOrgOf, tlsRootsOf } from '../../../../gateway/src/core/client-cert';
import { httpRequest } from '../../../../platform/src/http/http-client';
import { sendJson, startHttpsServer, type HttpsTestServer } from '../../../support/https-server';
import { newTestTlsCa, newTestTlsPair, type TestCa } from '../../../support/test-pki';

const ORGS = [
  { name: 'cvpp', mspId: 'CvppMSP' },
  { name: 'trading', mspId: 'TradingMSP' },
] as const;

describe('gateway/core/client-cert', () => {
  const cvppCa = newTestTlsCa('cvpp', 'CvppMSP');
  const tradingCa = newTestTlsCa('trading', 'TradingMSP');
  const strangerCa = newTestTlsCa('trading', 'TradingMSP');
  const bundle = `${cvppCa.certPem}\n${tradingCa.certPem}\n`;
  let server: HttpsTestServer;

  // A holder over real TLS: the handshake verifies against the bundle, gatewayOrgOf decides.
  before(async () => {
    const roots = tlsRootsOf(bundle);
    server = await startHttpsServer(newTestTlsPair(cvppCa, 'gateway.cvpp'), bundle, (req, res) => {
      try {
        sendJson(res, { mspId: gatewayOrgOf(clientCertificateOf(req.socket as TLSSocket), roots, ORGS) });
      } catch (err) {
        const api = err as ApiError;
        sendJson(res, { code: api.code }, api.status);
      }
    });
  });
  after(() => server.close());

  const asClient = async (ca?: TestCa, cn = '') => {
    const pair = ca === undefined ? undefined : newTestTlsPair(ca, cn);
    const answer = await httpRequest(server.origin, '/', {
      timeoutMs: 5_000,
      tls: { ca: cvppCa.certPem, ...(pair ? { cert: pair.certPem, key: pair.keyPem } : {}) },
    });
    return [answer.status, JSON.parse(answer.text) as unknown];
  };

  describe('#tlsRootsOf', () => {
    it("should read every root of a bundle with its subject's O as MSP id", () => {
      assert.deepEqual(
        tlsRootsOf(bundle).map((r) => [r.mspId, r.fingerprint256.length]),
        [
          ['CvppMSP', 95],
          ['TradingMSP', 95],
        ],
      );
    });
  });

  describe('#gatewayOrgOf', () => {
    it("should name the org of a consortium gateway's certificate", async () => {
      assert.deepEqual(await asClient(tradingCa, 'gateway.trading'), [200, { mspId: 'TradingMSP' }]);
      assert.deepEqual(await asClient(cvppCa, 'gateway.cvpp'), [200, { mspId: 'CvppMSP' }]);
    });

    it('should refuse a client without a certificate with 401', async () => {
      assert.deepEqual(await asClient(), [401, { code: 'CLIENT_CERT_REQUIRED' }]);
    });

    it('should refuse a certificate of a CA outside the bundle, even one with a same-named subject, with 401', async () => {
      assert.deepEqual(await asClient(strangerCa, 'gateway.trading'), [
        401,
        { code: 'CLIENT_CERT_REJECTED' },
      ]);
    });

    it("should refuse with 403 a consortium certificate that is not its org's gateway's", async () => {
      assert.deepEqual(await asClient(tradingCa, 'peer.trading'), [403, { code: 'FORBIDDEN' }]);
      // Another org's gateway name under the trading CA: the name must match the issuing org.
      assert.deepEqual(await asClient(tradingCa, 'gateway.cvpp'), [403, { code: 'FORBIDDEN' }]);
    });

    it('should see no certificate on a connection that is not TLS (app.inject, plain HTTP)', () => {
      const plain = { remoteAddress: '127.0.0.1' } as unknown as TLSSocket;
      assert.deepEqual(clientCertificateOf(plain), {
        authorized: false,
        certificate: undefined,
        issuer: undefined,
      });
      assert.throws(
        () => gatewayOrgOf(clientCertificateOf(plain), tlsRootsOf(bundle), ORGS),
        (err: ApiError) => err.status === 401 && err.code === 'CLIENT_CERT_REQUIRED',
      );
    });
  });
});
