/** Owner data, consent grants, samples and shared data: bodies, params and documented responses. */
import type { FromSchema } from 'json-schema-to-ts';
import { DATA_SET_KINDS } from '../../../chaincode/src/api';
import {
  DerParamsSchema as DerParams,
  EmptyBodySchema,
  entityId,
  freeText,
  errorResponses,
  isoInstant,
  LedgerRecordSchema as LedgerRecord,
  bookmark,
  pageSize,
  sha256Hex,
  WithTxSchema as withTx,
} from './common';

const text = <Max extends number>(max: Max) => freeText(1, max);

export const putOwnerDataSchema = {
  tags: ['privacy'],
  summary:
    "Record a DER owner's personal data: encrypted in this org's off-chain store and in the private collection; the ledger gets its SHA-256 only",
  params: DerParams,
  body: {
    type: 'object',
    required: ['name', 'address', 'contractId'],
    additionalProperties: false,
    properties: { name: text(200), address: text(400), contractId: text(100), email: text(254) },
  },
  response: { 200: withTx, ...errorResponses(400, 401, 403, 404, 422, 503) },
} as const;
export const getOwnerDataSchema = {
  tags: ['privacy'],
  summary: 'A DER owner’s personal data (members of the private collection only)',
  params: DerParams,
  response: { 200: LedgerRecord, ...errorResponses(400, 401, 403, 404, 503) },
} as const;
export const getOwnerDataHashSchema = {
  tags: ['privacy'],
  summary: 'The public SHA-256 of a DER owner’s personal data (to check any copy against)',
  params: DerParams,
  response: { 200: LedgerRecord, ...errorResponses(400, 401, 403, 404, 503) },
} as const;

export const GrantParamsSchema = {
  type: 'object',
  required: ['grantId'],
  additionalProperties: false,
  properties: { grantId: entityId },
} as const;
/** A grant as the operator sends it; the chaincode checks the grantee, the period and the DER again. */
export const GrantBodySchema = {
  type: 'object',
  required: ['grantId', 'dataSet', 'granteeMspId', 'purpose', 'validFrom', 'validUntil'],
  additionalProperties: false,
  properties: {
    grantId: entityId,
    dataSet: {
      type: 'object',
      required: ['kind', 'derId'],
      additionalProperties: false,
      properties: {
        kind: { type: 'string', enum: [...DATA_SET_KINDS] },
        derId: entityId,
      },
    },
    granteeMspId: { type: 'string', pattern: '^[A-Z][A-Za-z0-9]*MSP$' },
    purpose: text(200),
    validFrom: isoInstant,
    validUntil: isoInstant,
  },
} as const;
export type GrantBody = FromSchema<typeof GrantBodySchema>;

export const grantSchema = {
  tags: ['privacy'],
  summary: "Grant another org read access to one of a DER's data sets, for a purpose and a period",
  body: GrantBodySchema,
  response: { 201: withTx, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
} as const;
export const revokeGrantSchema = {
  tags: ['privacy'],
  summary: 'Revoke a grant: from the next block on, its grantee gets nothing',
  params: GrantParamsSchema,
  body: EmptyBodySchema,
  response: { 200: withTx, ...errorResponses(400, 401, 403, 404, 422, 503) },
} as const;
export const getGrantSchema = {
  tags: ['privacy'],
  summary: 'A grant (owner’s operator, regulator and grantee only)',
  params: GrantParamsSchema,
  response: { 200: LedgerRecord, ...errorResponses(400, 401, 403, 404, 503) },
} as const;
export const derGrantsSchema = {
  tags: ['privacy'],
  summary:
    "One page of the consents granted on a DER's data, by grant id (the owner's operator and the regulator); pass the returned bookmark for the next page ('' after the last)",
  params: DerParams,
  querystring: { type: 'object', additionalProperties: false, properties: { pageSize, bookmark } },
  response: {
    200: {
      type: 'object',
      required: ['grants', 'bookmark'],
      properties: { grants: { type: 'array', items: LedgerRecord }, bookmark: { type: 'string' } },
    },
    ...errorResponses(400, 401, 403, 422, 503),
  },
} as const;
export const accessLogSchema = {
  tags: ['privacy'],
  summary:
    "One page of the accesses recorded on chain under a grant, by transaction id; pass the returned bookmark for the next page ('' after the last)",
  params: GrantParamsSchema,
  querystring: { type: 'object', additionalProperties: false, properties: { pageSize, bookmark } },
  response: {
    200: {
      type: 'object',
      required: ['accesses', 'bookmark'],
      properties: { accesses: { type: 'array', items: LedgerRecord }, bookmark: { type: 'string' } },
    },
    ...errorResponses(400, 401, 403, 404, 422, 503),
  },
} as const;
export const sampleProofSchema = {
  tags: ['privacy'],
  summary: 'A raw sample with its Merkle proof against the root its batch anchored on chain',
  params: {
    type: 'object',
    required: ['id'],
    additionalProperties: false,
    properties: { id: { type: 'integer', minimum: 1 } },
  },
  response: { 200: LedgerRecord, ...errorResponses(400, 401, 403, 404, 503) },
} as const;
export const derSamplesSchema = {
  tags: ['privacy'],
  summary: 'Raw samples of a DER in a metering interval, from the off-chain store',
  params: DerParams,
  querystring: {
    type: 'object',
    required: ['intervalId'],
    additionalProperties: false,
    properties: { intervalId: isoInstant },
  },
  response: { 200: { type: 'array', items: LedgerRecord }, ...errorResponses(400, 401, 403, 503) },
} as const;
export const sharedSchema = {
  tags: ['privacy'],
  summary:
    "Another org's data shared with the caller's org under a grant: records the access on chain as the caller, then fetches the data from its holder",
  params: GrantParamsSchema,
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { intervalId: isoInstant },
  },
  response: { 200: LedgerRecord, ...errorResponses(400, 401, 403, 404, 502, 503) },
} as const;
export const sharedDataSchema = {
  tags: ['privacy'],
  summary:
    "For other gateways: the data an access recorded on chain entitles to (no token: the access transaction is the credential, presented by the accessor org's gateway over mutual TLS)",
  params: {
    type: 'object',
    required: ['txId'],
    additionalProperties: false,
    properties: { txId: sha256Hex },
  },
  querystring: sharedSchema.querystring,
  response: { 200: LedgerRecord, ...errorResponses(400, 401, 403, 503) },
} as const;
