// Dispatch over REST: the control centre issues an instruction per awarded VPP, the VPP operator
// acknowledges it and splits it into per-DER setpoints. Signed by the calling user; the chaincode
// checks the MSP and vpp.role again. Reads are open to every role.
import type { FastifyPluginAsync } from 'fastify';
import { ANY_ROLE } from '../../core/roles';
import {
  acknowledgeDispatchSchema,
  allocateSetpointsSchema,
  getDispatchSchema,
  issueDispatchSchema,
  type DispatchParams,
} from '../../schemas/market';

const CONTRACT = 'dispatch';
const json = (bytes: Uint8Array): unknown => JSON.parse(Buffer.from(bytes).toString('utf8'));

const routes: FastifyPluginAsync = async (app) => {
  app.post<{ Params: DispatchParams }>(
    '/v1/dispatch/:intervalId/:vppId',
    { config: { roles: ['control', 'admin'] }, schema: issueDispatchSchema },
    async (request, reply) => {
      const { intervalId, vppId } = request.params;
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'IssueDispatch', [
        intervalId,
        vppId,
      ]);
      return reply.code(201).send({ record: json(result), txId });
    },
  );

  app.post<{ Params: DispatchParams }>(
    '/v1/dispatch/:intervalId/:vppId/ack',
    { config: { roles: ['operator', 'admin'] }, schema: acknowledgeDispatchSchema },
    async (request) => {
      const { intervalId, vppId } = request.params;
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'AcknowledgeDispatch', [
        intervalId,
        vppId,
      ]);
      return { record: json(result), txId };
    },
  );

  app.post<{ Params: DispatchParams }>(
    '/v1/dispatch/:intervalId/:vppId/setpoints',
    { config: { roles: ['operator', 'admin'] }, schema: allocateSetpointsSchema },
    async (request, reply) => {
      const { intervalId, vppId } = request.params;
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'AllocateSetpoints', [
        intervalId,
        vppId,
      ]);
      return reply.code(201).send({ ...(json(result) as object), txId });
    },
  );

  app.get<{ Params: DispatchParams }>(
    '/v1/dispatch/:intervalId/:vppId',
    { config: { roles: ANY_ROLE }, schema: getDispatchSchema },
    async (request) => {
      const { intervalId, vppId } = request.params;
      return json(await app.fabric.evaluate(request, CONTRACT, 'GetDispatch', [intervalId, vppId]));
    },
  );
};

export default routes;
