/** Credit rating: the rulebook, standings, score records, rankings, suspensions and direct events. */
import {
  DESCRIPTION_RULE,
  INDICATOR_ID_PATTERN,
  KNOWN_CREDIT_EVENT_TYPES,
  KNOWN_PARTICIPANT_TYPES,
  LEVEL_NAME_PATTERN,
  MAX_EVENT_RULES,
  MAX_INDICATORS,
  MAX_LEVELS,
  MAX_PENALTY_FACTOR_PERMILLE,
  MIN_LEVELS,
  SCORE_MAX,
  SCORE_MIN,
  SUSPENSION_REASON_RULE,
  WEIGHT_TOTAL,
} from '../../../chaincode/src/api';
import {
  bookmark,
  entityId,
  errorResponses,
  freeText,
  isoInstant,
  LedgerRecordSchema as LedgerRecord,
  marketId,
  pageSize,
  versionedRecordSchemas,
  WithTxSchema as withTx,
} from './common';

const tags: readonly ['credit'] = ['credit'];
const instant = { ...isoInstant, description: 'ISO-8601 UTC, e.g. 2026-03-01T00:00:00.000Z' } as const;
const score = { type: 'integer', minimum: SCORE_MIN, maximum: SCORE_MAX } as const;
const participantType = { type: 'string', enum: [...KNOWN_PARTICIPANT_TYPES] } as const;

const ParticipantSchema = {
  type: 'object',
  required: ['type', 'id'],
  additionalProperties: false,
  properties: { type: participantType, id: entityId },
} as const;

export const ParticipantParamsSchema = ParticipantSchema;

// ---- rulebook ----

const IndicatorRuleSchema = {
  type: 'object',
  required: ['id', 'weight', 'initialScore'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: INDICATOR_ID_PATTERN.source },
    weight: {
      type: 'integer',
      minimum: 0,
      maximum: WEIGHT_TOTAL,
      description: `percent; the weights of a rulebook sum to ${WEIGHT_TOTAL}`,
    },
    initialScore: score,
  },
} as const;

const EventRuleSchema = {
  type: 'object',
  required: ['eventType', 'effects'],
  additionalProperties: false,
  properties: {
    eventType: { type: 'string', enum: [...KNOWN_CREDIT_EVENT_TYPES] },
    effects: {
      type: 'array',
      maxItems: MAX_INDICATORS,
      items: {
        type: 'object',
        required: ['indicator', 'points'],
        additionalProperties: false,
        properties: {
          indicator: { type: 'string', pattern: INDICATOR_ID_PATTERN.source },
          points: { type: 'integer', minimum: SCORE_MIN - SCORE_MAX, maximum: SCORE_MAX - SCORE_MIN },
        },
      },
    },
  },
} as const;

const LevelRuleSchema = {
  type: 'object',
  required: ['level', 'minScore', 'bidQuotaWh', 'penaltyFactorPermille'],
  additionalProperties: false,
  properties: {
    level: { type: 'string', pattern: LEVEL_NAME_PATTERN.source },
    minScore: score,
    bidQuotaWh: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    penaltyFactorPermille: { type: 'integer', minimum: 0, maximum: MAX_PENALTY_FACTOR_PERMILLE },
  },
} as const;

export const RulebookBodySchema = {
  type: 'object',
  required: ['description', 'indicators', 'events', 'levels'],
  additionalProperties: false,
  properties: {
    effectiveFrom: { ...instant, description: 'defaults to the transaction time; never before it' },
    description: freeText(DESCRIPTION_RULE.min, DESCRIPTION_RULE.max),
    indicators: { type: 'array', minItems: 1, maxItems: MAX_INDICATORS, items: IndicatorRuleSchema },
    events: {
      type: 'array',
      maxItems: MAX_EVENT_RULES,
      items: EventRuleSchema,
      description: 'one rule per event type, every event type listed (effects may be empty)',
    },
    levels: {
      type: 'array',
      minItems: MIN_LEVELS,
      maxItems: MAX_LEVELS,
      items: LevelRuleSchema,
      description: 'best level first, minScore strictly decreasing, the last one at 0',
    },
  },
} as const;

export const publishRulebookSchema = {
  tags,
  summary: 'Publish the next rulebook version (the regulator); earlier versions are never changed',
  body: RulebookBodySchema,
  response: { 201: withTx, ...errorResponses(400, 401, 403, 422, 503) },
} as const;

const rulebookReads = versionedRecordSchemas(tags, 'rulebook');
export const rulebookInForceSchema = rulebookReads.inForce;
export const listRulebookVersionsSchema = rulebookReads.list;
export const getRulebookVersionSchema = rulebookReads.get;

// ---- standings, records, rankings ----

const StandingSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    participant: LedgerRecord,
    score: { type: 'integer' },
    level: { type: 'string', description: 'a level of the rulebook, or SUSPENDED' },
    suspended: { type: 'boolean' },
    bidQuotaWh: { type: 'integer', description: '0 while suspended' },
    penaltyFactorPermille: { type: 'integer' },
    ruleVersion: { type: 'integer' },
    at: { type: 'string' },
    indicators: { type: 'object', additionalProperties: { type: 'integer' } },
    suspension: {
      type: 'object',
      nullable: true,
      additionalProperties: true,
      description: 'the latest suspension decision, null if none',
    },
  },
} as const;

export const getStandingSchema = {
  tags,
  summary: "A participant's score, level, bid quota, penalty factor, suspension and rule version now",
  params: ParticipantParamsSchema,
  response: { 200: StandingSchema, ...errorResponses(400, 401, 403, 404, 422, 503) },
} as const;

export const listScoreRecordsSchema = {
  tags,
  summary: "One page of a participant's score records in event-time order; pass the bookmark for the next",
  params: ParticipantParamsSchema,
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      pageSize,
      bookmark,
    },
  },
  response: {
    200: {
      type: 'object',
      required: ['records', 'keys', 'bookmark'],
      properties: {
        records: { type: 'array', items: LedgerRecord },
        keys: {
          type: 'array',
          items: { type: 'array', items: { type: 'string' } },
          description: "Each record's ledger-key attributes, for GET /v1/proofs/credit-record?key=…",
        },
        bookmark: { type: 'string' },
      },
    },
    ...errorResponses(400, 401, 403, 422, 503),
  },
} as const;

export const rankingSchema = {
  tags,
  summary:
    'Every participant of a type with indicators, ranked now: good standing first, then score descending, then id',
  params: {
    type: 'object',
    required: ['type'],
    additionalProperties: false,
    properties: { type: participantType },
  },
  response: {
    200: {
      type: 'object',
      additionalProperties: true,
      properties: {
        participantType: { type: 'string' },
        at: { type: 'string' },
        ruleVersion: { type: 'integer' },
        ranking: { type: 'array', items: LedgerRecord },
      },
    },
    ...errorResponses(400, 401, 403, 404, 422, 503),
  },
} as const;

// ---- suspensions and direct events ----

export const suspensionSchema = <Summary extends string>(summary: Summary) =>
  ({
    tags,
    summary,
    params: ParticipantParamsSchema,
    body: {
      type: 'object',
      required: ['reason'],
      additionalProperties: false,
      properties: {
        reason: freeText(SUSPENSION_REASON_RULE.min, SUSPENSION_REASON_RULE.max),
      },
    },
    response: { 200: withTx, ...errorResponses(400, 401, 403, 404, 422, 503) },
  }) as const;

export const recordEventSchema = {
  tags,
  summary:
    'Record a failure the caller organisation supervises: control → DISPATCH_NOT_ACKNOWLEDGED ' +
    '(for a VPP, with intervalId), regulator → VIOLATION',
  description:
    'BID_NOT_REVEALED is refused to everyone (403 FORBIDDEN): the market records it itself for every ' +
    'bid commitment not revealed once the reveal deadline has passed ' +
    '(POST /v1/market/intervals/{intervalId}/violations), so an unrevealed bid is scored once.',
  body: {
    type: 'object',
    required: ['participant', 'eventType'],
    additionalProperties: false,
    properties: {
      participant: ParticipantSchema,
      eventType: { type: 'string', enum: [...KNOWN_CREDIT_EVENT_TYPES] },
      intervalId: marketId,
    },
  },
  response: { 201: withTx, ...errorResponses(400, 401, 403, 404, 422, 503) },
} as const;
