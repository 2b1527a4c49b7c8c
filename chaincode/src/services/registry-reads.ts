// Registry records as the other contracts read them: a VPP (and whether the caller's organisation
// runs it), a DER, and the DERs of a VPP.

import type { Context } from 'fabric-contract-api';
import { parseStoredDer, type Der } from '../domain/registry/der';
import { parseStoredVpp, type Vpp } from '../domain/registry/vpp';
import { derByVppPrefix, derKey, vppKey } from '../encoding/keys';
import type { Actor } from '../ledger/identity';
import { indexEntry, requireState, requireStates, scanPrefix } from '../ledger/store';
import { ENTITY_ID, requireId } from '../rules';
import { ErrorCode, VppError } from '../types/errors';

/** Index entries of the registry (DERs by VPP, DERs by certificate serial) hold a DER id. */
export const derIdEntry = indexEntry('a DER id');

/** The VPP (NOT_FOUND if it is not registered). */
export async function requireVpp(ctx: Context, vppId: string): Promise<Vpp> {
  return requireState(ctx, vppKey(vppId), parseStoredVpp, `vpp ${vppId}`);
}

/** The DER (NOT_FOUND if it is not registered). */
export async function requireDer(ctx: Context, derId: string): Promise<Der> {
  return requireState(ctx, derKey(derId), parseStoredDer, `der ${derId}`);
}

/**
 * The VPP named in a market, dispatch or settlement request, which must exist (NOT_FOUND) and be run
 * by the caller's organisation (FORBIDDEN).
 */
export async function requireOperatedVpp(ctx: Context, vppId: string, caller: Actor): Promise<Vpp> {
  requireId({ vppId }, 'vppId', ENTITY_ID);
  const vpp = await requireVpp(ctx, vppId);
  if (vpp.operatorMspId !== caller.mspId) {
    throw new VppError(
      ErrorCode.FORBIDDEN,
      `vpp ${vppId} is operated by ${vpp.operatorMspId}, not by ${caller.mspId}`,
    );
  }
  return vpp;
}

/**
 * Every DER registered under the VPP, in DER id order: one scan of the index, then the DERs in batched
 * reads (state-batching.ts). An index entry without its DER is NOT_FOUND, as a single read would say.
 */
export async function dersOfVpp(ctx: Context, vppId: string): Promise<Der[]> {
  const derIds = (await scanPrefix(ctx, derByVppPrefix(vppId), derIdEntry)).map((entry) => entry.value);
  return requireStates(
    ctx,
    derIds.map(derKey),
    parseStoredDer,
    (i) => new VppError(ErrorCode.NOT_FOUND, `der ${derIds[i]} does not exist`),
  );
}
