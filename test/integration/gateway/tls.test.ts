// The gateways on the real network serve HTTPS only: each presents a certificate from its own org's
// TLS CA naming its host, a client that does not trust the consortium's TLS roots is refused, and a
// plain-HTTP request gets no answer.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, type DetailedPeerCertificate } from 'node:tls';
import { describe, it } from 'node:test';
import { cryptoPaths } from '../../../platform/src/paths';
import { httpRequest } from '../../../platform/src/http/http-client';
import { gatewayTrust, gatewayUrl } from '../../../platform/src/http/gateway-rest';
import { topology } from '../../support/fabric-client';

/** The certificate a gateway presents, as a client trusting only `ca` sees it after verification. */
function serverCertificateOf(host: string, port: number, ca: Buffer): Promise<DetailedPeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, ca, servername: host, timeout: 10_000 }, () => {
      const cert = socket.getPeerCertificate(true);
      socket.end();
      resolve(cert);
    });
    socket.once('error', reject);
    socket.once('timeout', () => socket.destroy(new Error(`no TLS handshake with ${host}:${port}`)));
  });
}

describe('gateway TLS (real network)', () => {
  for (const org of topology.orgs) {
    it(`should present ${org.name}'s gateway certificate, from its org's TLS CA, naming its host`, async () => {
      const ownRoot = readFileSync(cryptoPaths.tls(org.name, 'gateway', 'ca.crt'));
      const cert = await serverCertificateOf(org.gateway.host, org.gateway.port, ownRoot);
      assert.deepEqual(
        [cert.subject.CN, cert.issuer.CN, cert.issuer.O],
        [`gateway.${org.name}`, `tlsca-${org.name}`, org.mspId],
      );
      const names = (cert.subjectaltname ?? '').split(', ');
      assert.ok(names.includes(`DNS:${org.gateway.host}`), cert.subjectaltname);
      // The verified chain ends at the org's TLS CA root itself.
      assert.equal(cert.issuerCertificate.fingerprint256, new X509Certificate(ownRoot).fingerprint256);
    });
  }

  it('should answer a client that trusts the consortium TLS roots', async () => {
    const answer = await httpRequest(gatewayUrl('cvpp'), '/healthz', {
      timeoutMs: 10_000,
      tls: gatewayTrust(),
    });
    assert.equal(answer.status, 200);
  });

  it('should serve the consortium TLS roots bundle for clients to bootstrap from', async () => {
    const answer = await httpRequest(gatewayUrl('regulator'), '/v1/pki/tls-roots', {
      timeoutMs: 10_000,
      tls: gatewayTrust(),
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.text, readFileSync(cryptoPaths.tlsRoots(), 'utf8'));
    assert.equal(answer.text.match(/-----BEGIN CERTIFICATE-----/g)?.length, topology.orgs.length);
  });

  it('should be refused by a client without the consortium TLS roots (unknown issuer)', async () => {
    await assert.rejects(
      httpRequest(gatewayUrl('cvpp'), '/healthz', { timeoutMs: 10_000 }),
      (err: NodeJS.ErrnoException) => {
        assert.match(
          String(err.code),
          /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN)$/,
        );
        return true;
      },
    );
  });

  it("should be refused by a client trusting only another org's TLS root", async () => {
    const otherRoot = readFileSync(cryptoPaths.tls('trading', 'gateway', 'ca.crt'));
    await assert.rejects(
      httpRequest(gatewayUrl('cvpp'), '/healthz', { timeoutMs: 10_000, tls: { ca: otherRoot } }),
      /unable to verify|unable to get|self-signed/i,
    );
  });

  it('should give a plain-HTTP request no answer', async () => {
    const org = topology.orgs.find((o) => o.name === 'cvpp')!;
    await assert.rejects(
      httpRequest(`http://${org.gateway.host}:${org.gateway.port}`, '/healthz', { timeoutMs: 10_000 }),
      (err: NodeJS.ErrnoException) => {
        assert.match(String(err.code ?? err.message), /ECONNRESET|socket hang up|HPE_/);
        return true;
      },
    );
  });
});
