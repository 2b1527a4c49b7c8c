/**
 * The consortium's nodes as an outsider would check them: each CA's, peer's and orderer's operations
 * endpoint (plain HTTP on the node's own host, from the topology) answers /healthz, a peer's /metrics
 * gives its block height (ledger_blockchain_height) and an orderer's gives the SmartBFT view's
 * leader (consensus_smartbft_view_leader_id, a consenter id: the org's place in the topology, plus
 * one, as network/src/generate/configtx.ts assigns them). Every probe is bounded; a node that does
 * not answer in time is reported down, never waited for.
 */
import { nodeOf, type NodeRole, type OrgNodeRole, type Topology } from '../../../platform/src/topology';

export interface NodeStatus {
  readonly id: string;
  readonly org: string;
  readonly mspId: string;
  readonly role: NodeRole;
  readonly endpoint: string;
  readonly healthy: boolean;
  /** Why it is not healthy (timeout, refused, the status it answered). */
  readonly problem?: string;
  /** Peers: the channel's block height. */
  readonly height?: number;
  /** Orderers: the consenter id this orderer takes as the leader of its current view. */
  readonly leaderId?: number;
  /** Orderers: this orderer's own consenter id. */
  readonly consenterId?: number;
}

export interface NetworkStatus {
  readonly channel: string;
  /** The consenter id most orderers name as the leader, and its org; absent when none answers. */
  readonly leader?: { readonly consenterId: number; readonly org?: string };
  readonly nodes: readonly NodeStatus[];
}

// The LDAP directory (topology `directory`) has no operations endpoint and is not probed here.
const PROBED_ROLES: readonly OrgNodeRole[] = ['ca', 'peer', 'orderer'];

/** `name{labels} value` lines of a Prometheus text page: the value of `name` for `channel`. */
export function metricValue(page: string, name: string, channel?: string): number | undefined {
  for (const line of page.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    if (channel !== undefined && match[2] !== undefined && !match[2].includes(`channel="${channel}"`))
      continue;
    const value = Number(match[3]);
    if (Number.isFinite(value)) return value;
  }
  return undefined;
}

/** The leader most orderers name (ties: the lower id), so one lagging orderer does not mislead. */
export function leaderOf(nodes: readonly NodeStatus[]): number | undefined {
  const votes = new Map<number, number>();
  for (const node of nodes) {
    if (node.leaderId !== undefined) votes.set(node.leaderId, (votes.get(node.leaderId) ?? 0) + 1);
  }
  let best: [number, number] | undefined;
  for (const [id, count] of votes) {
    if (!best || count > best[1] || (count === best[1] && id < best[0])) best = [id, count];
  }
  return best?.[0];
}

export type FetchText = (url: string, timeoutMs: number) => Promise<{ status: number; text: string }>;

const fetchText: FetchText = async (url, timeoutMs) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, text: await res.text() };
};

function problemOf(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'timeout';
  const cause = (err as { cause?: { code?: string } }).cause;
  return cause?.code ?? (err instanceof Error ? err.message : String(err));
}

/** Every CA, peer and orderer of the topology, probed in parallel within `timeoutMs` each. */
export async function networkStatus(
  topology: Topology,
  channel: string,
  options: { timeoutMs?: number; fetch?: FetchText } = {},
): Promise<NetworkStatus> {
  const timeoutMs = options.timeoutMs ?? 1_500;
  const get = options.fetch ?? fetchText;
  const probes = topology.orgs.flatMap((org, index) =>
    PROBED_ROLES.map(async (role): Promise<NodeStatus> => {
      const node = nodeOf(org, role);
      const base = `http://${node.host}:${node.healthPort}`;
      const known = {
        id: node.id,
        org: org.name,
        mspId: org.mspId,
        role,
        endpoint: `${node.host}:${node.port}`,
        ...(role === 'orderer' ? { consenterId: index + 1 } : {}),
      };
      try {
        const health = await get(`${base}/healthz`, timeoutMs);
        if (health.status !== 200)
          return { ...known, healthy: false, problem: `healthz answered ${health.status}` };
        if (role === 'ca') return { ...known, healthy: true };
        const metrics = await get(`${base}/metrics`, timeoutMs);
        const value =
          role === 'peer'
            ? metricValue(metrics.text, 'ledger_blockchain_height', channel)
            : metricValue(metrics.text, 'consensus_smartbft_view_leader_id', channel);
        const reading = value === undefined ? {} : role === 'peer' ? { height: value } : { leaderId: value };
        return { ...known, healthy: true, ...reading };
      } catch (err) {
        return { ...known, healthy: false, problem: problemOf(err) };
      }
    }),
  );
  const nodes = await Promise.all(probes);
  const leaderId = leaderOf(nodes);
  const leaderOrg = leaderId === undefined ? undefined : topology.orgs[leaderId - 1]?.name;
  return {
    channel,
    ...(leaderId === undefined
      ? {}
      : { leader: { consenterId: leaderId, ...(leaderOrg === undefined ? {} : { org: leaderOrg }) } }),
    nodes,
  };
}
