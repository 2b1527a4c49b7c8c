/** VPPs, DERs and device identities: request bodies, params and documented responses. */
import { DER_TYPES, ENTITY_ID_PATTERN_SOURCE, MAX_CAPACITY_W } from '../../../chaincode/src/api';
import { errorResponses } from './common';

/** The ledger's id rule for VPPs, DERs, participants and grants (the chaincode's entity ids), checked early here too. */
export const LEDGER_ID_PATTERN = ENTITY_ID_PATTERN_SOURCE;
const ledgerId = { type: 'string', pattern: LEDGER_ID_PATTERN } as const;
const pem = { type: 'string', minLength: 1, maxLength: 8192 } as const;
const reason = { type: 'string', minLength: 1, maxLength: 200 } as const;
/** Ledger records are returned as stored; documented loosely so that new fields are not stripped. */
const LedgerRecord = { type: 'object', additionalProperties: true } as const;
const withTx = (record: object) =>
  ({ type: 'object', required: ['txId'], properties: { txId: { type: 'string' }, record } }) as const;

export const VppParams = {
  type: 'object',
  required: ['vppId'],
  additionalProperties: false,
  properties: { vppId: ledgerId },
} as const;
export const DerParams = {
  type: 'object',
  required: ['derId'],
  additionalProperties: false,
  properties: { derId: ledgerId },
} as const;

export interface VppBody {
  vppId: string;
  displayName: string;
  feeBps: number;
}
export const registerVppSchema = {
  tags: ['registry'],
  summary: 'Register a VPP run by this (CVPP) organisation, with its public operator fee',
  body: {
    type: 'object',
    required: ['vppId', 'displayName', 'feeBps'],
    additionalProperties: false,
    properties: {
      vppId: ledgerId,
      displayName: { type: 'string', minLength: 1, maxLength: 100 },
      feeBps: { type: 'integer', minimum: 0, maximum: 10_000, description: 'basis points of net revenue' },
    },
  },
  response: { 201: withTx(LedgerRecord), ...errorResponses(400, 401, 403, 409, 422, 503) },
};
export const listVppsSchema = {
  tags: ['registry'],
  summary: 'Every registered VPP',
  response: { 200: { type: 'array', items: LedgerRecord }, ...errorResponses(401, 403, 503) },
};
export const getVppSchema = {
  tags: ['registry'],
  summary: 'One VPP',
  params: VppParams,
  response: { 200: LedgerRecord, ...errorResponses(400, 401, 403, 404, 503) },
};

export interface DerPageQuery {
  pageSize?: number;
  bookmark?: string;
}
export const listVppDersSchema = {
  tags: ['registry'],
  summary: "One page of a VPP's DERs in id order; pass the returned bookmark for the next page",
  params: VppParams,
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      pageSize: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
      bookmark: { type: 'string', maxLength: 512, default: '' },
    },
  },
  response: {
    200: {
      type: 'object',
      required: ['ders', 'bookmark'],
      properties: { ders: { type: 'array', items: LedgerRecord }, bookmark: { type: 'string' } },
    },
    ...errorResponses(400, 401, 403, 503),
  },
};

export interface DerBody {
  derId: string;
  vppId: string;
  derType: string;
  capacityW: number;
  zone: string;
  certificatePem: string;
}
export const registerDerSchema = {
  tags: ['registry'],
  summary: "Register a DER with its device's certificate (issued by this org's CA through /v1/devices)",
  body: {
    type: 'object',
    required: ['derId', 'vppId', 'derType', 'capacityW', 'zone', 'certificatePem'],
    additionalProperties: false,
    properties: {
      derId: ledgerId,
      vppId: ledgerId,
      derType: { type: 'string', enum: [...DER_TYPES] },
      capacityW: { type: 'integer', minimum: 1, maximum: MAX_CAPACITY_W },
      zone: ledgerId,
      certificatePem: pem,
    },
  },
  response: { 201: withTx(LedgerRecord), ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
};
export const getDerSchema = {
  tags: ['registry'],
  summary: 'One DER with its certificate and status',
  params: DerParams,
  response: { 200: LedgerRecord, ...errorResponses(400, 401, 403, 404, 503) },
};

export interface ReasonBody {
  reason: string;
}
const reasonBody = {
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: { reason },
} as const;
export const derStatusSchema = (summary: string) => ({
  tags: ['registry'],
  summary,
  params: DerParams,
  body: reasonBody,
  response: { 200: withTx(LedgerRecord), ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
});

export interface DeviceBody {
  derId: string;
  vppId: string;
}
export const registerDeviceSchema = {
  tags: ['devices'],
  summary:
    "Register a DER's device with this org's CA (vpp.role=device, vpp.derId, vpp.vppId); returns its one-time enrollment secret",
  body: {
    type: 'object',
    required: ['derId', 'vppId'],
    additionalProperties: false,
    properties: { derId: ledgerId, vppId: ledgerId },
  },
  response: {
    201: {
      type: 'object',
      required: ['derId', 'enrollmentId', 'secret'],
      properties: { derId: { type: 'string' }, enrollmentId: { type: 'string' }, secret: { type: 'string' } },
    },
    ...errorResponses(400, 401, 403, 409, 422, 503),
  },
};

export interface EnrollBody {
  secret: string;
  csr: string;
}
export const enrollDeviceSchema = {
  tags: ['devices'],
  summary:
    'A device enrolls with its own CSR and the one-time secret (no token): the private key never leaves the device',
  params: DerParams,
  body: {
    type: 'object',
    required: ['secret', 'csr'],
    additionalProperties: false,
    properties: { secret: { type: 'string', minLength: 1, maxLength: 128 }, csr: pem },
  },
  response: {
    201: {
      type: 'object',
      required: ['derId', 'certificatePem', 'caChainPem'],
      properties: {
        derId: { type: 'string' },
        certificatePem: { type: 'string' },
        caChainPem: { type: 'string' },
      },
    },
    ...errorResponses(400, 401, 422, 503),
  },
};

export const revokeDeviceSchema = {
  tags: ['devices'],
  summary:
    "Revoke the device's certificate at the CA, regenerate the CRL and mark it revoked on chain, in one request",
  params: DerParams,
  body: reasonBody,
  response: {
    200: {
      type: 'object',
      required: ['derId', 'revokedSerials', 'txId'],
      properties: {
        derId: { type: 'string' },
        revokedSerials: { type: 'array', items: { type: 'string' } },
        txId: { type: 'string' },
      },
    },
    ...errorResponses(400, 401, 403, 404, 409, 422, 503),
  },
};
