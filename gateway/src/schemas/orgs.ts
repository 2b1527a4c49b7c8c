/** Member profiles: the caller's own profile body, profiles as stored, and the routes' documentation. */
import { KNOWN_ORG_ROLES } from '../../../chaincode/src/api';
import { displayName, errorResponses, freeText } from './common';

export const OrgProfileBodySchema = {
  type: 'object',
  required: ['displayName', 'orgRole', 'contactEmail'],
  additionalProperties: false,
  properties: {
    displayName,
    orgRole: { type: 'string', enum: [...KNOWN_ORG_ROLES] },
    contactEmail: freeText(3, 254),
  },
} as const;

export const OrgProfileSchema = {
  type: 'object',
  required: ['mspId', 'displayName', 'orgRole', 'contactEmail', 'updatedAt', 'updatedBy', 'version'],
  properties: {
    mspId: { type: 'string' },
    displayName: { type: 'string' },
    orgRole: { type: 'string' },
    contactEmail: { type: 'string' },
    updatedAt: { type: 'string' },
    updatedBy: {
      type: 'object',
      properties: { mspId: { type: 'string' }, role: { type: 'string' } },
    },
    version: { type: 'integer' },
  },
} as const;

export const MspIdParamsSchema = {
  type: 'object',
  required: ['mspId'],
  additionalProperties: false,
  properties: { mspId: { type: 'string', pattern: '^[A-Z][A-Za-z0-9]*MSP$' } },
} as const;

export const listOrgsSchema = {
  tags: ['orgs'],
  summary: 'Every consortium member profile, sorted by MSP ID',
  response: { 200: { type: 'array', items: OrgProfileSchema }, ...errorResponses(401, 403, 503) },
} as const;

export const getOrgSchema = {
  tags: ['orgs'],
  summary: 'One member profile',
  params: MspIdParamsSchema,
  response: { 200: OrgProfileSchema, ...errorResponses(400, 401, 403, 404, 503) },
} as const;

export const putOwnOrgSchema = {
  tags: ['orgs'],
  summary: "Create or replace the caller's own organisation profile (signed by the caller)",
  body: OrgProfileBodySchema,
  response: {
    200: {
      type: 'object',
      required: ['profile', 'txId'],
      properties: { profile: OrgProfileSchema, txId: { type: 'string' } },
    },
    ...errorResponses(400, 401, 403, 409, 422, 503),
  },
} as const;
