// Dispatch over REST: the control centre issues an instruction per awarded VPP, the VPP operator
// acknowledges it and splits it into per-DER setpoints. Signed by the calling user; the chaincode
// checks the MSP and vpp.role again. Reads are open to every role.
import { ANY_ROLE } from '../../core/roles';
import type { RoutePlugin } from '../../core/schema-types';
import {
  acknowledgeDispatchSchema,
  allocateSetpointsSchema,
  getDispatchSchema,
  issueDispatchSchema,
} from '../../schemas/market';

const routes: RoutePlugin = async (app) => {
  const dispatch = app.ledger.dispatch;

  app.post(
    '/v1/dispatch/:intervalId/:vppId',
    { config: { roles: ['control', 'admin'], orgs: ['control'] }, schema: issueDispatchSchema },
    async (request, reply) => {
      const { intervalId, vppId } = request.params;
      const { result, txId } = await dispatch.issue(request, intervalId, vppId);
      return reply.code(201).send({ record: result, txId });
    },
  );

  app.post(
    '/v1/dispatch/:intervalId/:vppId/ack',
    { config: { roles: ['operator', 'admin'], orgs: ['cvpp'] }, schema: acknowledgeDispatchSchema },
    async (request) => {
      const { intervalId, vppId } = request.params;
      const { result, txId } = await dispatch.acknowledge(request, intervalId, vppId);
      return { record: result, txId };
    },
  );

  app.post(
    '/v1/dispatch/:intervalId/:vppId/setpoints',
    { config: { roles: ['operator', 'admin'], orgs: ['cvpp'] }, schema: allocateSetpointsSchema },
    async (request, reply) => {
      const { intervalId, vppId } = request.params;
      const { result, txId } = await dispatch.allocateSetpoints(request, intervalId, vppId);
      return reply.code(201).send({ ...result, txId });
    },
  );

  app.get(
    '/v1/dispatch/:intervalId/:vppId',
    { config: { roles: ANY_ROLE }, schema: getDispatchSchema },
    async (request) => {
      const { intervalId, vppId } = request.params;
      return dispatch.dispatch(request, intervalId, vppId);
    },
  );
};

export default routes;
