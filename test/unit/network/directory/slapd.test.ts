import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openLdapBinary, raSecret } from '../../../../network/src/directory/slapd';
import { launchSpecOf } from '../../../../network/src/process/launch';
import { directoryPaths } from '../../../../platform/src/directory-layout';
import { directoryNodeOf, loadTopology } from '../../../../platform/src/topology';

const TOOLS = { bin: 'bin', configDir: 'config' };

describe('directory/slapd', () => {
  const saved = { run: process.env.VPP_RUN_DIR, path: process.env.PATH };
  let dir: string;
  let fakeBin: string;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vpp-directory-'));
    process.env.VPP_RUN_DIR = path.join(dir, 'run');
    // A stand-in slapd on the PATH: the launch spec names it but nothing runs it here.
    fakeBin = path.join(dir, 'bin');
    mkdirSync(fakeBin);
    writeFileSync(path.join(fakeBin, 'slapd'), '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(fakeBin, 'slapd'), 0o755);
  });
  after(() => {
    if (saved.run === undefined) delete process.env.VPP_RUN_DIR;
    else process.env.VPP_RUN_DIR = saved.run;
    process.env.PATH = saved.path ?? '';
    rmSync(dir, { recursive: true, force: true });
  });

  describe('#openLdapBinary', () => {
    it('should find the program on the PATH first', () => {
      assert.equal(openLdapBinary('slapd', { PATH: fakeBin }), path.join(fakeBin, 'slapd'));
    });

    it('should look in the system folder after the PATH, and say how to install it when neither has it', () => {
      const nowhere = path.join(dir, 'nowhere');
      assert.equal(openLdapBinary('slapd', { PATH: nowhere }, fakeBin), path.join(fakeBin, 'slapd'));
      assert.throws(
        () => openLdapBinary('slapadd', { PATH: nowhere }, nowhere),
        /slapadd is not installed: run network\/bin\/ensure-deps\.sh as root \(Debian package slapd\)/,
      );
    });
  });

  describe('#raSecret', () => {
    it("should make an org RA's secret once, 0600, and read the same one back", () => {
      const first = raSecret('cvpp');
      assert.match(first, /^[0-9a-f]{48}$/);
      assert.equal(raSecret('cvpp'), first);
      const file = directoryPaths.raSecret('cvpp');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(readFileSync(file, 'utf8'), `${first}\n`);
      assert.notEqual(raSecret('trading'), first);
    });
  });

  describe('#launchSpecOf (directory)', () => {
    it('should run slapd in the foreground on the topology URL with the generated config, probed by TCP', () => {
      const topology = loadTopology();
      const node = directoryNodeOf(topology)!;
      // A database already there: the launch writes the config but seeds nothing (no slapadd).
      const data = path.join(process.env.VPP_RUN_DIR!, 'data', node.id);
      mkdirSync(data, { recursive: true });
      writeFileSync(path.join(data, 'data.mdb'), '');
      process.env.PATH = fakeBin;
      const spec = launchSpecOf(node, { topology, tools: TOOLS });
      const conf = directoryPaths.config('slapd.conf');
      assert.equal(spec.command, path.join(fakeBin, 'slapd'));
      assert.deepEqual(spec.args, ['-f', conf, '-h', 'ldap://localhost:10389/', '-d', '0']);
      assert.deepEqual(spec.health, [{ kind: 'tcp', port: 10389 }]);
      assert.deepEqual(spec.env, {});
      assert.match(readFileSync(conf, 'utf8'), new RegExp(`^directory ${data}$`, 'm'));
      assert.match(readFileSync(directoryPaths.config('vpp.schema'), 'utf8'), /NAME 'vppIdentity'/);
    });
  });
});
