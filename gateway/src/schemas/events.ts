// GET /v1/events: the request schema (validation + OpenAPI). The response is a text/event-stream,
// described in the route's OpenAPI description rather than as a JSON schema.

export const EventsQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    startBlock: {
      type: 'string',
      pattern: '^(0|[1-9][0-9]{0,19})$',
      description: 'Replay from this block (ignored when Last-Event-ID is sent); default: the next block',
    },
  },
} as const;

export const EventsHeadersSchema = {
  type: 'object',
  properties: {
    'last-event-id': {
      type: 'string',
      pattern: '^(0|[1-9][0-9]{0,19}):(-1|0|[1-9][0-9]{0,8})$',
      description: 'Resume after this position (`<block>:<index>`, the id of the last event received)',
    },
  },
} as const;

export const EVENTS_DESCRIPTION = [
  'Chaincode events as Server-Sent Events (text/event-stream).',
  'The first message is `event: ready` whose id is the resume position;',
  'then one default `message` per chaincode event, id `<block>:<index within block>`,',
  'data {blockNumber, transactionId, chaincodeName, eventName, payload}.',
  'Reconnect with Last-Event-ID to resume without loss or duplicates. A comment every 15 s keeps the stream alive.',
].join(' ');
