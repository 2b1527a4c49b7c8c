// A virtual power plant: the unit that owns DERs, bids in the market and is settled. Run by the CVPP
// organisation; its fee (basis points of revenue, taken before the DERs are paid) is public so every
// DER owner can recompute a statement.

import {
  DISPLAY_NAME_RULE,
  ENTITY_ID,
  invalid,
  requireId,
  requireInteger,
  requireIsoTimestamp,
  requireObject,
  requireText,
} from '../../rules';
import { MspId } from '../../types/consortium';
import { ErrorCode, VppError } from '../../types/errors';

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

/** One page of the registered VPPs in id order (ListVpps); bookmark '' on the last page. */
export interface VppPage {
  readonly vpps: readonly Vpp[];
  readonly bookmark: string;
}

const INPUT_FIELDS = ['vppId', 'displayName', 'feeBps'] as const;
const STORED_FIELDS = [...INPUT_FIELDS, 'operatorMspId', 'registeredAt', 'registeredBy'] as const;

export function parseVppInput(value: unknown): VppInput {
  const fields = requireObject(value, 'vpp', INPUT_FIELDS);
  return {
    vppId: requireId(fields, 'vppId', ENTITY_ID),
    displayName: requireText(fields, 'displayName', DISPLAY_NAME_RULE),
    feeBps: requireInteger(fields, 'feeBps', { min: 0, max: MAX_FEE_BPS }),
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
