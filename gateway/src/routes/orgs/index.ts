import type { FastifyPluginAsync } from 'fastify';
import { ANY_ROLE } from '../../core/roles';
import { getOrgSchema, listOrgsSchema, putOwnOrgSchema, type OrgProfileBody } from '../../schemas/orgs';

const CONTRACT = 'org';
const json = (bytes: Uint8Array): unknown => JSON.parse(Buffer.from(bytes).toString('utf8'));

const routes: FastifyPluginAsync = async (app) => {
  app.get('/v1/orgs', { config: { roles: ANY_ROLE }, schema: listOrgsSchema }, async (request) =>
    json(await app.fabric.evaluate(request, CONTRACT, 'ListOrgProfiles', [])),
  );

  app.get<{ Params: { mspId: string } }>(
    '/v1/orgs/:mspId',
    { config: { roles: ANY_ROLE }, schema: getOrgSchema },
    async (request) =>
      json(await app.fabric.evaluate(request, CONTRACT, 'GetOrgProfile', [request.params.mspId])),
  );

  // The org is the caller's (from its certificate); the chaincode checks admin again.
  app.put<{ Body: OrgProfileBody }>(
    '/v1/orgs/self',
    { config: { roles: ['admin'] }, schema: putOwnOrgSchema },
    async (request) => {
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'PutOrgProfile', [
        JSON.stringify(request.body),
      ]);
      return { profile: json(result), txId };
    },
  );
};

export default routes;
