/**
 * Settlement: params, statement queries and documented responses. The chaincode checks every rule
 * again (chaincode/src/domain/settlement); these schemas only refuse malformed requests early.
 */
import { KNOWN_STATEMENT_UNITS, StatementUnit } from '../../../chaincode/src/api';
import {
  DerParamsSchema,
  EmptyBodySchema,
  entityId as ledgerId,
  errorResponses,
  LedgerRecordSchema as LedgerRecord,
  marketId as intervalId,
  VppParamsSchema,
} from './common';

const tags = ['settlement'] as const;
const integer = { type: 'integer' } as const;
const text = { type: 'string' } as const;

export const SettlementParamsSchema = {
  type: 'object',
  required: ['intervalId', 'vppId'],
  additionalProperties: false,
  properties: { intervalId, vppId: ledgerId },
} as const;

const StatementQuerySchema = {
  type: 'object',
  required: ['period'],
  additionalProperties: false,
  properties: {
    period: {
      type: 'string',
      pattern: '^\\d{4}-(0[1-9]|1[0-2])(-\\d{2})?$',
      description: "UTC month 'YYYY-MM' or day 'YYYY-MM-DD': the lines whose interval starts in it",
    },
    unit: {
      type: 'string',
      enum: [...KNOWN_STATEMENT_UNITS],
      default: StatementUnit.DAY,
      description: "how the lines are totalled: per 'day' (default) or per 'month' (month periods only)",
    },
  },
} as const;

/** What every line names: the award, price, rule and formula versions and the hash of all inputs. */
const provenance = {
  intervalId: text,
  intervalStart: text,
  vppId: text,
  awardId: { type: 'string', description: 'the id of the clearing transaction the award comes from' },
  awardedWh: integer,
  clearingPrice: { type: 'integer', description: 'minor currency units per MWh' },
  deliveredWh: integer,
  readingCount: integer,
  readingsHash: text,
  ruleVersion: { type: 'integer', description: 'the credit rulebook version of the penalty factor' },
  formulaVersion: integer,
  inputsHash: text,
  settledAt: text,
  txId: text,
} as const;

const VppLineSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    ...provenance,
    paidWh: integer,
    deviationWh: integer,
    toleranceBps: integer,
    toleranceWh: integer,
    excessDeviationWh: integer,
    penaltyFactorPermille: integer,
    grossMinor: integer,
    penaltyMinor: integer,
    feeBps: integer,
    feeMinor: integer,
    netToDersMinor: integer,
    owedMinor: integer,
    derCount: integer,
  },
} as const;

const DerLineSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    ...provenance,
    derId: text,
    amountMinor: integer,
    vppDeliveredWh: integer,
    netToDersMinor: integer,
  },
} as const;

const SettlementSchema = {
  type: 'object',
  required: ['vppLine', 'derLines'],
  properties: { vppLine: VppLineSchema, derLines: { type: 'array', items: DerLineSchema } },
} as const;

export const settleSchema = {
  tags,
  summary: "Settle a VPP's award in an interval, once, from its reading window end on",
  description:
    'Trading centre, CVPP operator (for its VPPs) or regulator. Refused with INVALID_STATE before the ' +
    'reading window of the interval closes (60 minutes after its last metering interval ends) or before ' +
    'clearing, ALREADY_SETTLED the second time, NOT_FOUND for a VPP without an award. Writes one line for ' +
    'the VPP and one per DER and scores the delivery in the VPP’s credit rating in the same transaction.',
  params: SettlementParamsSchema,
  body: EmptyBodySchema,
  response: {
    201: {
      type: 'object',
      required: ['txId', 'vppLine', 'derLines', 'creditEvent', 'scoreRecords', 'standing'],
      properties: {
        txId: text,
        vppLine: VppLineSchema,
        derLines: { type: 'array', items: DerLineSchema },
        creditEvent: LedgerRecord,
        scoreRecords: { type: 'array', items: LedgerRecord },
        standing: LedgerRecord,
      },
    },
    ...errorResponses(400, 401, 403, 404, 409, 422, 503),
  },
} as const;

export const getSettlementSchema = {
  tags,
  summary: 'The settlement of a VPP in an interval: its line and one line per DER',
  params: SettlementParamsSchema,
  response: { 200: SettlementSchema, ...errorResponses(400, 401, 403, 404, 422, 503) },
} as const;

export const verifySettlementSchema = {
  tags,
  summary: 'Recompute the settlement from the records on the ledger and compare with the stored lines',
  params: SettlementParamsSchema,
  response: {
    200: {
      type: 'object',
      required: ['matches', 'stored', 'recomputed', 'differences'],
      properties: {
        matches: { type: 'boolean' },
        stored: SettlementSchema,
        recomputed: SettlementSchema,
        differences: {
          type: 'array',
          items: text,
          description: 'paths of the fields that differ, e.g. vppLine.feeMinor, derLines[pv-1].amountMinor',
        },
      },
    },
    ...errorResponses(400, 401, 403, 404, 422, 503),
  },
} as const;

const derTotals = {
  intervalCount: integer,
  readingCount: integer,
  deliveredWh: integer,
  amountMinor: integer,
} as const;
const vppTotals = {
  intervalCount: integer,
  readingCount: integer,
  awardedWh: integer,
  deliveredWh: integer,
  paidWh: integer,
  grossMinor: integer,
  penaltyMinor: integer,
  feeMinor: integer,
  netToDersMinor: integer,
  owedMinor: integer,
} as const;

function statementResponse(idField: 'derId' | 'vppId', totals: object, line: object) {
  return {
    type: 'object',
    required: [idField, 'period', 'unit', 'periods', 'total', 'lines'],
    properties: {
      [idField]: text,
      period: text,
      unit: text,
      periods: {
        type: 'array',
        items: { type: 'object', additionalProperties: true, properties: { period: text, ...totals } },
      },
      total: { type: 'object', additionalProperties: true, properties: totals },
      lines: { type: 'array', items: line },
    },
  } as const;
}

export const derStatementSchema = {
  tags,
  summary: "A DER's settlement lines in a month or a day, totalled per day or month",
  description: 'Empty (no periods, zero totals) for a DER without settlements in the period.',
  params: DerParamsSchema,
  querystring: StatementQuerySchema,
  response: {
    200: statementResponse('derId', derTotals, DerLineSchema),
    ...errorResponses(400, 401, 403, 404, 422, 503),
  },
} as const;

export const vppStatementSchema = {
  tags,
  summary: "A VPP's settlement lines in a month or a day, totalled per day or month",
  description: 'Empty (no periods, zero totals) for a VPP without settlements in the period.',
  params: VppParamsSchema,
  querystring: StatementQuerySchema,
  response: {
    200: statementResponse('vppId', vppTotals, VppLineSchema),
    ...errorResponses(400, 401, 403, 404, 422, 503),
  },
} as const;
