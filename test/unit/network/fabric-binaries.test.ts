import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  binaryPath,
  explainGoFailure,
  fabricBinaries,
  installFabricBinaries,
  missingBinaries,
} from '../../../network/src/fabric-binaries';
import { fabricCacheDir } from '../../../network/src/paths';
import { loadTopology } from '../../../network/src/topology';

const topology = loadTopology();

describe('fabric-binaries', () => {
  describe('#fabricBinaries', () => {
    it('should pin every Fabric command to the topology commit and fabric-ca to its version', () => {
      const binaries = fabricBinaries(topology.fabric);
      assert.deepEqual(
        binaries.map((b) => b.name),
        [
          'peer',
          'orderer',
          'configtxgen',
          'configtxlator',
          'osnadmin',
          'detect',
          'build',
          'release',
          'fabric-ca-server',
          'fabric-ca-client',
        ],
      );
      for (const b of binaries.filter((b) => b.target.startsWith('github.com/hyperledger/fabric/'))) {
        assert.ok(b.target.endsWith(`@${topology.fabric.commit}`), b.target);
      }
      const ca = binaries.filter((b) => b.name.startsWith('fabric-ca'));
      assert.ok(ca.every((b) => b.cgo && b.target.endsWith(`@v${topology.fabric.caVersion}`)));
      assert.deepEqual(
        binaries.filter((b) => b.dir === 'ccaas/bin').map((b) => b.target.split('@')[0]),
        ['detect', 'build', 'release'].map((n) => `github.com/hyperledger/fabric/ccaas_builder/cmd/${n}`),
      );
    });
  });

  describe('#missingBinaries', () => {
    it('should list only the binaries that are absent or not executable', () => {
      const cache = mkdtempSync(path.join(os.tmpdir(), 'fabric-cache-'));
      const binaries = fabricBinaries(topology.fabric);
      mkdirSync(path.join(cache, 'bin'), { recursive: true });
      writeFileSync(binaryPath(cache, binaries[0]!), '#!/bin/sh\n');
      chmodSync(binaryPath(cache, binaries[0]!), 0o755);
      writeFileSync(binaryPath(cache, binaries[1]!), 'not executable');
      const missing = missingBinaries(cache, binaries).map((b) => b.name);
      assert.equal(missing.length, binaries.length - 1);
      assert.ok(!missing.includes('peer'));
      assert.ok(missing.includes('orderer'));
    });
  });

  describe('#installFabricBinaries', () => {
    let saved: string | undefined;
    beforeEach(() => (saved = process.env.VPP_FABRIC_CACHE));
    afterEach(() => {
      if (saved === undefined) delete process.env.VPP_FABRIC_CACHE;
      else process.env.VPP_FABRIC_CACHE = saved;
    });

    it('should skip the build when every pinned binary and the default config are in the cache keyed by the pin', async () => {
      process.env.VPP_FABRIC_CACHE = mkdtempSync(path.join(os.tmpdir(), 'fabric-cache-'));
      const cache = fabricCacheDir(topology.fabric.commit, topology.fabric.caVersion);
      assert.equal(path.basename(cache), `fabric-${topology.fabric.commit}-ca-${topology.fabric.caVersion}`);
      for (const b of fabricBinaries(topology.fabric)) {
        mkdirSync(path.dirname(binaryPath(cache, b)), { recursive: true });
        writeFileSync(binaryPath(cache, b), '#!/bin/sh\n', { mode: 0o755 });
      }
      mkdirSync(path.join(cache, 'config'));
      for (const file of ['core.yaml', 'orderer.yaml'])
        writeFileSync(path.join(cache, 'config', file), 'x: 1\n');
      const lines: string[] = [];
      assert.equal(await installFabricBinaries(topology, { log: (l) => lines.push(l) }), cache);
      assert.deepEqual(lines, [`Fabric ${topology.fabric.version} binaries present in ${cache}`]);
    });
  });

  describe('#explainGoFailure', () => {
    const peer = fabricBinaries(topology.fabric)[0]!;

    it('should say that the proxy refused the module, quoting its answer', () => {
      const output =
        `go: github.com/hyperledger/fabric/cmd/peer@${topology.fabric.commit}: invalid version: reading ` +
        `https://proxy.example/github.com/hyperledger/fabric/cmd/peer/@v/${topology.fabric.commit}.info: 403 Forbidden\n` +
        '\tserver response: This module version is not available.\n';
      const text = explainGoFailure(peer, output);
      assert.ok(text.startsWith(`cannot build peer: the Go module proxy refused ${peer.target} (`), text);
      assert.match(text, /403 Forbidden/);
    });

    it('should say when the proxy cannot be reached', () => {
      const text = explainGoFailure(peer, 'go: dial tcp: lookup proxy.example: no such host\n');
      assert.equal(
        text,
        'cannot build peer: the Go module proxy is unreachable (go: dial tcp: lookup proxy.example: no such host)',
      );
    });

    it('should keep the tail of any other compiler output', () => {
      const text = explainGoFailure(peer, 'a\nb\n# compile error: x.go:1: undefined: y\n');
      assert.equal(
        text,
        `cannot build peer (go install ${peer.target}):\na\nb\n# compile error: x.go:1: undefined: y`,
      );
    });
  });
});
