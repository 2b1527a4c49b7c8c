/**
 * The market and dispatch: request bodies, params and documented responses. The chaincode checks
 * every rule again (chaincode/src/domain/market); these schemas only refuse malformed requests early.
 */
import { KNOWN_MARKET_PRODUCTS, MAX_BID_STEPS, MAX_PORTFOLIO_BIDS } from '../../../chaincode/src/api';
import {
  bookmark,
  EmptyBodySchema,
  errorResponses,
  isoInstant,
  LedgerRecordSchema as LedgerRecord,
  marketId,
  pageSize,
  safeIntegerFrom,
  sha256Hex,
  VppParamsSchema,
  WithTxSchema,
} from './common';

const isoTime = {
  ...isoInstant,
  description: 'ISO-8601 UTC with milliseconds, e.g. 2026-01-02T12:00:00.000Z',
} as const;
const product = { type: 'string', enum: [...KNOWN_MARKET_PRODUCTS] } as const;
const nonNegative = safeIntegerFrom(0);
const positive = safeIntegerFrom(1);
const quantity = {
  ...positive,
  description: "in the interval product's unit: Wh for energy-up / energy-down, W for reserve",
} as const;
const price = {
  ...nonNegative,
  description: 'minor currency units per MWh (reserve: per MW of capacity held for one hour)',
} as const;

export const tags = { market: ['market'], dispatch: ['dispatch'] } as const;

export const IntervalParamsSchema = {
  type: 'object',
  required: ['intervalId'],
  additionalProperties: false,
  properties: { intervalId: marketId },
} as const;

export const DispatchParamsSchema = {
  type: 'object',
  required: ['intervalId', 'vppId'],
  additionalProperties: false,
  properties: { intervalId: marketId, vppId: marketId },
} as const;

// ---- intervals and demand ----

export const openIntervalSchema = {
  tags: tags.market,
  summary: 'Open a market interval (trading centre)',
  description:
    'Times are compared with the transaction timestamp only: gateClosure (exclusive end of commits) < ' +
    'revealDeadline (exclusive end of reveals) <= deliveryStart < deliveryEnd, a whole number of minutes, at most a day.',
  body: {
    type: 'object',
    required: ['intervalId', 'product', 'deliveryStart', 'deliveryEnd', 'gateClosure', 'revealDeadline'],
    additionalProperties: false,
    properties: {
      intervalId: marketId,
      product,
      deliveryStart: isoTime,
      deliveryEnd: isoTime,
      gateClosure: isoTime,
      revealDeadline: isoTime,
    },
  },
  response: { 201: WithTxSchema, ...errorResponses(400, 401, 403, 409, 422, 503) },
} as const;

export const getIntervalSchema = {
  tags: tags.market,
  summary: 'An interval with its demand (null until posted) and its phase now: open, reveal or closed',
  params: IntervalParamsSchema,
  response: {
    200: {
      type: 'object',
      required: ['interval', 'demand', 'phase'],
      properties: {
        interval: LedgerRecord,
        demand: { ...LedgerRecord, nullable: true },
        phase: { type: 'string', enum: ['open', 'reveal', 'closed'] },
      },
    },
    ...errorResponses(400, 401, 403, 404, 422, 503),
  },
} as const;

export const listIntervalsSchema = {
  tags: tags.market,
  summary:
    "One page of the market intervals in id order, each with its phase now; pass the returned bookmark for the next page ('' after the last)",
  querystring: { type: 'object', additionalProperties: false, properties: { pageSize, bookmark } },
  response: {
    200: {
      type: 'object',
      required: ['intervals', 'bookmark'],
      properties: {
        intervals: {
          type: 'array',
          items: {
            type: 'object',
            required: ['interval', 'phase'],
            properties: {
              interval: LedgerRecord,
              phase: { type: 'string', enum: ['open', 'reveal', 'closed'] },
            },
          },
        },
        bookmark: { type: 'string' },
      },
    },
    ...errorResponses(400, 401, 403, 422, 503),
  },
} as const;

export const postDemandSchema = {
  tags: tags.market,
  summary: "Post the interval's demand, once, before gate closure (control centre)",
  params: IntervalParamsSchema,
  body: {
    type: 'object',
    required: ['product', 'quantity', 'priceCap'],
    additionalProperties: false,
    properties: { product, quantity, priceCap: price },
  },
  response: { 201: WithTxSchema, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
} as const;

// ---- sealed bids ----

export const commitBidSchema = {
  tags: tags.market,
  summary: 'Commit a sealed bid before gate closure (VPP operator)',
  description:
    'commitment = lowercase hex SHA-256 of the UTF-8 canonical JSON of the bid { bidId, intervalId, vppId, ' +
    'steps: [{ price, quantity }] } (keys sorted at every level, no whitespace, steps in strictly ascending ' +
    'price) followed by the 32 raw salt bytes. Bids open once the demand is posted.',
  params: IntervalParamsSchema,
  body: {
    type: 'object',
    required: ['commitment', 'bidId', 'vppId'],
    additionalProperties: false,
    properties: { commitment: sha256Hex, bidId: marketId, vppId: marketId },
  },
  response: { 201: WithTxSchema, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
} as const;

export const revealBidSchema = {
  tags: tags.market,
  summary: 'Reveal a committed bid and its salt between gate closure and the reveal deadline (VPP operator)',
  description:
    'Checked on chain against the commitment (COMMITMENT_MISMATCH), the demand price cap (PRICE_ABOVE_CAP), ' +
    "what is left of the VPP's quota (QUOTA_EXCEEDED) and of its active DER capacity (CAPACITY_NOT_BACKED).",
  params: IntervalParamsSchema,
  body: {
    type: 'object',
    required: ['bid', 'salt'],
    additionalProperties: false,
    properties: {
      bid: {
        type: 'object',
        required: ['bidId', 'intervalId', 'vppId', 'steps'],
        additionalProperties: false,
        properties: {
          bidId: marketId,
          intervalId: marketId,
          vppId: marketId,
          steps: {
            type: 'array',
            minItems: 1,
            maxItems: MAX_BID_STEPS,
            items: {
              type: 'object',
              required: ['price', 'quantity'],
              additionalProperties: false,
              properties: { price, quantity },
            },
          },
        },
      },
      salt: { ...sha256Hex, description: '32 random bytes as 64 lowercase hex characters' },
    },
  },
  response: { 201: WithTxSchema, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
} as const;

// ---- portfolios: many sealed bids in one transaction ----

const PortfolioOutcomeSchema = {
  type: 'object',
  required: ['intervalIds', 'txId', 'accepted', 'refused', 'results'],
  properties: {
    intervalIds: { type: 'array', items: { type: 'string' } },
    txId: { type: 'string' },
    accepted: { type: 'integer' },
    refused: { type: 'integer' },
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['index', 'bidId', 'status'],
        properties: {
          index: { type: 'integer' },
          bidId: { type: ['string', 'null'] },
          status: { type: 'string', enum: ['accepted', 'refused'] },
          code: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  },
} as const;

const PORTFOLIO_DESCRIPTION =
  `One transaction for 1..${MAX_PORTFOLIO_BIDS} bids, each under its own key and judged on chain with every ` +
  'check of the single-bid route. The answer lists one result per bid in order: accepted, or refused with ' +
  'its code and message; a refused bid never blocks the others. A malformed item refuses the request ' +
  '(400) and nothing is written.';

export const commitBidsSchema = {
  tags: tags.market,
  summary: 'Commit a portfolio of sealed bids in one transaction (VPP operator)',
  description: `${PORTFOLIO_DESCRIPTION} Each commitment is computed as for a single commitment.`,
  params: IntervalParamsSchema,
  body: {
    type: 'object',
    required: ['commitments'],
    additionalProperties: false,
    properties: {
      commitments: { type: 'array', minItems: 1, maxItems: MAX_PORTFOLIO_BIDS, items: commitBidSchema.body },
    },
  },
  response: { 200: PortfolioOutcomeSchema, ...errorResponses(400, 401, 403, 404, 413, 503) },
} as const;

export const revealBidsSchema = {
  tags: tags.market,
  summary: 'Reveal a portfolio of committed bids in one transaction (VPP operator)',
  description: `${PORTFOLIO_DESCRIPTION} Quota and backed capacity are applied cumulatively in list order.`,
  params: IntervalParamsSchema,
  body: {
    type: 'object',
    required: ['reveals'],
    additionalProperties: false,
    properties: {
      reveals: { type: 'array', minItems: 1, maxItems: MAX_PORTFOLIO_BIDS, items: revealBidSchema.body },
    },
  },
  response: { 200: PortfolioOutcomeSchema, ...errorResponses(400, 401, 403, 404, 413, 503) },
} as const;

// ---- quotas and violations ----

export const putQuotaSchema = {
  tags: tags.market,
  summary: "Set a VPP's bid quota: the most all its bids in one interval may offer (regulator)",
  description:
    "In Wh per interval, like the credit level's quota it replaces for this VPP. A reserve interval, " +
    'traded in W, allows floor(quantity × 3600 / delivery seconds) W: the reserve whose full use over ' +
    "the delivery period stays within the quota. Without a quota set here the VPP's credit level's " +
    'applies; with neither (no rulebook installed) the VPP cannot reveal bids.',
  params: VppParamsSchema,
  body: {
    type: 'object',
    required: ['quantity'],
    additionalProperties: false,
    properties: { quantity: nonNegative },
  },
  response: { 200: WithTxSchema, ...errorResponses(400, 401, 403, 404, 422, 503) },
} as const;

export const getQuotaSchema = {
  tags: tags.market,
  summary: "A VPP's bid quota",
  params: VppParamsSchema,
  response: { 200: LedgerRecord, ...errorResponses(400, 401, 403, 404, 422, 503) },
} as const;

export const recordViolationsSchema = {
  tags: tags.market,
  summary: 'After the reveal deadline, record a violation for every commitment never revealed',
  description: 'Can be repeated: violations already recorded are kept, only new ones are written.',
  params: IntervalParamsSchema,
  body: EmptyBodySchema,
  response: {
    200: {
      type: 'object',
      required: ['txId', 'intervalId', 'recorded', 'alreadyRecorded'],
      properties: {
        txId: { type: 'string' },
        intervalId: { type: 'string' },
        recorded: { type: 'array', items: LedgerRecord },
        alreadyRecorded: { type: 'integer' },
      },
    },
    ...errorResponses(400, 401, 403, 404, 422, 503),
  },
} as const;

export const listViolationsSchema = {
  tags: tags.market,
  summary:
    "One page of the violations recorded against a VPP, by interval and bid; pass the returned bookmark for the next page ('' after the last)",
  params: VppParamsSchema,
  querystring: { type: 'object', additionalProperties: false, properties: { pageSize, bookmark } },
  response: {
    200: {
      type: 'object',
      required: ['violations', 'bookmark'],
      properties: { violations: { type: 'array', items: LedgerRecord }, bookmark: { type: 'string' } },
    },
    ...errorResponses(400, 401, 403, 422, 503),
  },
} as const;

// ---- clearing ----

export const clearIntervalSchema = {
  tags: tags.market,
  summary: 'Clear the interval once, after the reveal deadline (trading centre)',
  description: 'Merit order with a uniform marginal price; the result is stored with the hash of its inputs.',
  params: IntervalParamsSchema,
  body: EmptyBodySchema,
  response: { 201: WithTxSchema, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
} as const;

export const getClearingSchema = {
  tags: tags.market,
  summary: "The interval's clearing: price, awards, inputs hash, who cleared it and when",
  params: IntervalParamsSchema,
  response: { 200: LedgerRecord, ...errorResponses(400, 401, 403, 404, 422, 503) },
} as const;

export const verifyClearingSchema = {
  tags: tags.market,
  summary: 'Recompute the clearing from the demand and revealed bids on the ledger and compare',
  params: IntervalParamsSchema,
  response: {
    200: {
      type: 'object',
      required: ['matches', 'stored', 'recomputed'],
      properties: { matches: { type: 'boolean' }, stored: LedgerRecord, recomputed: LedgerRecord },
    },
    ...errorResponses(400, 401, 403, 404, 422, 503),
  },
} as const;

// ---- dispatch ----

export const issueDispatchSchema = {
  tags: tags.dispatch,
  summary: "Issue the dispatch instruction for a VPP's award, once, before delivery (control centre)",
  params: DispatchParamsSchema,
  body: EmptyBodySchema,
  response: { 201: WithTxSchema, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
} as const;

export const acknowledgeDispatchSchema = {
  tags: tags.dispatch,
  summary: 'Acknowledge a dispatch instruction, once, before delivery (VPP operator)',
  params: DispatchParamsSchema,
  body: EmptyBodySchema,
  response: { 200: WithTxSchema, ...errorResponses(400, 401, 403, 404, 422, 503) },
} as const;

export const allocateSetpointsSchema = {
  tags: tags.dispatch,
  summary: 'Split the acknowledged award into one setpoint per active DER (VPP operator)',
  description:
    'Proportional to each DER’s capacity, whole watts, summing exactly to the power the award needs.',
  params: DispatchParamsSchema,
  body: EmptyBodySchema,
  response: {
    201: {
      type: 'object',
      required: ['txId', 'intervalId', 'vppId', 'requiredW', 'setpoints'],
      properties: {
        txId: { type: 'string' },
        intervalId: { type: 'string' },
        vppId: { type: 'string' },
        requiredW: { type: 'integer' },
        setpoints: { type: 'array', items: LedgerRecord },
      },
    },
    ...errorResponses(400, 401, 403, 404, 409, 422, 503),
  },
} as const;

export const getDispatchSchema = {
  tags: tags.dispatch,
  summary: "A VPP's dispatch instruction in an interval and its per-DER setpoints (empty until allocated)",
  params: DispatchParamsSchema,
  response: {
    200: {
      type: 'object',
      required: ['instruction', 'setpoints'],
      properties: { instruction: LedgerRecord, setpoints: { type: 'array', items: LedgerRecord } },
    },
    ...errorResponses(400, 401, 403, 404, 422, 503),
  },
} as const;
