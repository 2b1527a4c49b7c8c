// Caller checks. Fabric has already verified the certificate chain and channel membership; these
// helpers decide what an authenticated caller may do, from its MSP ID and its `vpp.role` attribute.
// Wrong MSP or wrong role are both FORBIDDEN: the caller is known, just not allowed.

import type { Context } from 'fabric-contract-api';
import { isKnownRole, ROLE_ATTRIBUTE, type Authority, type MspId, type Role } from '../types/consortium';
import { ErrorCode, VppError } from '../types/errors';

export function callerMspId(ctx: Context): string {
  return ctx.clientIdentity.getMSPID();
}

/** The caller's role, or undefined if the attribute is missing or not a role we know. */
export function callerRole(ctx: Context): Role | undefined {
  const value = ctx.clientIdentity.getAttributeValue(ROLE_ATTRIBUTE);
  return typeof value === 'string' && isKnownRole(value) ? value : undefined;
}

/** Returns the caller's MSP ID if it is one of `allowed`, else throws FORBIDDEN. */
export function requireMsp(ctx: Context, allowed: readonly MspId[]): MspId {
  const mspId = callerMspId(ctx);
  const match = allowed.find((candidate) => candidate === mspId);
  if (match === undefined) {
    throw new VppError(
      ErrorCode.FORBIDDEN,
      `caller organisation ${JSON.stringify(mspId)} is not allowed; expected one of ${allowed.join(', ')}`,
    );
  }
  return match;
}

/** Returns the caller's role if it is one of `roles`, else throws FORBIDDEN. */
export function requireRole(ctx: Context, roles: readonly Role[]): Role {
  const role = callerRole(ctx);
  if (role === undefined || !roles.includes(role)) {
    const held = ctx.clientIdentity.getAttributeValue(ROLE_ATTRIBUTE);
    const described = held === null ? `no ${ROLE_ATTRIBUTE} attribute` : `role ${JSON.stringify(held)}`;
    throw new VppError(
      ErrorCode.FORBIDDEN,
      `caller with ${described} is not allowed; requires ${ROLE_ATTRIBUTE} in ${roles.join(', ')}`,
    );
  }
  return role;
}

/** The caller as records name it: its organisation and the role it acted in. */
export interface Actor {
  readonly mspId: MspId;
  readonly role: Role;
}

/**
 * FORBIDDEN unless one of `authorities` lets the caller's MSP act in the caller's role (the MSP is
 * checked first, so a foreign organisation learns nothing about roles); returns the caller.
 */
export function requireActor(ctx: Context, ...authorities: Authority[]): Actor {
  const allowed: Authority = Object.assign({}, ...authorities);
  const mspId = requireMsp(ctx, Object.keys(allowed) as MspId[]);
  const role = requireRole(ctx, allowed[mspId] ?? []);
  return { mspId, role };
}

/**
 * `<MSP ID>/<certificate CN>` of the caller, as records name their author (`CvppMSP/cvppadmin`).
 * fabric-shim's getID() is `x509::<subject DN>::<issuer DN>`; the CN is the enrollment id.
 */
export function callerName(ctx: Context): string {
  const subject = ctx.clientIdentity.getID().split('::')[1] ?? '';
  const cn = /(?:^|[/,])CN=([^/,]+)/.exec(subject)?.[1] ?? 'unknown';
  return `${callerMspId(ctx)}/${cn}`;
}
