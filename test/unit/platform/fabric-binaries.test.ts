import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  binaryIn,
  binaryPath,
  explainGoFailure,
  fabricBinaries,
  missingBinaries,
  missingFromRelease,
} from '../../../platform/src/fabric-binaries';
import { loadTopology } from '../../../platform/src/topology';

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
    });

    it('should place every binary where the official release tarball has it', () => {
      assert.deepEqual(
        fabricBinaries(topology.fabric).map((b) => path.join(b.dir, b.name)),
        [
          'bin/peer',
          'bin/orderer',
          'bin/configtxgen',
          'bin/configtxlator',
          'bin/osnadmin',
          'builders/ccaas/bin/detect',
          'builders/ccaas/bin/build',
          'builders/ccaas/bin/release',
          'bin/fabric-ca-server',
          'bin/fabric-ca-client',
        ],
      );
      assert.equal(
        binaryIn('/opt/fabric', topology.fabric, 'detect'),
        '/opt/fabric/builders/ccaas/bin/detect',
      );
      assert.throws(
        () => binaryIn('/opt/fabric', topology.fabric, 'cryptogen'),
        /not a pinned Fabric binary/,
      );
    });

    it('should stamp the pinned release into what `go install` builds, as the release Makefiles do', () => {
      const { version, commit, caVersion } = topology.fabric;
      const [peer] = fabricBinaries(topology.fabric);
      assert.equal(
        peer!.ldflags,
        `-X github.com/hyperledger/fabric/common/metadata.Version=${version} ` +
          `-X github.com/hyperledger/fabric/common/metadata.CommitSHA=${commit}`,
      );
      const caServer = fabricBinaries(topology.fabric).find((b) => b.name === 'fabric-ca-server');
      assert.equal(
        caServer!.ldflags,
        `-X github.com/hyperledger/fabric-ca/lib/metadata.Version=${caVersion}`,
      );
    });
  });

  describe('#missingBinaries', () => {
    it('should list only the binaries that are absent or not executable', () => {
      const home = mkdtempSync(path.join(os.tmpdir(), 'fabric-home-'));
      const binaries = fabricBinaries(topology.fabric);
      mkdirSync(path.join(home, 'bin'), { recursive: true });
      writeFileSync(binaryPath(home, binaries[0]!), '#!/bin/sh\n');
      chmodSync(binaryPath(home, binaries[0]!), 0o755);
      writeFileSync(binaryPath(home, binaries[1]!), 'not executable');
      const missing = missingBinaries(home, binaries).map((b) => b.name);
      assert.equal(missing.length, binaries.length - 1);
      assert.ok(!missing.includes('peer'));
      assert.ok(missing.includes('orderer'));
    });
  });

  describe('#missingFromRelease', () => {
    it('should name each missing binary and default config file by its place in the release layout', () => {
      const home = mkdtempSync(path.join(os.tmpdir(), 'fabric-home-'));
      for (const b of fabricBinaries(topology.fabric).filter((b) => b.name !== 'release')) {
        mkdirSync(path.join(home, b.dir), { recursive: true });
        writeFileSync(binaryPath(home, b), '#!/bin/sh\n', { mode: 0o755 });
      }
      mkdirSync(path.join(home, 'config'));
      writeFileSync(path.join(home, 'config', 'core.yaml'), 'peer: {}\n');
      assert.deepEqual(missingFromRelease(home, topology.fabric), [
        'builders/ccaas/bin/release',
        'config/orderer.yaml',
      ]);
    });
  });

  describe('#explainGoFailure', () => {
    const peer = fabricBinaries(topology.fabric)[0]!;

    it('should say that the proxy refused the module, quoting its answer, and point at VPP_FABRIC_HOME', () => {
      const output =
        `go: github.com/hyperledger/fabric/cmd/peer@${topology.fabric.commit}: invalid version: reading ` +
        `https://proxy.example/github.com/hyperledger/fabric/cmd/peer/@v/${topology.fabric.commit}.info: 403 Forbidden\n` +
        '\tserver response: This module version is not available.\n';
      const text = explainGoFailure(peer, output);
      assert.ok(text.startsWith(`cannot build peer: the Go module proxy refused ${peer.target} (`), text);
      assert.match(text, /403 Forbidden/);
      assert.match(text, /point VPP_FABRIC_HOME at an unpacked Fabric release/);
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
