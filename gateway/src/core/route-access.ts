/**
 * Which routes of this gateway a caller may use: the same rule the auth hook enforces (the route is
 * public, or it lists the caller's role and serves the gateway's organisation), read off the route
 * table, so that a client (the console) shows only what the gateway would allow and never decides
 * that itself.
 */
import type { OrgRole } from '../../../chaincode/src/api';
import type { RouteEntry } from '../app';
import type { ApiRole } from './roles';

export interface OpenRoute {
  readonly method: string;
  readonly url: string;
}

export function routesOpenTo(table: readonly RouteEntry[], role: ApiRole, ownOrg: OrgRole): OpenRoute[] {
  return table
    .filter((route) => route.public || (route.roles.includes(role) && route.orgs.includes(ownOrg)))
    .map(({ method, url }) => ({ method, url }))
    .sort((a, b) => (a.url === b.url ? a.method.localeCompare(b.method) : a.url.localeCompare(b.url)));
}
