/** Owner data, consent grants, samples and shared data: bodies, params and documented responses. */
import { errorResponses } from './common';
import { DerParams, LEDGER_ID_PATTERN } from './ders';

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max }) as const;
const LedgerRecord = { type: 'object', additionalProperties: true } as const;
const withTx = {
  type: 'object',
  required: ['txId'],
  properties: { txId: { type: 'string' }, record: LedgerRecord },
} as const;

export interface OwnerDataBody {
  name: string;
  address: string;
  contractId: string;
  email?: string;
}
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
};
export const getOwnerDataSchema = {
  tags: ['privacy'],
  summary: 'A DER owner’s personal data (members of the private collection only)',
  params: DerParams,
  response: { 200: LedgerRecord, ...errorResponses(400, 401, 403, 404, 503) },
};
export const getOwnerDataHashSchema = {
  tags: ['privacy'],
  summary: 'The public SHA-256 of a DER owner’s personal data (to check any copy against)',
  params: DerParams,
  response: { 200: LedgerRecord, ...errorResponses(400, 401, 403, 404, 503) },
};

export interface GrantBody {
  grantId: string;
  dataSet: { kind: 'owner-data' | 'samples'; derId: string };
  granteeMspId: string;
  purpose: string;
  validFrom: string;
  validUntil: string;
}
export const GrantParams = {
  type: 'object',
  required: ['grantId'],
  additionalProperties: false,
  properties: { grantId: { type: 'string', pattern: LEDGER_ID_PATTERN } },
} as const;
export const grantSchema = {
  tags: ['privacy'],
  summary: "Grant another org read access to one of a DER's data sets, for a purpose and a period",
  body: {
    type: 'object',
    required: ['grantId', 'dataSet', 'granteeMspId', 'purpose', 'validFrom', 'validUntil'],
    additionalProperties: false,
    properties: {
      grantId: { type: 'string', pattern: LEDGER_ID_PATTERN },
      dataSet: {
        type: 'object',
        required: ['kind', 'derId'],
        additionalProperties: false,
        properties: {
          kind: { type: 'string', enum: ['owner-data', 'samples'] },
          derId: { type: 'string', pattern: LEDGER_ID_PATTERN },
        },
      },
      granteeMspId: { type: 'string', pattern: '^[A-Z][A-Za-z0-9]*MSP$' },
      purpose: text(200),
      validFrom: { type: 'string', maxLength: 30 },
      validUntil: { type: 'string', maxLength: 30 },
    },
  },
  response: { 201: withTx, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
};
export const revokeGrantSchema = {
  tags: ['privacy'],
  summary: 'Revoke a grant: from the next block on, its grantee gets nothing',
  params: GrantParams,
  response: { 200: withTx, ...errorResponses(400, 401, 403, 404, 422, 503) },
};
export const getGrantSchema = {
  tags: ['privacy'],
  summary: 'A grant (owner’s operator, regulator and grantee only)',
  params: GrantParams,
  response: { 200: LedgerRecord, ...errorResponses(400, 401, 403, 404, 503) },
};
export const accessLogSchema = {
  tags: ['privacy'],
  summary: 'Every access recorded on chain under a grant',
  params: GrantParams,
  response: { 200: { type: 'array', items: LedgerRecord }, ...errorResponses(400, 401, 403, 404, 503) },
};
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
};
export const derSamplesSchema = {
  tags: ['privacy'],
  summary: 'Raw samples of a DER in a metering interval, from the off-chain store',
  params: DerParams,
  querystring: {
    type: 'object',
    required: ['intervalId'],
    additionalProperties: false,
    properties: { intervalId: { type: 'string', maxLength: 30 } },
  },
  response: { 200: { type: 'array', items: LedgerRecord }, ...errorResponses(400, 401, 403, 503) },
};
export const sharedSchema = {
  tags: ['privacy'],
  summary:
    "Another org's data shared with the caller's org under a grant: records the access on chain as the caller, then fetches the data from its holder",
  params: GrantParams,
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { intervalId: { type: 'string', maxLength: 30 } },
  },
  response: { 200: LedgerRecord, ...errorResponses(400, 401, 403, 404, 502, 503) },
};
export const sharedDataSchema = {
  tags: ['privacy'],
  summary:
    'For other gateways: the data an access recorded on chain entitles to (no token: the access transaction is the credential)',
  params: {
    type: 'object',
    required: ['txId'],
    additionalProperties: false,
    properties: { txId: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
  },
  querystring: sharedSchema.querystring,
  response: { 200: LedgerRecord, ...errorResponses(400, 403, 503) },
};
