// Settlement over REST: the trading centre, the CVPP operator or the regulator settles a VPP's award
// in an interval once its reading window has closed; every member reads settlements, verifies them
// by recomputation and reads statements per DER and per VPP. Writes are signed by the calling user
// and the chaincode checks MSP and vpp.role again: 'admin' passes here, but only the admins of those
// three organisations pass there (a control centre admin gets FORBIDDEN from the chaincode).
import type { FastifyPluginAsync } from 'fastify';
import { ANY_ROLE, type ApiRole } from '../../core/roles';
import {
  derStatementSchema,
  getSettlementSchema,
  settleSchema,
  verifySettlementSchema,
  vppStatementSchema,
  type DerParams,
  type SettlementParams,
  type StatementQuery,
  type VppParams,
} from '../../schemas/settlement';

const CONTRACT = 'settlement';
/** Who may settle (chaincode: TradingMSP trading/admin, CvppMSP operator/admin, RegulatorMSP regulator/admin). */
const SETTLERS: readonly ApiRole[] = ['trading', 'operator', 'regulator', 'admin'];
const json = (bytes: Uint8Array): unknown => JSON.parse(Buffer.from(bytes).toString('utf8'));

const routes: FastifyPluginAsync = async (app) => {
  app.post<{ Params: SettlementParams }>(
    '/v1/settlement/:intervalId/:vppId',
    { config: { roles: SETTLERS }, schema: settleSchema },
    async (request, reply) => {
      const { intervalId, vppId } = request.params;
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'SettleInterval', [
        intervalId,
        vppId,
      ]);
      return reply.code(201).send({ ...(json(result) as object), txId });
    },
  );

  app.get<{ Params: SettlementParams }>(
    '/v1/settlement/:intervalId/:vppId',
    { config: { roles: ANY_ROLE }, schema: getSettlementSchema },
    async (request) => {
      const { intervalId, vppId } = request.params;
      return json(await app.fabric.evaluate(request, CONTRACT, 'GetVppSettlement', [intervalId, vppId]));
    },
  );

  app.get<{ Params: SettlementParams }>(
    '/v1/settlement/:intervalId/:vppId/verify',
    { config: { roles: ANY_ROLE }, schema: verifySettlementSchema },
    async (request) => {
      const { intervalId, vppId } = request.params;
      return json(await app.fabric.evaluate(request, CONTRACT, 'VerifySettlement', [intervalId, vppId]));
    },
  );

  app.get<{ Params: DerParams; Querystring: StatementQuery }>(
    '/v1/ders/:derId/statement',
    { config: { roles: ANY_ROLE }, schema: derStatementSchema },
    async (request) => {
      const { period, unit = 'day' } = request.query;
      return json(
        await app.fabric.evaluate(request, CONTRACT, 'GetDerStatement', [request.params.derId, period, unit]),
      );
    },
  );

  app.get<{ Params: VppParams; Querystring: StatementQuery }>(
    '/v1/vpps/:vppId/statement',
    { config: { roles: ANY_ROLE }, schema: vppStatementSchema },
    async (request) => {
      const { period, unit = 'day' } = request.query;
      return json(
        await app.fabric.evaluate(request, CONTRACT, 'GetVppStatement', [request.params.vppId, period, unit]),
      );
    },
  );
};

export default routes;
