import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectAs, topology, utf8, type Connection } from '../../support/fabric-client';

describe('network ledger', () => {
  const connections = new Map<string, Connection>();
  const as = (org: string, user: 'admin' | 'appuser') => {
    const key = `${org}/${user}`;
    if (!connections.has(key)) connections.set(key, connectAs(org, user));
    return connections.get(key)!;
  };
  const stamp = Date.now().toString(36);

  before(() => {
    for (const org of topology.orgs) as(org.name, 'admin');
  });
  after(() => connections.forEach((c) => c.close()));

  it('should let each org admin write its own profile and every org read all of them', async () => {
    for (const org of topology.orgs) {
      const input = {
        displayName: `${org.description} ${stamp}`,
        orgRole: org.name, // the topology names each org after its role
        contactEmail: `ops@${org.name}.example`,
      };
      const stored = JSON.parse(
        utf8(
          await as(org.name, 'admin')
            .contract('org')
            .submitTransaction('PutOrgProfile', JSON.stringify(input)),
        ),
      );
      assert.equal(stored.mspId, org.mspId);
      assert.equal(stored.displayName, input.displayName);
    }
    for (const reader of topology.orgs) {
      const all = JSON.parse(
        utf8(await as(reader.name, 'appuser').contract('org').evaluateTransaction('ListOrgProfiles')),
      );
      assert.deepEqual(
        all.map((p: { mspId: string; displayName: string }) => [p.mspId, p.displayName]),
        topology.orgs
          .map((o) => [o.mspId, `${o.description} ${stamp}`])
          .sort(([a], [b]) => (a! < b! ? -1 : 1)),
        `as read by ${reader.name}`,
      );
    }
  });

  it('should refuse an application user writing its org profile, in the chaincode', async () => {
    const input = { displayName: 'not allowed', orgRole: 'trading', contactEmail: 'x@trading.example' };
    await assert.rejects(
      as('trading', 'appuser').contract('org').submitTransaction('PutOrgProfile', JSON.stringify(input)),
      (err: { details?: { message: string }[] }) => {
        assert.ok(
          err.details?.some((d) => d.message.includes('FORBIDDEN')),
          JSON.stringify(err.details),
        );
        return true;
      },
    );
  });

  it('should fail validation with ENDORSEMENT_POLICY_FAILURE when one org alone endorses', async () => {
    const input = { displayName: `lonely ${stamp}`, orgRole: 'cvpp', contactEmail: 'ops@cvpp.example' };
    const contract = as('cvpp', 'admin').contract('org');
    const before = JSON.parse(utf8(await contract.evaluateTransaction('GetOrgProfile', 'CvppMSP')));
    const proposal = contract.newProposal('PutOrgProfile', {
      arguments: [JSON.stringify(input)],
      endorsingOrganizations: ['CvppMSP'],
    });
    const transaction = await proposal.endorse();
    const commit = await transaction.submit();
    const status = await commit.getStatus();
    assert.equal(status.successful, false);
    assert.equal(status.code, 10); // TxValidationCode.ENDORSEMENT_POLICY_FAILURE
    const afterwards = JSON.parse(utf8(await contract.evaluateTransaction('GetOrgProfile', 'CvppMSP')));
    assert.deepEqual(afterwards, before);
  });
});
