// Network: the four organisations, every node's health, each peer's block height, the SmartBFT
// leader, and the chaincode events live as they commit.
import { followEvents, get } from '../api';
import { facts, h, loading, section, table } from '../dom';
import { instant, int, short } from '../format';
import type { Page } from './page';

interface NodeStatus {
  id: string;
  org: string;
  mspId: string;
  role: string;
  endpoint: string;
  healthy: boolean;
  problem?: string;
  height?: number;
  leaderId?: number;
  consenterId?: number;
}
interface NetworkStatus {
  channel: string;
  leader?: { consenterId: number; org?: string };
  nodes: NodeStatus[];
}
interface OrgProfile {
  mspId: string;
  displayName: string;
  orgRole: string;
  contactEmail: string;
  updatedAt: string;
}

const FEED_LENGTH = 50;
const RECENT_BLOCKS = 10;

export const networkPage: Page = {
  id: 'network',
  title: 'Network',
  requires: ['GET /v1/network/nodes'],
  render(context) {
    const feed = h('ol', { class: 'feed', 'aria-live': 'polite', 'data-feed': 'events' });
    const follow = (startBlock: number) => {
      const stop = followEvents(startBlock, (event) => {
        if (event.name !== 'message') return;
        const data = event.data as { blockNumber?: number; transactionId?: string; eventName?: string };
        feed.prepend(
          h(
            'li',
            { 'data-event': data.eventName, 'data-block': data.blockNumber },
            `block ${data.blockNumber ?? '?'} `,
            h('strong', {}, data.eventName ?? ''),
            ` tx ${short(data.transactionId ?? '')}`,
          ),
        );
        while (feed.children.length > FEED_LENGTH) feed.lastElementChild?.remove();
      });
      context.onLeave(stop);
    };
    return h(
      'div',
      {},
      h('h1', {}, 'Network'),
      section(
        'Nodes',
        loading(async () => {
          const status = await get<NetworkStatus>('/v1/network/nodes');
          // The feed replays the last few blocks' events, so it is not empty on a quiet network.
          const ownPeer = status.nodes.find((n) => n.role === 'peer' && n.mspId === context.session.mspId);
          follow(Math.max(0, (ownPeer?.height ?? 0) - RECENT_BLOCKS));
          const healthy = status.nodes.filter((n) => n.healthy).length;
          return h(
            'div',
            {},
            facts([
              ['channel', 'Channel', status.channel],
              [
                'leader',
                'SmartBFT leader',
                status.leader
                  ? `consenter ${status.leader.consenterId} (${status.leader.org ?? 'unknown org'})`
                  : 'unknown',
              ],
              ['healthy', 'Healthy nodes', `${healthy} of ${status.nodes.length}`],
            ]),
            table(
              'nodes',
              'CAs, peers and orderers',
              status.nodes,
              [
                { header: 'Node', cell: (n) => n.id },
                { header: 'Organisation', cell: (n) => n.mspId },
                { header: 'Endpoint', cell: (n) => n.endpoint },
                {
                  header: 'Health',
                  cell: (n) =>
                    n.healthy
                      ? h('span', { class: 'ok' }, 'up')
                      : h('span', { class: 'fail' }, `down: ${n.problem ?? ''}`),
                },
                {
                  header: 'Block height',
                  cell: (n) => (n.height === undefined ? '' : int(n.height)),
                  numeric: true,
                },
                {
                  header: 'BFT',
                  cell: (n) =>
                    n.consenterId === undefined
                      ? ''
                      : `consenter ${n.consenterId}${n.consenterId === status.leader?.consenterId ? ' · leader' : ''}`,
                },
              ],
              (n) => n.id,
            ),
          );
        }),
      ),
      section(
        'Organisations',
        loading(async () => {
          const orgs = await get<OrgProfile[]>('/v1/orgs');
          return table(
            'orgs',
            'Member profiles published on the ledger',
            orgs,
            [
              { header: 'MSP', cell: (o) => o.mspId },
              { header: 'Name', cell: (o) => o.displayName },
              { header: 'Part', cell: (o) => o.orgRole },
              { header: 'Contact', cell: (o) => o.contactEmail },
              { header: 'Updated', cell: (o) => instant(o.updatedAt) },
            ],
            (o) => o.mspId,
          );
        }),
      ),
      section(
        'Live events',
        h(
          'p',
          {},
          `Chaincode events of the last ${RECENT_BLOCKS} blocks, then as blocks commit (newest first).`,
        ),
        feed,
      ),
      context.allowed('GET /v1/ledger/info')
        ? section(
            'Ledger',
            h('p', {}, h('a', { href: '#/ledger' }, 'Blocks and transactions'), ' (regulator view).'),
          )
        : null,
    );
  },
};
