import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  connectionJson,
  isRetryableLifecycleError,
  packageChaincode,
  packageLabel,
} from '../../../network/src/chaincode-lifecycle';
import { loadTopology } from '../../../platform/src/topology';

describe('chaincode-lifecycle', () => {
  describe('#isRetryableLifecycleError', () => {
    it('should retry through another orderer when the transaction was accepted but not ordered in time', () => {
      // Both messages as the peer CLI printed them on this project's network.
      assert.equal(isRetryableLifecycleError('Error: timed out waiting for txid on all peers'), true);
      assert.equal(
        isRetryableLifecycleError(
          'Error: error receiving from deliver filtered at localhost:7051: rpc error: code = DeadlineExceeded desc = stream terminated by RST_STREAM with error code: CANCEL',
        ),
        true,
      );
      // The peer cut the CLI's wait for the commit: whether it landed is checked before a retry.
      assert.equal(
        isRetryableLifecycleError(
          '[grpc] Errorf -> [transport] Client received GoAway with error code ENHANCE_YOUR_CALM and debug data equal to ASCII "too_many_pings".',
        ),
        true,
      );
    });

    it('should not retry a refusal that another orderer would refuse too', () => {
      assert.equal(
        isRetryableLifecycleError(
          "Error: proposal failed with status: 500 - failed to invoke backing implementation of 'ApproveChaincodeDefinitionForMyOrg': attempted to redefine uncommitted sequence (2)",
        ),
        false,
      );
      assert.equal(
        isRetryableLifecycleError('Error: access denied: channel [vppchannel] creator org [CvppMSP]'),
        false,
      );
    });
  });

  describe('#connectionJson', () => {
    it('should leave the address and TLS root as builder templates, so one package serves every org', () => {
      assert.deepEqual(connectionJson(), {
        address: '{{.ccaddress}}',
        dial_timeout: '10s',
        tls_required: true,
        client_auth_required: false,
        root_cert: '{{.ccrootcert}}',
      });
    });
  });

  describe('#packageChaincode', () => {
    it('should make the same package id every time, so a restart finds the installed package', () => {
      const saved = process.env.VPP_RUN_DIR;
      const dir = mkdtempSync(path.join(os.tmpdir(), 'ccpkg-'));
      process.env.VPP_RUN_DIR = dir;
      try {
        const topology = loadTopology();
        const first = packageChaincode(topology);
        const second = packageChaincode(topology);
        assert.equal(second.packageId, first.packageId);
        assert.match(first.packageId, new RegExp(`^${packageLabel(topology)}:[0-9a-f]{64}$`));
        const other = packageChaincode({
          ...topology,
          chaincode: { ...topology.chaincode, version: '9.9.9' },
        });
        assert.notEqual(other.packageId.split(':')[1], first.packageId.split(':')[1]);
      } finally {
        if (saved === undefined) delete process.env.VPP_RUN_DIR;
        else process.env.VPP_RUN_DIR = saved;
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('#packageLabel', () => {
    it('should name the package after the chaincode and its version', () => {
      const topology = loadTopology();
      assert.equal(packageLabel(topology), `${topology.chaincode.name}_${topology.chaincode.version}`);
    });
  });
});
