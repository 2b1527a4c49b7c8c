import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { bytesOf, configtxOf, configtxYaml, PROFILE_NAME } from '../../../../network/src/generate/configtx';
import { layoutAt } from '../../../../network/src/generate/layout';
import { loadTopology } from '../../../../platform/src/topology';

const topology = loadTopology();
const layout = layoutAt('/run');
const config = configtxOf(topology, layout);
const profile = config.Profiles[PROFILE_NAME]!;

describe('generate/configtx', () => {
  describe('#configtxOf', () => {
    it('should define one organization per org, named and identified by its MSP ID', () => {
      assert.deepEqual(
        config.Organizations.map((o) => [o.Name, o.ID, o.MSPDir]),
        topology.orgs.map((o) => [o.mspId, o.mspId, `/run/crypto/${o.name}/msp`]),
      );
    });

    it('should put all four orgs on both sides of the profile', () => {
      const ids = topology.orgs.map((o) => o.mspId);
      assert.equal(ids.length, 4);
      assert.deepEqual(
        profile.Application.Organizations.map((o) => o.ID),
        ids,
      );
      assert.deepEqual(
        profile.Orderer.Organizations.map((o) => o.ID),
        ids,
      );
    });

    it('should use NodeOU roles in each org policy, with the org orderer a reader and writer', () => {
      const cvpp = config.Organizations[0]!;
      assert.deepEqual(cvpp.Policies, {
        Readers: {
          Type: 'Signature',
          Rule: "OR('CvppMSP.admin', 'CvppMSP.peer', 'CvppMSP.client', 'CvppMSP.orderer')",
        },
        Writers: { Type: 'Signature', Rule: "OR('CvppMSP.admin', 'CvppMSP.client', 'CvppMSP.orderer')" },
        Admins: { Type: 'Signature', Rule: "OR('CvppMSP.admin')" },
        Endorsement: { Type: 'Signature', Rule: "OR('CvppMSP.peer')" },
      });
    });

    it("should list exactly the org's own orderer in OrdererEndpoints and its peer as anchor", () => {
      for (const [i, org] of topology.orgs.entries()) {
        const def = profile.Orderer.Organizations[i]!;
        assert.deepEqual(def.OrdererEndpoints, [`${org.orderer.host}:${org.orderer.port}`]);
        assert.deepEqual(def.AnchorPeers, [{ Host: org.peer.host, Port: org.peer.port }]);
      }
    });

    it('should select BFT with the V3_0 channel capability', () => {
      assert.equal(profile.Orderer.OrdererType, 'BFT');
      assert.deepEqual(profile.Capabilities, { V3_0: true });
      assert.deepEqual(profile.Orderer.Capabilities, { V2_0: true });
      assert.deepEqual(profile.Application.Capabilities, { V2_5: true });
    });

    it('should define no global orderer Addresses (refused under V3_0)', () => {
      assert.equal('Addresses' in profile.Orderer, false);
      assert.equal('Addresses' in config.Orderer, false);
    });

    it('should map one consenter per org orderer with unique ids 1..4', () => {
      const consenters = profile.Orderer.ConsenterMapping;
      assert.deepEqual(
        consenters.map((c) => c.ID),
        [1, 2, 3, 4],
      );
      for (const [i, org] of topology.orgs.entries()) {
        const c = consenters[i]!;
        assert.equal(c.Host, org.orderer.host);
        assert.equal(c.Port, org.orderer.port);
        assert.equal(c.MSPID, org.mspId);
        assert.equal(c.Identity, `/run/crypto/${org.name}/orderer/msp/signcerts/cert.pem`);
        assert.equal(c.ClientTLSCert, `/run/crypto/${org.name}/orderer/tls/server.crt`);
        assert.equal(c.ServerTLSCert, `/run/crypto/${org.name}/orderer/tls/server.crt`);
      }
    });

    it('should keep each consenter equal to the OrdererEndpoints of its org', () => {
      const endpoints = profile.Orderer.Organizations.flatMap((o) => o.OrdererEndpoints);
      assert.deepEqual(
        profile.Orderer.ConsenterMapping.map((c) => `${c.Host}:${c.Port}`),
        endpoints,
      );
    });

    it('should require MAJORITY endorsement for chaincode and lifecycle', () => {
      const policies = profile.Application.Policies;
      assert.deepEqual(policies.Endorsement, { Type: 'ImplicitMeta', Rule: 'MAJORITY Endorsement' });
      assert.deepEqual(policies.LifecycleEndorsement, { Type: 'ImplicitMeta', Rule: 'MAJORITY Endorsement' });
      assert.deepEqual(policies.Admins, { Type: 'ImplicitMeta', Rule: 'MAJORITY Admins' });
    });

    it('should define the BlockValidation policy configtxgen requires', () => {
      assert.deepEqual(profile.Orderer.Policies.BlockValidation, {
        Type: 'ImplicitMeta',
        Rule: 'ANY Writers',
      });
    });

    it("should take the SmartBFT options from the topology's channel", () => {
      const bft = topology.channel.smartBft;
      const options = profile.Orderer.SmartBFT;
      assert.equal(options.RequestBatchMaxInterval, bft.requestBatchMaxInterval);
      assert.equal(options.RequestForwardTimeout, bft.requestForwardTimeout);
      assert.equal(options.RequestComplainTimeout, bft.requestComplainTimeout);
      assert.equal(options.RequestAutoRemoveTimeout, bft.requestAutoRemoveTimeout);
      assert.equal(options.ViewChangeResendInterval, bft.viewChangeResendInterval);
      assert.equal(options.ViewChangeTimeout, bft.viewChangeTimeout);
      assert.equal(options.LeaderHeartbeatTimeout, bft.leaderHeartbeatTimeout);
      assert.equal(options.LeaderHeartbeatCount, bft.leaderHeartbeatCount);
      assert.equal(options.CollectTimeout, bft.collectTimeout);
      assert.equal(options.RequestBatchMaxCount, topology.channel.batch.maxMessageCount);
      assert.equal(options.RequestBatchMaxBytes, 10 * 1024 * 1024);
      assert.equal(options.RequestMaxBytes, 10 * 1024 * 1024);
      assert.equal(options.RequestPoolSize, 100000);
      assert.equal(options.IncomingMessageBufferSize, 200);
      assert.equal(options.SpeedUpViewChange, false);
    });

    it("should take BatchSize from the topology's batch", () => {
      assert.deepEqual(profile.Orderer.BatchSize, {
        MaxMessageCount: 500,
        AbsoluteMaxBytes: '10 MB',
        PreferredMaxBytes: '2 MB',
      });
      assert.equal(profile.Orderer.BatchTimeout, topology.channel.smartBft.requestBatchMaxInterval);
    });
  });

  describe('#bytesOf', () => {
    it('should count KB and MB in powers of 1024, as Fabric does', () => {
      assert.equal(bytesOf('512 KB'), 524288);
      assert.equal(bytesOf('2 MB'), 2097152);
    });

    it('should reject a size without a unit', () => {
      assert.throws(() => bytesOf('10'), /not a byte size: 10/);
    });
  });

  describe('#configtxYaml', () => {
    const text = configtxYaml(topology, layout);

    it('should round-trip through yaml.parse to the same object', () => {
      assert.deepEqual(parse(text), JSON.parse(JSON.stringify(config)));
    });

    it('should spell out every org section (no anchors or aliases)', () => {
      assert.doesNotMatch(text, /(^|\s)[&*][a-z]\w*(\s|$)/m);
      assert.equal(text.split('Name: CvppMSP').length - 1, 3);
    });

    it('should say in its header that BatchTimeout is ignored under BFT', () => {
      assert.match(text, /^# .*BatchTimeout is ignored under BFT/m);
    });

    it('should be stable from one call to the next', () => {
      assert.equal(configtxYaml(topology, layout), text);
    });
  });
});
