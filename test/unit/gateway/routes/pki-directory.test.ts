import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeLedger, openGateway, type TestGateway } from '../../../support/route-harness';

describe('routes/pki: GET /v1/pki/directory', () => {
  let gateway: TestGateway;
  before(async () => {
    gateway = await openGateway('trading', { fabric: new FakeLedger({ txId: 'tx' }).port });
  });
  after(() => gateway.close());

  it("should tell anyone, without a token, where the directory is and the org's entry in it", async () => {
    const res = await gateway.app.inject({ method: 'GET', url: '/v1/pki/directory' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      url: 'ldap://localhost:10389',
      baseDn: 'dc=vpp-ledger,dc=example',
      orgDn: 'o=TradingMSP,dc=vpp-ledger,dc=example',
      certificateAttribute: 'userCertificate;binary',
      crlAttribute: 'certificateRevocationList;binary',
    });
  });

  it('should answer 404 DIRECTORY_NOT_CONFIGURED when the topology has no directory', async () => {
    // The route reads the config per request: take the directory out of this gateway's for a moment.
    const saved = gateway.app.config.directory;
    delete gateway.app.config.directory;
    try {
      const res = await gateway.app.inject({ method: 'GET', url: '/v1/pki/directory' });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().error.code, 'DIRECTORY_NOT_CONFIGURED');
    } finally {
      gateway.app.config.directory = saved;
    }
  });
});
