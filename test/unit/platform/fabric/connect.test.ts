import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectivityState } from '@grpc/grpc-js';
import { DEADLINES_MS, newGateway, newPeerClient } from '../../../../platform/src/fabric/connect';
import { newTestCa } from '../../../support/test-pki';

describe('platform/fabric/connect', () => {
  describe('#newGateway', () => {
    it('should act as the given identity on the given client, and leave the client open when closed', () => {
      const ca = newTestCa('tlsca.cvpp');
      // No peer listens: a gRPC client only dials on its first call.
      const client = newPeerClient('127.0.0.1:1', Buffer.from(ca.certPem));
      try {
        const gateway = newGateway(client, { mspId: 'CvppMSP', certPem: ca.certPem, keyPem: ca.keyPem });
        const identity = gateway.getIdentity();
        assert.equal(identity.mspId, 'CvppMSP');
        assert.equal(Buffer.from(identity.credentials).toString('utf8'), ca.certPem);
        gateway.close();
        assert.notEqual(client.getChannel().getConnectivityState(false), connectivityState.SHUTDOWN);
      } finally {
        client.close();
      }
    });
  });

  describe('DEADLINES_MS', () => {
    it('should keep the REST gateway’s worst case within its HTTP clients’ two minutes', () => {
      assert.deepEqual(DEADLINES_MS, {
        evaluate: 10_000,
        endorse: 30_000,
        submit: 30_000,
        commitStatus: 60_000,
      });
      assert.ok(DEADLINES_MS.endorse + DEADLINES_MS.submit + DEADLINES_MS.commitStatus <= 120_000);
    });
  });
});
