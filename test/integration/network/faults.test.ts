import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configuredTools, waitForGossip } from '../../../network/src/bring-up';
import { launchSpecOf } from '../../../network/src/process/launch';
import { waitUntil } from '../../../network/src/process/metrics';
import { isAlive, startNode, stopNode } from '../../../network/src/process/supervisor';
import {
  call,
  loginAdmin,
  registerAndLogin,
  statusOf,
  type RestUser,
} from '../../../platform/src/http/gateway-rest';
import { readKeeperState } from '../../../platform/src/keeper-state';
import { runPaths } from '../../../platform/src/paths';
import { nodeOf, type Org } from '../../../platform/src/topology';
import { connectAs, orgNamed, topology, utf8 } from '../../support/fabric-client';
import { channelGaugeOf, leaderOrg } from '../../support/orderers';

const context = { topology, tools: configuredTools(topology) };
const specOf = (org: Org, role: 'orderer' | 'peer') => launchSpecOf(nodeOf(org, role), context);

const gauge = channelGaugeOf;

const ordererHeight = (org: Org) =>
  gauge(org.orderer.host, org.orderer.operationsPort, 'ledger_blockchain_height');
const peerHeight = (org: Org) => gauge(org.peer.host, org.peer.operationsPort, 'ledger_blockchain_height');

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
  // Earlier suites kill and restart orderers: start only from a settled cluster, every orderer at one
  // height and naming one leader. Otherwise the leader read below may be stale, and "a follower" down
  // may in fact be the leader, with a lagging orderer leaving no quorum.
  before(async () => {
    await waitFor('every orderer at one height, agreeing on the leader', async () =>
      (await Promise.all(topology.orgs.map(caughtUp))).every(Boolean),
    );
  });
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

type ErrorBody = { error: { code: string; message: string; txId?: string } };
type TxStatus = { txId: string; status: string; validationCode?: string; blockNumber?: number };

describe('honest outcomes and self-healing nodes', () => {
  const ORG = 'cvpp';
  const stamp = Date.now().toString(36);
  let operator: RestUser;
  const stopped = new Set<Org>();

  const newVpp = (vppId: string, idempotencyKey?: string) =>
    call<ErrorBody>(ORG, 'POST', '/v1/vpps', {
      token: operator.token,
      body: { vppId, displayName: `Fault test ${vppId}`, feeBps: 100 },
      ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}),
    });
  const txStatus = (txId: string) =>
    call<TxStatus>(ORG, 'GET', `/v1/transactions/${txId}/status`, { token: operator.token });

  before(async () => {
    operator = await registerAndLogin(ORG, await loginAdmin(ORG), `fault-operator-${stamp}`, 'operator');
  });
  after(async () => {
    for (const org of stopped) await startNode(specOf(org, 'orderer'), 60_000);
  });

  it('should answer 504 OUTCOME_UNKNOWN, not a failure, for a write sent while two orderers are down, and the status route should resolve it once they are back', async (t) => {
    const leader = await leaderOrg();
    const followers = topology.orgs.filter((o) => o !== leader).slice(0, 2);
    for (const org of followers) {
      await stopNode(specOf(org, 'orderer'), 15_000);
      stopped.add(org);
    }
    const vppId = `vpp-quorum-${stamp}`;
    const key = `create-${vppId}`;
    const answer = await newVpp(vppId, key);
    assert.equal(answer.status, 504, JSON.stringify(answer.body));
    assert.equal(answer.body.error.code, 'OUTCOME_UNKNOWN');
    const txId = answer.body.error.txId!;
    assert.match(txId, /^[0-9a-f]{64}$/);
    assert.match(answer.body.error.message, new RegExp(`/v1/transactions/${txId}/status`));
    assert.deepEqual((await txStatus(txId)).body, { txId, status: 'unknown' });
    assert.equal((await call(ORG, 'GET', `/v1/vpps/${vppId}`, { token: operator.token })).status, 404);

    const back = Date.now();
    await startNode(specOf(followers[0]!, 'orderer'), 60_000);
    stopped.delete(followers[0]!);
    let resolved: TxStatus | undefined;
    await waitFor(`transaction ${txId} to be resolved`, async () => {
      const status = await txStatus(txId);
      if (status.body.status === 'unknown') return false;
      resolved = status.body;
      return true;
    });
    t.diagnostic(
      `outcome of ${txId} known ${((Date.now() - back) / 1000).toFixed(1)} s after quorum returned`,
    );
    // The very transaction that answered "unknown" commits: no new write was sent.
    assert.deepEqual([resolved!.status, resolved!.validationCode], ['committed', 'VALID']);
    assert.ok(Number.isSafeInteger(resolved!.blockNumber) && resolved!.blockNumber! > 0);
    const vpp = await call<{ vppId: string }>(ORG, 'GET', `/v1/vpps/${vppId}`, { token: operator.token });
    assert.deepEqual([vpp.status, vpp.body.vppId], [200, vppId]);
    // A retry under the same idempotency key answers with the first outcome; one without is refused.
    const retry = await newVpp(vppId, key);
    assert.equal(retry.status, 201, JSON.stringify(retry.body));
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    const replayed = retry.body as unknown as { record: { vppId: string }; txId: string };
    assert.deepEqual([replayed.record.vppId, replayed.txId], [vppId, txId]);
    const careless = await newVpp(vppId);
    assert.deepEqual([careless.status, careless.body.error.code], [409, 'ALREADY_EXISTS']);

    await startNode(specOf(followers[1]!, 'orderer'), 60_000);
    stopped.delete(followers[1]!);
    for (const org of followers) await waitFor(`orderer.${org.name} to catch up`, () => caughtUp(org));
  });

  /** The node's own pid as its keeper recorded it; kill -9 of that process is a crash. */
  function nodePid(nodeId: string): number {
    const pid = readKeeperState(runPaths.pid(nodeId))?.pid;
    assert.ok(pid !== undefined && isAlive(pid), `${nodeId} has no live recorded pid`);
    return pid;
  }

  async function crash(nodeId: string): Promise<{ before: number; restartsBefore: number }> {
    const restartsBefore = readKeeperState(runPaths.pid(nodeId))!.restarts;
    const before = nodePid(nodeId);
    process.kill(before, 'SIGKILL');
    return { before, restartsBefore };
  }

  async function restartCountInMetrics(nodeId: string): Promise<number> {
    const text = String((await call<string>(ORG, 'GET', '/metrics')).body);
    const line = text.split('\n').find((l) => l.startsWith(`vpp_node_restarts{node="${nodeId}"}`));
    return Number(line?.split(' ').at(-1));
  }

  it("should restart a chaincode server killed with kill -9, and the org's writes should work again without a person", async (t) => {
    const nodeId = `chaincode.${ORG}`;
    const { before, restartsBefore } = await crash(nodeId);
    const crashed = Date.now();
    let attempt = 0;
    await waitFor('a write through the CVPP gateway to commit again', async () => {
      attempt += 1;
      const answer = await newVpp(`vpp-cc-crash-${stamp}-${attempt}`);
      return answer.status === 201;
    });
    // The other orgs endorse while the server is down, so writes may never have stopped.
    t.diagnostic(
      `writes committed ${((Date.now() - crashed) / 1000).toFixed(1)} s after kill -9 of ${nodeId}`,
    );
    await waitFor(`${nodeId} to be restarted by its keeper`, async () => {
      const pid = readKeeperState(runPaths.pid(nodeId))?.pid;
      return pid !== undefined && pid !== before && isAlive(pid);
    });
    t.diagnostic(`${nodeId} back ${((Date.now() - crashed) / 1000).toFixed(1)} s after kill -9`);
    const after = nodePid(nodeId);
    assert.notEqual(after, before);
    assert.equal(isAlive(before), false);
    assert.equal(readKeeperState(runPaths.pid(nodeId))!.restarts, restartsBefore + 1);
    assert.equal(readKeeperState(runPaths.pid(nodeId))!.lastExit, 'signal SIGKILL');
    assert.equal(await restartCountInMetrics(nodeId), restartsBefore + 1);
  });

  it('should restart a gateway killed with kill -9, serving logins and writes again without a person', async (t) => {
    const nodeId = `gateway.${ORG}`;
    const { before, restartsBefore } = await crash(nodeId);
    const crashed = Date.now();
    await waitFor(
      'the CVPP gateway to answer /healthz',
      async () => (await statusOf(ORG, 'GET', '/healthz')) === 200,
    );
    t.diagnostic(`gateway back ${((Date.now() - crashed) / 1000).toFixed(1)} s after kill -9`);
    assert.notEqual(nodePid(nodeId), before);
    assert.equal(readKeeperState(runPaths.pid(nodeId))!.restarts, restartsBefore + 1);
    // A restarted gateway keeps its users and signs tokens with the same secret.
    const answer = await newVpp(`vpp-gw-crash-${stamp}`);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(await restartCountInMetrics(nodeId), restartsBefore + 1);
  });
});
