import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { layoutAt } from '../../../../network/src/generate/layout';
import { envFileText, nodeEnvOf, shQuote } from '../../../../network/src/generate/node-env';
import { loadTopology, nodesOf, validateTopology, type Topology } from '../../../../platform/src/topology';

const topology = loadTopology();
const layout = layoutAt('/run');
const nodes = nodesOf(topology);
const envOf = (id: string, t: Topology = topology) =>
  nodeEnvOf(
    t,
    nodesOf(t).find((n) => n.id === id)!,
    { layout },
  );

/** Every host:port an env value names (JSON and list values included). */
function endpointsIn(value: string): { host: string; port: number }[] {
  return [...value.matchAll(/([A-Za-z0-9.-]+):(\d{4,5})\b/g)].map((m) => ({
    host: m[1]!,
    port: Number(m[2]),
  }));
}

/** The same topology with every node of each org on its own host, `<org>.vpp.example`. */
function multiHost(): Topology {
  const copy = structuredClone(topology);
  for (const org of copy.orgs) {
    for (const section of [org.ca, org.peer, org.orderer, org.chaincodeServer, org.gateway]) {
      section.host = `${org.name}.vpp.example`;
    }
  }
  return validateTopology(copy);
}

describe('generate/node-env', () => {
  describe('#nodeEnvOf', () => {
    it('should name only ports the topology gives to a node of the same org', () => {
      for (const node of nodes) {
        const own = new Set(nodes.filter((n) => n.org === node.org).flatMap((n) => Object.values(n.ports)));
        for (const value of Object.values(nodeEnvOf(topology, node, { layout }))) {
          for (const { port } of endpointsIn(value))
            assert.ok(own.has(port), `${node.id}: ${port} in ${value}`);
        }
      }
    });

    it("should bind and advertise each node's own ports", () => {
      const org = topology.orgs[1]!;
      const peer = envOf('peer.trading');
      assert.equal(peer.CORE_PEER_ADDRESS, `localhost:${org.peer.port}`);
      assert.equal(peer.CORE_PEER_LISTENADDRESS, `0.0.0.0:${org.peer.port}`);
      assert.equal(peer.CORE_PEER_CHAINCODEADDRESS, `localhost:${org.peer.chaincodePort}`);
      assert.equal(peer.CORE_OPERATIONS_LISTENADDRESS, `localhost:${org.peer.operationsPort}`);
      const orderer = envOf('orderer.trading');
      assert.equal(orderer.ORDERER_GENERAL_LISTENPORT, String(org.orderer.port));
      assert.equal(orderer.ORDERER_ADMIN_LISTENADDRESS, `localhost:${org.orderer.adminPort}`);
      assert.equal(orderer.ORDERER_OPERATIONS_LISTENADDRESS, `localhost:${org.orderer.operationsPort}`);
      const ca = envOf('ca.trading');
      assert.equal(ca.FABRIC_CA_SERVER_PORT, String(org.ca.port));
      assert.equal(ca.FABRIC_CA_SERVER_OPERATIONS_LISTENADDRESS, `localhost:${org.ca.operationsPort}`);
      assert.equal(envOf('chaincode.trading').CORE_CHAINCODE_ADDRESS, `0.0.0.0:${org.chaincodeServer.port}`);
      assert.equal(envOf('gateway.trading').VPP_GATEWAY_PORT, String(org.gateway.port));
      assert.equal(envOf('gateway.trading').VPP_PEER_ENDPOINT, `localhost:${org.peer.port}`);
    });

    it("should serve a peer's pprof on its own host only when the topology names a profile port", () => {
      const org = topology.orgs[1]!;
      const peer = envOf('peer.trading');
      assert.equal(peer.CORE_PEER_PROFILE_ENABLED, 'true');
      assert.equal(peer.CORE_PEER_PROFILE_LISTENADDRESS, `localhost:${org.peer.profilePort}`);
      const withoutProfile = { ...org.peer, profilePort: undefined };
      const quiet = {
        ...topology,
        orgs: topology.orgs.map((o) => (o === org ? { ...o, peer: withoutProfile } : o)),
      };
      const env = nodeEnvOf(
        quiet,
        nodes.find((n) => n.id === 'peer.trading')!,
        { layout },
      );
      assert.equal(env.CORE_PEER_PROFILE_ENABLED, undefined);
      assert.equal(env.CORE_PEER_PROFILE_LISTENADDRESS, undefined);
    });

    it('should give every node a data folder of its own', () => {
      const owners = new Map<string, string>();
      for (const node of nodes) {
        for (const value of Object.values(nodeEnvOf(topology, node, { layout }))) {
          const dir = /^\/run\/data\/([^/]+)/.exec(value)?.[1];
          if (dir === undefined) continue;
          assert.equal(dir, node.id, `${node.id} writes into ${value}`);
          owners.set(dir, node.id);
        }
      }
      const stateful = ['ca', 'orderer', 'peer'].flatMap((role) =>
        topology.orgs.map((o) => `${role}.${o.name}`),
      );
      assert.deepEqual([...owners.keys()].sort(), stateful.sort());
      const orderer = envOf('orderer.cvpp');
      assert.equal(orderer.ORDERER_FILELEDGER_LOCATION, '/run/data/orderer.cvpp/ledger');
      assert.equal(orderer.ORDERER_CONSENSUS_WALDIR, '/run/data/orderer.cvpp/consensus/wal');
      assert.equal(orderer.ORDERER_CONSENSUS_SNAPDIR, '/run/data/orderer.cvpp/consensus/snapshot');
      assert.equal(envOf('peer.cvpp').CORE_PEER_FILESYSTEMPATH, '/run/data/peer.cvpp');
      assert.equal(envOf('ca.cvpp').FABRIC_CA_SERVER_HOME, '/run/data/ca.cvpp');
    });

    it("should point each peer's CCaaS builder config at its own org's chaincode server", () => {
      for (const org of topology.orgs) {
        const config = JSON.parse(
          envOf(`peer.${org.name}`).CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG!,
        ) as unknown;
        assert.deepEqual(config, {
          peername: org.name,
          ccaddress: `${org.chaincodeServer.host}:${org.chaincodeServer.port}`,
        });
      }
    });

    it('should run peers without Docker, on LevelDB, with Prometheus metrics', () => {
      const peer = envOf('peer.control');
      assert.equal(peer.CORE_VM_ENDPOINT, '');
      assert.equal(peer.CORE_LEDGER_STATE_STATEDATABASE, 'goleveldb');
      assert.equal(peer.CORE_METRICS_PROVIDER, 'prometheus');
      assert.equal(peer.CORE_PEER_TLS_ENABLED, 'true');
      assert.equal(peer.CORE_PEER_TLS_ROOTCERT_FILE, '/run/crypto/control/peer/tls/ca.crt');
      assert.equal(peer.CORE_PEER_MSPCONFIGPATH, '/run/crypto/control/peer/msp');
    });

    it('should hand the peer the chaincode TLS root for the builder templates when given one', () => {
      const node = nodes.find((n) => n.id === 'peer.cvpp')!;
      const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
      const env = nodeEnvOf(topology, node, { layout, chaincodeTlsRootPem: pem });
      const config = JSON.parse(env.CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG!) as Record<string, string>;
      assert.equal(config.ccrootcert, pem);
      assert.equal(
        'ccrootcert' in JSON.parse(envOf('peer.cvpp').CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG!),
        false,
      );
    });

    it('should start orderers without a system channel and guard the admin endpoint with client TLS', () => {
      const orderer = envOf('orderer.regulator');
      assert.equal(orderer.ORDERER_GENERAL_BOOTSTRAPMETHOD, 'none');
      assert.equal(orderer.ORDERER_CHANNELPARTICIPATION_ENABLED, 'true');
      assert.equal(orderer.ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED, 'true');
      assert.equal(orderer.ORDERER_ADMIN_TLS_CLIENTROOTCAS, '[/run/crypto/regulator/orderer/tls/ca.crt]');
      assert.equal(
        orderer.ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE,
        orderer.ORDERER_GENERAL_TLS_CERTIFICATE,
      );
      assert.equal(orderer.ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY, orderer.ORDERER_GENERAL_TLS_PRIVATEKEY);
      assert.equal(orderer.ORDERER_GENERAL_LOCALMSPID, 'RegulatorMSP');
    });

    it('should leave the chaincode id to the lifecycle step', () => {
      assert.equal('CORE_CHAINCODE_ID' in envOf('chaincode.cvpp'), false);
    });

    it('should advertise the topology host, never 127.0.0.1, when nodes are on other hosts', () => {
      const spread = multiHost();
      assert.equal(envOf('peer.cvpp', spread).CORE_PEER_ADDRESS, 'cvpp.vpp.example:7051');
      assert.equal(envOf('peer.cvpp', spread).CORE_PEER_GOSSIP_EXTERNALENDPOINT, 'cvpp.vpp.example:7051');
      assert.equal(envOf('gateway.control', spread).VPP_PEER_ENDPOINT, 'control.vpp.example:9051');
      for (const node of nodesOf(spread)) {
        const env = nodeEnvOf(spread, node, { layout });
        for (const [key, value] of Object.entries(env)) {
          if (key === 'FABRIC_CA_SERVER_CSR_HOSTS') continue;
          for (const { host } of endpointsIn(value)) {
            assert.ok(
              host === `${node.org.name}.vpp.example` || host === '0.0.0.0',
              `${node.id} ${key}=${value}`,
            );
          }
        }
      }
      assert.equal(
        envOf('ca.cvpp', spread).FABRIC_CA_SERVER_CSR_HOSTS,
        'cvpp.vpp.example,localhost,127.0.0.1',
      );
    });
  });

  describe('#envFileText', () => {
    it('should write sorted KEY=value lines', () => {
      assert.equal(envFileText({ B: '2', A: '/x/y', C: '' }), "A=/x/y\nB=2\nC=''\n");
    });

    it('should read back unchanged in POSIX sh', () => {
      const env = { ...envOf('peer.cvpp'), ODD: `it's "quoted" $HOME \`x\` \\ end` };
      const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'node-env-')), 'peer.env');
      writeFileSync(file, envFileText(env));
      const out = execFileSync('sh', ['-c', 'set -a; . "$1"; env -0', 'sh', file], {
        env: { PATH: process.env.PATH },
        encoding: 'utf8',
      });
      const read = Object.fromEntries(
        out
          .split('\0')
          .filter((line) => line.includes('='))
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      for (const [key, value] of Object.entries(env)) assert.equal(read[key], value, key);
    });
  });

  describe('#shQuote', () => {
    it('should leave safe values bare and single-quote the rest', () => {
      assert.equal(shQuote('localhost:7051'), 'localhost:7051');
      assert.equal(shQuote('a b'), "'a b'");
      assert.equal(shQuote("it's"), "'it'\\''s'");
    });
  });
});
