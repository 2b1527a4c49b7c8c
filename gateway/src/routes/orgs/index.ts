// Member profiles: every member reads them; an org's admin writes its own.
import { ANY_ROLE } from '../../core/roles';
import type { RoutePlugin } from '../../core/schema-types';
import { getOrgSchema, listOrgsSchema, putOwnOrgSchema } from '../../schemas/orgs';

const routes: RoutePlugin = async (app) => {
  const org = app.ledger.org;

  app.get('/v1/orgs', { config: { roles: ANY_ROLE }, schema: listOrgsSchema }, async (request) =>
    org.profiles(request),
  );

  app.get('/v1/orgs/:mspId', { config: { roles: ANY_ROLE }, schema: getOrgSchema }, async (request) =>
    org.profile(request, request.params.mspId),
  );

  // The org is the caller's (from its certificate); the chaincode checks admin again.
  app.put('/v1/orgs/self', { config: { roles: ['admin'] }, schema: putOwnOrgSchema }, async (request) => {
    const { result, txId } = await org.putOwnProfile(request, request.body);
    return { profile: result, txId };
  });
};

export default routes;
