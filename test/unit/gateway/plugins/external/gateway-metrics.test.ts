import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  newGatewayMetrics,
  restartCountsOf,
} from '../../../../../gateway/src/plugins/external/gateway-metrics';
import { writeKeeperState } from '../../../../../platform/src/keeper-state';
import { runPaths } from '../../../../../platform/src/paths';
import { loadTopology } from '../../../../../platform/src/topology';

const restartLines = (text: string) => text.split('\n').filter((l) => l.startsWith('vpp_node_restarts{'));

describe('gateway metrics', () => {
  describe('vpp_node_restarts', () => {
    it('should report each kept node with its restart count and leave out nodes that are not kept', async () => {
      const metrics = newGatewayMetrics(() => [
        { node: 'peer.cvpp', restarts: 2 },
        { node: 'chaincode.cvpp', restarts: 0 },
        { node: 'gateway.cvpp', restarts: undefined },
      ]);
      assert.deepEqual(restartLines(await metrics.registry.metrics()), [
        'vpp_node_restarts{node="peer.cvpp"} 2',
        'vpp_node_restarts{node="chaincode.cvpp"} 0',
      ]);
    });

    it("should read the org's own nodes from their keepers' state files at each scrape", async () => {
      process.env.VPP_RUN_DIR = mkdtempSync(path.join(os.tmpdir(), 'metrics-run-'));
      mkdirSync(path.dirname(runPaths.pid('any')), { recursive: true });
      const topology = loadTopology();
      const cvpp = topology.orgs.find((o) => o.name === 'cvpp')!;
      const counts = restartCountsOf({ topology, org: cvpp });
      const startedAt = '2026-12-05T12:00:00.000Z';
      writeKeeperState(runPaths.pid('peer.cvpp'), { nodeId: 'peer.cvpp', restarts: 1, pid: 7, startedAt });
      writeKeeperState(runPaths.pid('peer.control'), { nodeId: 'peer.control', restarts: 5, startedAt });
      const metrics = newGatewayMetrics(counts);
      assert.deepEqual(restartLines(await metrics.registry.metrics()), [
        'vpp_node_restarts{node="peer.cvpp"} 1',
      ]);

      writeKeeperState(runPaths.pid('chaincode.cvpp'), { nodeId: 'chaincode.cvpp', restarts: 3, startedAt });
      assert.deepEqual(restartLines(await metrics.registry.metrics()), [
        'vpp_node_restarts{node="peer.cvpp"} 1',
        'vpp_node_restarts{node="chaincode.cvpp"} 3',
      ]);
    });
  });
});
