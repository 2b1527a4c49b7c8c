// Settlement over REST: the trading centre, the CVPP operator or the regulator settles a VPP's award
// in an interval once its reading window has closed; every member reads settlements, verifies them
// by recomputation and reads statements per DER and per VPP. Writes are signed by the calling user
// and the chaincode checks MSP and vpp.role again: 'admin' passes here, but only the admins of those
// three organisations pass there (a control centre admin gets FORBIDDEN from the chaincode).
import { ANY_ROLE, type ApiRole } from '../../core/roles';
import type { RoutePlugin } from '../../core/schema-types';
import {
  derStatementSchema,
  getSettlementSchema,
  settleSchema,
  verifySettlementSchema,
  vppStatementSchema,
} from '../../schemas/settlement';

/** Who may settle (chaincode: TradingMSP trading/admin, CvppMSP operator/admin, RegulatorMSP regulator/admin). */
const SETTLERS: readonly ApiRole[] = ['trading', 'operator', 'regulator', 'admin'];

const routes: RoutePlugin = async (app) => {
  const settlement = app.ledger.settlement;

  app.post(
    '/v1/settlement/:intervalId/:vppId',
    { config: { roles: SETTLERS, orgs: ['trading', 'cvpp', 'regulator'] }, schema: settleSchema },
    async (request, reply) => {
      const { intervalId, vppId } = request.params;
      const { result, txId } = await settlement.settle(request, intervalId, vppId);
      return reply.code(201).send({ ...result, txId });
    },
  );

  app.get(
    '/v1/settlement/:intervalId/:vppId',
    { config: { roles: ANY_ROLE }, schema: getSettlementSchema },
    async (request) => {
      const { intervalId, vppId } = request.params;
      return settlement.settlement(request, intervalId, vppId);
    },
  );

  app.get(
    '/v1/settlement/:intervalId/:vppId/verify',
    { config: { roles: ANY_ROLE }, schema: verifySettlementSchema },
    async (request) => {
      const { intervalId, vppId } = request.params;
      return settlement.verify(request, intervalId, vppId);
    },
  );

  app.get(
    '/v1/ders/:derId/statement',
    { config: { roles: ANY_ROLE }, schema: derStatementSchema },
    async (request) => {
      const { period, unit } = request.query;
      return settlement.derStatement(request, request.params.derId, period, unit);
    },
  );

  app.get(
    '/v1/vpps/:vppId/statement',
    { config: { roles: ANY_ROLE }, schema: vppStatementSchema },
    async (request) => {
      const { period, unit } = request.query;
      return settlement.vppStatement(request, request.params.vppId, period, unit);
    },
  );
};

export default routes;
