// Login (a token for an enrolled identity) and who the token names.
import { ANY_ROLE } from '../../core/roles';
import type { RoutePlugin } from '../../core/schema-types';
import { callerOf } from '../../plugins/app/auth';
import { CallerSchema, loginSchema } from '../../schemas/auth';
import { errorResponses } from '../../schemas/common';

const routes: RoutePlugin = async (app) => {
  // Enrolls on first login (the CA secret is one-time); later logins reuse the kept key.
  app.post('/v1/auth/token', { config: { public: true }, schema: loginSchema }, async (request) =>
    app.auth.login(request.body.enrollmentId, request.body.secret),
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
};

export default routes;
