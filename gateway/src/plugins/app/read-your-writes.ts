/**
 * Read your writes, and others', across the orgs' gateways. Every response to a request that
 * committed a transaction carries `X-Transaction-Id` and `X-Block-Number` (set here, once, from what
 * the ledger facades record). Every request may carry `X-Min-Block: <n>` (or `?minBlock=<n>`, taken
 * off the query before the route's schema sees it): its handler runs only once this gateway's peer
 * has committed block n, bounded by `VPP_MIN_BLOCK_TIMEOUT_MS` (503 BLOCK_NOT_YET_COMMITTED with
 * Retry-After); a malformed value is 400 INVALID_MIN_BLOCK.
 */
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AppPorts } from '../../app';
import {
  BlockHeight,
  parseMinBlock,
  type BlockNumbers,
  type HeightSource,
} from '../../blocks-and-events/block-height';
import { newLedgerReader } from '../../blocks-and-events/ledger-reader';
import type { GatewayConfig } from '../../config';
import type { FabricPort } from './fabric-connection';

export const MIN_BLOCK_HEADER = 'x-min-block';
export const MIN_BLOCK_QUERY = 'minBlock';
export const TX_ID_HEADER = 'x-transaction-id';
export const BLOCK_NUMBER_HEADER = 'x-block-number';
export const REPLAYED_HEADER = 'idempotent-replayed';
/** How long the block stream stays open after the last waiting request. */
const LINGER_MS = 30_000;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const is2xx = (status: string) => /^2[0-9X]{2}$/.test(status);

/**
 * The route's schema with the headers of this plugin in its OpenAPI: X-Min-Block on every request,
 * X-Transaction-Id and X-Block-Number on a write's 2xx answers. Documentation only: the hooks below
 * read and write them (a malformed X-Min-Block is refused before schema validation).
 */
export function documentReadYourWrites(
  methods: readonly string[],
  schema: Record<string, unknown>,
): Record<string, unknown> {
  const headers = (schema.headers ?? { type: 'object' }) as { properties?: Record<string, unknown> };
  const documented: Record<string, unknown> = {
    ...schema,
    headers: {
      ...headers,
      properties: {
        ...headers.properties,
        [MIN_BLOCK_HEADER]: {
          type: 'string',
          description:
            'Serve this request only once this gateway’s peer has committed this block (the ' +
            'X-Block-Number of a write through any org’s gateway); 503 BLOCK_NOT_YET_COMMITTED if ' +
            'it does not within the bound. Also accepted as the query parameter minBlock.',
        },
      },
    },
  };
  const response = schema.response as Record<string, unknown> | undefined;
  if (response === undefined || !methods.some((m) => WRITE_METHODS.has(m))) return documented;
  const answers: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(response)) {
    answers[status] =
      is2xx(status) && typeof answer === 'object' && answer !== null
        ? {
            ...answer,
            headers: {
              [TX_ID_HEADER]: { type: 'string', description: 'The transaction this write committed' },
              [BLOCK_NUMBER_HEADER]: {
                type: 'string',
                description:
                  'The block it committed in: send it as X-Min-Block to read it through any gateway',
              },
            },
          }
        : answer;
  }
  return { ...documented, response: answers };
}

/** A transaction the request committed. */
export interface CommitRecord {
  readonly txId: string;
  readonly blockNumber: bigint;
  /** Answered from an earlier submission under the request's idempotency key. */
  readonly replayed?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    blockHeight: BlockHeight;
  }
  interface FastifyRequest {
    /** The last transaction this request committed (the highest block). */
    commit: CommitRecord | null;
    /** The block the request waits for before its handler runs. */
    minBlock: bigint | null;
  }
}

/**
 * Notes a transaction the request committed: its response will name it, and the peer's height is
 * known to have passed its block (the commit status comes from this gateway's own peer).
 */
export function recordCommit(request: FastifyRequest, commit: CommitRecord): void {
  const previous = request.commit ?? null;
  if (previous === null || previous.blockNumber <= commit.blockNumber) request.commit = commit;
  request.server.blockHeight.observe(commit.blockNumber + 1n);
}

/** The peer's height through qscc and its filtered block events, as the gateway's own identity. */
export function peerHeightSource(fabric: FabricPort, channel: string): HeightSource {
  return {
    height: async () => BigInt((await newLedgerReader(fabric.service.network(), channel).chainInfo()).height),
    async blocks(startBlock) {
      const events = await fabric.service.network().getFilteredBlockEvents({ startBlock });
      const numbers: BlockNumbers = {
        async *[Symbol.asyncIterator]() {
          for await (const block of events) yield BigInt(block.getNumber());
        },
        close: () => events.close(),
      };
      return numbers;
    },
  };
}

/** The block a request names, from its header or its query (taken off the query); undefined if none. */
function minBlockOf(request: FastifyRequest): bigint | undefined {
  const header = request.headers[MIN_BLOCK_HEADER];
  const query = request.query as { minBlock?: unknown } | null | undefined;
  let fromQuery: unknown;
  if (query && typeof query === 'object' && MIN_BLOCK_QUERY in query) {
    fromQuery = query.minBlock;
    delete query.minBlock;
  }
  const values: bigint[] = [];
  if (header !== undefined) values.push(parseMinBlock(String(header), 'X-Min-Block'));
  if (fromQuery !== undefined) {
    const text = typeof fromQuery === 'string' ? fromQuery : '';
    values.push(parseMinBlock(text, MIN_BLOCK_QUERY));
  }
  return values.length === 0 ? undefined : values.reduce((a, b) => (a > b ? a : b));
}

export default fp(
  async (app, opts: { config: GatewayConfig; ports: AppPorts }) => {
    const source = opts.ports.heights ?? peerHeightSource(app.fabric, opts.config.channel);
    const height = new BlockHeight(source, {
      timeoutMs: opts.config.minBlockTimeoutMs,
      lingerMs: LINGER_MS,
    });
    const retryAfter = String(Math.max(1, Math.ceil(opts.config.minBlockTimeoutMs / 1000)));
    app.decorate('blockHeight', height);
    app.decorateRequest('commit', null);
    app.decorateRequest('minBlock', null);

    // Before authentication and validation: a malformed value is the caller's mistake (400), and
    // the query parameter must be gone before a route's strict query schema sees it.
    app.addHook('onRequest', async (request) => {
      if (request.is404) return;
      request.minBlock = minBlockOf(request) ?? null;
    });
    // After authentication and validation: only a request that would be served waits.
    app.addHook('preHandler', async (request, reply) => {
      const minBlock = request.minBlock ?? null;
      if (minBlock === null) return;
      try {
        await height.reached(minBlock);
      } catch (err) {
        void reply.header('retry-after', retryAfter);
        throw err;
      }
    });
    app.addHook('onSend', async (request, reply) => {
      // `?? null`: requests of plugins registered before this one lack the decoration.
      const commit = request.commit ?? null;
      if (commit === null) return;
      void reply.header(TX_ID_HEADER, commit.txId);
      void reply.header(BLOCK_NUMBER_HEADER, String(commit.blockNumber));
      if (commit.replayed) void reply.header(REPLAYED_HEADER, 'true');
    });
    app.addHook('onClose', async () => height.close());
  },
  { name: 'read-your-writes', dependencies: ['fabric-connection'] },
);
