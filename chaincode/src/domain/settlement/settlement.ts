// Settlement of one market interval for one VPP, down to each of its DERs. Pure: the contract reads
// the award, the accepted readings, the VPP's fee and its credit level, and passes them in together
// with the transaction time and id; this module computes the lines to write. It runs once per
// interval and VPP (requireNotSettled) and not before the interval's reading window has closed
// (requireReadingWindowClosed).
//
// Formula version 1 (SETTLEMENT_FORMULA_VERSION). Integers only: energy in Wh, money in minor
// currency units, prices in minor units per MWh. Products are computed in BigInt (Wh × price
// exceeds 2^53 for realistic figures) and every division rounds DOWN (floor), as noted per line:
//
//   D             = Σ energyWh of every accepted reading of every DER of the VPP for the interval
//   A, P          = the award's quantity (Wh) and clearing price (minor units / MWh)
//   paidWh        = min(D, A)                                  over-delivery is not paid
//   grossMinor    = floor(paidWh × P / 1_000_000)              a fraction of a minor unit is not paid
//   deviationWh   = D − A                                      signed: negative = under-delivery
//   toleranceWh   = floor(A × toleranceBps / 10_000)           floor: rounding never widens the band
//   excessWh      = max(0, |deviationWh| − toleranceWh)        under- and over-delivery both count
//   penaltyMinor  = floor(excessWh × P × penaltyFactorPermille / (1_000_000 × 1_000))
//                                                              floor: rounding favours the VPP
//   balance       = grossMinor − penaltyMinor
//   balance ≥ 0:    feeMinor = floor(balance × feeBps / 10_000)   the operator's fee is taken from the
//                   netToDersMinor = balance − feeMinor           revenue after penalty; floor favours
//                   owedMinor = 0                                 the DERs
//   balance < 0:    feeMinor = 0, netToDersMinor = 0, owedMinor = −balance: the penalty the revenue
//                   cannot cover is owed by the VPP operator (the balance-responsible party); DER lines
//                   are never negative
//   DER amounts   = allocateProportionally(netToDersMinor, weight = the DER's deliveredWh, seed), the
//                   integer largest-remainder split: the DER lines sum exactly to netToDersMinor, a
//                   DER that delivered nothing gets 0, and ties fall by SHA-256 of (interval, VPP).
//
// The penalty is priced at the interval's clearing price, so an interval cleared at price 0 carries
// no penalty. Negative clearing prices are not supported (refused).
//
// Every line names what it was computed from (award id and quantity, clearing price, reading count
// and hash, credit rule version, formula version, hash of all inputs), so anyone holding the same
// inputs can recompute it (verifySettlement).

import { createHash } from 'node:crypto';
import { toCanonicalJson } from '../../encoding/canonical-json';
import {
  ANY_SAFE_INTEGER,
  compareIds,
  ENTITY_ID,
  type Fields,
  invalid,
  MARKET_ID,
  NON_NEGATIVE,
  POSITIVE,
  requireId,
  requireInteger,
  requireIsoTimestamp,
  requireList,
  requireObject,
  requireSha256Hex,
  TX_ID,
} from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';
import { CreditEventType, MAX_PENALTY_FACTOR_PERMILLE } from '../credit/rulebook';
import { ParticipantType, type CreditEvent } from '../credit/scoring';
import { allocateProportionally } from '../shared/allocation';

export const SETTLEMENT_FORMULA_VERSION = 1;

export const WH_PER_MWH = 1_000_000;
export const BPS_DENOMINATOR = 10_000;
export const PERMILLE_DENOMINATOR = 1_000;

export const MAX_DERS_PER_SETTLEMENT = 10_000;
export const MAX_READINGS_PER_DER = 10_000;

/** One accepted reading: energy the DER delivered in one metering period of the interval. */
export interface MeterReading {
  /** The reading's sequence number within the DER and interval (unique; the replay key). */
  readonly sequence: number;
  readonly energyWh: number;
}

export interface DerReadings {
  readonly derId: string;
  /** Accepted readings only; may be empty (the DER delivered nothing it could prove). */
  readonly readings: readonly MeterReading[];
}

export interface SettlementAward {
  readonly awardId: string;
  readonly quantityWh: number;
  /** Minor currency units per MWh, ≥ 0. */
  readonly clearingPrice: number;
}

export interface SettlementInputs {
  readonly intervalId: string;
  /** Start of the market interval (ISO-8601 UTC); statements group lines by it. */
  readonly intervalStart: string;
  readonly vppId: string;
  readonly award: SettlementAward;
  /** Every DER of the VPP to settle, each with its accepted readings; any order. */
  readonly ders: readonly DerReadings[];
  /** Deviation allowed without penalty, in basis points of the award (0..10000). */
  readonly toleranceBps: number;
  /** From the VPP's credit level at the interval, in permille (1000 = 1.0×). */
  readonly penaltyFactorPermille: number;
  /** The operator's fee, basis points of the revenue after penalty (0..10000). */
  readonly feeBps: number;
  /** Version of the credit rulebook the penalty factor was taken from. */
  readonly ruleVersion: number;
  /** Transaction time and id of the settling transaction. */
  readonly settledAt: string;
  readonly txId: string;
}

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

export interface SettlementResult {
  readonly vppLine: VppSettlementLine;
  /** One per DER, ordered by derId (code-unit order). */
  readonly derLines: readonly DerSettlementLine[];
  readonly inputsHash: string;
}

const INPUT_FIELDS = [
  'intervalId',
  'intervalStart',
  'vppId',
  'award',
  'ders',
  'toleranceBps',
  'penaltyFactorPermille',
  'feeBps',
  'ruleVersion',
  'settledAt',
  'txId',
] as const;
const AWARD_FIELDS = ['awardId', 'quantityWh', 'clearingPrice'] as const;
const DER_FIELDS = ['derId', 'readings'] as const;
const READING_FIELDS = ['sequence', 'energyWh'] as const;

const BPS_RULE = { min: 0, max: BPS_DENOMINATOR } as const;
const FACTOR_RULE = { min: 0, max: MAX_PENALTY_FACTOR_PERMILLE } as const;

function sha256Hex(value: unknown): string {
  return createHash('sha256').update(toCanonicalJson(value), 'utf8').digest('hex');
}

function toSafe(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw invalid(`${what} does not fit in a safe integer`);
  }
  return Number(value);
}

function parseReadings(fields: Fields, derId: string): MeterReading[] {
  const list = requireList(fields, 'readings', { min: 0, max: MAX_READINGS_PER_DER });
  const sequences = new Set<number>();
  const readings = list.map((item) => {
    const reading = requireObject(item, `reading of der ${JSON.stringify(derId)}`, READING_FIELDS);
    const sequence = requireInteger(reading, 'sequence', NON_NEGATIVE);
    if (sequences.has(sequence)) {
      throw invalid(`reading sequence ${sequence} of der ${JSON.stringify(derId)} appears twice`);
    }
    sequences.add(sequence);
    return { sequence, energyWh: requireInteger(reading, 'energyWh', NON_NEGATIVE) };
  });
  return readings.sort((a, b) => a.sequence - b.sequence);
}

/**
 * Validates and normalises settlement inputs (DERs sorted by id, readings by sequence), so that the
 * result does not depend on the order the contract read them in. Throws INVALID_ARGUMENT.
 */
export function parseSettlementInputs(value: unknown): SettlementInputs {
  const fields = requireObject(value, 'settlement inputs', INPUT_FIELDS);
  const award = requireObject(fields.award, 'award', AWARD_FIELDS);
  const derList = requireList(fields, 'ders', { min: 0, max: MAX_DERS_PER_SETTLEMENT });
  const derIds = new Set<string>();
  const ders = derList.map((item): DerReadings => {
    const der = requireObject(item, 'der readings', DER_FIELDS);
    const derId = requireId(der, 'derId', ENTITY_ID);
    if (derIds.has(derId)) {
      throw invalid(`der ${JSON.stringify(derId)} appears twice`);
    }
    derIds.add(derId);
    return { derId, readings: parseReadings(der, derId) };
  });
  return {
    intervalId: requireId(fields, 'intervalId', MARKET_ID),
    intervalStart: requireIsoTimestamp(fields, 'intervalStart'),
    vppId: requireId(fields, 'vppId', ENTITY_ID),
    award: {
      awardId: requireId(award, 'awardId', TX_ID),
      quantityWh: requireInteger(award, 'quantityWh', POSITIVE),
      clearingPrice: requireInteger(award, 'clearingPrice', NON_NEGATIVE),
    },
    ders: ders.sort((a, b) => compareIds(a.derId, b.derId)),
    toleranceBps: requireInteger(fields, 'toleranceBps', BPS_RULE),
    penaltyFactorPermille: requireInteger(fields, 'penaltyFactorPermille', FACTOR_RULE),
    feeBps: requireInteger(fields, 'feeBps', BPS_RULE),
    ruleVersion: requireInteger(fields, 'ruleVersion', POSITIVE),
    settledAt: requireIsoTimestamp(fields, 'settledAt'),
    txId: requireId(fields, 'txId', TX_ID),
  };
}

/** SHA-256 (hex) of canonical JSON {kind, intervalId, derId, readings sorted by sequence}. */
export function readingsHashOfDer(intervalId: string, der: DerReadings): string {
  const readings = [...der.readings].sort((a, b) => a.sequence - b.sequence);
  return sha256Hex({ kind: 'vpp-ledger/der-readings/1', intervalId, derId: der.derId, readings });
}

/** SHA-256 (hex) of canonical JSON {kind, intervalId, vppId, ders: [{derId, readingCount, readingsHash}]}. */
function readingsHashOfVpp(
  intervalId: string,
  vppId: string,
  ders: readonly { derId: string; readingCount: number; readingsHash: string }[],
): string {
  return sha256Hex({ kind: 'vpp-ledger/vpp-readings/1', intervalId, vppId, ders });
}

/**
 * SHA-256 (hex) of the canonical JSON of every calculation input (normalised), the formula version
 * and a kind tag. settledAt and txId are not inputs of the calculation and are left out.
 */
export function settlementInputsHash(inputs: SettlementInputs): string {
  return hashNormalisedInputs(parseSettlementInputs(inputs));
}

function hashNormalisedInputs(normal: SettlementInputs): string {
  return sha256Hex({
    kind: 'vpp-ledger/settlement-inputs/1',
    formulaVersion: SETTLEMENT_FORMULA_VERSION,
    intervalId: normal.intervalId,
    intervalStart: normal.intervalStart,
    vppId: normal.vppId,
    award: normal.award,
    ders: normal.ders,
    toleranceBps: normal.toleranceBps,
    penaltyFactorPermille: normal.penaltyFactorPermille,
    feeBps: normal.feeBps,
    ruleVersion: normal.ruleVersion,
  });
}

/** The seed that breaks remainder ties: different for every interval and VPP. */
export function settlementTieSeed(intervalId: string, vppId: string): string {
  return toCanonicalJson(['vpp-ledger/settlement', intervalId, vppId]);
}

/** Computes the VPP line and one line per DER. See the formula at the top of this module. */
export function settleInterval(inputs: SettlementInputs): SettlementResult {
  const x = parseSettlementInputs(inputs);
  const inputsHash = hashNormalisedInputs(x);

  const ders = x.ders.map((der) => {
    const delivered = der.readings.reduce((sum, reading) => sum + BigInt(reading.energyWh), 0n);
    return {
      derId: der.derId,
      deliveredWh: toSafe(delivered, `delivered energy of der ${JSON.stringify(der.derId)}`),
      readingCount: der.readings.length,
      readingsHash: readingsHashOfDer(x.intervalId, der),
    };
  });
  const delivered = ders.reduce((sum, der) => sum + BigInt(der.deliveredWh), 0n);
  const awarded = BigInt(x.award.quantityWh);
  const price = BigInt(x.award.clearingPrice);

  // BigInt division truncates toward zero, which is floor here: every dividend is non-negative.
  const paid = delivered < awarded ? delivered : awarded;
  const gross = (paid * price) / BigInt(WH_PER_MWH);
  const deviation = delivered - awarded;
  const tolerance = (awarded * BigInt(x.toleranceBps)) / BigInt(BPS_DENOMINATOR);
  const absDeviation = deviation < 0n ? -deviation : deviation;
  const excess = absDeviation > tolerance ? absDeviation - tolerance : 0n;
  const penalty =
    (excess * price * BigInt(x.penaltyFactorPermille)) / (BigInt(WH_PER_MWH) * BigInt(PERMILLE_DENOMINATOR));
  const balance = gross - penalty;
  const fee = balance > 0n ? (balance * BigInt(x.feeBps)) / BigInt(BPS_DENOMINATOR) : 0n;
  const net = balance > 0n ? balance - fee : 0n;
  const owed = balance < 0n ? -balance : 0n;

  // Checked in formula order, so an overflow names the first figure that does not fit.
  const deliveredWh = toSafe(delivered, 'deliveredWh');
  const figures = {
    paidWh: toSafe(paid, 'paidWh'),
    deviationWh: toSafe(deviation, 'deviationWh'),
    toleranceWh: toSafe(tolerance, 'toleranceWh'),
    excessDeviationWh: toSafe(excess, 'excessDeviationWh'),
    grossMinor: toSafe(gross, 'grossMinor'),
    penaltyMinor: toSafe(penalty, 'penaltyMinor'),
    feeMinor: toSafe(fee, 'feeMinor'),
    netToDersMinor: toSafe(net, 'netToDersMinor'),
    owedMinor: toSafe(owed, 'owedMinor'),
  };
  const { netToDersMinor } = figures;
  const shares = allocateProportionally(
    netToDersMinor,
    ders.map((der) => ({ id: der.derId, weight: der.deliveredWh })),
    settlementTieSeed(x.intervalId, x.vppId),
  );

  const provenance = {
    awardId: x.award.awardId,
    awardedWh: x.award.quantityWh,
    clearingPrice: x.award.clearingPrice,
    ruleVersion: x.ruleVersion,
    formulaVersion: SETTLEMENT_FORMULA_VERSION,
    inputsHash,
    settledAt: x.settledAt,
    txId: x.txId,
  };
  const vppLine: VppSettlementLine = {
    intervalId: x.intervalId,
    intervalStart: x.intervalStart,
    vppId: x.vppId,
    ...provenance,
    deliveredWh,
    paidWh: figures.paidWh,
    deviationWh: figures.deviationWh,
    toleranceBps: x.toleranceBps,
    toleranceWh: figures.toleranceWh,
    excessDeviationWh: figures.excessDeviationWh,
    penaltyFactorPermille: x.penaltyFactorPermille,
    grossMinor: figures.grossMinor,
    penaltyMinor: figures.penaltyMinor,
    feeBps: x.feeBps,
    feeMinor: figures.feeMinor,
    netToDersMinor,
    owedMinor: figures.owedMinor,
    derCount: ders.length,
    readingCount: ders.reduce((sum, der) => sum + der.readingCount, 0),
    readingsHash: readingsHashOfVpp(x.intervalId, x.vppId, ders),
  };
  const derLines = ders.map((der, i): DerSettlementLine => {
    const share = shares[i];
    if (share === undefined || share.id !== der.derId) {
      throw new VppError(ErrorCode.INTERNAL, `allocation lost the share of der ${JSON.stringify(der.derId)}`);
    }
    return {
      intervalId: x.intervalId,
      intervalStart: x.intervalStart,
      vppId: x.vppId,
      derId: der.derId,
      deliveredWh: der.deliveredWh,
      readingCount: der.readingCount,
      readingsHash: der.readingsHash,
      amountMinor: share.amount,
      vppDeliveredWh: deliveredWh,
      netToDersMinor,
      ...provenance,
    };
  });
  return { vppLine, derLines, inputsHash };
}

/** The figures of a VPP line that the settling transaction's event announces. */
export function settledFigures(vppLine: VppSettlementLine) {
  return {
    awardedWh: vppLine.awardedWh,
    deliveredWh: vppLine.deliveredWh,
    clearingPrice: vppLine.clearingPrice,
    grossMinor: vppLine.grossMinor,
    penaltyMinor: vppLine.penaltyMinor,
    feeMinor: vppLine.feeMinor,
    netToDersMinor: vppLine.netToDersMinor,
    owedMinor: vppLine.owedMinor,
    derCount: vppLine.derCount,
    readingCount: vppLine.readingCount,
    inputsHash: vppLine.inputsHash,
  };
}

// ---- guards ----

/**
 * Settlement runs once per interval and VPP: `existing` is the stored VPP line for the pair, if any.
 * Throws ALREADY_SETTLED naming the transaction that settled it.
 */
export function requireNotSettled(existing: VppSettlementLine | undefined): void {
  if (existing !== undefined) {
    throw new VppError(
      ErrorCode.ALREADY_SETTLED,
      `interval ${JSON.stringify(existing.intervalId)} of vpp ${JSON.stringify(existing.vppId)} ` +
        `was already settled by transaction ${existing.txId} at ${existing.settledAt}`,
    );
  }
}

/**
 * Settlement may run as soon as the interval's reading window has closed: readings are accepted
 * while the transaction time is before readingWindowEnd, so a transaction at or after it may settle.
 * Throws INVALID_STATE when too early.
 */
export function requireReadingWindowClosed(readingWindowEnd: string, txTime: string): void {
  const end = requireIsoTimestamp({ readingWindowEnd }, 'readingWindowEnd');
  const now = requireIsoTimestamp({ txTime }, 'txTime');
  if (Date.parse(now) < Date.parse(end)) {
    throw new VppError(
      ErrorCode.INVALID_STATE,
      `the reading window is open until ${end}; settlement at ${now} is too early`,
    );
  }
}

// ---- verification ----

export interface SettlementVerification {
  /** True when the stored lines equal the recomputation field for field. */
  readonly matches: boolean;
  readonly recomputed: SettlementResult;
  /** Paths of the fields that differ, e.g. `vppLine.feeMinor`, `derLines[der-2].amountMinor`. */
  readonly differences: readonly string[];
}

function differingFields(stored: object, expected: object, prefix: string): string[] {
  const a = stored as Readonly<Record<string, unknown>>;
  const b = expected as Readonly<Record<string, unknown>>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys
    .filter((key) => {
      const left = a[key];
      const right = b[key];
      if (left === undefined || right === undefined) return left !== right;
      return toCanonicalJson(left) !== toCanonicalJson(right);
    })
    .map((key) => `${prefix}.${key}`);
}

/**
 * Recomputes the settlement from `inputs` (with the settling transaction's settledAt and txId) and
 * compares it with the stored lines, in any order. Anyone holding the same readings, award and
 * parameters can run this; a tampered line, a missing or extra DER line shows up in `differences`.
 * Inputs that cannot be settled at all throw INVALID_ARGUMENT, as in settleInterval.
 */
export function verifySettlement(
  stored: { readonly vppLine: VppSettlementLine; readonly derLines: readonly DerSettlementLine[] },
  inputs: SettlementInputs,
): SettlementVerification {
  const recomputed = settleInterval(inputs);
  const differences = differingFields(stored.vppLine, recomputed.vppLine, 'vppLine');
  const storedById = new Map<string, DerSettlementLine>();
  for (const line of stored.derLines) {
    if (storedById.has(line.derId)) {
      differences.push(`derLines[${line.derId}]: stored twice`);
    }
    storedById.set(line.derId, line);
  }
  const expectedIds = new Set(recomputed.derLines.map((line) => line.derId));
  for (const line of recomputed.derLines) {
    const found = storedById.get(line.derId);
    if (found === undefined) {
      differences.push(`derLines[${line.derId}]: missing`);
    } else {
      differences.push(...differingFields(found, line, `derLines[${line.derId}]`));
    }
  }
  for (const derId of [...storedById.keys()].sort(compareIds)) {
    if (!expectedIds.has(derId)) {
      differences.push(`derLines[${derId}]: not in the recomputation`);
    }
  }
  return { matches: differences.length === 0, recomputed, differences };
}

// ---- credit ----

/**
 * The credit event settlement reports for the VPP: DELIVERY_WITHIN_TOLERANCE when the excess
 * deviation is 0, DELIVERY_DEVIATION otherwise. DERs get no delivery event: the award (the target)
 * is the VPP's, and how it spread the work over its DERs is the dispatch's business, so a single
 * DER's accuracy cannot be judged from settlement data.
 */
export function deliveryCreditEvent(vppLine: VppSettlementLine): CreditEvent {
  return {
    participant: { type: ParticipantType.VPP, id: vppLine.vppId },
    eventType:
      vppLine.excessDeviationWh === 0
        ? CreditEventType.DELIVERY_WITHIN_TOLERANCE
        : CreditEventType.DELIVERY_DEVIATION,
    intervalId: vppLine.intervalId,
    txId: vppLine.txId,
    at: vppLine.settledAt,
  };
}

// ---- stored lines ----

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
