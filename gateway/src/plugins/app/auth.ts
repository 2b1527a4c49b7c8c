/**
 * Authentication and the first role check. Login enrolls the caller with the org's CA (first time)
 * or reuses the key and certificate the gateway keeps for it, and returns a short-lived HMAC token.
 * Every non-public request re-checks the token, the revoked set and the route's declared roles.
 */
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isKnownMspId, ORG_ROLE_BY_MSP, ROLE_ATTRIBUTE, type OrgRole } from '../../../../chaincode/src/api';
import { forbidden, unauthorized } from '../../core/api-error';
import { IdentityStore } from '../../core/identity-store';
import { isApiRole, type ApiRole } from '../../core/roles';
import { refusalOf } from '../../core/route-access';
import { issueToken, verifyToken } from '../../core/token';
import { fabricAttrsOf, serialOf } from '../../core/x509';
import type { GatewayConfig } from '../../config';

/** The authenticated caller of a request, as its token names it. */
export interface Caller {
  enrollmentId: string;
  role: ApiRole;
  /** Serial of the certificate that signs this caller's transactions. */
  serial: string;
  mspId: string;
}

export interface LoginResult {
  token: string;
  tokenType: 'Bearer';
  expiresAt: string;
  expiresIn: number;
  enrollmentId: string;
  role: ApiRole;
  mspId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
  interface FastifyInstance {
    auth: { login(enrollmentId: string, secret: string): Promise<LoginResult> };
  }
}

/** The caller of a non-public route (set by the auth hook before the handler runs). */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw unauthorized('UNAUTHENTICATED', 'a bearer token is required');
  return request.caller;
}

/** The part the gateway's own organisation plays (what `config.orgs` of a route names). */
export function orgRoleOf(mspId: string): OrgRole {
  if (!isKnownMspId(mspId)) throw new Error(`${mspId} is not an MSP of the consortium`);
  return ORG_ROLE_BY_MSP[mspId];
}

const badCredentials = () => unauthorized('INVALID_CREDENTIALS', 'unknown enrollment id or wrong secret');

export default fp(
  async (app, opts: { config: GatewayConfig }) => {
    const store = app.identities;
    const secret = store.tokenSecret();
    const mspId = opts.config.org.mspId;
    const ownOrg = orgRoleOf(mspId);
    // One login at a time per identity: a first enrollment must not race a second one.
    const pending = new Map<string, Promise<unknown>>();

    async function enrollOrReuse(enrollmentId: string, loginSecret: string) {
      const stored = store.get(enrollmentId);
      if (stored) {
        if (!store.checkSecret(enrollmentId, loginSecret)) throw badCredentials();
        return stored;
      }
      const { certPem, key } = await app.ra.enroll(enrollmentId, loginSecret);
      const role = fabricAttrsOf(certPem)[ROLE_ATTRIBUTE];
      if (!isApiRole(role)) {
        throw forbidden(
          `the certificate of ${enrollmentId} carries no API role (${ROLE_ATTRIBUTE}=${role ?? 'none'})`,
        );
      }
      const identity = { enrollmentId, role, serial: serialOf(certPem), certPem, ...key };
      store.put(identity, loginSecret);
      return identity;
    }

    async function login(enrollmentId: string, loginSecret: string): Promise<LoginResult> {
      if (!IdentityStore.isValidId(enrollmentId)) throw badCredentials();
      while (pending.has(enrollmentId)) await pending.get(enrollmentId)?.catch(() => undefined);
      const work = enrollOrReuse(enrollmentId, loginSecret);
      pending.set(enrollmentId, work);
      try {
        const identity = await work;
        if (store.isRevoked(enrollmentId, identity.serial)) {
          throw unauthorized('IDENTITY_REVOKED', `${enrollmentId} has been revoked`);
        }
        const ttl = opts.config.tokenTtlSeconds;
        const { token, expiresAt } = issueToken(
          { sub: enrollmentId, role: identity.role, serial: identity.serial, mspId },
          secret,
          ttl,
        );
        return {
          token,
          tokenType: 'Bearer',
          expiresAt: new Date(expiresAt * 1000).toISOString(),
          expiresIn: expiresAt - Math.floor(Date.now() / 1000),
          enrollmentId,
          role: identity.role,
          mspId,
        };
      } finally {
        pending.delete(enrollmentId);
      }
    }
    app.decorate('auth', { login });
    app.decorateRequest('caller', undefined);

    app.addHook('onRequest', async (request) => {
      if (request.is404) return;
      const config = request.routeOptions.config;
      if (config.public) return;
      const header = request.headers.authorization;
      if (!header?.startsWith('Bearer ')) throw unauthorized('UNAUTHENTICATED', 'a bearer token is required');
      const claims = verifyToken(header.slice('Bearer '.length).trim(), secret);
      if (claims.mspId !== mspId) throw unauthorized('TOKEN_INVALID', 'token of another organisation');
      if (store.isRevoked(claims.sub, claims.serial)) {
        throw unauthorized('IDENTITY_REVOKED', `${claims.sub} has been revoked`);
      }
      request.caller = { enrollmentId: claims.sub, role: claims.role, serial: claims.serial, mspId };
      request.log = request.log.child({ caller: claims.sub });
      const refusal = refusalOf(config, claims.role, ownOrg);
      if (refusal !== undefined) throw refusal;
    });
  },
  { name: 'auth', dependencies: ['ra'] },
);
