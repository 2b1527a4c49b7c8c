/** VPPs, DERs and device identities: request bodies, params and documented responses. */
import {
  DER_TYPES,
  MAX_CAPACITY_W,
  MAX_DER_BATCH_SIZE,
  MAX_DER_PAGE_SIZE,
  MAX_FEE_BPS,
} from '../../../chaincode/src/api';
import {
  bookmark,
  DerParamsSchema as DerParams,
  displayName,
  entityId as ledgerId,
  errorResponses,
  freeText,
  LedgerRecordSchema as LedgerRecord,
  pageSize,
  pageSizeUpTo,
  reason,
  VppParamsSchema as VppParams,
  WithTxSchema,
} from './common';

/** PEM text: printable ASCII lines (CR LF or LF), nothing else. */
const pem = { type: 'string', minLength: 1, maxLength: 8192, pattern: '^[\\x20-\\x7e\\r\\n]+$' } as const;

export const registerVppSchema = {
  tags: ['registry'],
  summary: 'Register a VPP run by this (CVPP) organisation, with its public operator fee',
  body: {
    type: 'object',
    required: ['vppId', 'displayName', 'feeBps'],
    additionalProperties: false,
    properties: {
      vppId: ledgerId,
      displayName,
      feeBps: {
        type: 'integer',
        minimum: 0,
        maximum: MAX_FEE_BPS,
        description: 'basis points of net revenue',
      },
    },
  },
  response: { 201: WithTxSchema, ...errorResponses(400, 401, 403, 409, 422, 503) },
} as const;
export const listVppsSchema = {
  tags: ['registry'],
  summary:
    "One page of the registered VPPs in id order; pass the returned bookmark for the next page ('' after the last)",
  querystring: { type: 'object', additionalProperties: false, properties: { pageSize, bookmark } },
  response: {
    200: {
      type: 'object',
      required: ['vpps', 'bookmark'],
      properties: { vpps: { type: 'array', items: LedgerRecord }, bookmark: { type: 'string' } },
    },
    ...errorResponses(400, 401, 403, 422, 503),
  },
} as const;
export const getVppSchema = {
  tags: ['registry'],
  summary: 'One VPP',
  params: VppParams,
  response: { 200: LedgerRecord, ...errorResponses(400, 401, 403, 404, 503) },
} as const;

export const listVppDersSchema = {
  tags: ['registry'],
  summary: "One page of a VPP's DERs in id order; pass the returned bookmark for the next page",
  params: VppParams,
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      pageSize: pageSizeUpTo(MAX_DER_PAGE_SIZE),
      bookmark,
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
} as const;

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
  response: { 201: WithTxSchema, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
} as const;
const DerRegistrationOutcomeSchema = {
  type: 'object',
  required: ['index', 'status'],
  properties: {
    index: { type: 'integer' },
    status: { type: 'string', enum: ['registered', 'refused'] },
    derId: { type: 'string' },
    code: { type: 'string' },
    message: { type: 'string' },
  },
} as const;

export const registerDersSchema = {
  tags: ['registry'],
  summary: `Register up to ${MAX_DER_BATCH_SIZE} DERs in one transaction (bulk onboarding of a fleet)`,
  description:
    'Items have the shape of POST /v1/ders; a malformed item refuses the whole request (400, nothing written). Each DER is then judged on chain as POST /v1/ders would judge it, in order, and gets its own outcome (registered, or refused with its code); a refused DER never blocks the others.',
  body: {
    type: 'object',
    required: ['ders'],
    additionalProperties: false,
    // Items as strict as POST /v1/ders: a malformed item refuses the request, which writes nothing.
    // What only the ledger can judge (ids taken, certificates, VPPs) is judged per DER on chain.
    properties: {
      ders: { type: 'array', minItems: 1, maxItems: MAX_DER_BATCH_SIZE, items: registerDerSchema.body },
    },
  },
  response: {
    200: {
      type: 'object',
      required: ['txId', 'registered', 'refused', 'results'],
      properties: {
        txId: { type: 'string' },
        registered: { type: 'integer' },
        refused: { type: 'integer' },
        results: { type: 'array', items: DerRegistrationOutcomeSchema },
      },
    },
    ...errorResponses(400, 401, 403, 413, 422, 503),
  },
} as const;

export const getDerSchema = {
  tags: ['registry'],
  summary: 'One DER with its certificate and status',
  params: DerParams,
  response: { 200: LedgerRecord, ...errorResponses(400, 401, 403, 404, 503) },
} as const;

const reasonBody = {
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: { reason },
} as const;
export const derStatusSchema = <Summary extends string>(summary: Summary) =>
  ({
    tags: ['registry'],
    summary,
    params: DerParams,
    body: reasonBody,
    response: { 200: WithTxSchema, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
  }) as const;

export const registerDeviceSchema = {
  tags: ['devices'],
  summary:
    "Register a DER's device with this org's CA (vpp.role=device, vpp.derId, vpp.vppId, and vpp.sm2PublicKey for a device that signs with SM2); returns its one-time enrollment secret",
  body: {
    type: 'object',
    required: ['derId', 'vppId'],
    additionalProperties: false,
    properties: {
      derId: ledgerId,
      vppId: ledgerId,
      sm2PublicKey: {
        ...pem,
        description:
          "The device's SM2 public key as a PEM SubjectPublicKeyInfo (`openssl pkey -pubout` of an `openssl genpkey -algorithm SM2` key): its certificate will bind it, and its readings may then be signed sm2-sm3",
      },
    },
  },
  response: {
    201: {
      type: 'object',
      required: ['derId', 'enrollmentId', 'secret'],
      properties: {
        derId: { type: 'string' },
        enrollmentId: { type: 'string' },
        secret: { type: 'string' },
        sm2PublicKey: {
          type: 'string',
          description: 'the bound SM2 key as the certificate will carry it: 04‖x‖y in hex',
        },
      },
    },
    ...errorResponses(400, 401, 403, 409, 422, 503),
  },
} as const;

export const enrollDeviceSchema = {
  tags: ['devices'],
  summary:
    'A device enrolls with its own CSR and the one-time secret (no token): the private key never leaves the device',
  params: DerParams,
  body: {
    type: 'object',
    required: ['secret', 'csr'],
    additionalProperties: false,
    properties: {
      secret: freeText(1, 128),
      csr: pem,
      sm2Proof: {
        type: 'string',
        minLength: 4,
        maxLength: 128,
        pattern: '^[A-Za-z0-9+/]+={0,2}$',
        description:
          'Required when the device was registered with an SM2 key: base64 of the DER SM2-with-SM3 signature (default ID 1234567812345678) over the UTF-8 bytes of `csr` exactly as sent, proving the device holds that key',
      },
    },
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
    ...errorResponses(400, 401, 422, 429, 503),
  },
} as const;

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
} as const;
