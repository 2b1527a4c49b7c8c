/**
 * Setup step after the chaincode is up: each org's admin records the org's CA certificates on the
 * ledger (registry:RecordCaCertificates), taken from the channel configuration itself (cscc), so that
 * the chaincode checks device certificates against exactly the CAs the channel MSP trusts. Idempotent:
 * an org whose recorded certificates already equal the channel's is left alone.
 */
import { GatewayError } from '@hyperledger/fabric-gateway';
import { channelOrgsFromBlock } from '../../gateway/src/ledger/channel-config';
import { connectAs } from './gateway-client';
import type { Topology } from './topology';

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
      await registry.submitTransaction('RecordCaCertificates', JSON.stringify(expected));
      log(`${org.mspId}: recorded ${expected.length} CA certificate(s) from the channel MSP on the ledger`);
    } finally {
      connection.close();
    }
  }
}
