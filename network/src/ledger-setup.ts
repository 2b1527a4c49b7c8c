/**
 * Setup steps after the chaincode is up, each idempotent.
 *
 * Trust anchors: each org's admin records the org's CA certificates on the
 * ledger (registry:RecordCaCertificates), taken from the channel configuration itself (cscc), so that
 * the chaincode checks device certificates against exactly the CAs the channel MSP trusts. Idempotent:
 * an org whose recorded certificates already equal the channel's is left alone.
 */
import { GatewayError } from '@hyperledger/fabric-gateway';
import { connectAs } from '../../platform/src/fabric/org-connection';
import { channelOrgsFromBlock } from '../../platform/src/ledger/channel-config';
import type { Topology } from '../../platform/src/topology';

const normalise = (pem: string) => pem.trim() + '\n';

export async function recordTrustAnchors(topology: Topology, log: (line: string) => void): Promise<void> {
  for (const org of topology.orgs) {
    const connection = connectAs(topology, org.name, 'admin');
    try {
      const block = await connection.network
        .getContract('cscc')
        .evaluateTransaction('GetConfigBlock', topology.channel.name);
      const inChannel = channelOrgsFromBlock(block).find((candidate) => candidate.mspId === org.mspId);
      if (!inChannel) throw new Error(`${org.mspId} is not in the channel configuration`);
      const expected = [...inChannel.rootCerts, ...inChannel.intermediateCerts].map(normalise);
      const registry = connection.contract('registry');
      let recorded: string[] = [];
      try {
        const bytes = await registry.evaluateTransaction('GetCaCertificates', org.mspId);
        recorded = (JSON.parse(Buffer.from(bytes).toString('utf8')) as { certificates: string[] })
          .certificates;
      } catch (err) {
        if (!(err instanceof GatewayError) || !err.details.some((d) => d.message.includes('NOT_FOUND')))
          throw err;
      }
      if (JSON.stringify(recorded) === JSON.stringify(expected)) continue;
      await connection.submit('registry', 'RecordCaCertificates', [JSON.stringify(expected)]);
      log(`${org.mspId}: recorded ${expected.length} CA certificate(s) from the channel MSP on the ledger`);
    } finally {
      connection.close();
    }
  }
}

/**
 * The credit rulebook: the regulator's admin installs the default rulebook (version 1) when no
 * version exists yet, so that VPPs have a credit level (bid quota, penalty factor) from the start.
 * Later versions are the regulator's to publish (POST /v1/credit/rulebook).
 */
export async function installRulebook(topology: Topology, log: (line: string) => void): Promise<void> {
  const regulator = topology.orgs.find((org) => org.mspId === 'RegulatorMSP');
  if (!regulator) return;
  const connection = connectAs(topology, regulator.name, 'admin');
  try {
    const credit = connection.contract('credit');
    const versions = JSON.parse(
      Buffer.from(await credit.evaluateTransaction('ListRulebookVersions')).toString('utf8'),
    ) as unknown[];
    if (versions.length > 0) return;
    await connection.submit('credit', 'InstallDefaultRulebook', []);
    log('RegulatorMSP: installed the default credit rulebook (version 1)');
  } finally {
    connection.close();
  }
}

export async function prepareLedger(topology: Topology, log: (line: string) => void): Promise<void> {
  await recordTrustAnchors(topology, log);
  await installRulebook(topology, log);
}
