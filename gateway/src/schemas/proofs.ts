// Proof bundles and checkpoints: one JSON schema per request part and response. The bundle itself is
// defined once, in verifier/src/bundle.ts; its response schema only lets every field through.

import { MAX_PAGE_SIZE } from '../../../chaincode/src/api';
import { PROOF_KINDS } from '../../../verifier/src/bundle';
import {
  bookmark,
  EmptyBodySchema,
  errorResponses,
  LedgerRecordSchema,
  pageSizeUpTo,
  sha256Hex,
} from './common';

const tags = ['proofs'];
const blockNumber = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;

const CheckpointSchema = {
  type: 'object',
  required: [
    'channel',
    'blockNumber',
    'blockHash',
    'configBlockNumber',
    'configBlockHash',
    'txId',
    'recordedAt',
  ],
  properties: {
    channel: { type: 'string' },
    blockNumber,
    blockHash: sha256Hex,
    configBlockNumber: blockNumber,
    configBlockHash: sha256Hex,
    txId: { type: 'string' },
    recordedAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const listCheckpointsSchema = {
  tags,
  summary: "The regulator's checkpoints, oldest first, and the latest: the block hashes to pin (public)",
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { pageSize: pageSizeUpTo(MAX_PAGE_SIZE), bookmark },
  },
  response: {
    200: {
      type: 'object',
      required: ['channel', 'latest', 'checkpoints', 'bookmark'],
      properties: {
        channel: { type: 'string' },
        latest: { anyOf: [CheckpointSchema, { type: 'null' }] },
        checkpoints: { type: 'array', items: CheckpointSchema },
        bookmark: { type: 'string' },
      },
    },
    ...errorResponses(400, 429, 503),
  },
} as const;

export const recordCheckpointSchema = {
  tags,
  summary: "Record a checkpoint at the chain's tip now (the regulator's gateway also does so on a schedule)",
  body: EmptyBodySchema,
  response: {
    201: {
      type: 'object',
      required: ['checkpoint', 'txId'],
      properties: { checkpoint: CheckpointSchema, txId: { type: 'string' } },
    },
    ...errorResponses(401, 403, 409, 503),
  },
} as const;

const KIND_OF_RECORD = PROOF_KINDS.filter((kind) => kind !== 'sample');

export const recordProofSchema = {
  tags,
  summary: 'The proof bundle of one ledger record, for offline verification with vpp-verify',
  description:
    'kind is one of ' +
    KIND_OF_RECORD.join(', ') +
    "; key gives the record's composite-key attributes in order (key=a&key=b). The bundle chains to the " +
    'first checkpoint at or after the record, or to the one at block `checkpoint`.',
  params: {
    type: 'object',
    required: ['kind'],
    additionalProperties: false,
    properties: { kind: { type: 'string', enum: KIND_OF_RECORD } },
  },
  querystring: {
    type: 'object',
    required: ['key'],
    additionalProperties: false,
    properties: {
      key: {
        type: 'array',
        items: { type: 'string', minLength: 1, maxLength: 256 },
        minItems: 1,
        maxItems: 8,
      },
      checkpoint: blockNumber,
    },
  },
  response: { 200: LedgerRecordSchema, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
} as const;

export const sampleProofBundleSchema = {
  tags,
  summary: 'The proof bundle of one raw sample: its Merkle path to the anchor on the ledger, and the anchor',
  params: {
    type: 'object',
    required: ['id'],
    additionalProperties: false,
    properties: { id: { type: 'integer', minimum: 1 } },
  },
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { checkpoint: blockNumber },
  },
  response: { 200: LedgerRecordSchema, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
} as const;
