/**
 * Shapes every area shares: the error body, ledger records as documented responses, and the field
 * rules that come from the chaincode (its pattern sources, so a schema refuses early exactly what the
 * chaincode would refuse later).
 */
import {
  DISPLAY_NAME_RULE,
  ENTITY_ID_PATTERN_SOURCE,
  FREE_TEXT_PATTERN_SOURCE,
  ISO_INSTANT_PATTERN_SOURCE,
  MARKET_ID_PATTERN_SOURCE,
  MAX_PAGE_SIZE,
  REASON_RULE,
  SHA256_HEX_PATTERN_SOURCE,
} from '../../../chaincode/src/api';

export const ErrorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'stable UPPER_SNAKE code' },
        message: { type: 'string' },
        details: {},
        txId: { type: 'string' },
      },
    },
  },
} as const;

/** Error responses documented on a route (4xx/5xx all share ErrorSchema). */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorSchema]));
}

/** Ledger records are returned as stored; documented loosely so that new fields are not stripped. */
export const LedgerRecordSchema = { type: 'object', additionalProperties: true } as const;

/** A committed write: the record the chaincode answered and the transaction that carried it. */
export const WithTxSchema = {
  type: 'object',
  required: ['txId'],
  properties: { txId: { type: 'string' }, record: LedgerRecordSchema },
} as const;

/** The chaincode's entity ids: VPPs, DERs, participants, grants, zones. */
export const entityId = { type: 'string', pattern: ENTITY_ID_PATTERN_SOURCE } as const;
/** The chaincode's market ids: intervals, bids and what the market names (entity ids plus ':'). */
export const marketId = { type: 'string', pattern: MARKET_ID_PATTERN_SOURCE } as const;
/** The one instant form the chaincode accepts: Date#toISOString (UTC, milliseconds, Z). */
export const isoInstant = { type: 'string', pattern: ISO_INSTANT_PATTERN_SOURCE } as const;

/** 32 bytes in lowercase hex: SHA-256 digests, salts, Fabric transaction ids. */
export const sha256Hex = { type: 'string', pattern: SHA256_HEX_PATTERN_SOURCE } as const;
/**
 * Free text of `min..max` characters under the chaincode's one free-text rule (no control, bidi
 * embedding/override/isolate or unpaired surrogate characters: chaincode/src/rules/text.ts). Every
 * free-text field of a body uses it, so the gateway refuses exactly the strings the chaincode would.
 * (The chaincode bounds the trimmed text; a string longer only by spaces is refused here already.)
 */
export function freeText<Min extends number, Max extends number>(min: Min, max: Max) {
  return { type: 'string', minLength: min, maxLength: max, pattern: FREE_TEXT_PATTERN_SOURCE } as const;
}
/** Display names of organisations and VPPs. */
export const displayName = freeText(DISPLAY_NAME_RULE.min, DISPLAY_NAME_RULE.max);
/** Why a DER was suspended, reinstated or revoked. */
export const reason = freeText(REASON_RULE.min, REASON_RULE.max);
/** Safe integers from `minimum` up to Number.MAX_SAFE_INTEGER (JSON.parse rounds beyond it). */
export function safeIntegerFrom<Min extends number>(minimum: Min) {
  return { type: 'integer', minimum, maximum: Number.MAX_SAFE_INTEGER } as const;
}
/**
 * What a route without a request body declares as its body: nothing, or an empty object (clients
 * that always send JSON); anything else is refused like an unknown field.
 */
export const EmptyBodySchema = {
  type: 'object',
  nullable: true,
  additionalProperties: false,
  properties: {},
  description: 'no body (or {})',
} as const;
/** The page size of a list query up to `maximum` (the chaincode's bound for that list), 100 unless asked. */
export function pageSizeUpTo<Max extends number>(maximum: Max) {
  return {
    type: 'integer',
    minimum: 1,
    maximum,
    default: 100,
    description: `records per page, 1..${maximum} (default 100)`,
  } as const;
}
/** The page size of a list of small records (at most ~1 KB each): up to MAX_PAGE_SIZE. */
export const pageSize = pageSizeUpTo(MAX_PAGE_SIZE);
/** Where the next page of a list query starts: the previous page's bookmark, '' (the default) first. */
export const bookmark = { type: 'string', maxLength: 1024, default: '' } as const;

export const DerParamsSchema = {
  type: 'object',
  required: ['derId'],
  additionalProperties: false,
  properties: { derId: entityId },
} as const;

export const VppParamsSchema = {
  type: 'object',
  required: ['vppId'],
  additionalProperties: false,
  properties: { vppId: entityId },
} as const;

const versionInstant = { ...isoInstant, description: 'ISO-8601 UTC, e.g. 2026-03-01T00:00:00.000Z' } as const;

/**
 * The three reads of a versioned record (credit rulebook, market calendar): the version in force now
 * or at `at`, every version, one version by number.
 */
export function versionedRecordSchemas<Tag extends string>(tags: readonly [Tag], noun: string) {
  return {
    inForce: {
      tags,
      summary: `The ${noun} version in force now, or at \`at\``,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { at: versionInstant },
      },
      response: { 200: LedgerRecordSchema, ...errorResponses(400, 401, 403, 404, 422, 503) },
    },
    list: {
      tags,
      summary: `Every ${noun} version, oldest first, including versions scheduled for later`,
      response: { 200: { type: 'array', items: LedgerRecordSchema }, ...errorResponses(401, 403, 503) },
    },
    get: {
      tags,
      summary: `One ${noun} version`,
      params: {
        type: 'object',
        required: ['version'],
        additionalProperties: false,
        properties: { version: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } },
      },
      response: { 200: LedgerRecordSchema, ...errorResponses(400, 401, 403, 404, 422, 503) },
    },
  } as const;
}
