// Credit rating: every member reads the rulebook, standings, score records and rankings; the
// regulator publishes rulebook versions and suspends or reinstates participants; the control centre
// and the regulator record the failures they supervise. Writes are signed by the calling user and
// the chaincode checks MSP and vpp.role again; direct events are also checked here against this
// org's MSP (domain/credit/direct-events.ts), so a refusal costs no endorsement.
import { checkDirectEvent, ErrorCode, isVppError } from '../../../../chaincode/src/api';
import { ApiError } from '../../core/api-error';
import { ANY_ROLE, type ApiRole } from '../../core/roles';
import type { RoutePlugin } from '../../core/schema-types';
import { callerOf } from '../../plugins/app/auth';
import {
  getRulebookVersionSchema,
  getStandingSchema,
  listRulebookVersionsSchema,
  listScoreRecordsSchema,
  publishRulebookSchema,
  rankingSchema,
  recordEventSchema,
  rulebookInForceSchema,
  suspensionSchema,
} from '../../schemas/credit';

const REGULATOR: readonly ApiRole[] = ['regulator', 'admin'];
/**
 * Roles that may call the events route; which event, if any, depends on the org. The trading role
 * records none (the market records unrevealed bids itself) but stays, so that checkDirectEvent tells
 * it why BID_NOT_REVEALED is refused instead of the route refusing the role without a reason.
 */
const EVENT_RECORDERS: readonly ApiRole[] = ['control', 'trading', 'regulator', 'admin'];

const routes: RoutePlugin = async (app) => {
  const credit = app.ledger.credit;

  app.get(
    '/v1/credit/rulebook',
    { config: { roles: ANY_ROLE }, schema: rulebookInForceSchema },
    async (request) => credit.rulebookInForce(request, request.query.at),
  );

  app.get(
    '/v1/credit/rulebook/versions',
    { config: { roles: ANY_ROLE }, schema: listRulebookVersionsSchema },
    async (request) => credit.rulebookVersions(request),
  );

  app.get(
    '/v1/credit/rulebook/versions/:version',
    { config: { roles: ANY_ROLE }, schema: getRulebookVersionSchema },
    async (request) => credit.rulebook(request, request.params.version),
  );

  app.post(
    '/v1/credit/rulebook',
    { config: { roles: REGULATOR, orgs: ['regulator'] }, schema: publishRulebookSchema },
    async (request, reply) => {
      const { result, txId } = await credit.publishRulebook(request, request.body);
      return reply.code(201).send({ record: result, txId });
    },
  );

  app.get(
    '/v1/credit/participants/:type/:id',
    { config: { roles: ANY_ROLE }, schema: getStandingSchema },
    async (request) => credit.standing(request, request.params),
  );

  app.get(
    '/v1/credit/participants/:type/:id/records',
    { config: { roles: ANY_ROLE }, schema: listScoreRecordsSchema },
    async (request) => {
      const { pageSize, bookmark } = request.query;
      return credit.scoreRecords(request, request.params, pageSize, bookmark);
    },
  );

  app.get(
    '/v1/credit/ranking/:type',
    { config: { roles: ANY_ROLE }, schema: rankingSchema },
    async (request) => credit.ranking(request, request.params.type),
  );

  for (const [action, summary] of [
    [
      'suspend',
      'Suspend a participant (the regulator): level SUSPENDED, bid quota 0, the worst penalty factor',
    ],
    ['reinstate', "Lift a participant's suspension (the regulator)"],
  ] as const) {
    app.post(
      `/v1/credit/participants/:type/:id/${action}`,
      { config: { roles: REGULATOR, orgs: ['regulator'] }, schema: suspensionSchema(summary) },
      async (request) => {
        const { result, txId } = await credit[action](request, request.params, request.body.reason);
        return { record: result, txId };
      },
    );
  }

  app.post(
    '/v1/credit/events',
    { config: { roles: EVENT_RECORDERS }, schema: recordEventSchema },
    async (request, reply) => {
      const caller = callerOf(request);
      const { participant, eventType, intervalId } = request.body;
      try {
        checkDirectEvent({
          mspId: caller.mspId,
          role: caller.role,
          eventType,
          participantType: participant.type,
          intervalId,
        });
      } catch (err) {
        if (!isVppError(err)) throw err;
        throw err.code === ErrorCode.FORBIDDEN
          ? new ApiError(403, err.code, err.detail)
          : new ApiError(422, err.code, err.detail);
      }
      const { result, txId } = await credit.recordEvent(request, request.body);
      return reply.code(201).send({ record: result, txId });
    },
  );
};

export default routes;
