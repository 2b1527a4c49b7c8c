// Bid quotas: the most a VPP may offer in one interval, summed over all its bids there. Until credit
// ratings exist the regulator sets one quota per VPP by hand; the contract reads it through a single
// function (quotaOfVpp), which a credit level can later replace without touching the reveal rules.
//
// Unit choice: the quota is one plain number compared with bid quantities in the interval product's
// own unit (Wh for energy intervals, W for reserve intervals), exactly as checkReveal's quotaForVpp.
// A VPP without a quota record may not reveal at all (QUOTA_EXCEEDED); a quota of 0 blocks it too.

import {
  invalid,
  isIntegerIn,
  ENTITY_ID,
  NON_NEGATIVE,
  requireId,
  requireInteger,
  requireIsoTimestamp,
  requireObject,
  TX_ID,
} from '../../rules';
import { ErrorCode, isVppError, VppError } from '../../types/errors';
import { copyActor, parseActor, type MarketActor } from './common';

export interface VppQuota {
  readonly vppId: string;
  /** Non-negative; in the unit of the product of the interval it is applied to. */
  readonly quantity: number;
  /** Transaction time of the last change, ISO-8601 UTC. */
  readonly setAt: string;
  readonly setBy: MarketActor;
  readonly txId: string;
}

const FIELDS = ['vppId', 'quantity', 'setAt', 'setBy', 'txId'] as const;

/** Decimal digits only, no sign, no leading zeros, no exponent: what a transaction argument carries. */
const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** Parses a quota given as a transaction argument (text), e.g. "250000". */
export function parseQuotaQuantity(raw: unknown): number {
  const value = typeof raw === 'string' && DECIMAL.test(raw) ? Number(raw) : NaN;
  if (!isIntegerIn(value, NON_NEGATIVE)) {
    throw invalid('quantity must be a non-negative integer written in decimal digits');
  }
  return value;
}

export interface QuotaSetting {
  readonly vppId: unknown;
  /** As the transaction argument carries it: decimal text. */
  readonly quantity: unknown;
  readonly caller: MarketActor;
  /** Transaction timestamp, ISO-8601 UTC. */
  readonly txTime: string;
  readonly txId: string;
}

/** The quota record to store; it replaces any earlier quota of the VPP. */
export function buildVppQuota(setting: QuotaSetting): VppQuota {
  return {
    vppId: requireId({ vppId: setting.vppId }, 'vppId', ENTITY_ID),
    quantity: parseQuotaQuantity(setting.quantity),
    setAt: requireIsoTimestamp({ setAt: setting.txTime }, 'setAt'),
    setBy: copyActor(setting.caller),
    txId: requireId({ txId: setting.txId }, 'txId', TX_ID),
  };
}

export function parseStoredVppQuota(value: unknown): VppQuota {
  const fields = requireObject(value, 'stored vpp quota', FIELDS);
  return {
    vppId: requireId(fields, 'vppId', ENTITY_ID),
    quantity: requireInteger(fields, 'quantity', NON_NEGATIVE),
    setAt: requireIsoTimestamp(fields, 'setAt'),
    setBy: parseActor(fields.setBy, 'setBy'),
    txId: requireId(fields, 'txId', TX_ID),
  };
}

/**
 * Runs a reveal check for a VPP; when the VPP has no quota record at all (`missing`), a quota refusal
 * says so, instead of naming a quota of 0 the regulator never set.
 */
export function explainMissingQuota<T>(missing: boolean, vppId: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (missing && isVppError(err) && err.code === ErrorCode.QUOTA_EXCEEDED) {
      throw new VppError(
        ErrorCode.QUOTA_EXCEEDED,
        `vpp ${vppId} has no bid quota: the regulator has not set one, so it cannot bid`,
      );
    }
    throw err;
  }
}
