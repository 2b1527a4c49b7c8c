// VPPs and DERs on the ledger. Writes are signed by the calling user; the chaincode checks the MSP and
// vpp.role again (CVPP operators/admins register; CVPP operators or the regulator suspend).
import type { FastifyPluginAsync } from 'fastify';
import { ANY_ROLE } from '../../core/roles';
import {
  derStatusSchema,
  getDerSchema,
  getVppSchema,
  listVppDersSchema,
  listVppsSchema,
  registerDerSchema,
  registerVppSchema,
  type DerBody,
  type DerPageQuery,
  type ReasonBody,
  type VppBody,
} from '../../schemas/ders';

const CONTRACT = 'registry';
const json = (bytes: Uint8Array): unknown => JSON.parse(Buffer.from(bytes).toString('utf8'));

const routes: FastifyPluginAsync = async (app) => {
  app.post<{ Body: VppBody }>(
    '/v1/vpps',
    { config: { roles: ['operator', 'admin'] }, schema: registerVppSchema },
    async (request, reply) => {
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'RegisterVpp', [
        JSON.stringify(request.body),
      ]);
      return reply.code(201).send({ record: json(result), txId });
    },
  );

  app.get('/v1/vpps', { config: { roles: ANY_ROLE }, schema: listVppsSchema }, async (request) =>
    json(await app.fabric.evaluate(request, CONTRACT, 'ListVpps', [])),
  );

  app.get<{ Params: { vppId: string } }>(
    '/v1/vpps/:vppId',
    { config: { roles: ANY_ROLE }, schema: getVppSchema },
    async (request) => json(await app.fabric.evaluate(request, CONTRACT, 'GetVpp', [request.params.vppId])),
  );

  app.get<{ Params: { vppId: string }; Querystring: DerPageQuery }>(
    '/v1/vpps/:vppId/ders',
    { config: { roles: ANY_ROLE }, schema: listVppDersSchema },
    async (request) => {
      const { pageSize = 100, bookmark = '' } = request.query;
      return json(
        await app.fabric.evaluate(request, CONTRACT, 'ListDersByVpp', [
          request.params.vppId,
          String(pageSize),
          bookmark,
        ]),
      );
    },
  );

  app.post<{ Body: DerBody }>(
    '/v1/ders',
    { config: { roles: ['operator', 'admin'] }, schema: registerDerSchema },
    async (request, reply) => {
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'RegisterDer', [
        JSON.stringify(request.body),
      ]);
      app.telemetry.directory.forget(request.body.derId);
      return reply.code(201).send({ record: json(result), txId });
    },
  );

  app.get<{ Params: { derId: string } }>(
    '/v1/ders/:derId',
    { config: { roles: ANY_ROLE }, schema: getDerSchema },
    async (request) => json(await app.fabric.evaluate(request, CONTRACT, 'GetDer', [request.params.derId])),
  );

  for (const [action, tx, summary] of [
    ['suspend', 'SuspendDer', 'Suspend a DER: its readings are refused until it is reinstated'],
    ['reinstate', 'ReinstateDer', 'Reinstate a suspended DER'],
  ] as const) {
    app.post<{ Params: { derId: string }; Body: ReasonBody }>(
      `/v1/ders/:derId/${action}`,
      { config: { roles: ['operator', 'admin', 'regulator'] }, schema: derStatusSchema(summary) },
      async (request) => {
        const { derId } = request.params;
        const { result, txId } = await app.fabric.submit(request, CONTRACT, tx, [derId, request.body.reason]);
        app.telemetry.directory.forget(derId);
        return { record: json(result), txId };
      },
    );
  }
};

export default routes;
