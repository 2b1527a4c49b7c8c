// The regulator's ledger views: one JSON schema per request part and response, used by fastify for
// validation and serialisation, by swagger for the OpenAPI document and, for requests, for the
// handlers' types.

import { MAX_HISTORY_PAGE_SIZE } from '../../../chaincode/src/api';
import { bookmark, errorResponses, pageSizeUpTo, sha256Hex } from './common';

const hex = { type: 'string', pattern: '^[0-9a-f]*$' } as const;
const stringList = { type: 'array', items: { type: 'string' } } as const;

export const BlockParamsSchema = {
  type: 'object',
  required: ['number'],
  additionalProperties: false,
  properties: { number: { type: 'string', pattern: '^(0|[1-9][0-9]{0,19})$', description: 'Block number' } },
} as const;

export const TransactionParamsSchema = {
  type: 'object',
  required: ['txId'],
  additionalProperties: false,
  properties: { txId: { ...sha256Hex, description: 'Transaction ID (hex)' } },
} as const;

export const HistoryQuerySchema = {
  type: 'object',
  required: ['objectType'],
  additionalProperties: false,
  properties: {
    objectType: { type: 'string', minLength: 1, maxLength: 256, description: 'e.g. vpp.orgProfile' },
    attr: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 256 },
      maxItems: 16,
      description: 'Composite-key attributes in order; repeat the parameter (attr=a&attr=b)',
    },
    pageSize: pageSizeUpTo(MAX_HISTORY_PAGE_SIZE),
    bookmark,
  },
} as const;

const TransactionProperties = {
  txId: { type: 'string' },
  type: { type: 'string', description: 'Channel header type, e.g. ENDORSER_TRANSACTION or CONFIG' },
  timestamp: { type: 'string', format: 'date-time' },
  creatorMspId: { type: 'string' },
  validationCode: { type: 'string', description: 'peer.TxValidationCode name, e.g. VALID' },
  endorsers: { ...stringList, description: 'MSP IDs of the endorsing peers, sorted' },
  chaincode: { type: 'string' },
} as const;

export const TransactionSchema = {
  type: 'object',
  required: ['txId', 'type', 'creatorMspId', 'validationCode', 'endorsers', 'blockNumber'],
  properties: { ...TransactionProperties, blockNumber: { type: 'integer' } },
} as const;

export const BlockSchema = {
  type: 'object',
  required: ['number', 'dataHash', 'previousHash', 'transactions'],
  properties: {
    number: { type: 'integer' },
    dataHash: hex,
    previousHash: hex,
    transactions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['txId', 'type', 'creatorMspId', 'validationCode', 'endorsers'],
        properties: TransactionProperties,
      },
    },
  },
} as const;

export const ChainInfoSchema = {
  type: 'object',
  required: ['channel', 'height', 'currentBlockHash'],
  properties: { channel: { type: 'string' }, height: { type: 'integer' }, currentBlockHash: hex },
} as const;

export const KeyHistorySchema = {
  type: 'object',
  required: ['objectType', 'attributes', 'entries', 'bookmark'],
  properties: {
    objectType: { type: 'string' },
    attributes: stringList,
    bookmark: { type: 'string', description: "the next page's bookmark; '' on the last page" },
    entries: {
      type: 'array',
      description: 'Committed writes of the key, newest first',
      items: {
        type: 'object',
        required: ['txId', 'timestamp', 'isDelete', 'value'],
        properties: {
          txId: { type: 'string' },
          timestamp: { type: 'string', format: 'date-time' },
          isDelete: { type: 'boolean' },
          value: { type: 'string', description: 'The stored value as UTF-8 text (empty for a delete)' },
        },
      },
    },
  },
} as const;

export const ChannelOrgsSchema = {
  type: 'object',
  required: ['channel', 'configBlockNumber', 'orgs'],
  properties: {
    channel: { type: 'string' },
    configBlockNumber: { type: 'integer' },
    orgs: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'mspId',
          'groups',
          'rootCerts',
          'intermediateCerts',
          'tlsRootCerts',
          'tlsIntermediateCerts',
        ],
        properties: {
          mspId: { type: 'string' },
          groups: { ...stringList, description: 'Application and/or Orderer' },
          rootCerts: { ...stringList, description: 'PEM' },
          intermediateCerts: stringList,
          tlsRootCerts: stringList,
          tlsIntermediateCerts: stringList,
        },
      },
    },
  },
} as const;

/** GET /v1/transactions/{txId}/status: what became of a write. */
export const transactionStatusSchema = {
  tags: ['ledger'],
  summary: 'Whether a transaction committed, was invalidated, or is not on the ledger (yet)',
  description:
    'Ask after a write answered 504 OUTCOME_UNKNOWN or its connection broke. `unknown` means this ' +
    "organisation's peer has not seen it: it may still commit (ask again) or never will. Your own " +
    "organisation's transactions only; the regulator may ask about any.",
  params: TransactionParamsSchema,
  response: {
    200: {
      type: 'object',
      required: ['txId', 'status'],
      additionalProperties: false,
      properties: {
        txId: { type: 'string' },
        status: { type: 'string', enum: ['committed', 'invalid', 'unknown'] },
        validationCode: { type: 'string', description: 'peer.TxValidationCode name, e.g. VALID' },
        blockNumber: { type: 'integer' },
      },
    },
    ...errorResponses(400, 401, 403, 503),
  },
} as const;
