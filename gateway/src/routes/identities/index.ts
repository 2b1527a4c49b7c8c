// The org's users at its CA, for the org's admins: register with a role, list, revoke at once.
import { ApiError } from '../../core/api-error';
import type { RoutePlugin } from '../../core/schema-types';
import { listSchema, registerSchema, revokeSchema } from '../../schemas/identities';

const routes: RoutePlugin = async (app) => {
  app.post(
    '/v1/identities',
    { config: { roles: ['admin'] }, schema: registerSchema },
    async (request, reply) => {
      const { enrollmentId, role, attrs = {} } = request.body;
      const user = await app.ra.register({ enrollmentId, role, attrs });
      request.log.info({ enrollmentId, role }, 'identity registered');
      return reply.code(201).send(user);
    },
  );

  app.get('/v1/identities', { config: { roles: ['admin'] }, schema: listSchema }, async () =>
    (await app.ra.list()).map((identity) => ({
      ...identity,
      revoked: app.identities.isRevoked(identity.enrollmentId),
    })),
  );

  // Effective at once: the revoked set is checked on every request, before any Fabric call.
  app.post(
    '/v1/identities/:id/revoke',
    { config: { roles: ['admin'] }, schema: revokeSchema },
    async (request) => {
      const { id } = request.params;
      if (app.config.protectedIds.includes(id)) {
        throw new ApiError(
          422,
          'PROTECTED_IDENTITY',
          `${id} is an identity of the network itself and cannot be revoked here`,
        );
      }
      const { serials } = await app.ra.revoke(id, request.body?.reason ?? 'unspecified');
      app.identities.revoke(id, serials);
      app.fabric.forget(id);
      app.identities.remove(id);
      request.log.info({ enrollmentId: id, serials }, 'identity revoked');
      return { enrollmentId: id, revokedSerials: serials };
    },
  );
};

export default routes;
