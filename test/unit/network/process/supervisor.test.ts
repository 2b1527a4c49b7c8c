import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { PortTakenError } from '../../../../network/src/process/ports';
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

after(async () => {
  for (const spec of started) await stopNode(spec, 2_000);
});

describe('supervisor', () => {
  describe('#startNode', () => {
    it('should start a node, record its pid and wait until /healthz answers', async () => {
      const spec = await specFor('node-a');
      assert.equal(await startNode(spec, 10_000), 'started');
      const pid = readPid(spec.pidFile);
      assert.ok(pid !== undefined && isAlive(pid));
      const res = await fetch(`http://127.0.0.1:${spec.ports.port}/healthz`);
      assert.equal(res.status, 200);
      assert.match(readFileSync(spec.logFile, 'utf8'), new RegExp(`listening on ${spec.ports.port}`));
      assert.deepEqual(statusOf(spec), {
        id: 'node-a',
        pid,
        state: 'running',
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

  describe('#formatStatusTable', () => {
    it('should print one aligned row per node with ports and log path', () => {
      const table = formatStatusTable(
        [
          {
            id: 'peer.cvpp',
            pid: 42,
            state: 'running',
            ports: { port: 7051, operationsPort: 7053 },
            logFile: '/r/logs/peer.cvpp.log',
          },
          { id: 'ca.cvpp', state: 'stopped', ports: { port: 7054 }, logFile: '/r/logs/ca.cvpp.log' },
        ],
        '/r',
      );
      assert.equal(
        table,
        [
          'node       state    pid  ports                 log',
          'peer.cvpp  running  42   7051 operations:7053  logs/peer.cvpp.log',
          'ca.cvpp    stopped  -    7054                  logs/ca.cvpp.log',
        ].join('\n'),
      );
    });
  });
});
