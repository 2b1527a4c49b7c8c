import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { binaryPath, fabricBinaries, FabricInstallError } from '../../../platform/src/fabric-binaries';
import {
  checkFabricVersions,
  installFabric,
  locateFabricHome,
  parseVersionOutput,
  sharedFabricDir,
} from '../../../platform/src/fabric-home';
import { repoRoot } from '../../../platform/src/paths';
import { loadTopology } from '../../../platform/src/topology';

const topology = loadTopology();
const { version, commit, caVersion } = topology.fabric;
const shortCommit = commit.slice(0, 7);

const tmp = (prefix: string) => mkdtempSync(path.join(os.tmpdir(), prefix));

interface Printed {
  version: string;
  commit?: string;
}

/** A shell script that prints what `<name> version` of a release prints. */
function versionScript(name: string, printed: Printed): string {
  const lines = [`${name}:`, ` Version: ${printed.version}`];
  if (printed.commit) lines.push(` Commit SHA: ${printed.commit}`);
  lines.push(' Go version: go1.26.8', ' OS/Arch: linux/amd64');
  return `#!/bin/sh\nprintf '%s\\n' ${lines.map((l) => `'${l}'`).join(' ')}\n`;
}

/** A folder in the release layout whose binaries print the pinned versions, unless told otherwise. */
function fakeRelease(printed: Partial<Record<string, Printed>> = {}): string {
  const home = tmp('fabric-release-');
  for (const b of fabricBinaries(topology.fabric)) {
    const pinned = b.name.startsWith('fabric-ca') ? { version: caVersion } : { version, commit: shortCommit };
    mkdirSync(path.join(home, b.dir), { recursive: true });
    writeFileSync(binaryPath(home, b), versionScript(b.name, printed[b.name] ?? pinned), { mode: 0o755 });
  }
  mkdirSync(path.join(home, 'config'));
  writeFileSync(path.join(home, 'config', 'core.yaml'), 'peer: {}\n');
  writeFileSync(path.join(home, 'config', 'orderer.yaml'), 'General: {}\n');
  return home;
}

/** Every entry under a folder with its size, mode and modification time. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((e) => path.join(e.parentPath, e.name))
    .map((file) => {
      const s = statSync(file);
      return `${path.relative(dir, file)} ${s.size} ${s.mode} ${s.mtimeMs}`;
    })
    .sort();
}

/**
 * A folder with a `go` on it: one that refuses every module as the project's proxy does, or one
 * that "builds" each command as a script printing the version its -ldflags stamp in.
 */
function fakeGo(kind: 'refusing' | 'building'): { bin: string; calls: string } {
  const bin = tmp('fake-go-');
  const calls = path.join(bin, 'calls.log');
  const module = path.join(bin, 'fabric-module');
  const refusing = [
    'target=$(eval echo \\${$#})',
    'echo "go: $target: invalid version: reading https://proxy.example/$target.info: 403 Forbidden" >&2',
    'echo "	server response: This module version is not available." >&2',
    'exit 1',
  ];
  const building = [
    'if [ "$1" = mod ]; then',
    `  mkdir -p '${module}/sampleconfig'`,
    `  echo 'peer: {}' > '${module}/sampleconfig/core.yaml'`,
    `  echo 'General: {}' > '${module}/sampleconfig/orderer.yaml'`,
    `  printf '{"Dir":"%s"}\\n' '${module}'`,
    '  exit 0',
    'fi',
    'flags=$(printf "%s" "$2" | sed "s/^-ldflags=//")',
    'name=$(basename "${3%@*}")',
    'v=$(printf "%s\\n" $flags | sed -n "s/.*metadata\\.Version=//p")',
    'c=$(printf "%s\\n" $flags | sed -n "s/.*metadata\\.CommitSHA=//p" | cut -c1-7)',
    '{ echo "#!/bin/sh"; echo "echo \' Version: $v\'"; [ -z "$c" ] || echo "echo \' Commit SHA: $c\'"; } > "$GOBIN/$name"',
    'chmod +x "$GOBIN/$name"',
  ];
  writeFileSync(
    path.join(bin, 'go'),
    ['#!/bin/sh', `echo "$*" >> '${calls}'`, ...(kind === 'refusing' ? refusing : building), ''].join('\n'),
    { mode: 0o755 },
  );
  return { bin, calls };
}

/** An environment with no Fabric anywhere: no VPP_FABRIC_HOME, an empty cache, `go` from the given folder. */
function bareEnv(goBin: string): NodeJS.ProcessEnv {
  const home = tmp('bare-home-');
  return {
    PATH: `${goBin}:${process.env.PATH ?? ''}`,
    HOME: home,
    VPP_FABRIC_CACHE: path.join(home, 'cache'),
  };
}

const quiet = { log: () => undefined };

describe('fabric-home', () => {
  describe('#locateFabricHome', () => {
    const shared = tmp('shared-fabric-');

    it('should take VPP_FABRIC_HOME first, as an absolute path, even when a shared folder exists', () => {
      const home = locateFabricHome(topology.fabric, {
        env: { VPP_FABRIC_HOME: 'relative/release' },
        sharedDir: shared,
      });
      assert.deepEqual(home, { dir: path.resolve('relative/release'), source: 'VPP_FABRIC_HOME' });
    });

    it('should take the shared release folder when it exists and VPP_FABRIC_HOME is unset or empty', () => {
      for (const env of [{}, { VPP_FABRIC_HOME: '' }])
        assert.deepEqual(locateFabricHome(topology.fabric, { env, sharedDir: shared }), {
          dir: shared,
          source: 'shared',
        });
    });

    it('should fall back to the user cache keyed by the pin, under VPP_FABRIC_CACHE or the XDG cache', () => {
      const missing = path.join(shared, 'absent');
      assert.deepEqual(
        locateFabricHome(topology.fabric, { env: { VPP_FABRIC_CACHE: '/c' }, sharedDir: missing }),
        { dir: `/c/fabric-${version}-${commit}-ca-${caVersion}`, source: 'cache' },
      );
      assert.equal(
        locateFabricHome(topology.fabric, { env: { XDG_CACHE_HOME: '/x', HOME: '/h' }, sharedDir: missing })
          .dir,
        `/x/vpp-ledger/fabric-${version}-${commit}-ca-${caVersion}`,
      );
      assert.equal(
        locateFabricHome(topology.fabric, { env: { HOME: '/h' }, sharedDir: missing }).dir,
        `/h/.cache/vpp-ledger/fabric-${version}-${commit}-ca-${caVersion}`,
      );
    });

    it('should look for the shared folder beside the repository', () => {
      assert.equal(sharedFabricDir(), path.join(path.dirname(repoRoot()), 'shared', 'fabric'));
    });
  });

  describe('#parseVersionOutput', () => {
    it('should read the version and abbreviated commit that `peer version` prints', () => {
      const text =
        'peer:\n Version: 3.1.5\n Commit SHA: 86c1172\n Go version: go1.26.8\n OS/Arch: linux/amd64\n';
      assert.deepEqual(parseVersionOutput(text), { version: '3.1.5', commit: '86c1172' });
    });

    it('should read a fabric-ca version, which has no commit, and give nothing for other text', () => {
      assert.deepEqual(parseVersionOutput('fabric-ca-server:\n Version: 1.5.21\n Go version: go1.26.8\n'), {
        version: '1.5.21',
      });
      assert.equal(parseVersionOutput('Usage: peer [command]\n'), undefined);
    });
  });

  describe('#checkFabricVersions', () => {
    it('should accept a folder whose peer, orderer and fabric-ca-server print the pin', async () => {
      await checkFabricVersions({ dir: fakeRelease(), source: 'VPP_FABRIC_HOME' }, topology.fabric);
    });

    it('should refuse a wrong peer version in one line naming the folder, the expected and the found version', async () => {
      const dir = fakeRelease({ peer: { version: '3.0.0', commit: 'abcdef1' } });
      await assert.rejects(
        checkFabricVersions({ dir, source: 'VPP_FABRIC_HOME' }, topology.fabric),
        (err: Error) => {
          assert.ok(err instanceof FabricInstallError);
          assert.equal(
            err.message,
            `Fabric folder ${dir} (VPP_FABRIC_HOME): peer is 3.0.0 (commit abcdef1), ` +
              `expected ${version} (commit ${commit})`,
          );
          return true;
        },
      );
    });

    it('should refuse the right version number built from another commit', async () => {
      const dir = fakeRelease({ orderer: { version, commit: '0000000' } });
      await assert.rejects(checkFabricVersions({ dir, source: 'shared' }, topology.fabric), {
        message: `Fabric folder ${dir} (the shared release folder): orderer is ${version} (commit 0000000), expected ${version} (commit ${commit})`,
      });
    });

    it('should refuse another fabric-ca release and name every wrong binary at once', async () => {
      const dir = fakeRelease({
        'fabric-ca-server': { version: '1.5.7' },
        peer: { version: 'latest', commit: 'development build' },
      });
      await assert.rejects(checkFabricVersions({ dir, source: 'VPP_FABRIC_HOME' }, topology.fabric), {
        message:
          `Fabric folder ${dir} (VPP_FABRIC_HOME): peer is latest (commit development build), expected ${version} (commit ${commit}); ` +
          `fabric-ca-server is 1.5.7, expected ${caVersion}`,
      });
    });

    it('should refuse a binary that does not run or prints no version', async () => {
      const dir = fakeRelease();
      writeFileSync(path.join(dir, 'bin', 'orderer'), '#!/bin/sh\necho "boom" >&2\nexit 3\n');
      writeFileSync(path.join(dir, 'bin', 'peer'), '#!/bin/sh\necho "Usage: peer"\n');
      await assert.rejects(checkFabricVersions({ dir, source: 'VPP_FABRIC_HOME' }, topology.fabric), {
        message: `Fabric folder ${dir} (VPP_FABRIC_HOME): peer version printed no version; orderer version failed (boom)`,
      });
    });
  });

  describe('#installFabric', () => {
    it('should use a complete release folder as it is, without building or writing anything into it', async () => {
      const dir = fakeRelease();
      const go = fakeGo('building');
      const before = snapshot(dir);
      const lines: string[] = [];
      const env = { ...bareEnv(go.bin), VPP_FABRIC_HOME: dir };
      const home = await installFabric(topology, { env, log: (l) => lines.push(l) });
      assert.deepEqual(home, { dir, source: 'VPP_FABRIC_HOME' });
      assert.deepEqual(snapshot(dir), before);
      assert.equal(existsSync(go.calls), false, 'go was not run');
      assert.deepEqual(lines, [
        `Fabric ${version} and fabric-ca ${caVersion} from ${dir} (VPP_FABRIC_HOME), versions checked`,
      ]);
    });

    it('should refuse an incomplete release folder, naming what it lacks, and never build into it', async () => {
      const dir = fakeRelease();
      const go = fakeGo('building');
      for (const file of ['builders/ccaas/bin/detect', 'config/orderer.yaml']) rmSync(path.join(dir, file));
      const before = snapshot(dir);
      await assert.rejects(installFabric(topology, { ...quiet, env: bareEnv(go.bin), sharedDir: dir }), {
        name: 'FabricInstallError',
        message: `Fabric folder ${dir} (the shared release folder) is not a Fabric release folder: missing builders/ccaas/bin/detect, config/orderer.yaml`,
      });
      assert.deepEqual(snapshot(dir), before);
      assert.equal(existsSync(go.calls), false, 'go was not run');
    });

    it('should refuse a release folder holding a wrong peer version', async () => {
      const dir = fakeRelease({ peer: { version: '2.5.10', commit: '1234567' } });
      await assert.rejects(installFabric(topology, { ...quiet, env: { VPP_FABRIC_HOME: dir } }), {
        message: `Fabric folder ${dir} (VPP_FABRIC_HOME): peer is 2.5.10 (commit 1234567), expected ${version} (commit ${commit})`,
      });
    });

    it('should stop with the proxy message when there is no Fabric anywhere and the proxy refuses Hyperledger', async () => {
      const go = fakeGo('refusing');
      const options = { ...quiet, env: bareEnv(go.bin), sharedDir: path.join(tmp('no-shared-'), 'fabric') };
      await assert.rejects(installFabric(topology, options), (err: Error) => {
        assert.ok(err instanceof FabricInstallError);
        assert.ok(
          err.message.startsWith(
            `cannot build peer: the Go module proxy refused github.com/hyperledger/fabric/cmd/peer@${commit} (`,
          ),
          err.message,
        );
        assert.match(err.message, /403 Forbidden/);
        return true;
      });
      assert.deepEqual(readFileSync(go.calls, 'utf8').trim().split('\n'), [
        `install -ldflags=${fabricBinaries(topology.fabric)[0]!.ldflags} github.com/hyperledger/fabric/cmd/peer@${commit}`,
      ]);
    });

    it('should build what the user cache lacks with the pin stamped in, and accept the result', async () => {
      const go = fakeGo('building');
      const env = bareEnv(go.bin);
      const options = { ...quiet, env, sharedDir: path.join(tmp('no-shared-'), 'fabric') };
      const home = await installFabric(topology, options);
      assert.deepEqual(home, {
        dir: `${env.VPP_FABRIC_CACHE}/fabric-${version}-${commit}-ca-${caVersion}`,
        source: 'cache',
      });
      const calls = readFileSync(go.calls, 'utf8').trim().split('\n');
      assert.equal(calls.length, fabricBinaries(topology.fabric).length + 1, calls.join('\n'));
      assert.equal(calls.at(-1), `mod download -json github.com/hyperledger/fabric@${commit}`);
      assert.equal(readFileSync(path.join(home.dir, 'config', 'core.yaml'), 'utf8'), 'peer: {}\n');
      // A second run finds everything and builds nothing.
      await installFabric(topology, options);
      assert.equal(readFileSync(go.calls, 'utf8').trim().split('\n').length, calls.length);
    });
  });
});
