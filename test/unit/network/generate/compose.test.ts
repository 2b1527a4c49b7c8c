import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  COMPOSE_HEADER,
  composedNodesOf,
  composeTopologyOf,
  composeYaml,
  dataVolumeOf,
  hasDataVolume,
  peerCommand,
  type ComposeFile,
} from '../../../../network/src/generate/compose';
import { CONTAINER_ROOT, containerLayout } from '../../../../network/src/generate/layout';
import { nodeEnvOf } from '../../../../network/src/generate/node-env';
import { repoRoot } from '../../../../platform/src/paths';
import { loadTopology, nodesOf, serviceNameOf } from '../../../../platform/src/topology';

const topology = loadTopology();
// The directory runs natively only: no compose service.
const nodes = composedNodesOf(topology);
const committedText = readFileSync(path.join(repoRoot(), 'docker-compose.yaml'), 'utf8');
const committed = parse(committedText) as ComposeFile;

/** `source:target[:ro|:rw]` of one volume entry. */
function mountOf(entry: string): { source: string; target: string; mode?: string; readOnly: boolean } {
  const [source, target, mode] = entry.split(':');
  return { source: source!, target: target!, mode, readOnly: mode === 'ro' };
}

/** A value as the container sees it: compose reads `$$` as `$` (no variable is left in these). */
const unescaped = (value: string) => value.replaceAll('$$', '$');

/** Runs a compose peer command with sh, a stand-in `peer` that prints the builder config. */
function runPeerCommand(command: string[], builderConfig: string): string {
  const bin = mkdtempSync(path.join(os.tmpdir(), 'compose-peer-'));
  try {
    writeFileSync(path.join(bin, 'peer'), '#!/bin/sh\nprintf %s "$CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG"\n');
    chmodSync(path.join(bin, 'peer'), 0o755);
    const [shell, ...args] = command.map(unescaped);
    return execFileSync(shell!, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: `${bin}:${process.env.PATH ?? ''}`, CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG: builderConfig },
    });
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
}

describe('generate/compose', () => {
  describe('committed docker-compose.yaml', () => {
    it('should equal what the topology generates, so it cannot drift', () => {
      assert.equal(committedText, composeYaml(topology));
    });

    it('should say it is generated', () => {
      assert.equal(committedText.split('\n')[0], `# ${COMPOSE_HEADER}`);
    });

    it('should say in its header that generate prepares the CAs and npm start enrolls the crypto', () => {
      const header = committedText.slice(0, committedText.indexOf('\nname:'));
      assert.ok(header.split('\n').every((line) => line === '' || line.startsWith('#')));
      assert.match(
        header,
        /`npm run generate` also prepares each CA home, \.\/network\/run\/data\/ca\.<org>/,
      );
      assert.match(header, /--cafiles/);
      assert.match(header, /`npm start`\n# enrolls every node and user into \.\/network\/run\/crypto/);
    });

    it('should have exactly one service per topology node but the natively run directory', () => {
      assert.deepEqual(Object.keys(committed.services).sort(), nodes.map((n) => serviceNameOf(n)).sort());
      assert.equal(nodes.length, 20);
      assert.equal(committed.services['directory-regulator'], undefined);
    });

    it("should publish exactly the topology's ports of each node", () => {
      for (const node of nodes) {
        const ports = Object.entries(node.ports).map(([key, p]) =>
          key === 'profilePort' ? `127.0.0.1:${p}:${p}` : `${p}:${p}`,
        );
        assert.deepEqual(committed.services[serviceNameOf(node)]!.ports, ports, node.id);
      }
      assert.match(committedText, /- "7051:7051"/);
      // A peer's pprof is reachable from the host's loopback only.
      assert.match(committedText, /- "?127\.0\.0\.1:7059:7059"?\n/);
      assert.doesNotMatch(committedText, /- "7059:7059"/);
    });

    it('should pin every image to the topology versions', () => {
      const expected = {
        ca: `hyperledger/fabric-ca:${topology.fabric.caVersion}`,
        orderer: `hyperledger/fabric-orderer:${topology.fabric.version}`,
        peer: `hyperledger/fabric-peer:${topology.fabric.version}`,
        chaincode: 'node:24',
        gateway: 'node:24',
      };
      for (const node of nodes)
        assert.equal(committed.services[serviceNameOf(node)]!.image, expected[node.role]);
      assert.equal(committed.services['peer-cvpp']!.image, 'hyperledger/fabric-peer:3.1.5');
      assert.equal(committed.services['ca-cvpp']!.image, 'hyperledger/fabric-ca:1.5.21');
    });

    it('should mount, read-only and from ./network/run, every crypto path a service names', () => {
      for (const node of nodes) {
        const service = committed.services[serviceNameOf(node)]!;
        const mounts = service.volumes.map(mountOf);
        const cryptoPaths = [...Object.values(service.environment), ...(service.command ?? [])]
          .flatMap((v) => v.replace(/^\[|\]$/g, '').split(','))
          .filter((v) => v.startsWith(`${CONTAINER_ROOT}/crypto/`));
        for (const file of cryptoPaths) {
          const mount = mounts.find((m) => file === m.target || file.startsWith(`${m.target}/`));
          assert.ok(mount, `${node.id}: nothing mounts ${file}`);
          assert.ok(mount.readOnly, `${node.id}: ${mount.target} is writable`);
          assert.equal(mount.source, `./network/run/${path.posix.relative(CONTAINER_ROOT, mount.target)}`);
        }
        if (['peer', 'orderer', 'chaincode', 'gateway'].includes(node.role))
          assert.ok(cryptoPaths.length > 0);
      }
    });

    it("should mount only the node's own org's crypto (and the consortium's public TLS roots)", () => {
      for (const node of nodes) {
        for (const { source } of committed.services[serviceNameOf(node)]!.volumes.map(mountOf)) {
          if (source === './network/run/crypto/tls-roots.pem') assert.equal(node.role, 'gateway');
          else if (source.startsWith('./network/run/crypto/'))
            assert.ok(source.startsWith(`./network/run/crypto/${node.org.name}/`));
        }
      }
    });

    it('should give every node but the CAs a named data volume at its data path', () => {
      const withVolume = nodes.filter(hasDataVolume);
      assert.equal(withVolume.length, 16);
      for (const node of withVolume) {
        const mounts = committed.services[serviceNameOf(node)]!.volumes.map(mountOf);
        const data = mounts.find((m) => m.source === dataVolumeOf(node));
        assert.ok(data, node.id);
        assert.equal(data.target, containerLayout().data(node.id));
      }
      assert.deepEqual(Object.keys(committed.volumes), withVolume.map(dataVolumeOf));
    });

    it('should use only relative host paths', () => {
      for (const service of Object.values(committed.services)) {
        for (const { source } of service.volumes.map(mountOf)) {
          assert.ok(source.startsWith('./') || !source.includes('/'), source);
        }
      }
      assert.doesNotMatch(committedText, /\/(home|root|tmp|work|Users)\//);
    });

    it('should carry the environment of each node with service names as hosts', () => {
      const inCompose = composeTopologyOf(topology);
      for (const node of nodes.filter((n) => n.role !== 'chaincode')) {
        const expected = nodeEnvOf(inCompose, node, { layout: containerLayout() });
        const actual = committed.services[serviceNameOf(node)]!.environment;
        assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), node.id);
        for (const [key, value] of Object.entries(expected))
          assert.equal(actual[key], value, `${node.id} ${key}`);
      }
      const peer = committed.services['peer-trading']!;
      assert.equal(peer.environment.CORE_PEER_ADDRESS, 'peer-trading:8051');
      assert.equal(
        peer.environment.CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG,
        '{"peername":"trading","ccaddress":"chaincode-trading:8058"}',
      );
      assert.equal(committed.services['gateway-control']!.environment.VPP_PEER_ENDPOINT, 'peer-control:9051');
      assert.doesNotMatch(committedText, /localhost:\d+/);
    });

    it('should start each CA as the native launch does: its home config plus the TLS CA with --cafiles', () => {
      for (const org of topology.orgs) {
        const service = committed.services[`ca-${org.name}`]!;
        const home = `${CONTAINER_ROOT}/data/ca.${org.name}`;
        assert.deepEqual(service.command, [
          'fabric-ca-server',
          'start',
          '--cafiles',
          `${home}/tlsca/fabric-ca-server-config.yaml`,
        ]);
        assert.equal(service.environment.FABRIC_CA_SERVER_HOME, home);
      }
    });

    it('should bind-mount each CA home read-write from the run folder, not from a named volume', () => {
      for (const org of topology.orgs) {
        const service = committed.services[`ca-${org.name}`]!;
        const home = `${CONTAINER_ROOT}/data/ca.${org.name}`;
        assert.deepEqual(service.volumes, [`./network/run/data/ca.${org.name}:${home}:rw`]);
        assert.ok(!(`ca-${org.name}-data` in committed.volumes));
      }
    });

    it('should hold no CA bootstrap secret nor take one from the shell', () => {
      for (const org of topology.orgs) {
        const service = committed.services[`ca-${org.name}`]!;
        assert.deepEqual(
          Object.keys(service.environment).filter((key) => /BOOT|PASS|SECRET/i.test(key)),
          [],
        );
        assert.ok(!service.command!.includes('-b'));
        assert.ok(service.command!.every((arg) => !arg.includes('admin:')));
      }
      assert.doesNotMatch(committedText, /FABRIC_CA_SERVER_BOOT|VPP_CA_BOOTSTRAP|adminpw|admin:/);
    });

    it('should interpolate no shell variable but the chaincode package id', () => {
      const names = [...committedText.replaceAll('$$', '').matchAll(/\$\{?([A-Za-z_]\w*)/g)].map((m) => m[1]);
      assert.deepEqual([...new Set(names)], ['VPP_CHAINCODE_ID']);
    });

    it("should start each peer with its chaincode server's TLS root added to the builder config", (t) => {
      const inCompose = composeTopologyOf(topology);
      const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
      const dir = mkdtempSync(path.join(os.tmpdir(), 'compose-root-'));
      const root = path.join(dir, 'ca.crt');
      writeFileSync(root, pem);
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      for (const org of topology.orgs) {
        const service = committed.services[`peer-${org.name}`]!;
        const rootFile = `${CONTAINER_ROOT}/crypto/${org.name}/chaincode/tls/ca.crt`;
        assert.deepEqual(service.command, peerCommand(rootFile));
        assert.deepEqual(service.command!.slice(0, 2), ['sh', '-c']);
        assert.equal(service.command!.at(-1), rootFile);
        assert.match(service.command![2]!, /exec peer node start$/);
        const config = service.environment.CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG!;
        const started = runPeerCommand([...service.command!.slice(0, -1), root], config);
        const peer = nodesOf(inCompose).find((n) => n.id === `peer.${org.name}`)!;
        const native = nodeEnvOf(inCompose, peer, { layout: containerLayout(), chaincodeTlsRootPem: pem });
        assert.deepEqual(JSON.parse(started), JSON.parse(native.CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG!));
        // No FABRIC_CFG_PATH: the image's own core.yaml declares the ccaas builder.
        assert.equal(service.environment.FABRIC_CFG_PATH, undefined);
      }
    });

    it('should refuse to start a peer whose chaincode TLS root is not enrolled yet', () => {
      const command = peerCommand('/nonexistent/ca.crt');
      assert.throws(
        () => runPeerCommand(command, '{"peername":"cvpp"}'),
        (err: { status: number; stderr: string }) =>
          err.status === 1 && /\/nonexistent\/ca\.crt is missing: enroll first/.test(err.stderr),
      );
    });

    it('should start each chaincode server with the native launch arguments', () => {
      for (const org of topology.orgs) {
        const node = nodes.find((n) => n.id === `chaincode.${org.name}`)!;
        const service = committed.services[serviceNameOf(node)]!;
        const tls = `${CONTAINER_ROOT}/crypto/${org.name}/chaincode/tls`;
        assert.deepEqual(service.command, [
          'node',
          '/app/node_modules/fabric-shim/cli.js',
          'server',
          '--chaincode-address',
          `0.0.0.0:${node.port}`,
          '--chaincode-id',
          '${VPP_CHAINCODE_ID:-}',
          '--chaincode-tls-cert-file',
          `${tls}/server.crt`,
          '--chaincode-tls-key-file',
          `${tls}/server.key`,
          '--module-path',
          '/app/chaincode',
        ]);
        assert.equal(service.working_dir, '/app');
        assert.deepEqual(service.environment, {});
      }
    });

    it('should put every service on the one vpp network, under its service name as host', () => {
      assert.deepEqual(Object.keys(committed.networks), ['vpp']);
      for (const [name, service] of Object.entries(committed.services)) {
        assert.deepEqual(service.networks, ['vpp']);
        assert.equal(service.hostname, name);
      }
    });
  });

  describe('#composeTopologyOf', () => {
    it('should replace every host by the service name and keep the original untouched', () => {
      const inCompose = composeTopologyOf(topology);
      assert.equal(inCompose.orgs[0]!.peer.host, 'peer-cvpp');
      assert.equal(inCompose.orgs[3]!.chaincodeServer.host, 'chaincode-regulator');
      assert.equal(inCompose.orgs[2]!.ca.host, 'ca-control');
      assert.equal(topology.orgs[0]!.peer.host, 'localhost');
      assert.deepEqual(
        composedNodesOf(inCompose).map((n) => n.host),
        nodes.map((n) => serviceNameOf(n)),
      );
    });
  });
});
