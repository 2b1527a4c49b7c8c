/**
 * Which routes of this gateway a caller may use: the same rule the auth hook enforces (the route is
 * public, or it lists the caller's role and serves the gateway's organisation), read off the route
 * table, so that a client (the console) shows only what the gateway would allow and never decides
 * that itself.
 */
import type { OrgRole } from '../../../chaincode/src/api';
import type { RouteEntry } from '../app';
import { ApiError, forbidden } from './api-error';
import type { ApiRole } from './roles';

/** What a non-public route declares about its callers (`config.roles`, `config.orgs`). */
export interface RouteRule {
  readonly roles?: readonly ApiRole[];
  /** The organisations whose gateway serves the route; every one when absent. */
  readonly orgs?: readonly OrgRole[];
}

/**
 * Why a caller of `role` at `ownOrg`'s gateway may not call a non-public route, or undefined if it
 * may: the role first, so that a role refusal reads the same on every gateway. The one rule the auth
 * hook enforces and routesOpenTo reports.
 */
export function refusalOf(rule: RouteRule, role: ApiRole, ownOrg: OrgRole): ApiError | undefined {
  const roles = rule.roles ?? [];
  if (!roles.includes(role)) {
    return forbidden(`role ${role} may not call this route; allowed: ${roles.join(', ')}`);
  }
  if (rule.orgs !== undefined && !rule.orgs.includes(ownOrg)) {
    return new ApiError(
      403,
      'ORG_NOT_ALLOWED',
      `only the gateway of ${rule.orgs.join(', ')} serves this route; this is ${ownOrg}'s`,
    );
  }
  return undefined;
}

export interface OpenRoute {
  readonly method: string;
  readonly url: string;
}

export function routesOpenTo(table: readonly RouteEntry[], role: ApiRole, ownOrg: OrgRole): OpenRoute[] {
  return table
    .filter((route) => route.public || refusalOf(route, role, ownOrg) === undefined)
    .map(({ method, url }) => ({ method, url }))
    .sort((a, b) => (a.url === b.url ? a.method.localeCompare(b.method) : a.url.localeCompare(b.url)));
}
