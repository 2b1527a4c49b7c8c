// The fault suite: a steady, bounded load of registrations (each under an idempotency key) and
// device-signed readings runs while, in turn, nodes are killed with kill -9 and come back through
// their keepers, and then the whole network is stopped and started. After each fault every
// acknowledged write is on the ledger exactly once, every refused one is absent, every unknown one
// is resolved (by its status route, or by the retry a client makes under the same key), and all
// four peers agree on height and block hash. Per fault it prints counts, the longest stall of
// acknowledgements and the recovery time.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { intervalIdOf, type SignedReading } from '../../../chaincode/src/api';
import { decodeChainInfo } from '../../../gateway/src/blocks-and-events/block-decoder';
import type { Device } from '../../../gateway/device-kit/device';
import { newFleet } from '../../../gateway/device-kit/fleet';
import { watchSpecOf } from '../../../network/src/process/launch';
import { waitUntil } from '../../../network/src/process/metrics';
import { isHealthy } from '../../../network/src/process/supervisor';
import { call, marketCalendarNow } from '../../../platform/src/http/gateway-rest';
import { readKeeperState } from '../../../platform/src/keeper-state';
import { nodeOf, type OrgNodeRole, type Org } from '../../../platform/src/topology';
import { benchOperator, enrollFleet, type Operator } from '../../../bench/src/fleet-setup';
import { connectAs, orgNamed, topology } from '../../support/fabric-client';
import { leaderOrg } from '../../support/orderers';

const ORG = 'cvpp';
const stamp = Date.now().toString(36);
const CLI = path.resolve(__dirname, '..', '..', '..', 'network', 'src', 'cli.js');
const RECOVERY_MS = 120_000;
/** Load keeps running this long after a fault has healed, so recovery is seen under load too. */
const SETTLE_MS = 3_000;

type Outcome = 'acknowledged' | 'refused' | 'unknown';
interface Attempt {
  readonly kind: 'registration' | 'reading';
  /** VPP id, or `derId/intervalId/sequence`. */
  readonly id: string;
  readonly outcome: Outcome;
  readonly at: number;
  readonly txId?: string;
  /** The signed reading, kept to resend it as its device would. */
  readonly reading?: SignedReading;
}

/** Connection refused: the request never reached a gateway, so nothing can have been written. */
const neverSent = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ECONNREFUSED';

const orgs = () => topology.orgs;
const specOf = (org: Org, role: OrgNodeRole) => watchSpecOf(nodeOf(org, role));

/** Height and current block hash of every org's peer, through qscc as that org's admin. */
async function peerChains(): Promise<{ height: number; hash: string }[]> {
  return Promise.all(
    orgs().map(async (org) => {
      const connection = connectAs(org.name, 'admin');
      try {
        const info = decodeChainInfo(
          await connection.network
            .getContract('qscc')
            .evaluateTransaction('GetChainInfo', topology.channel.name),
        );
        return { height: info.height, hash: info.currentBlockHash };
      } finally {
        connection.close();
      }
    }),
  );
}

class Load {
  readonly attempts: Attempt[] = [];
  #running = false;
  #loops: Promise<void>[] = [];
  #registrations = 0;
  #sequences = new Map<string, number>();

  constructor(
    private readonly operator: Operator,
    private readonly devices: Map<string, Device>,
    private readonly meteringSeconds: number,
  ) {}

  start(): void {
    this.#running = true;
    // Several clients, so one waiting out a lost transaction does not stop the load.
    this.#loops = [
      this.#registrationLoop(),
      this.#registrationLoop(),
      this.#registrationLoop(),
      this.#readingLoop(),
    ];
  }

  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#loops);
  }

  register(vppId: string) {
    return call<{ txId?: string; error?: { code: string; txId?: string } }>(ORG, 'POST', '/v1/vpps', {
      token: this.operator.token,
      body: { vppId, displayName: `Fault suite ${vppId}`, feeBps: 120 },
      headers: { 'idempotency-key': `register-${vppId}` },
    });
  }

  async #registrationLoop(): Promise<void> {
    while (this.#running) {
      const vppId = `fs-${stamp}-${this.#registrations++}`;
      try {
        const answer = await this.register(vppId);
        const txId = answer.body.txId ?? answer.body.error?.txId;
        this.#record('registration', vppId, outcomeOf(answer.status), txId);
        if (answer.status >= 500 && answer.status !== 503 && answer.status !== 504)
          throw new Error(`registration ${vppId}: ${answer.status} ${JSON.stringify(answer.body)}`);
      } catch (err) {
        if (err instanceof Error && err.message.startsWith('registration')) throw err;
        this.#record('registration', vppId, neverSent(err) ? 'refused' : 'unknown');
      }
      if (this.attempts.at(-1)?.outcome !== 'acknowledged') await sleep(250);
    }
  }

  /** One reading per device per round, for the metering interval that just ended. */
  async #readingLoop(): Promise<void> {
    while (this.#running) {
      const intervalId = intervalIdOf(
        new Date(Date.now() - this.meteringSeconds * 1000).toISOString(),
        this.meteringSeconds,
      );
      const sequence = this.#sequences.get(intervalId) ?? 0;
      this.#sequences.set(intervalId, sequence + 1);
      const readings = [...this.devices.values()].map((device) =>
        device.sign({ intervalId, sequence, energyWh: 1, timestamp: new Date().toISOString() }),
      );
      await this.postReadings(readings, true);
      await sleep(200);
    }
  }

  /** Posts signed readings; answers each reading's status and code ('' when there was no answer). */
  async postReadings(readings: SignedReading[], record: boolean): Promise<string[]> {
    const idOf = (r: SignedReading) => `${r.derId}/${r.intervalId}/${r.sequence}`;
    try {
      const answer = await call<{ txId?: string; results?: { status: string; code?: string }[] }>(
        ORG,
        'POST',
        '/v1/readings',
        { body: { readings } },
      );
      const statuses = readings.map((_, i) => {
        const result = answer.body.results?.[i];
        return result ? `${result.status}${result.code ? ` ${result.code}` : ''}` : '';
      });
      if (record) {
        readings.forEach((reading, i) => {
          const outcome: Outcome =
            answer.status === 200 && !statuses[i]!.startsWith('rejected')
              ? 'acknowledged'
              : outcomeOf(answer.status === 200 ? 422 : answer.status);
          this.#record('reading', idOf(reading), outcome, undefined, reading);
        });
      }
      return statuses;
    } catch (err) {
      if (record) {
        for (const reading of readings)
          this.#record('reading', idOf(reading), neverSent(err) ? 'refused' : 'unknown', undefined, reading);
      }
      return readings.map(() => '');
    }
  }

  #record(kind: Attempt['kind'], id: string, outcome: Outcome, txId?: string, reading?: SignedReading) {
    this.attempts.push({
      kind,
      id,
      outcome,
      at: Date.now(),
      ...(txId ? { txId } : {}),
      ...(reading ? { reading } : {}),
    });
  }
}

function outcomeOf(status: number): Outcome {
  if (status === 200 || status === 201) return 'acknowledged';
  return status === 504 ? 'unknown' : 'refused';
}

/** The longest time without an acknowledged write between `from` and `to`, in seconds. */
function stallSeconds(attempts: readonly Attempt[], from: number, to: number): number {
  const acks = attempts
    .filter((a) => a.outcome === 'acknowledged' && a.at >= from && a.at <= to)
    .map((a) => a.at);
  const marks = [from, ...acks, to];
  let longest = 0;
  for (let i = 1; i < marks.length; i++) longest = Math.max(longest, marks[i]! - marks[i - 1]!);
  return longest / 1000;
}

describe('fault suite under load', () => {
  let operator: Operator;
  let load: Load;
  let checked = 0;

  before(async () => {
    operator = await benchOperator(`fs-${stamp}`);
    const vppId = `fs-fleet-${stamp}`;
    const created = await call(ORG, 'POST', '/v1/vpps', {
      token: operator.token,
      body: { vppId, displayName: 'Fault suite fleet', feeBps: 100 },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const devices = await enrollFleet(newFleet(4, `fs-${stamp}`), vppId, operator);
    const calendar = await marketCalendarNow(ORG, operator.token);
    load = new Load(operator, devices, calendar.meteringIntervalSeconds);
    load.start();
  });

  after(async () => {
    await load?.stop();
  });

  const exists = async (vppId: string) => {
    const answer = await call(ORG, 'GET', `/v1/vpps/${vppId}`, { token: operator.token });
    assert.ok(answer.status === 200 || answer.status === 404, `GET /v1/vpps/${vppId}: ${answer.status}`);
    return answer.status === 200;
  };

  /** How often each sequence of a DER's interval is on the ledger. */
  async function storedSequences(derId: string, intervalId: string): Promise<number[]> {
    const answer = await call<{ sequence: number }[] | { readings: { sequence: number }[] }>(
      ORG,
      'GET',
      `/v1/ders/${derId}/readings?intervalId=${encodeURIComponent(intervalId)}`,
      { token: operator.token },
    );
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const list = Array.isArray(answer.body) ? answer.body : answer.body.readings;
    return list.map((r) => r.sequence);
  }

  /**
   * Checks the attempts made since the last check: acknowledged ones on the ledger exactly once,
   * refused ones absent, unknown ones resolved. Returns the counts for the report.
   */
  async function verifyAttempts() {
    const batch = load.attempts.slice(checked);
    checked += batch.length;
    const counts = { acknowledged: 0, committed: 0, refused: 0, unknown: 0, resolvedCommitted: 0, lost: 0 };
    /** Readings each attempt must have on the ledger: 1, 0, or undefined for "at most one". */
    const expected = new Map<Attempt, number | undefined>();
    // First resolve every unknown outcome as a client would, then look at the ledger.
    for (const attempt of batch) {
      counts[attempt.outcome] += 1;
      expected.set(attempt, attempt.outcome === 'refused' ? 0 : 1);
      if (attempt.outcome !== 'unknown') continue;
      if (attempt.kind === 'registration') {
        if (attempt.txId) {
          // Committed, or never to commit: orderers killed with -9 lose the requests they held.
          const path = `/v1/transactions/${attempt.txId}/status`;
          const status = await call<{ status: string }>(ORG, 'GET', path, { token: operator.token });
          assert.equal(status.status, 200, JSON.stringify(status.body));
          if (status.body.status === 'unknown') counts.lost += 1;
        }
        // The same request under the same key answers with the first outcome, or makes it now.
        const retry = await load.register(attempt.id);
        assert.equal(
          retry.status,
          201,
          `${attempt.id} retried: ${retry.status} ${JSON.stringify(retry.body)}`,
        );
        counts.resolvedCommitted += retry.headers['idempotent-replayed'] === 'true' ? 1 : 0;
        continue;
      }
      // A device resends the same signed reading: `duplicate` if the first try committed. Once the
      // interval's reading window has closed the resend is refused, and the ledger alone tells.
      const [status = ''] = await load.postReadings([attempt.reading!], false);
      assert.match(
        status,
        /^(accepted|duplicate|rejected OUTSIDE_WINDOW)$/,
        `${attempt.id} resent: ${status}`,
      );
      counts.resolvedCommitted += status === 'duplicate' ? 1 : 0;
      if (status === 'rejected OUTSIDE_WINDOW') expected.set(attempt, undefined);
    }
    const sequences = new Map<string, number[]>();
    for (const attempt of batch) {
      const want = expected.get(attempt);
      let found: number;
      if (attempt.kind === 'registration') found = (await exists(attempt.id)) ? 1 : 0;
      else {
        const { derId, intervalId, sequence } = attempt.reading!;
        const key = `${derId}/${intervalId}`;
        if (!sequences.has(key)) sequences.set(key, await storedSequences(derId, intervalId));
        found = sequences.get(key)!.filter((s) => s === sequence).length;
      }
      if (want === undefined) assert.ok(found <= 1, `${attempt.id} is on the ledger ${found} times`);
      else
        assert.equal(
          found,
          want,
          `${attempt.outcome} ${attempt.kind} ${attempt.id} is on the ledger ${found} times`,
        );
      counts.committed += found;
    }
    return counts;
  }

  /** Kills, waits for the keepers and the network to heal, checks and reports. */
  async function survive(
    t: { diagnostic: (message: string) => void },
    name: string,
    fault: () => Promise<void> | void,
    healed: () => Promise<boolean>,
  ): Promise<void> {
    const from = Date.now();
    await fault();
    await waitUntil(`${name} to heal`, healed, RECOVERY_MS);
    const healedAt = Date.now();
    await waitUntil(
      'a write to be acknowledged again',
      async () => load.attempts.some((a) => a.outcome === 'acknowledged' && a.at > healedAt),
      RECOVERY_MS,
    );
    await waitUntil(
      'the four peers to agree on height and block hash',
      async () => {
        const chains = await peerChains();
        return new Set(chains.map((c) => `${c.height}:${c.hash}`)).size === 1;
      },
      RECOVERY_MS,
    );
    const recovered = Date.now();
    await sleep(SETTLE_MS);
    const stall = stallSeconds(load.attempts, from, recovered);
    const counts = await verifyAttempts();
    assert.ok(counts.acknowledged > 0, `no write was acknowledged around ${name}`);
    t.diagnostic(
      `${name}: acknowledged ${counts.acknowledged}, committed ${counts.committed}, refused ${counts.refused}, ` +
        `unknown ${counts.unknown} (${counts.resolvedCommitted} had committed, ${counts.lost} never would), ` +
        `longest stall ${stall.toFixed(1)} s, recovered in ${((recovered - from) / 1000).toFixed(1)} s`,
    );
  }

  /** kill -9 of nodes, and healed when their keepers have them back and healthy. */
  function crash(nodes: { org: Org; role: OrgNodeRole }[]) {
    const specs = nodes.map(({ org, role }) => specOf(org, role));
    const before = specs.map((spec) => readKeeperState(spec.pidFile)!);
    return {
      fault: () => {
        for (const state of before) process.kill(state.pid!, 'SIGKILL');
      },
      healed: async () => {
        for (const [i, spec] of specs.entries()) {
          const now = readKeeperState(spec.pidFile);
          if (!now?.pid || now.restarts <= before[i]!.restarts || !(await isHealthy(spec))) return false;
        }
        return true;
      },
    };
  }

  const orgsBesides = (leader: Org) => orgs().filter((o) => o !== leader);

  it('should survive kill -9 of a follower orderer', async (t) => {
    const follower = orgsBesides(await leaderOrg())[0]!;
    const { fault, healed } = crash([{ org: follower, role: 'orderer' }]);
    await survive(t, `orderer.${follower.name} (follower)`, fault, healed);
  });

  it('should survive kill -9 of the BFT leader', async (t) => {
    const leader = await leaderOrg();
    const { fault, healed } = crash([{ org: leader, role: 'orderer' }]);
    await survive(t, `orderer.${leader.name} (leader)`, fault, healed);
  });

  it('should survive kill -9 of two orderers (quorum lost for a while)', async (t) => {
    const [a, b] = orgsBesides(await leaderOrg());
    const { fault, healed } = crash([
      { org: a!, role: 'orderer' },
      { org: b!, role: 'orderer' },
    ]);
    await survive(t, `orderer.${a!.name} + orderer.${b!.name}`, fault, healed);
  });

  it('should survive kill -9 of a peer', async (t) => {
    const { fault, healed } = crash([{ org: orgNamed('trading'), role: 'peer' }]);
    await survive(t, 'peer.trading', fault, healed);
  });

  it('should survive kill -9 of two peers', async (t) => {
    const { fault, healed } = crash([
      { org: orgNamed('trading'), role: 'peer' },
      { org: orgNamed('control'), role: 'peer' },
    ]);
    await survive(t, 'peer.trading + peer.control', fault, healed);
  });

  it('should survive kill -9 of a chaincode server', async (t) => {
    const { fault, healed } = crash([{ org: orgNamed(ORG), role: 'chaincode' }]);
    await survive(t, `chaincode.${ORG}`, fault, healed);
  });

  it('should survive kill -9 of the gateway the load goes through', async (t) => {
    const { fault, healed } = crash([{ org: orgNamed(ORG), role: 'gateway' }]);
    await survive(t, `gateway.${ORG}`, fault, healed);
  });

  it('should survive a full npm stop and npm start', async (t) => {
    // Asynchronously, so the load keeps knocking while the network is down.
    const cli = (command: string) =>
      promisify(execFile)(process.execPath, [CLI, command], { timeout: 10 * 60_000, maxBuffer: 1 << 24 });
    await survive(
      t,
      'npm stop + npm start',
      async () => {
        await cli('stop');
        await cli('start');
      },
      async () => (await call(ORG, 'GET', '/healthz')).status === 200,
    );
  });
});
