// The settlement lines the ledger keeps: one per interval and VPP, one per DER. Every line names what
// it was computed from (award, clearing price, readings hash, rule and formula version, inputs hash),
// and the decoders re-check the identities that hold without the inputs, so corrupted state is never
// trusted.

import {
  ANY_SAFE_INTEGER,
  ENTITY_ID,
  invalid,
  MARKET_ID,
  NON_NEGATIVE,
  POSITIVE,
  requireId,
  requireInteger,
  requireIsoTimestamp,
  requireObject,
  requireSha256Hex,
  TX_ID,
} from '../../rules';
import { VppError } from '../../types/errors';
import { BPS_RULE, FACTOR_RULE, MAX_DERS_PER_SETTLEMENT, SETTLEMENT_FORMULA_VERSION } from './inputs';

/** The line written for the VPP. */
export interface VppSettlementLine {
  readonly intervalId: string;
  readonly intervalStart: string;
  readonly vppId: string;
  readonly awardId: string;
  readonly awardedWh: number;
  readonly clearingPrice: number;
  readonly deliveredWh: number;
  readonly paidWh: number;
  /** deliveredWh − awardedWh: negative for under-delivery. */
  readonly deviationWh: number;
  readonly toleranceBps: number;
  readonly toleranceWh: number;
  /** Absolute deviation beyond the tolerance; 0 means the delivery was within tolerance. */
  readonly excessDeviationWh: number;
  readonly penaltyFactorPermille: number;
  readonly grossMinor: number;
  readonly penaltyMinor: number;
  readonly feeBps: number;
  readonly feeMinor: number;
  readonly netToDersMinor: number;
  /** Penalty not covered by the gross revenue, owed by the VPP operator; 0 otherwise. */
  readonly owedMinor: number;
  readonly derCount: number;
  readonly readingCount: number;
  /** Hash over the DERs' readings hashes (see readingsHashOfVpp). */
  readonly readingsHash: string;
  readonly ruleVersion: number;
  readonly formulaVersion: number;
  /** Hash of every calculation input (see settlementInputsHash). */
  readonly inputsHash: string;
  readonly settledAt: string;
  readonly txId: string;
}

/** The line written for each DER of the VPP. */
export interface DerSettlementLine {
  readonly intervalId: string;
  readonly intervalStart: string;
  readonly vppId: string;
  readonly derId: string;
  readonly deliveredWh: number;
  readonly readingCount: number;
  /** Hash of this DER's readings (see readingsHashOfDer). */
  readonly readingsHash: string;
  readonly amountMinor: number;
  /** The VPP totals this share was cut from: amount ≈ netToDersMinor × deliveredWh / vppDeliveredWh. */
  readonly vppDeliveredWh: number;
  readonly netToDersMinor: number;
  readonly awardId: string;
  readonly awardedWh: number;
  readonly clearingPrice: number;
  readonly ruleVersion: number;
  readonly formulaVersion: number;
  readonly inputsHash: string;
  readonly settledAt: string;
  readonly txId: string;
}

const VPP_LINE_FIELDS = [
  'intervalId',
  'intervalStart',
  'vppId',
  'awardId',
  'awardedWh',
  'clearingPrice',
  'deliveredWh',
  'paidWh',
  'deviationWh',
  'toleranceBps',
  'toleranceWh',
  'excessDeviationWh',
  'penaltyFactorPermille',
  'grossMinor',
  'penaltyMinor',
  'feeBps',
  'feeMinor',
  'netToDersMinor',
  'owedMinor',
  'derCount',
  'readingCount',
  'readingsHash',
  'ruleVersion',
  'formulaVersion',
  'inputsHash',
  'settledAt',
  'txId',
] as const;

const DER_LINE_FIELDS = [
  'intervalId',
  'intervalStart',
  'vppId',
  'derId',
  'deliveredWh',
  'readingCount',
  'readingsHash',
  'amountMinor',
  'vppDeliveredWh',
  'netToDersMinor',
  'awardId',
  'awardedWh',
  'clearingPrice',
  'ruleVersion',
  'formulaVersion',
  'inputsHash',
  'settledAt',
  'txId',
] as const;

const FORMULA_RULE = { min: 1, max: SETTLEMENT_FORMULA_VERSION } as const;

function inconsistent(what: string, detail: string): VppError {
  return invalid(`${what} is inconsistent: ${detail}`);
}

/**
 * Decoder for stored VPP lines: re-validates every field and the identities that hold without the
 * inputs (paid = min(delivered, awarded), deviation = delivered − awarded, gross − penalty − fee =
 * net − owed, nothing to DERs when something is owed), so corrupted state is never trusted.
 */
export function parseStoredVppSettlementLine(value: unknown): VppSettlementLine {
  const what = 'stored vpp settlement line';
  const f = requireObject(value, what, VPP_LINE_FIELDS);
  const line: VppSettlementLine = {
    intervalId: requireId(f, 'intervalId', MARKET_ID),
    intervalStart: requireIsoTimestamp(f, 'intervalStart'),
    vppId: requireId(f, 'vppId', ENTITY_ID),
    awardId: requireId(f, 'awardId', TX_ID),
    awardedWh: requireInteger(f, 'awardedWh', POSITIVE),
    clearingPrice: requireInteger(f, 'clearingPrice', NON_NEGATIVE),
    deliveredWh: requireInteger(f, 'deliveredWh', NON_NEGATIVE),
    paidWh: requireInteger(f, 'paidWh', NON_NEGATIVE),
    deviationWh: requireInteger(f, 'deviationWh', ANY_SAFE_INTEGER),
    toleranceBps: requireInteger(f, 'toleranceBps', BPS_RULE),
    toleranceWh: requireInteger(f, 'toleranceWh', NON_NEGATIVE),
    excessDeviationWh: requireInteger(f, 'excessDeviationWh', NON_NEGATIVE),
    penaltyFactorPermille: requireInteger(f, 'penaltyFactorPermille', FACTOR_RULE),
    grossMinor: requireInteger(f, 'grossMinor', NON_NEGATIVE),
    penaltyMinor: requireInteger(f, 'penaltyMinor', NON_NEGATIVE),
    feeBps: requireInteger(f, 'feeBps', BPS_RULE),
    feeMinor: requireInteger(f, 'feeMinor', NON_NEGATIVE),
    netToDersMinor: requireInteger(f, 'netToDersMinor', NON_NEGATIVE),
    owedMinor: requireInteger(f, 'owedMinor', NON_NEGATIVE),
    derCount: requireInteger(f, 'derCount', { min: 0, max: MAX_DERS_PER_SETTLEMENT }),
    readingCount: requireInteger(f, 'readingCount', NON_NEGATIVE),
    readingsHash: requireSha256Hex(f, 'readingsHash'),
    ruleVersion: requireInteger(f, 'ruleVersion', POSITIVE),
    formulaVersion: requireInteger(f, 'formulaVersion', FORMULA_RULE),
    inputsHash: requireSha256Hex(f, 'inputsHash'),
    settledAt: requireIsoTimestamp(f, 'settledAt'),
    txId: requireId(f, 'txId', TX_ID),
  };
  if (line.paidWh !== Math.min(line.deliveredWh, line.awardedWh)) {
    throw inconsistent(what, 'paidWh is not min(deliveredWh, awardedWh)');
  }
  if (line.deviationWh !== line.deliveredWh - line.awardedWh) {
    throw inconsistent(what, 'deviationWh is not deliveredWh − awardedWh');
  }
  const flows =
    BigInt(line.grossMinor) -
    BigInt(line.penaltyMinor) -
    BigInt(line.feeMinor) -
    BigInt(line.netToDersMinor) +
    BigInt(line.owedMinor);
  if (flows !== 0n) {
    throw inconsistent(what, 'grossMinor − penaltyMinor − feeMinor ≠ netToDersMinor − owedMinor');
  }
  if (line.owedMinor > 0 && (line.netToDersMinor > 0 || line.feeMinor > 0)) {
    throw inconsistent(what, 'an amount is owed, yet DERs or the operator are paid');
  }
  return line;
}

/** Decoder for stored DER lines (with the checks that hold without the other lines). */
export function parseStoredDerSettlementLine(value: unknown): DerSettlementLine {
  const what = 'stored der settlement line';
  const f = requireObject(value, what, DER_LINE_FIELDS);
  const line: DerSettlementLine = {
    intervalId: requireId(f, 'intervalId', MARKET_ID),
    intervalStart: requireIsoTimestamp(f, 'intervalStart'),
    vppId: requireId(f, 'vppId', ENTITY_ID),
    derId: requireId(f, 'derId', ENTITY_ID),
    deliveredWh: requireInteger(f, 'deliveredWh', NON_NEGATIVE),
    readingCount: requireInteger(f, 'readingCount', NON_NEGATIVE),
    readingsHash: requireSha256Hex(f, 'readingsHash'),
    amountMinor: requireInteger(f, 'amountMinor', NON_NEGATIVE),
    vppDeliveredWh: requireInteger(f, 'vppDeliveredWh', NON_NEGATIVE),
    netToDersMinor: requireInteger(f, 'netToDersMinor', NON_NEGATIVE),
    awardId: requireId(f, 'awardId', TX_ID),
    awardedWh: requireInteger(f, 'awardedWh', POSITIVE),
    clearingPrice: requireInteger(f, 'clearingPrice', NON_NEGATIVE),
    ruleVersion: requireInteger(f, 'ruleVersion', POSITIVE),
    formulaVersion: requireInteger(f, 'formulaVersion', FORMULA_RULE),
    inputsHash: requireSha256Hex(f, 'inputsHash'),
    settledAt: requireIsoTimestamp(f, 'settledAt'),
    txId: requireId(f, 'txId', TX_ID),
  };
  if (line.deliveredWh > line.vppDeliveredWh) {
    throw inconsistent(what, 'deliveredWh exceeds vppDeliveredWh');
  }
  if (line.amountMinor > line.netToDersMinor) {
    throw inconsistent(what, 'amountMinor exceeds netToDersMinor');
  }
  if (line.deliveredWh === 0 && line.amountMinor > 0) {
    throw inconsistent(what, 'a DER that delivered nothing is paid');
  }
  return line;
}

/** The lines of one settlement as stored (GetVppSettlement). */
export interface StoredSettlement {
  readonly vppLine: VppSettlementLine;
  /** In DER id order. */
  readonly derLines: DerSettlementLine[];
}
