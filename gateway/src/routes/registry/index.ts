// VPPs and DERs on the ledger. Writes are signed by the calling user; the chaincode checks the MSP and
// vpp.role again (CVPP operators/admins register; CVPP operators or the regulator suspend).
import { MAX_DER_BATCH_SIZE } from '../../../../chaincode/src/api';
import { ANY_ROLE } from '../../core/roles';
import type { RoutePlugin } from '../../core/schema-types';
import {
  derStatusSchema,
  getDerSchema,
  getVppSchema,
  listVppDersSchema,
  listVppsSchema,
  registerDerSchema,
  registerDersSchema,
  registerVppSchema,
} from '../../schemas/ders';

const routes: RoutePlugin = async (app) => {
  const registry = app.ledger.registry;

  app.post(
    '/v1/vpps',
    { config: { roles: ['operator', 'admin'], orgs: ['cvpp'] }, schema: registerVppSchema },
    async (request, reply) => {
      const { result, txId } = await registry.registerVpp(request, request.body);
      return reply.code(201).send({ record: result, txId });
    },
  );

  app.get('/v1/vpps', { config: { roles: ANY_ROLE }, schema: listVppsSchema }, async (request) =>
    registry.vpps(request, request.query.pageSize, request.query.bookmark),
  );

  app.get('/v1/vpps/:vppId', { config: { roles: ANY_ROLE }, schema: getVppSchema }, async (request) =>
    registry.vpp(request, request.params.vppId),
  );

  app.get(
    '/v1/vpps/:vppId/ders',
    { config: { roles: ANY_ROLE }, schema: listVppDersSchema },
    async (request) => {
      const { pageSize, bookmark } = request.query;
      return registry.dersOfVpp(request, request.params.vppId, pageSize, bookmark);
    },
  );

  app.post(
    '/v1/ders',
    { config: { roles: ['operator', 'admin'], orgs: ['cvpp'] }, schema: registerDerSchema },
    async (request, reply) => {
      const { result, txId } = await registry.registerDer(request, request.body);
      app.readingIngest.forgetDer(request.body.derId);
      return reply.code(201).send({ record: result, txId });
    },
  );

  app.post(
    '/v1/ders/batch',
    {
      config: { roles: ['operator', 'admin'], orgs: ['cvpp'] },
      schema: registerDersSchema,
      // A registration is a certificate (at most 8 KB of PEM) and a few ids.
      bodyLimit: MAX_DER_BATCH_SIZE * 10 * 1024,
    },
    async (request) => {
      const outcome = await registry.registerDers(request, request.body.ders);
      for (const result of outcome.results) {
        if (result.status === 'registered' && result.derId) app.readingIngest.forgetDer(result.derId);
      }
      return outcome;
    },
  );

  app.get('/v1/ders/:derId', { config: { roles: ANY_ROLE }, schema: getDerSchema }, async (request) =>
    registry.der(request, request.params.derId),
  );

  for (const [action, change, summary] of [
    ['suspend', 'suspendDer', 'Suspend a DER: its readings are refused until it is reinstated'],
    ['reinstate', 'reinstateDer', 'Reinstate a suspended DER'],
  ] as const) {
    app.post(
      `/v1/ders/:derId/${action}`,
      {
        config: { roles: ['operator', 'admin', 'regulator'], orgs: ['cvpp', 'regulator'] },
        schema: derStatusSchema(summary),
      },
      async (request) => {
        const { derId } = request.params;
        const { result, txId } = await registry[change](request, derId, request.body.reason);
        app.readingIngest.forgetDer(derId);
        return { record: result, txId };
      },
    );
  }
};

export default routes;
