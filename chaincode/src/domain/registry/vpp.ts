// A virtual power plant: the unit that owns DERs, bids in the market and is settled. Run by the CVPP
// organisation; its fee (basis points of revenue, taken before the DERs are paid) is public so every
// DER owner can recompute a statement.

import { MspId } from '../../types/consortium';
import { ErrorCode, VppError } from '../../types/errors';
import { invalid, requireIsoTimestamp, requireObject, requireText, type Fields } from '../validate';

/** Identifiers used in keys and certificates: short, ASCII, no separators that need escaping. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function requireId(fields: Fields, field: string): string {
  const raw = fields[field];
  if (typeof raw !== 'string' || !ID_PATTERN.test(raw)) {
    throw invalid(
      `${field} must be 1..64 characters of A-Z, a-z, 0-9, '.', '_' or '-', starting alphanumeric`,
    );
  }
  return raw;
}

/** A non-negative safe integer no larger than `max`. */
export function requireIntegerInRange(fields: Fields, field: string, min: number, max: number): number {
  const raw = fields[field];
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < min || raw > max) {
    throw invalid(`${field} must be an integer in ${min}..${max}`);
  }
  return raw;
}

export const MAX_FEE_BPS = 10_000;

export interface VppInput {
  readonly vppId: string;
  readonly displayName: string;
  /** The operator's fee in basis points of the VPP's net revenue. */
  readonly feeBps: number;
}

export interface Vpp extends VppInput {
  readonly operatorMspId: MspId;
  readonly registeredAt: string;
  readonly registeredBy: string;
}

const INPUT_FIELDS = ['vppId', 'displayName', 'feeBps'] as const;
const STORED_FIELDS = [...INPUT_FIELDS, 'operatorMspId', 'registeredAt', 'registeredBy'] as const;

export function parseVppInput(value: unknown): VppInput {
  const fields = requireObject(value, 'vpp', INPUT_FIELDS);
  return {
    vppId: requireId(fields, 'vppId'),
    displayName: requireText(fields, 'displayName', { min: 1, max: 100 }),
    feeBps: requireIntegerInRange(fields, 'feeBps', 0, MAX_FEE_BPS),
  };
}

export function buildVpp(input: VppInput, previous: Vpp | undefined, registeredBy: string, at: string): Vpp {
  if (previous !== undefined) {
    throw new VppError(ErrorCode.ALREADY_EXISTS, `vpp ${input.vppId} is already registered`);
  }
  return { ...input, operatorMspId: MspId.CVPP, registeredAt: at, registeredBy };
}

export function parseStoredVpp(value: unknown): Vpp {
  const fields = requireObject(value, 'stored vpp', STORED_FIELDS);
  const input = parseVppInput({
    vppId: fields.vppId,
    displayName: fields.displayName,
    feeBps: fields.feeBps,
  });
  if (fields.operatorMspId !== MspId.CVPP) throw invalid('operatorMspId must be CvppMSP');
  return {
    ...input,
    operatorMspId: MspId.CVPP,
    registeredAt: requireIsoTimestamp(fields, 'registeredAt'),
    registeredBy: requireText(fields, 'registeredBy', { min: 1, max: 256 }),
  };
}
