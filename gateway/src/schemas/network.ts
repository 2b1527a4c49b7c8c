/** The consortium's nodes and their health (GET /v1/network/nodes). */
import { errorResponses } from './common';

const NodeStatusSchema = {
  type: 'object',
  required: ['id', 'org', 'mspId', 'role', 'endpoint', 'healthy'],
  properties: {
    id: { type: 'string', description: '<role>.<org>, e.g. peer.cvpp' },
    org: { type: 'string' },
    mspId: { type: 'string' },
    role: { type: 'string', enum: ['ca', 'peer', 'orderer'] },
    endpoint: { type: 'string', description: "the node's main listen address" },
    healthy: { type: 'boolean' },
    problem: { type: 'string' },
    height: { type: 'integer', description: "peers: the channel's block height" },
    leaderId: { type: 'integer', description: "orderers: the consenter id of the SmartBFT view's leader" },
    consenterId: { type: 'integer', description: "orderers: the orderer's own consenter id" },
  },
} as const;

export const networkNodesSchema = {
  tags: ['ops'],
  summary: "Every CA, peer and orderer: health, each peer's block height, the BFT leader",
  description:
    "Read from each node's operations endpoint (/healthz, /metrics) within 1.5 s; a node that does " +
    'not answer in time is reported unhealthy with the reason.',
  response: {
    200: {
      type: 'object',
      required: ['channel', 'nodes'],
      properties: {
        channel: { type: 'string' },
        leader: {
          type: 'object',
          required: ['consenterId'],
          properties: { consenterId: { type: 'integer' }, org: { type: 'string' } },
        },
        nodes: { type: 'array', items: NodeStatusSchema },
      },
    },
    ...errorResponses(401),
  },
} as const;
