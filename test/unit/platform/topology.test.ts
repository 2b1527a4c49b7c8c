import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  directoryNodeOf,
  loadTopology,
  nodesOf,
  serviceNameOf,
  TopologyError,
  validateTopology,
} from '../../../platform/src/topology';
import { repoRoot } from '../../../platform/src/paths';

const RAW = parse(readFileSync(path.join(repoRoot(), 'network', 'topology.yaml'), 'utf8')) as Record<
  string,
  unknown
>;

// The tests break the topology on purpose, so they edit it untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Editable = any;

/** A deep copy of the committed topology with one change applied. */
function variant(change: (t: Editable) => void): unknown {
  const copy = structuredClone(RAW);
  change(copy);
  return copy;
}

function problemsOf(raw: unknown): string[] {
  try {
    validateTopology(raw);
  } catch (err) {
    assert.ok(err instanceof TopologyError, `expected TopologyError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('expected the topology to be rejected');
}

describe('topology', () => {
  describe('#loadTopology', () => {
    it('should load the committed topology with the four orgs of the design', () => {
      const topology = loadTopology();
      assert.deepEqual(
        topology.orgs.map((o) => [o.name, o.mspId]),
        [
          ['cvpp', 'CvppMSP'],
          ['trading', 'TradingMSP'],
          ['control', 'ControlMSP'],
          ['regulator', 'RegulatorMSP'],
        ],
      );
      assert.equal(topology.channel.name, 'vppchannel');
      assert.equal(topology.channel.consensus, 'BFT');
      assert.equal(topology.chaincode.endorsementPolicy, 'MAJORITY');
      assert.match(topology.fabric.commit, /^[0-9a-f]{12}$/);
    });

    it('should name the file and the YAML problem when the file is not YAML', () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'topology-'));
      const file = path.join(dir, 'topology.yaml');
      writeFileSync(file, 'orgs: [unclosed\n');
      assert.throws(
        () => loadTopology(file),
        (err: Error) => err instanceof TopologyError && err.message.startsWith(file),
      );
    });
  });

  describe('#validateTopology', () => {
    it('should name the field of a port that is not a number', () => {
      const problems = problemsOf(variant((t) => (t.orgs[1].peer.port = 'eight')));
      assert.equal(problems.length, 1);
      assert.match(problems[0]!, /^orgs\[1\]\.peer\.port: /);
    });

    it('should reject an unknown field by its path', () => {
      const problems = problemsOf(variant((t) => (t.orgs[2].orderer.extra = 1)));
      assert.match(problems.join('\n'), /orgs\[2\]\.orderer/);
      assert.match(problems.join('\n'), /extra/);
    });

    it('should reject a consensus other than BFT', () => {
      const problems = problemsOf(variant((t) => (t.channel.consensus = 'etcdraft')));
      assert.match(problems[0]!, /^channel\.consensus: /);
    });

    it('should reject an upper-case channel name, which Fabric refuses', () => {
      assert.match(problemsOf(variant((t) => (t.channel.name = 'VppChannel')))[0]!, /^channel\.name: /);
    });

    it('should reject a port used twice on one host, naming both fields', () => {
      const problems = problemsOf(variant((t) => (t.orgs[3].gateway.port = t.orgs[0].peer.port)));
      assert.deepEqual(problems, [
        'orgs[3].gateway.port: port 7051 on localhost is already used by orgs[0].peer.port',
      ]);
    });

    it('should reject a gateway on a port browsers refuse (its console could not be opened)', () => {
      assert.deepEqual(problemsOf(variant((t) => (t.orgs[3].gateway.port = 10080))), [
        'orgs[3].gateway.port: browsers refuse port 10080 (a "bad port"), so the console could not be opened there',
      ]);
      assert.deepEqual(problemsOf(variant((t) => (t.orgs[3].gateway.port = 6000))).length, 1);
    });

    it('should accept the same port on two different hosts', () => {
      const topology = validateTopology(
        variant((t) => {
          t.orgs[3].gateway.host = 'regulator.example.org';
          t.orgs[3].gateway.port = t.orgs[0].peer.port;
        }),
      );
      assert.equal(topology.orgs[3]!.gateway.port, 7051);
    });

    it('should reject a directory on a port another node uses, naming both fields', () => {
      const problems = problemsOf(variant((t) => (t.directory.port = t.orgs[3].peer.port)));
      assert.deepEqual(problems, [
        'orgs[3].peer.port: port 10051 on localhost is already used by directory.port',
      ]);
    });

    it('should reject a directory run by an org the topology lacks, and a base DN that is no dc= chain', () => {
      const problems = problemsOf(
        variant((t) => {
          t.directory.baseDn = 'o=vpp';
        }),
      );
      assert.deepEqual(problems, ['directory.baseDn: must be a base DN such as dc=vpp-ledger,dc=example']);
      const withoutRegulator = variant((t) => {
        t.orgs[3].name = 'cvpp';
        t.orgs[3].mspId = 'OtherMSP';
      });
      assert.ok(
        problemsOf(withoutRegulator).includes('directory.org: regulator is not an org of the topology'),
      );
    });

    it('should reject duplicate MSP IDs', () => {
      const problems = problemsOf(variant((t) => (t.orgs[1].mspId = 'CvppMSP')));
      assert.ok(problems.includes('orgs[1].mspId: duplicates orgs[0].mspId'), problems.join('\n'));
    });

    it('should reject fewer than four orderers for BFT', () => {
      const problems = problemsOf(variant((t) => t.orgs.pop()));
      assert.ok(problems.includes('orgs: BFT consensus needs at least 4 orderers (one per org), found 3'));
    });

    it('should reject a collection member that is no org, and more required than maximum peers', () => {
      const problems = problemsOf(
        variant((t) => {
          t.chaincode.collections[0].members.push('BankMSP');
          t.chaincode.collections[0].requiredPeerCount = 2;
        }),
      );
      assert.deepEqual(problems, [
        "chaincode.collections[0].members: BankMSP is not an org's mspId",
        'chaincode.collections[0]: requiredPeerCount exceeds maxPeerCount',
      ]);
    });

    it('should reject a commit that is not hex', () => {
      assert.match(problemsOf(variant((t) => (t.fabric.commit = 'v3.1.5')))[0]!, /^fabric\.commit: /);
    });
  });

  describe('keys', () => {
    it('should keep keys in files unless the topology selects a store', () => {
      assert.deepEqual(validateTopology(variant((t) => delete t.keys)).keys, { store: 'file' });
    });

    it('should accept a SoftHSM2 store with a token label prefix', () => {
      const topology = validateTopology(variant((t) => (t.keys = { store: 'softhsm', tokenLabel: 'lab' })));
      assert.deepEqual(topology.keys, { store: 'softhsm', tokenLabel: 'lab' });
    });

    it('should name keys.store when the store is unknown', () => {
      const problems = problemsOf(variant((t) => (t.keys = { store: 'vault' })));
      assert.equal(problems.length, 1);
      assert.match(problems[0]!, /^keys\.store: /);
    });

    it('should name keys.tokenLabel when the label is not one PKCS#11 can hold', () => {
      const problems = problemsOf(variant((t) => (t.keys = { store: 'softhsm', tokenLabel: 'my token' })));
      assert.deepEqual(problems, ['keys.tokenLabel: must be 1 to 32 characters of A-Z a-z 0-9 . _ -']);
    });
  });

  describe('#nodesOf', () => {
    it('should list five nodes per org and the directory in start order with unique ids', () => {
      const nodes = nodesOf(loadTopology());
      assert.equal(nodes.length, 21);
      assert.deepEqual(
        nodes.slice(0, 6).map((n) => n.id),
        ['ca.cvpp', 'ca.trading', 'ca.control', 'ca.regulator', 'directory.regulator', 'orderer.cvpp'],
      );
      assert.equal(new Set(nodes.map((n) => n.id)).size, 21);
    });

    it('should leave the directory out when the topology has none', () => {
      const topology = validateTopology(variant((t) => delete t.directory));
      assert.equal(nodesOf(topology).length, 20);
      assert.equal(directoryNodeOf(topology), undefined);
    });

    it('should give the directory node its org, port and no HTTP health port', () => {
      const node = directoryNodeOf(loadTopology())!;
      assert.equal(node.role, 'directory');
      assert.equal(node.org.mspId, 'RegulatorMSP');
      assert.deepEqual(node.ports, { port: 10389 });
      assert.equal(node.healthPort, undefined);
    });

    it('should give each node its ports and health port from the topology', () => {
      const topology = loadTopology();
      const byId = new Map(nodesOf(topology).map((n) => [n.id, n]));
      assert.deepEqual(byId.get('peer.trading')!.ports, {
        port: 8051,
        chaincodePort: 8052,
        operationsPort: 8053,
        profilePort: 8059,
      });
      assert.equal(byId.get('peer.trading')!.healthPort, 8053);
      assert.equal(byId.get('orderer.regulator')!.healthPort, 10057);
      assert.equal(byId.get('gateway.control')!.healthPort, 9080);
      assert.equal(byId.get('chaincode.cvpp')!.healthPort, undefined);
      assert.equal(byId.get('ca.cvpp')!.host, 'localhost');
    });
  });

  describe('#serviceNameOf', () => {
    it('should turn a node id into a DNS label', () => {
      assert.equal(serviceNameOf({ id: 'peer.cvpp' }), 'peer-cvpp');
      assert.equal(serviceNameOf({ id: 'chaincode.regulator' }), 'chaincode-regulator');
    });
  });
});
