import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { launchSpecOf } from '../../../../network/src/process/launch';
import { runDir } from '../../../../platform/src/paths';
import { loadTopology, nodeOf, validateTopology, type Topology } from '../../../../platform/src/topology';

const TOOLS = { bin: 'bin', configDir: 'config' };

/** The committed topology with its keys option replaced. */
function withKeys(keys: unknown): Topology {
  return validateTopology({ ...structuredClone(loadTopology()), keys }, 'test topology');
}

function gatewayEnv(topology: Topology, orgName: string): Record<string, string> {
  const org = topology.orgs.find((o) => o.name === orgName)!;
  return launchSpecOf(nodeOf(org, 'gateway'), { topology, tools: TOOLS }).env;
}

describe('launch', () => {
  describe('#launchSpecOf (gateway)', () => {
    it('should point a gateway at its org’s SoftHSM2 configuration when the topology selects it', () => {
      const topology = withKeys({ store: 'softhsm' });
      assert.equal(
        gatewayEnv(topology, 'trading').SOFTHSM2_CONF,
        path.join(runDir(), 'hsm', 'trading', 'softhsm2.conf'),
      );
    });

    it('should give a gateway with file keys no SoftHSM2 configuration', () => {
      assert.equal(gatewayEnv(withKeys({ store: 'file' }), 'trading').SOFTHSM2_CONF, undefined);
    });
  });
});
