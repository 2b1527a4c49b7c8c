import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { configuredTools, waitForGossip } from '../../../network/src/bring-up';
import { launchSpecOf } from '../../../network/src/process/launch';
import { channelGauge, waitUntil } from '../../../network/src/process/metrics';
import { startNode, stopNode } from '../../../network/src/process/supervisor';
import { nodeOf, type Org } from '../../../platform/src/topology';
import { connectAs, orgNamed, topology, utf8 } from '../../support/fabric-client';

const context = { topology, tools: configuredTools(topology) };
const specOf = (org: Org, role: 'orderer' | 'peer') => launchSpecOf(nodeOf(org, role), context);

const gauge = (host: string, port: number, name: string) =>
  channelGauge(host, port, name, topology.channel.name);

const ordererHeight = (org: Org) =>
  gauge(org.orderer.host, org.orderer.operationsPort, 'ledger_blockchain_height');
const peerHeight = (org: Org) => gauge(org.peer.host, org.peer.operationsPort, 'ledger_blockchain_height');

/** The SmartBFT leader as the running orderers see it; consenter ids follow the topology's org order. */
async function leaderOrg(): Promise<Org> {
  for (const org of topology.orgs) {
    try {
      const id = await gauge(org.orderer.host, org.orderer.operationsPort, 'consensus_BFT_leader_id');
      return topology.orgs[id - 1]!;
    } catch {
      // that orderer is down; ask the next
    }
  }
  throw new Error('no orderer reports a leader');
}

const waitFor = (what: string, check: () => Promise<boolean>) => waitUntil(what, check, 90_000);

async function writeProfile(label: string): Promise<string> {
  const connection = connectAs('cvpp', 'admin');
  try {
    const input = { displayName: label, orgRole: 'cvpp', contactEmail: 'ops@cvpp.example' };
    const stored = JSON.parse(
      utf8(await connection.contract('org').submitTransaction('PutOrgProfile', JSON.stringify(input))),
    );
    return stored.displayName as string;
  } finally {
    connection.close();
  }
}

/** Back in the cluster: at the others' height, and agreeing with every orderer on the leader. */
async function caughtUp(org: Org): Promise<boolean> {
  const heights = await Promise.all(topology.orgs.map(ordererHeight));
  const leaders = await Promise.all(
    topology.orgs.map((o) => gauge(o.orderer.host, o.orderer.operationsPort, 'consensus_BFT_leader_id')),
  );
  return (await ordererHeight(org)) === Math.max(...heights) && new Set(leaders).size === 1;
}

describe('network faults', () => {
  const stopped = new Set<Org>();
  after(async () => {
    for (const org of stopped) await startNode(specOf(org, 'orderer'), 60_000);
  });

  it('should commit with a follower orderer down, and the follower should catch up after restart', async () => {
    const leader = await leaderOrg();
    const follower = topology.orgs.find((o) => o !== leader)!;
    await stopNode(specOf(follower, 'orderer'), 15_000);
    stopped.add(follower);
    const label = `follower ${follower.name} down ${Date.now()}`;
    assert.equal(await writeProfile(label), label);
    await startNode(specOf(follower, 'orderer'), 60_000);
    stopped.delete(follower);
    await waitFor(`orderer.${follower.name} to catch up`, () => caughtUp(follower));
  });

  it('should commit after the BFT leader goes down (view change), and the old leader should catch up', async (t) => {
    const leader = await leaderOrg();
    await stopNode(specOf(leader, 'orderer'), 15_000);
    stopped.add(leader);
    const down = Date.now();
    const label = `leader ${leader.name} down ${down}`;
    assert.equal(await writeProfile(label), label);
    const pauseMs = Date.now() - down;
    t.diagnostic(
      `blocks paused ${(pauseMs / 1000).toFixed(1)} s after leader orderer.${leader.name} stopped`,
    );
    const newLeader = await leaderOrg();
    assert.notEqual(newLeader, leader);
    await startNode(specOf(leader, 'orderer'), 60_000);
    stopped.delete(leader);
    await waitFor(`orderer.${leader.name} to catch up`, () => caughtUp(leader));
  });

  it('should bring a restarted peer back with its state intact', async () => {
    const control = orgNamed('control');
    const label = `before peer restart ${Date.now()}`;
    await writeProfile(label);
    await waitFor(
      'peer.control to see the write',
      async () => (await peerHeight(control)) >= (await peerHeight(orgNamed('cvpp'))),
    );
    const heightBefore = await peerHeight(control);
    await stopNode(specOf(control, 'peer'), 15_000);
    await startNode(specOf(control, 'peer'), 60_000);
    // Back means back in the channel's gossip membership too: endorsers are found through it.
    await waitForGossip(topology, { log: () => undefined });
    const connection = connectAs('control', 'appuser');
    try {
      await waitFor('peer.control to serve the chaincode again', async () => {
        await connection.contract('org').evaluateTransaction('GetOrgProfile', 'CvppMSP');
        return true;
      });
      const profile = JSON.parse(
        utf8(await connection.contract('org').evaluateTransaction('GetOrgProfile', 'CvppMSP')),
      );
      assert.equal(profile.displayName, label);
      assert.ok((await peerHeight(control)) >= heightBefore);
    } finally {
      connection.close();
    }
  });
});
