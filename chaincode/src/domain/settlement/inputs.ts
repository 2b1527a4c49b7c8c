// What a settlement is computed from: the interval, the VPP's award, each DER's accepted readings and
// the parameters fixed at settlement time (tolerance, penalty factor, fee, rule version). Inputs are
// validated and normalised (DERs by id, readings by sequence) so that the result does not depend on
// the order they were read in, and hashed, so every line can name exactly what it was computed from.

import { createHash } from 'node:crypto';
import { toCanonicalJson } from '../../encoding/canonical-json';
import {
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
  TX_ID,
} from '../../rules';
import { MAX_PENALTY_FACTOR_PERMILLE } from '../credit/rulebook';

export const SETTLEMENT_FORMULA_VERSION = 1;

export const BPS_DENOMINATOR = 10_000;

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

/** Basis points: 0..100 %. */
export const BPS_RULE = { min: 0, max: BPS_DENOMINATOR } as const;
/** A penalty factor in permille, as the credit rulebook bounds it. */
export const FACTOR_RULE = { min: 0, max: MAX_PENALTY_FACTOR_PERMILLE } as const;

function sha256Hex(value: unknown): string {
  return createHash('sha256').update(toCanonicalJson(value), 'utf8').digest('hex');
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
export function readingsHashOfVpp(
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

export function hashNormalisedInputs(normal: SettlementInputs): string {
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
