import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { PortTakenError } from '../../../../network/src/process/ports';
import { readKeeperState } from '../../../../platform/src/keeper-state';
import {
  formatStatusTable,
  isAlive,
  NodeStartError,
  readPid,
  startNode,
  statusOf,
  stopNode,
  type LaunchSpec,
} from '../../../../network/src/process/supervisor';
import { freePort } from '../../../support/free-port';

const dir = mkdtempSync(path.join(os.tmpdir(), 'supervisor-'));
const HEALTHZ_SERVER = path.resolve(__dirname, '..', '..', '..', 'support', 'healthz-server.js');
const started: LaunchSpec[] = [];

async function specFor(id: string, args?: string[]): Promise<LaunchSpec> {
  const port = await freePort();
  const spec: LaunchSpec = {
    id,
    command: process.execPath,
    args: args ?? [HEALTHZ_SERVER, String(port), '300'],
    env: {},
    host: '127.0.0.1',
    ports: { port },
    health: [{ kind: 'http', port }],
    pidFile: path.join(dir, 'pids', `${id}.pid`),
    logFile: path.join(dir, 'logs', `${id}.log`),
  };
  started.push(spec);
  return spec;
}

async function waitHealthy(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status !== 200) {
    if (Date.now() > deadline) throw new Error(`port ${port} not healthy within 10 s`);
    await sleep(50);
  }
}

after(async () => {
  for (const spec of started) await stopNode(spec, 2_000);
});

describe('supervisor', () => {
  describe('#startNode', () => {
    it('should start a node under its keeper, record both pids and wait until /healthz answers', async () => {
      const spec = await specFor('node-a');
      assert.equal(await startNode(spec, 10_000), 'started');
      const keeperPid = readPid(spec.pidFile);
      assert.ok(keeperPid !== undefined && isAlive(keeperPid));
      const nodePid = readKeeperState(spec.pidFile)?.pid;
      assert.ok(nodePid !== undefined && nodePid !== keeperPid && isAlive(nodePid));
      const res = await fetch(`http://127.0.0.1:${spec.ports.port}/healthz`);
      assert.equal(res.status, 200);
      assert.match(readFileSync(spec.logFile, 'utf8'), new RegExp(`listening on ${spec.ports.port}`));
      assert.deepEqual(statusOf(spec), {
        id: 'node-a',
        pid: nodePid,
        state: 'running',
        restarts: 0,
        ports: spec.ports,
        logFile: spec.logFile,
      });
    });

    it('should leave a running node alone', async () => {
      const spec = await specFor('node-b');
      await startNode(spec, 10_000);
      const pid = readPid(spec.pidFile);
      assert.equal(await startNode(spec, 10_000), 'already-running');
      assert.equal(readPid(spec.pidFile), pid);
    });

    it('should refuse a taken port by name and start nothing', async () => {
      const spec = await specFor('node-c');
      const squatter: Server = createServer();
      await new Promise<void>((resolve) => squatter.listen(spec.ports.port, '127.0.0.1', resolve));
      try {
        await assert.rejects(startNode(spec, 10_000), (err: Error) => {
          assert.ok(err instanceof PortTakenError);
          assert.equal(
            err.message,
            `node-c: port ${spec.ports.port} (port) on 127.0.0.1 is already in use by another process`,
          );
          return true;
        });
        assert.equal(existsSync(spec.pidFile), false);
        assert.equal(existsSync(spec.logFile), false);
      } finally {
        await new Promise((resolve) => squatter.close(resolve));
      }
    });

    it('should report a node that exits during start with its log file and last lines', async () => {
      const spec = await specFor('node-d', ['-e', "console.error('bad config: no MSP'); process.exit(3)"]);
      await assert.rejects(startNode(spec, 10_000), (err: Error) => {
        assert.ok(err instanceof NodeStartError);
        assert.match(err.message, /^node-d: exited during start \(code 3\): bad config: no MSP/);
        assert.ok(err.message.endsWith(`(log: ${spec.logFile})`));
        return true;
      });
      assert.equal(existsSync(spec.pidFile), false);
    });

    it('should give up after the bound and stop a node that never becomes healthy', async () => {
      const spec = await specFor('node-e');
      spec.args = [HEALTHZ_SERVER, String(spec.ports.port), '60000'];
      const before = Date.now();
      await assert.rejects(startNode(spec, 1_500), /node-e: not healthy after 2 s/);
      assert.ok(Date.now() - before < 10_000);
      assert.equal(statusOf(spec).state, 'stopped');
    });
  });

  describe('#stopNode', () => {
    it('should end exactly the recorded process and remove its pid file', async () => {
      const keep = await specFor('node-f');
      const end = await specFor('node-g');
      await startNode(keep, 10_000);
      await startNode(end, 10_000);
      const endPid = readPid(end.pidFile)!;
      assert.equal(await stopNode(end, 5_000), 'stopped');
      assert.equal(isAlive(endPid), false);
      assert.equal(existsSync(end.pidFile), false);
      assert.equal(statusOf(keep).state, 'running');
      assert.equal(await stopNode(end, 5_000), 'not-running');
    });
  });

  describe('keeper', () => {
    const fastRestarts = { firstDelayMs: 200, maxDelayMs: 400, stableAfterMs: 60_000 };

    /** Waits (bounded) until the keeper records a live node other than `previous`. */
    async function restartedNode(spec: LaunchSpec, previous: number): Promise<number> {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const pid = readKeeperState(spec.pidFile)?.pid;
        if (pid !== undefined && pid !== previous) return pid;
        if (Date.now() > deadline) throw new Error(`${spec.id} was not restarted within 10 s`);
        await sleep(50);
      }
    }

    it('should restart a node killed with SIGKILL and count the restart', async () => {
      const spec = await specFor('node-k');
      spec.restartPolicy = fastRestarts;
      await startNode(spec, 10_000);
      const keeperPid = readPid(spec.pidFile)!;
      const first = readKeeperState(spec.pidFile)!.pid!;
      process.kill(first, 'SIGKILL');
      const second = await restartedNode(spec, first);
      assert.equal(readPid(spec.pidFile), keeperPid);
      assert.equal(isAlive(first), false);
      await waitHealthy(spec.ports.port);
      const state = readKeeperState(spec.pidFile)!;
      assert.equal(state.restarts, 1);
      assert.equal(state.lastExit, 'signal SIGKILL');
      assert.deepEqual(
        { state: statusOf(spec).state, pid: statusOf(spec).pid, restarts: statusOf(spec).restarts },
        { state: 'running', pid: second, restarts: 1 },
      );
      assert.match(
        readFileSync(spec.logFile, 'utf8'),
        /keeper: node-k exited \(signal SIGKILL\); restart 1 in 200 ms\n/,
      );

      process.kill(second, 'SIGKILL');
      const third = await restartedNode(spec, second);
      await waitHealthy(spec.ports.port);
      assert.equal(readKeeperState(spec.pidFile)!.restarts, 2);
      // The second crash in a row waits twice as long.
      assert.match(readFileSync(spec.logFile, 'utf8'), /restart 2 in 400 ms\n/);
      assert.notEqual(third, second);
    });

    it('should not restart a node that npm stop ends, and end its keeper with it', async () => {
      const spec = await specFor('node-l');
      spec.restartPolicy = fastRestarts;
      await startNode(spec, 10_000);
      const keeperPid = readPid(spec.pidFile)!;
      const nodePid = readKeeperState(spec.pidFile)!.pid!;
      assert.equal(await stopNode(spec, 5_000), 'stopped');
      await sleep(500);
      assert.equal(isAlive(keeperPid), false);
      assert.equal(isAlive(nodePid), false);
      assert.equal(readKeeperState(spec.pidFile), undefined);
      assert.equal(statusOf(spec).state, 'stopped');
    });

    it('should still stop the node when its keeper was killed', async () => {
      const spec = await specFor('node-m');
      await startNode(spec, 10_000);
      const keeperPid = readPid(spec.pidFile)!;
      const nodePid = readKeeperState(spec.pidFile)!.pid!;
      process.kill(keeperPid, 'SIGKILL');
      await sleep(200);
      // The node outlives its keeper in the keeper's process group, which stop still ends.
      assert.equal(isAlive(nodePid), true);
      assert.equal(await stopNode(spec, 5_000), 'stopped');
      assert.equal(isAlive(nodePid), false);
    });
  });

  describe('#formatStatusTable', () => {
    it('should print one aligned row per node with ports and log path', () => {
      const table = formatStatusTable(
        [
          {
            id: 'peer.cvpp',
            pid: 42,
            state: 'running',
            restarts: 3,
            ports: { port: 7051, operationsPort: 7053 },
            logFile: '/r/logs/peer.cvpp.log',
          },
          {
            id: 'ca.cvpp',
            state: 'stopped',
            restarts: 0,
            ports: { port: 7054 },
            logFile: '/r/logs/ca.cvpp.log',
          },
        ],
        '/r',
      );
      assert.equal(
        table,
        [
          'node       state    pid  restarts  ports                 log',
          'peer.cvpp  running  42   3         7051 operations:7053  logs/peer.cvpp.log',
          'ca.cvpp    stopped  -    0         7054                  logs/ca.cvpp.log',
        ].join('\n'),
      );
    });
  });
});
