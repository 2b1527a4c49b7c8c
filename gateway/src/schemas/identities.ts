import { ENROLLMENT_ID_PATTERN } from '../core/identity-store';
import { API_ROLES } from '../core/roles';
import { FREE_TEXT_EXCLUDED_CLASS } from '../../../chaincode/src/api';
import { errorResponses } from './common';

export const RegisterBodySchema = {
  type: 'object',
  required: ['enrollmentId', 'role'],
  additionalProperties: false,
  properties: {
    enrollmentId: { type: 'string', pattern: ENROLLMENT_ID_PATTERN },
    role: { type: 'string', enum: [...API_ROLES] },
    attrs: {
      type: 'object',
      description: 'extra certificate attributes; names vpp.<name> (vpp.role is set from role)',
      maxProperties: 8,
      propertyNames: { pattern: '^vpp\\.(?!role$)[a-z][A-Za-z0-9_.-]{0,40}$' },
      // Free text without the separators of fabric-ca attribute lists.
      additionalProperties: {
        type: 'string',
        maxLength: 128,
        pattern: `^[^,=${FREE_TEXT_EXCLUDED_CLASS}]*$`,
      },
    },
  },
} as const;

export const IdParamsSchema = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', pattern: ENROLLMENT_ID_PATTERN } },
} as const;

/** Optional: no body (or `{}`) revokes for reason 'unspecified'. */
export const RevokeBodySchema = {
  type: 'object',
  nullable: true,
  additionalProperties: false,
  properties: {
    reason: {
      type: 'string',
      enum: [
        'unspecified',
        'keycompromise',
        'affiliationchange',
        'superseded',
        'cessationofoperation',
        'privilegewithdrawn',
      ],
    },
  },
} as const;

const IdentitySchema = {
  type: 'object',
  required: ['enrollmentId', 'type', 'role', 'attrs', 'revoked'],
  properties: {
    enrollmentId: { type: 'string' },
    type: { type: 'string' },
    role: { type: ['string', 'null'] },
    attrs: { type: 'object', additionalProperties: { type: 'string' } },
    revoked: { type: 'boolean' },
  },
} as const;

export const registerSchema = {
  tags: ['identities'],
  summary: 'Register a user of this org with a role; returns a one-time enrollment secret',
  body: RegisterBodySchema,
  response: {
    201: {
      type: 'object',
      required: ['enrollmentId', 'role', 'secret'],
      properties: { enrollmentId: { type: 'string' }, role: { type: 'string' }, secret: { type: 'string' } },
    },
    ...errorResponses(400, 401, 403, 409, 422, 503),
  },
} as const;

export const listSchema = {
  tags: ['identities'],
  summary: "The org CA's identities",
  response: { 200: { type: 'array', items: IdentitySchema }, ...errorResponses(401, 403, 503) },
} as const;

export const revokeSchema = {
  tags: ['identities'],
  summary: 'Revoke every certificate of a user and regenerate the CRL; their tokens stop working at once',
  params: IdParamsSchema,
  body: RevokeBodySchema,
  response: {
    200: {
      type: 'object',
      required: ['enrollmentId', 'revokedSerials'],
      properties: {
        enrollmentId: { type: 'string' },
        revokedSerials: { type: 'array', items: { type: 'string' } },
      },
    },
    ...errorResponses(400, 401, 403, 404, 409, 422, 503),
  },
} as const;
