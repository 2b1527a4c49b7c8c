// Dispatch: turning a VPP's award into power setpoints for its DERs, and the life of the resulting
// instruction (issued by the control centre, acknowledged once by the VPP operator).
//
// Unit choice: setpoints are in watts, because a DER is commanded in power and its availability is
// registered in watts. A reserve award is already in W. An energy award of E Wh over a delivery
// period of s seconds needs a constant power of E × 3600 / s W, rounded UP to a whole watt so that the
// award is delivered in full (the excess is below one watt over the period). This is consistent with
// checkReveal, which lets W watts back floor(W × s / 3600) Wh: any bid it accepted needs at most W.
// The setpoints sum exactly to that required power and are split in proportion to each DER's
// available watts (allocateProportionally), so no DER is ever asked for more than it has.
//
// Lifecycle choices:
// - Issuing is possible once the book is final (t >= revealDeadline) and before delivery starts;
//   otherwise INVALID_STATE. One instruction per (interval, VPP); the contract owns the key.
// - Acknowledging is possible once, and only before deliveryStart: an acknowledgement promises to
//   deliver, which means nothing once delivery has begun. A missing acknowledgement is then the
//   observable fact. Both violations are INVALID_STATE.

import {
  compareIds,
  invalid,
  ENTITY_ID,
  MARKET_ID,
  NON_NEGATIVE,
  POSITIVE,
  type QuantityUnit,
  requireId,
  requireInteger,
  requireIsoTimestamp,
  requireObject,
  requireOneOf,
  requireSortedList,
} from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';
import { allocateProportionally } from '../shared/allocation';
import { copyActor, isoMillis, parseActor, txMillis, type MarketActor } from './common';
import { MAX_DELIVERY_SECONDS } from './calendar';
import { awardedQuantityOfVpp, type ClearingResult } from './clearing';
import {
  deliverySeconds,
  KNOWN_MARKET_PRODUCTS,
  MarketProduct,
  quantityUnitOf,
  requireQuantityUnitOf,
  requireSameInterval,
  type MarketInterval,
} from './interval';

export interface AwardToSplit {
  readonly product: MarketProduct;
  /** Awarded quantity in the product's unit (Wh for energy, W for reserve); zero allowed. */
  readonly quantity: number;
  /** Whole seconds of the delivery period (deliverySeconds(interval)). */
  readonly deliverySeconds: number;
}

export interface DerAvailability {
  readonly derId: string;
  /** Power the DER can provide during the interval, in W. */
  readonly availableW: number;
}

export interface DerSetpoint {
  readonly derId: string;
  readonly setpointW: number;
}

/** Constant power in W that delivers the award over the delivery period (see module comment). */
export function requiredPowerW(award: AwardToSplit): number {
  const fields = { quantity: award.quantity, deliverySeconds: award.deliverySeconds };
  const quantity = requireInteger(fields, 'quantity', NON_NEGATIVE);
  const seconds = requireInteger(fields, 'deliverySeconds', NON_NEGATIVE);
  if (seconds < 1 || seconds > MAX_DELIVERY_SECONDS) {
    throw invalid(`deliverySeconds must be 1..${MAX_DELIVERY_SECONDS}`);
  }
  const product = requireOneOf({ product: award.product }, 'product', KNOWN_MARKET_PRODUCTS);
  if (product === MarketProduct.RESERVE) {
    return quantity;
  }
  const numerator = BigInt(quantity) * 3600n;
  const watts = (numerator + BigInt(seconds) - 1n) / BigInt(seconds);
  if (watts > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw invalid(`award of ${quantity} Wh over ${seconds} s needs more than ${Number.MAX_SAFE_INTEGER} W`);
  }
  return Number(watts);
}

/**
 * Setpoints (sorted by DER id) proportional to each DER's available power that sum exactly to
 * requiredPowerW(award). CAPACITY_NOT_BACKED if the DERs together cannot provide it. `seed` breaks
 * rounding ties (dispatchSeed(intervalId, vppId) for instructions), so every endorser agrees.
 */
export function splitAwardToSetpoints(
  award: AwardToSplit,
  ders: readonly DerAvailability[],
  seed: string,
): DerSetpoint[] {
  const required = requiredPowerW(award);
  const parties = ders.map((der) => {
    const fields = { derId: der.derId, availableW: der.availableW };
    return {
      id: requireId(fields, 'derId', ENTITY_ID),
      weight: requireInteger(fields, 'availableW', NON_NEGATIVE),
    };
  });
  const available = parties.reduce((sum, party) => sum + BigInt(party.weight), 0n);
  if (BigInt(required) > available) {
    throw new VppError(
      ErrorCode.CAPACITY_NOT_BACKED,
      `award needs ${required} W but the DERs provide only ${available} W`,
    );
  }
  return allocateProportionally(required, parties, seed)
    .map((share) => ({ derId: share.id, setpointW: share.amount }))
    .sort((a, b) => compareIds(a.derId, b.derId));
}

/** The tie-break seed of an instruction's split: distinct per interval and VPP. */
export function dispatchSeed(intervalId: string, vppId: string): string {
  return `dispatch/${intervalId}/${vppId}`;
}

// ---- instruction lifecycle ----

export const DispatchStatus = {
  ISSUED: 'issued',
  ACKNOWLEDGED: 'acknowledged',
} as const;

export type DispatchStatus = (typeof DispatchStatus)[keyof typeof DispatchStatus];

const KNOWN_DISPATCH_STATUSES: readonly DispatchStatus[] = Object.values(DispatchStatus);

export interface DispatchRequest {
  readonly intervalId: string;
  readonly vppId: string;
}

export interface DispatchInstruction extends DispatchRequest {
  readonly product: MarketProduct;
  /** Total awarded to the VPP in the interval, in quantityUnit. */
  readonly quantity: number;
  readonly quantityUnit: QuantityUnit;
  /** Σ setpoints: requiredPowerW of the award. */
  readonly requiredW: number;
  /** Sorted by DER id. */
  readonly setpoints: readonly DerSetpoint[];
  readonly status: DispatchStatus;
  readonly issuedAt: string;
  readonly issuedBy: MarketActor;
  /** Null until acknowledged. */
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: MarketActor | null;
}

const REQUEST_FIELDS = ['intervalId', 'vppId'] as const;
const INSTRUCTION_FIELDS = [
  ...REQUEST_FIELDS,
  'product',
  'quantity',
  'quantityUnit',
  'requiredW',
  'setpoints',
  'status',
  'issuedAt',
  'issuedBy',
  'acknowledgedAt',
  'acknowledgedBy',
] as const;
const SETPOINT_FIELDS = ['derId', 'setpointW'] as const;

export function parseDispatchRequest(value: unknown): DispatchRequest {
  const fields = requireObject(value, 'dispatch request', REQUEST_FIELDS);
  return {
    intervalId: requireId(fields, 'intervalId', MARKET_ID),
    vppId: requireId(fields, 'vppId', ENTITY_ID),
  };
}

export interface DispatchIssue {
  /** Raw client input (already JSON-parsed): { intervalId, vppId }. */
  readonly input: unknown;
  readonly interval: MarketInterval;
  /** The stored clearing result of the interval. */
  readonly clearing: ClearingResult;
  /** The VPP's registered, active DERs and their available power. */
  readonly ders: readonly DerAvailability[];
  readonly caller: MarketActor;
  /** Transaction timestamp, ISO-8601 UTC. */
  readonly txTime: string;
}

/**
 * The instruction to store. INVALID_STATE outside [revealDeadline, deliveryStart); NOT_FOUND if the
 * VPP has no award in the interval; CAPACITY_NOT_BACKED if its DERs cannot provide the award.
 */
export function buildDispatchInstruction(issue: DispatchIssue): DispatchInstruction {
  const request = parseDispatchRequest(issue.input);
  const { interval, clearing } = issue;
  if (request.intervalId !== interval.intervalId) {
    throw invalid(
      `request names interval ${request.intervalId} but interval ${interval.intervalId} was given`,
    );
  }
  requireSameInterval(interval, clearing.intervalId, 'clearing result');
  const now = txMillis(issue.txTime);
  if (now < isoMillis(interval.revealDeadline) || now >= isoMillis(interval.deliveryStart)) {
    throw new VppError(
      ErrorCode.INVALID_STATE,
      `dispatch for interval ${interval.intervalId} can be issued from ${interval.revealDeadline} ` +
        `until delivery starts at ${interval.deliveryStart}`,
    );
  }
  const quantity = awardedQuantityOfVpp(clearing, request.vppId);
  if (quantity === 0) {
    throw new VppError(
      ErrorCode.NOT_FOUND,
      `VPP ${request.vppId} has no award in interval ${interval.intervalId}`,
    );
  }
  const award = { product: interval.product, quantity, deliverySeconds: deliverySeconds(interval) };
  const setpoints = splitAwardToSetpoints(
    award,
    issue.ders,
    dispatchSeed(interval.intervalId, request.vppId),
  );
  return {
    ...request,
    product: interval.product,
    quantity,
    quantityUnit: quantityUnitOf(interval.product),
    requiredW: requiredPowerW(award),
    setpoints,
    status: DispatchStatus.ISSUED,
    issuedAt: issue.txTime,
    issuedBy: copyActor(issue.caller),
    acknowledgedAt: null,
    acknowledgedBy: null,
  };
}

export interface DispatchAcknowledgement {
  readonly instruction: DispatchInstruction;
  readonly interval: MarketInterval;
  readonly caller: MarketActor;
  /** Transaction timestamp, ISO-8601 UTC. */
  readonly txTime: string;
}

/**
 * The acknowledged instruction. INVALID_STATE if already acknowledged or if delivery has started.
 * That the caller operates the instruction's VPP is the contract's check.
 */
export function acknowledgeDispatch(ack: DispatchAcknowledgement): DispatchInstruction {
  const { instruction, interval } = ack;
  requireSameInterval(interval, instruction.intervalId, 'dispatch instruction');
  if (instruction.status !== DispatchStatus.ISSUED) {
    throw new VppError(
      ErrorCode.INVALID_STATE,
      `dispatch of VPP ${instruction.vppId} in interval ${interval.intervalId} was already acknowledged` +
        (instruction.acknowledgedAt === null ? '' : ` at ${instruction.acknowledgedAt}`),
    );
  }
  if (txMillis(ack.txTime) >= isoMillis(interval.deliveryStart)) {
    throw new VppError(
      ErrorCode.INVALID_STATE,
      `dispatch must be acknowledged before delivery starts at ${interval.deliveryStart}`,
    );
  }
  return {
    ...instruction,
    status: DispatchStatus.ACKNOWLEDGED,
    acknowledgedAt: ack.txTime,
    acknowledgedBy: copyActor(ack.caller),
  };
}

function parseSetpoint(value: unknown, what: string): DerSetpoint {
  const fields = requireObject(value, what, SETPOINT_FIELDS);
  return {
    derId: requireId(fields, 'derId', ENTITY_ID),
    setpointW: requireInteger(fields, 'setpointW', NON_NEGATIVE),
  };
}

/** Decoder for stored instructions: shape, units, sums and status/acknowledgement consistency. */
export function parseStoredDispatchInstruction(value: unknown): DispatchInstruction {
  const fields = requireObject(value, 'stored dispatch instruction', INSTRUCTION_FIELDS);
  const request = parseDispatchRequest({ intervalId: fields.intervalId, vppId: fields.vppId });
  const product = requireOneOf(fields, 'product', KNOWN_MARKET_PRODUCTS);
  const quantityUnit = requireQuantityUnitOf(fields, product);
  const setpoints = requireSortedList(
    fields,
    'setpoints',
    parseSetpoint,
    (setpoint) => setpoint.derId,
    'derId',
  );
  const requiredW = requireInteger(fields, 'requiredW', NON_NEGATIVE);
  if (setpoints.reduce((sum, setpoint) => sum + setpoint.setpointW, 0) !== requiredW) {
    throw invalid('setpoints must sum to requiredW');
  }
  const status = requireOneOf(fields, 'status', KNOWN_DISPATCH_STATUSES);
  const acknowledged = status === DispatchStatus.ACKNOWLEDGED;
  const acknowledgedAt = acknowledged ? requireIsoTimestamp(fields, 'acknowledgedAt') : null;
  const acknowledgedBy = acknowledged ? parseActor(fields.acknowledgedBy, 'acknowledgedBy') : null;
  if (!acknowledged && (fields.acknowledgedAt !== null || fields.acknowledgedBy !== null)) {
    throw invalid('acknowledgedAt and acknowledgedBy must be null until acknowledged');
  }
  return {
    ...request,
    product,
    quantity: requireInteger(fields, 'quantity', POSITIVE),
    quantityUnit,
    requiredW,
    setpoints,
    status,
    issuedAt: requireIsoTimestamp(fields, 'issuedAt'),
    issuedBy: parseActor(fields.issuedBy, 'issuedBy'),
    acknowledgedAt,
    acknowledgedBy,
  };
}
