// Keys of settlement: one line per interval and VPP, one per DER, and the indexes statements scan.

import { DAY_PATTERN, MONTH_PATTERN } from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';
import { compositeKey, keyPrefix, type KeyPrefix } from './composite-key';
import {
  SETTLEMENT_VPP,
  SETTLEMENT_DER,
  SETTLEMENT_DER_BY_VPP,
  SETTLEMENT_DER_BY_PERIOD,
  SETTLEMENT_VPP_BY_PERIOD,
} from './object-types';

// ---- settlement: one line per interval and VPP, one per DER; no shared balance key ----
//
// The VPP line and each DER line are written once, by the settling transaction, under keys of their
// own, so settlements of different intervals or VPPs never touch the same key. Three index entries
// (each holding only an id) make every read one prefix scan: the DER lines of one settlement, and
// the lines of one DER or one VPP in one month or day (the periods of settlement statements).

/** The VPP's settlement line of one interval; its presence is what makes settlement run once. */
export function settlementVppKey(intervalId: string, vppId: string): string {
  return compositeKey(SETTLEMENT_VPP, [intervalId, vppId]);
}

/** One DER's settlement line of one interval. */
export function settlementDerKey(derId: string, intervalId: string): string {
  return compositeKey(SETTLEMENT_DER, [derId, intervalId]);
}

/** Index entry (value: the DER id): DER `derId` has a line in the settlement of (interval, VPP). */
export function settlementDerByVppKey(intervalId: string, vppId: string, derId: string): string {
  return compositeKey(SETTLEMENT_DER_BY_VPP, [intervalId, vppId, derId]);
}

/** The DER lines of one settlement. */
export function settlementDerByVppPrefix(intervalId: string, vppId: string): KeyPrefix {
  return keyPrefix(SETTLEMENT_DER_BY_VPP, [intervalId, vppId]);
}

/**
 * The statement periods a settled interval's start falls in, UTC: its month `YYYY-MM` and, if given,
 * its day `YYYY-MM-DD` of that month. Both sort as text in time order.
 */
function periodParts(month: string, day?: string): string[] {
  if (!MONTH_PATTERN.test(month)) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `month ${month} is not of the form YYYY-MM`);
  }
  if (day === undefined) return [month];
  if (!DAY_PATTERN.test(day) || !day.startsWith(`${month}-`)) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `day ${day} is not a YYYY-MM-DD day of month ${month}`);
  }
  return [month, day];
}

/**
 * DER-side index entry (value: the interval id): the DER has a line for `intervalId`, whose interval
 * starts in `month` on `day`. A DER's statement of a month or a day is one prefix scan.
 */
export function settlementDerByPeriodKey(
  derId: string,
  month: string,
  day: string,
  intervalId: string,
): string {
  return compositeKey(SETTLEMENT_DER_BY_PERIOD, [derId, ...periodParts(month, day), intervalId]);
}

/** The DER's lines of a month (`YYYY-MM`), or of one day of it (`YYYY-MM-DD`), in day order. */
export function settlementDerByPeriodPrefix(derId: string, month: string, day?: string): KeyPrefix {
  return keyPrefix(SETTLEMENT_DER_BY_PERIOD, [derId, ...periodParts(month, day)]);
}

/** VPP-side index entry (value: the interval id), as settlementDerByPeriodKey. */
export function settlementVppByPeriodKey(
  vppId: string,
  month: string,
  day: string,
  intervalId: string,
): string {
  return compositeKey(SETTLEMENT_VPP_BY_PERIOD, [vppId, ...periodParts(month, day), intervalId]);
}

/** The VPP's lines of a month (`YYYY-MM`), or of one day of it (`YYYY-MM-DD`), in day order. */
export function settlementVppByPeriodPrefix(vppId: string, month: string, day?: string): KeyPrefix {
  return keyPrefix(SETTLEMENT_VPP_BY_PERIOD, [vppId, ...periodParts(month, day)]);
}
