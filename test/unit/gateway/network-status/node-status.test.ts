import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  leaderOf,
  metricValue,
  networkStatus,
  type FetchText,
  type NodeStatus,
} from '../../../../gateway/src/network-status/node-status';
import { loadTopology } from '../../../../platform/src/topology';

const PEER_METRICS = [
  '# HELP ledger_blockchain_height Height of the chain in blocks.',
  '# TYPE ledger_blockchain_height gauge',
  'ledger_blockchain_height{channel="other"} 7',
  'ledger_blockchain_height{channel="vppchannel"} 42',
  'ledger_blockchain_height_total{channel="vppchannel"} 99',
].join('\n');
const ordererMetrics = (leader: number) =>
  `consensus_smartbft_view_leader_id_other 9\nconsensus_smartbft_view_leader_id{channel="vppchannel"} ${leader}\n`;

describe('network-status metricValue', () => {
  it('should read the named metric of the channel, not a longer name or another channel', () => {
    assert.equal(metricValue(PEER_METRICS, 'ledger_blockchain_height', 'vppchannel'), 42);
    assert.equal(metricValue(PEER_METRICS, 'ledger_blockchain_height', 'other'), 7);
    assert.equal(metricValue(PEER_METRICS, 'ledger_blockchain_height', 'none'), undefined);
    assert.equal(metricValue('up 1\n', 'up'), 1);
    assert.equal(metricValue('up NaN\n', 'up'), undefined);
  });
});

describe('network-status leaderOf', () => {
  const orderer = (leaderId?: number) => ({ leaderId }) as NodeStatus;
  it('should take the leader most orderers name, the lower id on a tie, none without answers', () => {
    assert.equal(leaderOf([orderer(2), orderer(2), orderer(1), orderer()]), 2);
    assert.equal(leaderOf([orderer(3), orderer(1)]), 1);
    assert.equal(leaderOf([orderer(), orderer()]), undefined);
  });
});

describe('network-status networkStatus', () => {
  const topology = loadTopology();
  const portOf = (url: string) => Number(new URL(url).port);
  const role = (port: number) => {
    for (const org of topology.orgs) {
      if (org.peer.operationsPort === port) return { org: org.name, role: 'peer' };
      if (org.orderer.operationsPort === port) return { org: org.name, role: 'orderer' };
      if (org.ca.operationsPort === port) return { org: org.name, role: 'ca' };
    }
    throw new Error(`unexpected port ${port}`);
  };

  it("should report every CA, peer and orderer, the peers' heights and the majority leader, and a dead node as down", async () => {
    const urls: string[] = [];
    const fetch: FetchText = async (url) => {
      urls.push(url);
      const node = role(portOf(url));
      if (node.org === 'control' && node.role === 'peer')
        throw Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
      if (node.org === 'trading' && node.role === 'ca') return { status: 503, text: '' };
      if (url.endsWith('/healthz')) return { status: 200, text: '{"status":"OK"}' };
      if (node.role === 'peer') return { status: 200, text: PEER_METRICS };
      return { status: 200, text: ordererMetrics(node.org === 'regulator' ? 4 : 2) };
    };
    const status = await networkStatus(topology, 'vppchannel', { fetch });
    assert.equal(status.nodes.length, topology.orgs.length * 3);
    assert.deepEqual(status.leader, { consenterId: 2, org: topology.orgs[1]!.name });
    const byId = new Map(status.nodes.map((n) => [n.id, n]));
    assert.deepEqual(
      [byId.get('peer.cvpp')?.height, byId.get('peer.cvpp')?.healthy, byId.get('orderer.cvpp')?.consenterId],
      [42, true, 1],
    );
    assert.deepEqual(
      [byId.get('peer.control')?.healthy, byId.get('peer.control')?.problem],
      [false, 'ECONNREFUSED'],
    );
    assert.deepEqual(
      [byId.get('ca.trading')?.healthy, byId.get('ca.trading')?.problem],
      [false, 'healthz answered 503'],
    );
    assert.equal(byId.get('orderer.regulator')?.leaderId, 4);
    // A CA is asked only for its health; peers and orderers for their metrics too.
    assert.equal(urls.filter((u) => u.endsWith('/metrics')).length, topology.orgs.length * 2 - 1);
  });

  it('should bound every probe: a node that never answers is down with a timeout', async () => {
    const fetch: FetchText = (url, timeoutMs) =>
      new Promise((resolve, reject) => {
        if (role(portOf(url)).org !== 'cvpp') resolve({ status: 200, text: '' });
        else
          setTimeout(() => reject(Object.assign(new Error('aborted'), { name: 'TimeoutError' })), timeoutMs);
      });
    const status = await networkStatus(topology, 'vppchannel', { fetch, timeoutMs: 20 });
    const cvpp = status.nodes.filter((n) => n.org === 'cvpp');
    assert.deepEqual(
      cvpp.map((n) => [n.id, n.healthy, n.problem]),
      [
        ['ca.cvpp', false, 'timeout'],
        ['peer.cvpp', false, 'timeout'],
        ['orderer.cvpp', false, 'timeout'],
      ],
    );
    assert.equal(status.leader, undefined, 'no orderer named a leader');
  });
});
