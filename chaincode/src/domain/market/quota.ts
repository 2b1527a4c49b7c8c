// Bid quotas: the most a VPP may offer in one interval, summed over all its bids there. A VPP's quota
// is the one the regulator set for it (SetVppQuota, stored here), else its credit level's
// (bidQuotaWh); the market reads it through one function, services/market-reads.ts quotaOfVpp.
//
// Unit rule: every quota, from either source, is energy per interval in Wh, so the regulator's quota
// replaces the level's like for like. An energy interval compares it with bid totals in Wh as it is.
// A reserve interval trades power in W held for its whole delivery period, and P W held for s seconds
// is P × s / 3600 Wh if fully called (the relation backedQuantity applies to capacity), so there the
// quota is floor(Wh × 3600 / s) W (quotaInProductUnit): rounded down, because a quota is a ceiling. One
// figure thus bounds the energy a VPP may commit in an interval whatever the product; a separate W
// quota per level would change the rulebook format without meaning anything different.
// A VPP with no quota at all (no record and no rulebook yet) may not reveal (QUOTA_EXCEEDED); a quota
// of 0 (set so, or while suspended) blocks it too.

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
import { deliverySeconds, MarketProduct, type MarketIntervalInput } from './interval';

export interface VppQuota {
  readonly vppId: string;
  /** Non-negative, in Wh per interval (quotaInProductUnit gives it in a reserve interval's W). */
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
 * A quota in Wh as the limit on bid totals in `interval`'s product unit: the Wh themselves for energy,
 * floor(Wh × 3600 / delivery seconds) W for reserve (see the module comment). Capped at
 * Number.MAX_SAFE_INTEGER, like backedQuantity, so comparing it with a quantity stays exact.
 */
export function quotaInProductUnit(interval: MarketIntervalInput, quotaWh: number): number {
  if (!isIntegerIn(quotaWh, NON_NEGATIVE)) {
    throw invalid(`quota must be a non-negative integer number of watt-hours, got ${quotaWh}`);
  }
  if (interval.product !== MarketProduct.RESERVE) {
    return quotaWh;
  }
  const watts = (BigInt(quotaWh) * 3600n) / BigInt(deliverySeconds(interval));
  return watts > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(watts);
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
