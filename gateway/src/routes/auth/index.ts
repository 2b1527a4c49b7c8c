// Login (a token for an enrolled identity) and who the token names.
import { ApiError } from '../../core/api-error';
import { ANY_ROLE } from '../../core/roles';
import type { RoutePlugin } from '../../core/schema-types';
import { routesOpenTo } from '../../core/route-access';
import { callerOf, orgRoleOf } from '../../plugins/app/auth';
import { CallerSchema, loginSchema, OpenRoutesSchema } from '../../schemas/auth';
import { errorResponses } from '../../schemas/common';

const routes: RoutePlugin = async (app) => {
  // Enrolls on first login (the CA secret is one-time); later logins reuse the kept key. Rate
  // limited per address and per id; locked for an id after repeated failures (core/login-lockout.ts).
  app.post(
    '/v1/auth/token',
    { config: { public: true }, schema: loginSchema, preHandler: app.rateLimits.login },
    async (request, reply) => {
      const { enrollmentId, secret } = request.body;
      const lockedFor = app.loginLockout.retryAfterSeconds(enrollmentId);
      if (lockedFor > 0) {
        void reply.header('retry-after', String(lockedFor));
        throw new ApiError(429, 'LOGIN_LOCKED', `too many failed logins; retry in ${lockedFor} s`);
      }
      try {
        const result = await app.auth.login(enrollmentId, secret);
        app.loginLockout.succeeded(enrollmentId);
        return result;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) app.loginLockout.failed(enrollmentId);
        throw err;
      }
    },
  );

  app.get(
    '/v1/auth/me',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags: ['auth'],
        summary: 'Who the token says you are',
        response: { 200: CallerSchema, ...errorResponses(401) },
      },
    },
    async (request) => callerOf(request),
  );

  // What the console (or any client) may offer this caller: the gateway's own route table decides.
  app.get(
    '/v1/auth/me/routes',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags: ['auth'],
        summary: 'The routes of this gateway your token may call (public ones included)',
        response: { 200: OpenRoutesSchema, ...errorResponses(401) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      return { routes: routesOpenTo(app.routeTable, caller.role, orgRoleOf(app.config.org.mspId)) };
    },
  );
};

export default routes;
