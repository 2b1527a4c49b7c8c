// GET /v1/events: the chaincode's events as Server-Sent Events, resumable with Last-Event-ID.
// The response is hijacked from fastify (a stream that never ends on its own); everything that can
// fail with a status code (auth, validation, the start position) happens before that.

import { ApiError } from '../../core/api-error';
import { ANY_ROLE } from '../../core/roles';
import type { RoutePlugin } from '../../core/schema-types';
import { parsePosition, startOfBlock, type EventPosition } from '../../blocks-and-events/checkpoint';
import { pumpEvents, readyMessage, type EventSource } from '../../blocks-and-events/event-stream';
import { newLedgerReader } from '../../blocks-and-events/ledger-reader';
import {
  formatSseComment,
  formatSseMessage,
  formatSseRetry,
  type SseMessage,
} from '../../blocks-and-events/sse';
import { callerOf } from '../../plugins/app/auth';
import { EVENTS_DESCRIPTION, EventsHeadersSchema, EventsQuerySchema } from '../../schemas/events';

export const HEARTBEAT_MS = 15_000;
const RETRY_MS = 2_000;

const routes: RoutePlugin = async (app) => {
  app.get(
    '/v1/events',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags: ['events'],
        summary: 'Chaincode events (Server-Sent Events, resumable)',
        description: EVENTS_DESCRIPTION,
        querystring: EventsQuerySchema,
        headers: EventsHeadersSchema,
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      const network = app.fabric.network(callerOf(request));
      const lastEventId = request.headers['last-event-id'];
      let after: EventPosition;
      if (lastEventId !== undefined) {
        const parsed = parsePosition(lastEventId);
        if (parsed === undefined)
          throw new ApiError(400, 'VALIDATION_FAILED', 'Last-Event-ID must be <block>:<index>');
        after = parsed;
      } else if (request.query.startBlock !== undefined) {
        after = startOfBlock(BigInt(request.query.startBlock));
      } else {
        // The next block to be committed: nothing already on the ledger is replayed.
        after = startOfBlock(BigInt((await newLedgerReader(network, app.config.channel).chainInfo()).height));
      }

      const abort = new AbortController();
      const raw = reply.raw;
      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      const write = (text: string): Promise<void> =>
        new Promise((resolve) => {
          if (abort.signal.aborted || raw.destroyed) return resolve();
          if (raw.write(text)) return resolve();
          const done = () => {
            raw.off('drain', done);
            raw.off('close', done);
            resolve();
          };
          raw.on('drain', done);
          raw.on('close', done);
        });
      const heartbeat = setInterval(() => void write(formatSseComment('heartbeat')), HEARTBEAT_MS);
      raw.on('close', () => abort.abort());
      request.log.info({ resumeAfter: readyMessage(after).id }, 'event stream opened');

      try {
        await write(formatSseRetry(RETRY_MS));
        await write(formatSseMessage(readyMessage(after)));
        await pumpEvents({
          open: async (startBlock) =>
            (await network.getChaincodeEvents(app.config.chaincode, { startBlock })) as EventSource,
          after,
          send: (message: SseMessage) => write(formatSseMessage(message)),
          signal: abort.signal,
        });
      } catch (err) {
        // Headers are sent; the client reconnects with its Last-Event-ID and loses nothing.
        request.log.warn({ err }, 'event stream failed');
      } finally {
        clearInterval(heartbeat);
        if (!raw.destroyed) raw.end();
        request.log.info('event stream closed');
      }
    },
  );
};

export default routes;
