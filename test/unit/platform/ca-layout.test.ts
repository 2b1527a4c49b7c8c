import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  bootstrapSecretFile,
  caHome,
  caNames,
  caTlsRootFile,
  derivedSecret,
  enrollmentIdsOf,
} from '../../../platform/src/ca-layout';
import { runDir } from '../../../platform/src/paths';

describe('ca-layout', () => {
  describe('#caNames', () => {
    it('should name the identity CA and the TLS CA of an org apart', () => {
      assert.deepEqual(caNames('cvpp'), { identity: 'ca-cvpp', tls: 'tlsca-cvpp' });
    });
  });

  describe('#caTlsRootFile', () => {
    it("should be the identity CA's root in the server home under the run folder", () => {
      assert.equal(caHome('trading'), path.join(runDir(), 'data', 'ca.trading'));
      assert.equal(caTlsRootFile('trading'), path.join(runDir(), 'data', 'ca.trading', 'ca-cert.pem'));
    });
  });

  describe('#enrollmentIdsOf', () => {
    it('should give every node and user of the org its enrollment id', () => {
      assert.deepEqual(enrollmentIdsOf('control'), {
        peer: 'peer.control',
        orderer: 'orderer.control',
        chaincode: 'chaincode.control',
        gateway: 'gateway.control',
        admin: 'controladmin',
        appuser: 'appuser',
        ingest: 'ingest.control',
      });
    });
  });

  describe('#derivedSecret', () => {
    it('should derive one 32-hex-digit secret per bootstrap secret, CA and identity', () => {
      const secret = derivedSecret('bootstrap', 'ca-cvpp', 'cvppadmin');
      assert.match(secret, /^[0-9a-f]{32}$/);
      assert.equal(derivedSecret('bootstrap', 'ca-cvpp', 'cvppadmin'), secret);
      const others = [
        derivedSecret('other', 'ca-cvpp', 'cvppadmin'),
        derivedSecret('bootstrap', 'tlsca-cvpp', 'cvppadmin'),
        derivedSecret('bootstrap', 'ca-cvpp', 'appuser'),
      ];
      assert.equal(new Set([secret, ...others]).size, 4);
    });
  });

  describe('#bootstrapSecretFile', () => {
    it('should keep the secret with the run folder, which a reset deletes', () => {
      assert.equal(
        bootstrapSecretFile('cvpp'),
        path.join(runDir(), 'config', 'secrets', 'ca-cvpp-bootstrap'),
      );
    });
  });
});
