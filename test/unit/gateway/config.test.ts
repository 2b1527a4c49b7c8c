import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopbackHost, loadConfig } from '../../../gateway/src/config';
import { cryptoPaths } from '../../../platform/src/paths';

const ORG = { VPP_GATEWAY_ORG: 'cvpp' };

describe('gateway/config', () => {
  describe('#loadConfig', () => {
    it('should serve HTTPS by default, with the org gateway TLS pair and the consortium roots', () => {
      const config = loadConfig(ORG);
      assert.equal(config.plainHttp, false);
      assert.deepEqual(
        [config.tls.certFile, config.tls.keyFile, config.tls.rootsFile],
        [
          cryptoPaths.tls('cvpp', 'gateway', 'server.crt'),
          cryptoPaths.tls('cvpp', 'gateway', 'server.key'),
          cryptoPaths.tlsRoots(),
        ],
      );
    });

    it('should allow plain HTTP by VPP_GATEWAY_PLAIN_HTTP=1 on a loopback host only', () => {
      for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1']) {
        assert.equal(
          loadConfig({ ...ORG, VPP_GATEWAY_HOST: host, VPP_GATEWAY_PLAIN_HTTP: '1' }).plainHttp,
          true,
        );
      }
      assert.equal(
        loadConfig({ ...ORG, VPP_GATEWAY_HOST: '127.0.0.1', VPP_GATEWAY_PLAIN_HTTP: '0' }).plainHttp,
        false,
      );
    });

    it('should refuse plain HTTP on a host other machines can reach', () => {
      for (const host of ['0.0.0.0', '10.0.0.5', 'gateway-cvpp', '::', 'localhost.example.org']) {
        assert.throws(
          () => loadConfig({ ...ORG, VPP_GATEWAY_HOST: host, VPP_GATEWAY_PLAIN_HTTP: '1' }),
          /VPP_GATEWAY_PLAIN_HTTP=1 is refused: the gateway listens on .*, not loopback/,
          host,
        );
      }
    });

    it('should refuse a VPP_GATEWAY_PLAIN_HTTP value other than 1 or 0', () => {
      assert.throws(
        () => loadConfig({ ...ORG, VPP_GATEWAY_HOST: '127.0.0.1', VPP_GATEWAY_PLAIN_HTTP: 'yes' }),
        /must be 1 or 0, got yes/,
      );
    });
  });

  describe('#isLoopbackHost', () => {
    it('should name only loopback names and addresses', () => {
      assert.deepEqual(
        ['localhost', '127.0.0.1', '::1', '0.0.0.0', '128.0.0.1', 'localhost2', '127.0.0.1.nip.io'].map(
          isLoopbackHost,
        ),
        [true, true, true, false, false, false, false],
      );
    });
  });
});
