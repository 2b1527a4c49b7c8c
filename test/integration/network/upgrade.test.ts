import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { configuredTools } from '../../../network/src/bring-up';
import { queryCommitted } from '../../../network/src/chaincode-lifecycle';
import { leadOrg } from '../../../platform/src/topology';
import { connectAs, topology, utf8 } from '../../support/fabric-client';

const CLI = path.resolve(__dirname, '..', '..', '..', 'network', 'src', 'cli.js');

describe('chaincode upgrade', () => {
  it('should define the next sequence in place, with the network up and state kept', async () => {
    const tools = configuredTools(topology);
    const before = await queryCommitted(tools, topology, leadOrg(topology));
    assert.ok(before, 'the chaincode is committed before the upgrade');
    const connection = connectAs('regulator', 'appuser');
    try {
      const profiles = utf8(await connection.contract('org').evaluateTransaction('ListOrgProfiles'));
      const version = `${topology.chaincode.version}-up${before.sequence + 1}`;
      const run = spawnSync(process.execPath, [CLI, 'upgrade-chaincode', version], {
        encoding: 'utf8',
        timeout: 300_000,
      });
      assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
      assert.deepEqual(await queryCommitted(tools, topology, leadOrg(topology)), {
        sequence: before.sequence + 1,
        version,
      });
      // The upgraded chaincode serves the same state and takes new writes.
      assert.equal(utf8(await connection.contract('org').evaluateTransaction('ListOrgProfiles')), profiles);
      const admin = connectAs('regulator', 'admin');
      try {
        const input = {
          displayName: `after upgrade ${version}`,
          orgRole: 'regulator',
          contactEmail: 'a@regulator.example',
        };
        const stored = JSON.parse(
          utf8(await admin.contract('org').submitTransaction('PutOrgProfile', JSON.stringify(input))),
        );
        assert.equal(stored.displayName, input.displayName);
      } finally {
        admin.close();
      }
    } finally {
      connection.close();
    }
  });
});
