import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { composeYaml } from '../../../../network/src/generate/compose';
import { connectionProfileOf } from '../../../../network/src/generate/connection-profile';
import { composeIsCurrent, generateAll, nativeCcaasBuilderDir } from '../../../../network/src/generate/index';
import { fabricCacheDir } from '../../../../network/src/paths';
import { loadTopology } from '../../../../network/src/topology';

const topology = loadTopology();

describe('generate/index', () => {
  describe('#generateAll', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'generate-'));
    const runDir = path.join(dir, 'run');
    const composeFile = path.join(dir, 'docker-compose.yaml');
    const saved = process.env.VPP_RUN_DIR;
    let written: string[] = [];

    before(() => {
      process.env.VPP_RUN_DIR = runDir;
      written = generateAll(topology, { composeFile });
    });
    after(() => {
      if (saved === undefined) delete process.env.VPP_RUN_DIR;
      else process.env.VPP_RUN_DIR = saved;
    });

    it('should write configtx, 20 env files, 4 connection profiles and the compose file', () => {
      assert.equal(written.length, 1 + 20 + 4 + 1);
      assert.equal(written[0], path.join(runDir, 'config', 'configtx.yaml'));
      assert.ok(written.includes(path.join(runDir, 'env', 'peer.cvpp.env')));
      assert.ok(written.includes(path.join(runDir, 'config', 'connection-regulator.json')));
      assert.equal(written.at(-1), composeFile);
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
    it('should be the folder above the installed ccaas bin folder', () => {
      const cache = fabricCacheDir(topology.fabric.commit, topology.fabric.caVersion);
      assert.equal(nativeCcaasBuilderDir(topology), path.join(cache, 'ccaas'));
    });
  });
});
