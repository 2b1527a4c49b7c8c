// The market calendar: every member (and any authenticated user) reads it, since devices, VPPs and
// auditors all need the metering grid and the reading window; the regulator publishes new versions.
// The chaincode checks the publisher's MSP and vpp.role again.
import { ANY_ROLE, type ApiRole } from '../../core/roles';
import type { RoutePlugin } from '../../core/schema-types';
import {
  getMarketCalendarVersionSchema,
  listMarketCalendarVersionsSchema,
  marketCalendarInForceSchema,
  publishMarketCalendarSchema,
} from '../../schemas/calendar';

const REGULATOR: readonly ApiRole[] = ['regulator', 'admin'];

const routes: RoutePlugin = async (app) => {
  const calendar = app.ledger.calendar;

  app.get(
    '/v1/market/calendar',
    { config: { roles: ANY_ROLE }, schema: marketCalendarInForceSchema },
    async (request) => calendar.inForce(request, request.query.at),
  );

  app.get(
    '/v1/market/calendar/versions',
    { config: { roles: ANY_ROLE }, schema: listMarketCalendarVersionsSchema },
    async (request) => calendar.versions(request),
  );

  app.get(
    '/v1/market/calendar/versions/:version',
    { config: { roles: ANY_ROLE }, schema: getMarketCalendarVersionSchema },
    async (request) => calendar.version(request, request.params.version),
  );

  app.post(
    '/v1/market/calendar',
    { config: { roles: REGULATOR, orgs: ['regulator'] }, schema: publishMarketCalendarSchema },
    async (request, reply) => {
      const { result, txId } = await calendar.publish(request, request.body);
      return reply.code(201).send({ record: result, txId });
    },
  );
};

export default routes;
