import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { composeYaml } from '../../../../network/src/generate/compose';
import { connectionProfileOf } from '../../../../network/src/generate/connection-profile';
import { composeIsCurrent, generateAll, nativeCcaasBuilderDir } from '../../../../network/src/generate/index';
import { caNames } from '../../../../platform/src/ca-layout';
import { repoRoot } from '../../../../platform/src/paths';
import { loadTopology } from '../../../../platform/src/topology';

const topology = loadTopology();

describe('generate/index', () => {
  describe('#generateAll', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'generate-'));
    const runDir = path.join(dir, 'run');
    const composeFile = path.join(dir, 'docker-compose.yaml');
    const saved = { run: process.env.VPP_RUN_DIR, fabric: process.env.VPP_FABRIC_HOME };
    // An empty Fabric folder: generating must not need any binary (Docker users have none).
    let written: string[] = [];

    before(() => {
      process.env.VPP_RUN_DIR = runDir;
      process.env.VPP_FABRIC_HOME = path.join(dir, 'empty-fabric-release');
      written = generateAll(topology, { composeFile });
    });
    after(() => {
      if (saved.run === undefined) delete process.env.VPP_RUN_DIR;
      else process.env.VPP_RUN_DIR = saved.run;
      if (saved.fabric === undefined) delete process.env.VPP_FABRIC_HOME;
      else process.env.VPP_FABRIC_HOME = saved.fabric;
      rmSync(dir, { recursive: true, force: true });
    });

    it('should write configtx, collections, 21 env files (20 nodes and the directory), 4 connection profiles, 4 CA homes and the compose file', () => {
      assert.equal(written.length, 2 + 21 + 4 + 4 * 3 + 1);
      assert.equal(written[0], path.join(runDir, 'config', 'configtx.yaml'));
      assert.deepEqual(
        JSON.parse(readFileSync(path.join(runDir, 'config', 'collections_config.json'), 'utf8')),
        [
          {
            name: 'ownerPersonal',
            policy: "OR('CvppMSP.member', 'RegulatorMSP.member')",
            requiredPeerCount: 0,
            maxPeerCount: 1,
            blockToLive: 0,
            memberOnlyRead: true,
            memberOnlyWrite: true,
            endorsementPolicy: { signaturePolicy: "AND('CvppMSP.member', 'RegulatorMSP.member')" },
          },
        ],
      );
      assert.ok(written.includes(path.join(runDir, 'env', 'peer.cvpp.env')));
      assert.ok(written.includes(path.join(runDir, 'config', 'connection-regulator.json')));
      assert.equal(written.at(-1), composeFile);
    });

    it('should write only into the test run folder, never into the repository run folder', () => {
      for (const file of written) assert.ok(file.startsWith(`${dir}${path.sep}`), file);
      assert.ok(!runDir.startsWith(path.join(repoRoot(), 'network')));
    });

    it('should prepare each CA home as the native launch does: identity CA config and TLS CA config', () => {
      for (const org of topology.orgs) {
        const home = path.join(runDir, 'data', `ca.${org.name}`);
        const secret = path.join(runDir, 'config', 'secrets', `ca-${org.name}-bootstrap`);
        const identity = path.join(home, 'fabric-ca-server-config.yaml');
        const tls = path.join(home, 'tlsca', 'fabric-ca-server-config.yaml');
        assert.ok(written.includes(secret) && written.includes(identity) && written.includes(tls), org.name);
        assert.equal(statSync(home).mode & 0o777, 0o700);
        const pass = readFileSync(secret, 'utf8').trim();
        for (const [file, name] of [
          [identity, caNames(org.name).identity],
          [tls, caNames(org.name).tls],
        ] as const) {
          assert.equal(statSync(file).mode & 0o777, 0o600);
          const config = parse(readFileSync(file, 'utf8')) as {
            ca: { name: string };
            registry: { identities: { name: string; pass: string }[] };
          };
          assert.equal(config.ca.name, name);
          assert.deepEqual(
            config.registry.identities.map((i) => [i.name, i.pass]),
            [['admin', pass]],
          );
        }
      }
    });

    it('should keep the CA homes on a second run and not report them again', () => {
      const identity = path.join(runDir, 'data', 'ca.cvpp', 'fabric-ca-server-config.yaml');
      const first = readFileSync(identity, 'utf8');
      const again = generateAll(topology, { composeFile });
      assert.equal(again.length, 2 + 21 + 4 + 1);
      assert.ok(!again.some((file) => file.includes(`${path.sep}data${path.sep}`)));
      assert.equal(readFileSync(identity, 'utf8'), first);
    });

    it('should write the env files readable, with paths into the run folder', () => {
      const file = path.join(runDir, 'env', 'peer.cvpp.env');
      assert.equal(statSync(file).mode & 0o777, 0o644);
      assert.match(
        readFileSync(file, 'utf8'),
        new RegExp(`^CORE_PEER_FILESYSTEMPATH=${runDir}/data/peer.cvpp$`, 'm'),
      );
    });

    it('should write a configtx whose consenter identities sit in the run folder', () => {
      const config = parse(readFileSync(path.join(runDir, 'config', 'configtx.yaml'), 'utf8')) as {
        Orderer: { ConsenterMapping: { Identity: string }[] };
      };
      assert.equal(
        config.Orderer.ConsenterMapping[0]!.Identity,
        path.join(runDir, 'crypto', 'cvpp', 'orderer', 'msp', 'signcerts', 'cert.pem'),
      );
    });

    it('should write a compose file that composeIsCurrent accepts, and notice a change', () => {
      assert.equal(composeIsCurrent(topology, composeFile), true);
      writeFileSync(composeFile, `${composeYaml(topology)}# edited\n`);
      assert.equal(composeIsCurrent(topology, composeFile), false);
      assert.equal(composeIsCurrent(topology, path.join(dir, 'missing.yaml')), false);
    });
  });

  describe('#connectionProfileOf', () => {
    it("should name the org's peer and every orderer, own org first", () => {
      const [cvpp, trading] = topology.orgs;
      const profile = connectionProfileOf(topology, trading!);
      assert.equal(profile.mspId, 'TradingMSP');
      assert.equal(profile.channel, 'vppchannel');
      assert.equal(profile.peer.endpoint, 'localhost:8051');
      assert.match(profile.peer.tlsCACert, /\/crypto\/trading\/peer\/tls\/ca\.crt$/);
      assert.deepEqual(
        profile.orderers.map((o) => o.endpoint),
        ['localhost:8050', 'localhost:7050', 'localhost:9050', 'localhost:10050'],
      );
      assert.match(profile.orderers[1]!.tlsCACert, new RegExp(`/crypto/${cvpp!.name}/orderer/tls/ca\\.crt$`));
    });
  });

  describe('#nativeCcaasBuilderDir', () => {
    it("should be the release layout's builders/ccaas in the Fabric folder in use", () => {
      const saved = process.env.VPP_FABRIC_HOME;
      process.env.VPP_FABRIC_HOME = path.join(os.tmpdir(), 'some-fabric-release');
      try {
        assert.equal(
          nativeCcaasBuilderDir(topology),
          path.join(os.tmpdir(), 'some-fabric-release', 'builders', 'ccaas'),
        );
      } finally {
        if (saved === undefined) delete process.env.VPP_FABRIC_HOME;
        else process.env.VPP_FABRIC_HOME = saved;
      }
    });
  });
});
