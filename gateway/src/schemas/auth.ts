import { ENROLLMENT_ID_PATTERN } from '../core/identity-store';
import { API_ROLES } from '../core/roles';
import { errorResponses, freeText } from './common';

export const LoginBodySchema = {
  type: 'object',
  required: ['enrollmentId', 'secret'],
  additionalProperties: false,
  properties: {
    enrollmentId: { type: 'string', pattern: ENROLLMENT_ID_PATTERN },
    secret: freeText(1, 256),
  },
} as const;

export const TokenSchema = {
  type: 'object',
  required: ['token', 'tokenType', 'expiresAt', 'expiresIn', 'enrollmentId', 'role', 'mspId'],
  properties: {
    token: { type: 'string' },
    tokenType: { type: 'string', enum: ['Bearer'] },
    expiresAt: { type: 'string', format: 'date-time' },
    expiresIn: { type: 'integer', description: 'seconds' },
    enrollmentId: { type: 'string' },
    role: { type: 'string', enum: [...API_ROLES] },
    mspId: { type: 'string' },
  },
} as const;

export const CallerSchema = {
  type: 'object',
  required: ['enrollmentId', 'role', 'mspId', 'serial'],
  properties: {
    enrollmentId: { type: 'string' },
    role: { type: 'string', enum: [...API_ROLES] },
    mspId: { type: 'string' },
    serial: { type: 'string', description: 'serial of the certificate that signs your transactions' },
  },
} as const;

export const OpenRoutesSchema = {
  type: 'object',
  required: ['routes'],
  properties: {
    routes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['method', 'url'],
        properties: { method: { type: 'string' }, url: { type: 'string' } },
      },
    },
  },
} as const;

export const loginSchema = {
  tags: ['auth'],
  summary: 'Log in with an enrollment id and secret; returns a bearer token (at most 15 minutes)',
  body: LoginBodySchema,
  response: { 200: TokenSchema, ...errorResponses(400, 401, 403, 429, 503) },
} as const;
