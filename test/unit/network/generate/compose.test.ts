import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  COMPOSE_HEADER,
  composeTopologyOf,
  composeYaml,
  dataVolumeOf,
  serviceNameOf,
  type ComposeFile,
} from '../../../../network/src/generate/compose';
import { CONTAINER_ROOT, containerLayout } from '../../../../network/src/generate/layout';
import { nodeEnvOf } from '../../../../network/src/generate/node-env';
import { repoRoot } from '../../../../network/src/paths';
import { loadTopology, nodesOf } from '../../../../network/src/topology';

const topology = loadTopology();
const nodes = nodesOf(topology);
const committedText = readFileSync(path.join(repoRoot(), 'docker-compose.yaml'), 'utf8');
const committed = parse(committedText) as ComposeFile;

/** `source:target[:ro]` of one volume entry. */
function mountOf(entry: string): { source: string; target: string; readOnly: boolean } {
  const [source, target, mode] = entry.split(':');
  return { source: source!, target: target!, readOnly: mode === 'ro' };
}

describe('generate/compose', () => {
  describe('committed docker-compose.yaml', () => {
    it('should equal what the topology generates, so it cannot drift', () => {
      assert.equal(committedText, composeYaml(topology));
    });

    it('should say it is generated', () => {
      assert.equal(committedText.split('\n')[0], `# ${COMPOSE_HEADER}`);
    });

    it('should have exactly one service per topology node', () => {
      assert.deepEqual(Object.keys(committed.services).sort(), nodes.map((n) => serviceNameOf(n)).sort());
      assert.equal(nodes.length, 20);
    });

    it("should publish exactly the topology's ports of each node", () => {
      for (const node of nodes) {
        const ports = Object.values(node.ports).map((p) => `${p}:${p}`);
        assert.deepEqual(committed.services[serviceNameOf(node)]!.ports, ports, node.id);
      }
      assert.match(committedText, /- "7051:7051"/);
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
        const cryptoPaths = Object.values(service.environment)
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

    it("should mount only the node's own org's crypto", () => {
      for (const node of nodes) {
        for (const { source } of committed.services[serviceNameOf(node)]!.volumes.map(mountOf)) {
          if (source.startsWith('./network/run/crypto/'))
            assert.ok(source.startsWith(`./network/run/crypto/${node.org.name}/`));
        }
      }
    });

    it('should give every node a named data volume at its data path', () => {
      for (const node of nodes) {
        const mounts = committed.services[serviceNameOf(node)]!.volumes.map(mountOf);
        const data = mounts.find((m) => m.source === dataVolumeOf(node));
        assert.ok(data, node.id);
        assert.equal(data.target, containerLayout().data(node.id));
        assert.ok(dataVolumeOf(node) in committed.volumes);
      }
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
      for (const node of nodes) {
        const expected = nodeEnvOf(inCompose, node, { layout: containerLayout() });
        const actual = committed.services[serviceNameOf(node)]!.environment;
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

    it('should put every service on the one vpp network, under its service name as host', () => {
      assert.deepEqual(Object.keys(committed.networks), ['vpp']);
      for (const [name, service] of Object.entries(committed.services)) {
        assert.deepEqual(service.networks, ['vpp']);
        assert.equal(service.hostname, name);
      }
    });
  });

  describe('#serviceNameOf', () => {
    it('should turn a node id into a DNS label', () => {
      assert.equal(serviceNameOf({ id: 'peer.cvpp' }), 'peer-cvpp');
      assert.equal(serviceNameOf({ id: 'chaincode.regulator' }), 'chaincode-regulator');
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
        nodesOf(inCompose).map((n) => n.host),
        nodes.map((n) => serviceNameOf(n)),
      );
    });
  });
});
