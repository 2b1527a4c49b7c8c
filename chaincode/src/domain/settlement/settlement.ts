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

import { invalid, requireIsoTimestamp } from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';
import { CreditEventType } from '../credit/rulebook';
import { ParticipantType, type CreditEvent, type ScoreRecord } from '../credit/scoring';
import type { CreditStanding } from '../credit/standing';
import { allocateProportionally } from '../shared/allocation';
import {
  BPS_DENOMINATOR,
  hashNormalisedInputs,
  parseSettlementInputs,
  readingsHashOfDer,
  readingsHashOfVpp,
  SETTLEMENT_FORMULA_VERSION,
  type SettlementInputs,
  settlementTieSeed,
} from './inputs';
import type { DerSettlementLine, VppSettlementLine } from './lines';

export const WH_PER_MWH = 1_000_000;
export const PERMILLE_DENOMINATOR = 1_000;

export interface SettlementResult {
  readonly vppLine: VppSettlementLine;
  /** One per DER, ordered by derId (code-unit order). */
  readonly derLines: readonly DerSettlementLine[];
  readonly inputsHash: string;
}

function toSafe(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw invalid(`${what} does not fit in a safe integer`);
  }
  return Number(value);
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

/** The part of the VPP's credit standing its settlement was computed with. */
export function standingSummary(standing: CreditStanding): StandingSummary {
  return {
    score: standing.score,
    level: standing.level,
    suspended: standing.suspended,
    penaltyFactorPermille: standing.penaltyFactorPermille,
    ruleVersion: standing.ruleVersion,
  };
}

export interface StandingSummary {
  readonly score: number;
  readonly level: string;
  readonly suspended: boolean;
  readonly penaltyFactorPermille: number;
  readonly ruleVersion: number;
}

/** What SettleInterval answers: the lines written, the delivery credit event and its score records. */
export interface SettlementOutcome {
  readonly vppLine: VppSettlementLine;
  readonly derLines: readonly DerSettlementLine[];
  readonly creditEvent: CreditEvent;
  readonly scoreRecords: readonly ScoreRecord[];
  /** The VPP's credit standing the penalty factor came from. */
  readonly standing: StandingSummary;
}
