/** Device-signed readings: the request envelope (each reading is parsed by the chaincode's own rules, one by one) and results. */
import { bookmark, DerParamsSchema, errorResponses, pageSize, VppParamsSchema } from './common';

/** Readings per request: a device sends a few; a site concentrator may send many. */
export const MAX_READINGS_PER_REQUEST = 200;
const iso = { type: 'string', maxLength: 30 } as const;

/** Raw samples per request: up to 60 per reading (one a minute of a 15-minute interval, ×4). */
export const MAX_SAMPLES_PER_REQUEST = 12_000;

const ReadingOutcomeSchema = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['accepted', 'duplicate', 'rejected'] },
    derId: { type: 'string' },
    intervalId: { type: 'string' },
    sequence: { type: 'integer' },
    code: { type: 'string' },
    message: { type: 'string' },
    txId: { type: 'string' },
    checkedBy: { type: 'string', enum: ['gateway', 'chaincode'] },
    sampleIds: { type: 'array', items: { type: 'integer' } },
  },
} as const;

export const postReadingsSchema = {
  tags: ['readings'],
  summary:
    'Devices post signed readings (no token: each reading is authenticated by its signature, checked here and again on chain)',
  description:
    'Each reading is judged on its own; the answer lists one outcome per reading, in order. Valid readings are batched into one transaction with others.',
  body: {
    type: 'object',
    required: ['readings'],
    additionalProperties: false,
    // Items are checked one by one (a bad one is rejected alone), so only the envelope is strict here.
    properties: {
      readings: { type: 'array', minItems: 1, maxItems: MAX_READINGS_PER_REQUEST },
      samples: {
        type: 'array',
        maxItems: MAX_SAMPLES_PER_REQUEST,
        description:
          'raw samples behind the readings ({ derId, intervalId, sequence, offsetSeconds, energyWh }); kept off chain, anchored by a Merkle root in the readings’ transaction',
      },
    },
  },
  response: {
    200: {
      type: 'object',
      required: ['accepted', 'duplicates', 'rejected', 'results'],
      properties: {
        accepted: { type: 'integer' },
        duplicates: { type: 'integer' },
        rejected: { type: 'integer' },
        results: { type: 'array', items: ReadingOutcomeSchema },
      },
    },
    ...errorResponses(400, 413, 429, 503),
  },
} as const;

const intervalQuery = {
  type: 'object',
  required: ['intervalId'],
  additionalProperties: false,
  properties: { intervalId: iso },
} as const;
const readingList = { type: 'array', items: { type: 'object', additionalProperties: true } } as const;

/** Not paged: a DER has at most 60 readings (sequences 0..59) per interval, about 30 KB. */
export const derReadingsSchema = {
  tags: ['readings'],
  summary: "One DER's recorded readings in a metering interval, in sequence order (at most 60)",
  params: DerParamsSchema,
  querystring: intervalQuery,
  response: { 200: readingList, ...errorResponses(400, 401, 403, 404, 422, 503) },
} as const;

export const vppReadingsSchema = {
  tags: ['readings'],
  summary:
    "One page of the recorded readings of a VPP's DERs in a metering interval, by DER then sequence; pass the returned bookmark for the next page ('' after the last)",
  params: VppParamsSchema,
  querystring: {
    type: 'object',
    required: ['intervalId'],
    additionalProperties: false,
    properties: { intervalId: iso, pageSize, bookmark },
  },
  response: {
    200: {
      type: 'object',
      required: ['readings', 'bookmark'],
      properties: { readings: readingList, bookmark: { type: 'string' } },
    },
    ...errorResponses(400, 401, 403, 422, 503),
  },
} as const;
