// What stands behind a VPP's bids and dispatch instructions: its registered DERs.
//
// - A bid is backed by the DERs that are active AND whose device certificate is valid: a DER whose
//   measurements cannot be trusted (revoked certificate) cannot promise flexibility.
// - A setpoint can go to every active DER; its available power is its registered capacity.
//
// A VPP may hold several bids in one interval. Each reveal is then checked against what is left of
// the VPP's quota and capacity after the bids it has already revealed there:
// - quota: quota − Σ totals of the earlier bids (same unit, exact);
// - capacity: capacityW − Σ requiredPowerW(earlier bid totals), i.e. every revealed bid reserves the
//   constant power its full quantity would need (dispatch's rounding, up to the next watt). So all of
//   a VPP's bids together never need more power than its DERs have, which is what dispatch needs.
//   Splitting an offer into several bids can cost up to one watt of headroom per bid.

import { ErrorCode, VppError } from '../../types/errors';
import type { Der } from '../registry/der';
import { requiredPowerW, type DerAvailability } from './dispatch';
import { deliverySeconds, type MarketInterval } from './interval';

function requireOwnDers(ders: readonly Der[], vppId: string): void {
  const foreign = ders.find((der) => der.vppId !== vppId);
  if (foreign !== undefined) {
    throw new VppError(
      ErrorCode.INTERNAL,
      `der ${foreign.derId} of vpp ${foreign.vppId} is indexed under vpp ${vppId}`,
    );
  }
}

/** Σ capacityW of the VPP's DERs that are active with a valid certificate. */
export function backedCapacityW(ders: readonly Der[], vppId: string): number {
  requireOwnDers(ders, vppId);
  return ders
    .filter((der) => der.status === 'active' && der.certificate.status === 'valid')
    .reduce((sum, der) => sum + der.capacityW, 0);
}

/** The VPP's active DERs with their registered capacity as available power, in the given order. */
export function availableDers(ders: readonly Der[], vppId: string): DerAvailability[] {
  requireOwnDers(ders, vppId);
  return ders
    .filter((der) => der.status === 'active')
    .map((der) => ({ derId: der.derId, availableW: der.capacityW }));
}

/** What is left of `quota` after the totals of the VPP's bids already revealed (never negative). */
export function remainingQuota(quota: number, offered: readonly number[]): number {
  return Math.max(
    0,
    offered.reduce((left, quantity) => left - quantity, quota),
  );
}

/**
 * What is left of `capacityW` after the constant power the VPP's already revealed bids (their total
 * quantities, in the interval product's unit) would need at dispatch (never negative).
 */
export function remainingCapacityW(
  interval: MarketInterval,
  capacityW: number,
  offered: readonly number[],
): number {
  const seconds = deliverySeconds(interval);
  const reserved = offered.reduce(
    (sum, quantity) =>
      sum + requiredPowerW({ product: interval.product, quantity, deliverySeconds: seconds }),
    0,
  );
  return Math.max(0, capacityW - reserved);
}
