// What the network fault tests read from the orderers' operations endpoints: the SmartBFT leader.
import { channelGauge } from '../../network/src/process/metrics';
import type { Org } from '../../platform/src/topology';
import { topology } from './fabric-client';

/** A channel gauge of a node's Prometheus endpoint. */
export const channelGaugeOf = (host: string, port: number, name: string) =>
  channelGauge(host, port, name, topology.channel.name);

/** The SmartBFT leader as the running orderers see it; consenter ids follow the topology's org order. */
export async function leaderOrg(): Promise<Org> {
  for (const org of topology.orgs) {
    try {
      const id = await channelGaugeOf(
        org.orderer.host,
        org.orderer.operationsPort,
        'consensus_BFT_leader_id',
      );
      return topology.orgs[id - 1]!;
    } catch {
      // that orderer is down; ask the next
    }
  }
  throw new Error('no orderer reports a leader');
}
