// Real-process smoke test: the compiled chaincode must load and serve under the project's Node
// (process.execPath is the pinned Node 24 when run via npm scripts), exactly as the chaincode-as-a-
// service container will start it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { CHAINCODE_MODULE_PATH, FABRIC_CHAINCODE_NODE_CLI, REPO_ROOT } from '../../support/repo';
import { freePort } from '../../support/free-port';

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

async function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls until the port accepts connections; fails early if the process dies first. */
async function waitForListening(child: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      assert.fail(`chaincode server exited early (${child.exitCode ?? child.signalCode}):\n${output()}`);
    }
    if (await canConnect(port)) {
      return;
    }
    await delay(100);
  }
  assert.fail(
    `chaincode server did not listen on ${HOST}:${port} within ${START_TIMEOUT_MS} ms:\n${output()}`,
  );
}

describe('chaincode server', () => {
  let child: ChildProcess | undefined;

  after(() => {
    // Safety net if an assertion failed before the test stopped the server itself.
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  });

  describe('fabric-chaincode-node server', () => {
    it('should run on Node 24 or later', () => {
      assert.ok(
        Number(process.versions.node.split('.')[0]) >= 24,
        `running on Node ${process.versions.node}`,
      );
    });

    it('should load the compiled chaincode, listen, and stop when killed', async () => {
      const port = await freePort();
      let output = '';
      child = spawn(
        process.execPath,
        [
          FABRIC_CHAINCODE_NODE_CLI,
          'server',
          '--chaincode-address',
          `${HOST}:${port}`,
          '--chaincode-id',
          'vpp:smoke',
          '--module-path',
          CHAINCODE_MODULE_PATH,
        ],
        { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const exited = once(child, 'exit');
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

      await waitForListening(child, port, () => output);
      assert.equal(await canConnect(port), true);

      assert.equal(child.kill('SIGTERM'), true);
      // The timer is cancelled once the process exits so it cannot hold the test process open.
      const stopTimer = new AbortController();
      const timedOut = delay(STOP_TIMEOUT_MS, undefined, { signal: stopTimer.signal }).then(
        () => assert.fail(`server did not exit within ${STOP_TIMEOUT_MS} ms`),
        () => undefined,
      );
      const [code, signal] = (await Promise.race([exited, timedOut])) as [
        number | null,
        NodeJS.Signals | null,
      ];
      stopTimer.abort();
      assert.ok(code !== null || signal !== null, 'process has exited');
      assert.equal(await canConnect(port), false, 'port is released');
    });
  });
});
