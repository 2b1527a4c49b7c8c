// The regulator's read-only views of the ledger itself: chain height, blocks, transactions with
// their validation code and endorsing organisations, the history of any key, and the channel's
// certificate directory. Each read is signed by the caller; the chaincode checks the regulator again
// for key history (qscc and cscc apply the channel's Readers policy).

import type { FastifyRequest } from 'fastify';
import type { ApiRole } from '../../core/roles';
import type { RoutePlugin } from '../../core/schema-types';
import { newLedgerReader, ledgerKey, type LedgerReader } from '../../blocks-and-events/ledger-reader';
import { callerOf } from '../../plugins/app/auth';
import {
  BlockParamsSchema,
  BlockSchema,
  ChainInfoSchema,
  ChannelOrgsSchema,
  HistoryQuerySchema,
  KeyHistorySchema,
  TransactionParamsSchema,
  TransactionSchema,
} from '../../schemas/ledger';

const REGULATOR: readonly ApiRole[] = ['regulator'];
const tags = ['ledger'];

const routes: RoutePlugin = async (app) => {
  const channel = app.config.channel;
  const reader = (request: FastifyRequest): LedgerReader =>
    newLedgerReader(app.fabric.network(callerOf(request)), channel);

  app.get(
    '/v1/ledger/info',
    {
      config: { roles: REGULATOR },
      schema: { tags, summary: 'Chain height and current block hash', response: { 200: ChainInfoSchema } },
    },
    async (request) => ({ channel, ...(await reader(request).chainInfo()) }),
  );

  app.get(
    '/v1/ledger/blocks/:number',
    {
      config: { roles: REGULATOR },
      schema: {
        tags,
        summary: 'A block by number, with its transactions decoded',
        params: BlockParamsSchema,
        response: { 200: BlockSchema },
      },
    },
    async (request) => reader(request).block(BigInt(request.params.number)),
  );

  app.get(
    '/v1/ledger/transactions/:txId',
    {
      config: { roles: REGULATOR },
      schema: {
        tags,
        summary: 'A transaction by ID: block, validation code, creator and endorsing MSPs',
        params: TransactionParamsSchema,
        response: { 200: TransactionSchema },
      },
    },
    async (request) => reader(request).transaction(request.params.txId),
  );

  app.get(
    '/v1/ledger/history',
    {
      config: { roles: REGULATOR, orgs: ['regulator'] },
      schema: {
        tags,
        summary:
          "One page of the committed writes of a ledger key, newest first; pass the returned bookmark for the next page ('' after the last)",
        description:
          'The key is given as its object type and attributes (e.g. objectType=vpp.orgProfile&attr=CvppMSP); ' +
          'the gateway builds the composite key the chaincode stores.',
        querystring: HistoryQuerySchema,
        response: { 200: KeyHistorySchema },
      },
    },
    async (request) => {
      const { objectType, attr = [], pageSize, bookmark } = request.query;
      const page = await app.ledger.audit.keyHistory(
        request,
        ledgerKey(objectType, attr),
        pageSize,
        bookmark,
      );
      return { objectType, attributes: attr, ...page };
    },
  );

  app.get(
    '/v1/ledger/channel/orgs',
    {
      config: { roles: REGULATOR },
      schema: {
        tags,
        summary: "The channel's organisations with their root and TLS root certificates",
        response: { 200: ChannelOrgsSchema },
      },
    },
    async (request) => ({ channel, ...(await reader(request).channelOrgs()) }),
  );
};

export default routes;
