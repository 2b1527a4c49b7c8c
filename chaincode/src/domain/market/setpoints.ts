// The VPP operator's split of an acknowledged dispatch instruction into one setpoint record per DER.
//
// The instruction already carries the control centre's planned split, made when it was issued. The
// allocation is the operator's binding split: the same pure rule (splitAwardToSetpoints, same seed)
// applied to the DERs that are active at allocation time. If no DER changed in between it equals the
// plan; a DER suspended since then gets nothing and the others take its share (CAPACITY_NOT_BACKED
// if they cannot). The setpoints sum exactly to the instruction's required power (requiredPowerW:
// the award itself for reserve, the constant power delivering the awarded energy for energy).
//
// Lifecycle choices: allocation needs an acknowledged instruction (INVALID_STATE before), happens once
// per instruction (ALREADY_EXISTS after) and only before delivery starts (INVALID_STATE after).
// Every active DER gets a record, zero setpoints included, so each DER is told explicitly.

import {
  invalid,
  ENTITY_ID,
  MARKET_ID,
  NON_NEGATIVE,
  requireId,
  requireInteger,
  requireIsoTimestamp,
  requireObject,
  requireOneOf,
  TX_ID,
} from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';
import { copyActor, isoMillis, parseActor, txMillis, type MarketActor } from './common';
import {
  dispatchSeed,
  DispatchStatus,
  splitAwardToSetpoints,
  type DerAvailability,
  type DispatchInstruction,
} from './dispatch';
import {
  deliverySeconds,
  KNOWN_MARKET_PRODUCTS,
  requireSameInterval,
  type MarketInterval,
  type MarketProduct,
} from './interval';

export interface DerSetpointRecord {
  readonly intervalId: string;
  readonly vppId: string;
  readonly derId: string;
  /** Constant power the DER is to provide over the delivery period, in W. */
  readonly setpointW: number;
  readonly product: MarketProduct;
  readonly deliveryStart: string;
  readonly deliveryEnd: string;
  /** Transaction time of the allocation, ISO-8601 UTC. */
  readonly allocatedAt: string;
  readonly allocatedBy: MarketActor;
  readonly txId: string;
}

const FIELDS = [
  'intervalId',
  'vppId',
  'derId',
  'setpointW',
  'product',
  'deliveryStart',
  'deliveryEnd',
  'allocatedAt',
  'allocatedBy',
  'txId',
] as const;

export interface SetpointAllocation {
  readonly instruction: DispatchInstruction;
  readonly interval: MarketInterval;
  /** The VPP's active DERs and their available power now. */
  readonly ders: readonly DerAvailability[];
  /** Whether setpoint records of this instruction are already stored. */
  readonly alreadyAllocated: boolean;
  readonly caller: MarketActor;
  /** Transaction timestamp, ISO-8601 UTC. */
  readonly txTime: string;
  readonly txId: string;
}

/** One record per DER, sorted by DER id, summing to the instruction's requiredW. */
export function allocateSetpoints(allocation: SetpointAllocation): DerSetpointRecord[] {
  const { instruction, interval } = allocation;
  requireSameInterval(interval, instruction.intervalId, 'dispatch instruction');
  const where = `dispatch of VPP ${instruction.vppId} in interval ${interval.intervalId}`;
  if (allocation.alreadyAllocated) {
    throw new VppError(ErrorCode.ALREADY_EXISTS, `setpoints for the ${where} are already allocated`);
  }
  if (instruction.status !== DispatchStatus.ACKNOWLEDGED) {
    throw new VppError(ErrorCode.INVALID_STATE, `the ${where} must be acknowledged before allocation`);
  }
  if (txMillis(allocation.txTime) >= isoMillis(interval.deliveryStart)) {
    throw new VppError(
      ErrorCode.INVALID_STATE,
      `setpoints must be allocated before delivery starts at ${interval.deliveryStart}`,
    );
  }
  const award = {
    product: interval.product,
    quantity: instruction.quantity,
    deliverySeconds: deliverySeconds(interval),
  };
  const setpoints = splitAwardToSetpoints(
    award,
    allocation.ders,
    dispatchSeed(interval.intervalId, instruction.vppId),
  );
  const allocatedBy = copyActor(allocation.caller);
  const txId = requireId({ txId: allocation.txId }, 'txId', TX_ID);
  return setpoints.map((setpoint) => ({
    intervalId: interval.intervalId,
    vppId: instruction.vppId,
    derId: setpoint.derId,
    setpointW: setpoint.setpointW,
    product: interval.product,
    deliveryStart: interval.deliveryStart,
    deliveryEnd: interval.deliveryEnd,
    allocatedAt: allocation.txTime,
    allocatedBy,
    txId,
  }));
}

export function parseStoredSetpoint(value: unknown): DerSetpointRecord {
  const fields = requireObject(value, 'stored der setpoint', FIELDS);
  const deliveryStart = requireIsoTimestamp(fields, 'deliveryStart');
  const deliveryEnd = requireIsoTimestamp(fields, 'deliveryEnd');
  if (!(isoMillis(deliveryStart) < isoMillis(deliveryEnd))) {
    throw invalid('deliveryStart must be before deliveryEnd');
  }
  return {
    intervalId: requireId(fields, 'intervalId', MARKET_ID),
    vppId: requireId(fields, 'vppId', ENTITY_ID),
    derId: requireId(fields, 'derId', ENTITY_ID),
    setpointW: requireInteger(fields, 'setpointW', NON_NEGATIVE),
    product: requireOneOf(fields, 'product', KNOWN_MARKET_PRODUCTS),
    deliveryStart,
    deliveryEnd,
    allocatedAt: requireIsoTimestamp(fields, 'allocatedAt'),
    allocatedBy: parseActor(fields.allocatedBy, 'allocatedBy'),
    txId: requireId(fields, 'txId', TX_ID),
  };
}

/** What AllocateSetpoints wrote: one record per active DER, summing to requiredW. */
export interface AllocatedSetpoints {
  readonly intervalId: string;
  readonly vppId: string;
  readonly requiredW: number;
  readonly setpoints: readonly DerSetpointRecord[];
}

/** An instruction with its setpoint records, empty until allocated (GetDispatch). */
export interface DispatchView {
  readonly instruction: DispatchInstruction;
  readonly setpoints: readonly DerSetpointRecord[];
}
