/** Device-signed readings: the wire format (see chaincode/src/domain/telemetry/reading.ts) and results. */
import { MAX_SEQUENCE, SIGNATURE_SCHEMES } from '../../../chaincode/src/api';
import { errorResponses } from './common';
import { DerParams, LEDGER_ID_PATTERN } from './ders';

/** Readings per request: a device sends a few; a site concentrator may send many. */
export const MAX_READINGS_PER_REQUEST = 200;
const iso = { type: 'string', maxLength: 30 } as const;

export const SignedReadingSchema = {
  type: 'object',
  required: ['derId', 'intervalId', 'sequence', 'energyWh', 'timestamp', 'scheme', 'signature'],
  additionalProperties: false,
  properties: {
    derId: { type: 'string', pattern: LEDGER_ID_PATTERN },
    intervalId: { ...iso, description: 'start of the 15-minute metering interval, ISO-8601 UTC' },
    sequence: { type: 'integer', minimum: 0, maximum: MAX_SEQUENCE },
    energyWh: { type: 'integer', minimum: 0 },
    timestamp: iso,
    scheme: { type: 'string', enum: [...SIGNATURE_SCHEMES] },
    signature: { type: 'string', maxLength: 128, description: 'base64 DER ECDSA signature' },
  },
} as const;

export interface ReadingsBody {
  readings: unknown[];
  samples?: unknown[];
}

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
    ...errorResponses(400, 413, 503),
  },
};

const intervalQuery = {
  type: 'object',
  required: ['intervalId'],
  additionalProperties: false,
  properties: { intervalId: iso },
} as const;
const readingList = { type: 'array', items: { type: 'object', additionalProperties: true } } as const;

export const derReadingsSchema = {
  tags: ['readings'],
  summary: "One DER's recorded readings in a metering interval",
  params: DerParams,
  querystring: intervalQuery,
  response: { 200: readingList, ...errorResponses(400, 401, 403, 404, 422, 503) },
};

export const vppReadingsSchema = {
  tags: ['readings'],
  summary: "Every recorded reading of a VPP's DERs in a metering interval",
  params: {
    type: 'object',
    required: ['vppId'],
    properties: { vppId: { type: 'string', pattern: LEDGER_ID_PATTERN } },
  },
  querystring: intervalQuery,
  response: { 200: readingList, ...errorResponses(400, 401, 403, 422, 503) },
};

export { SignedReadingSchema as ReadingSchema };
