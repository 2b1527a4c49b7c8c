/** API roles: the `vpp.role` values a person's certificate may carry (devices do not use the REST API). */
import { Role } from '../../../chaincode/src/api';

export const API_ROLES = [Role.OPERATOR, Role.TRADING, Role.CONTROL, Role.REGULATOR, Role.ADMIN] as const;
export type ApiRole = (typeof API_ROLES)[number];

export function isApiRole(value: unknown): value is ApiRole {
  return typeof value === 'string' && (API_ROLES as readonly string[]).includes(value);
}

/** Every API role: for routes any authenticated member of the org may call. */
export const ANY_ROLE: readonly ApiRole[] = API_ROLES;
