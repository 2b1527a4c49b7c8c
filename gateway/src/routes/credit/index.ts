// Credit rating: every member reads the rulebook, standings, score records and rankings; the
// regulator publishes rulebook versions and suspends or reinstates participants; the control centre,
// the trading centre and the regulator record the failures they supervise. Writes are signed by the
// calling user and the chaincode checks MSP and vpp.role again; direct events are also checked here
// against this org's MSP (domain/credit/direct-events.ts), so a refusal costs no endorsement.
import type { FastifyPluginAsync } from 'fastify';
import { checkDirectEvent, ErrorCode, isVppError } from '../../../../chaincode/src/api';
import { ApiError } from '../../core/api-error';
import { ANY_ROLE, type ApiRole } from '../../core/roles';
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
  type CreditEventBody,
  type ParticipantParams,
  type ReasonBody,
  type RecordsQuery,
  type RulebookBody,
  type RulebookInForceQuery,
  type VersionParams,
} from '../../schemas/credit';

const CONTRACT = 'credit';
const REGULATOR: readonly ApiRole[] = ['regulator', 'admin'];
/** Roles that may record some event in some org; which one exactly depends on the org. */
const EVENT_RECORDERS: readonly ApiRole[] = ['control', 'trading', 'regulator', 'admin'];
const json = (bytes: Uint8Array): unknown => JSON.parse(Buffer.from(bytes).toString('utf8'));

const routes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: RulebookInForceQuery }>(
    '/v1/credit/rulebook',
    { config: { roles: ANY_ROLE }, schema: rulebookInForceSchema },
    async (request) =>
      json(await app.fabric.evaluate(request, CONTRACT, 'GetRulebookInForce', [request.query.at ?? ''])),
  );

  app.get(
    '/v1/credit/rulebook/versions',
    { config: { roles: ANY_ROLE }, schema: listRulebookVersionsSchema },
    async (request) => json(await app.fabric.evaluate(request, CONTRACT, 'ListRulebookVersions', [])),
  );

  app.get<{ Params: VersionParams }>(
    '/v1/credit/rulebook/versions/:version',
    { config: { roles: ANY_ROLE }, schema: getRulebookVersionSchema },
    async (request) =>
      json(await app.fabric.evaluate(request, CONTRACT, 'GetRulebook', [request.params.version])),
  );

  app.post<{ Body: RulebookBody }>(
    '/v1/credit/rulebook',
    { config: { roles: REGULATOR }, schema: publishRulebookSchema },
    async (request, reply) => {
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'PublishRulebook', [
        JSON.stringify(request.body),
      ]);
      return reply.code(201).send({ record: json(result), txId });
    },
  );

  app.get<{ Params: ParticipantParams }>(
    '/v1/credit/participants/:type/:id',
    { config: { roles: ANY_ROLE }, schema: getStandingSchema },
    async (request) =>
      json(
        await app.fabric.evaluate(request, CONTRACT, 'GetCreditStanding', [
          request.params.type,
          request.params.id,
        ]),
      ),
  );

  app.get<{ Params: ParticipantParams; Querystring: RecordsQuery }>(
    '/v1/credit/participants/:type/:id/records',
    { config: { roles: ANY_ROLE }, schema: listScoreRecordsSchema },
    async (request) => {
      const { pageSize = 100, bookmark = '' } = request.query;
      return json(
        await app.fabric.evaluate(request, CONTRACT, 'ListScoreRecords', [
          request.params.type,
          request.params.id,
          String(pageSize),
          bookmark,
        ]),
      );
    },
  );

  app.get<{ Params: Pick<ParticipantParams, 'type'> }>(
    '/v1/credit/ranking/:type',
    { config: { roles: ANY_ROLE }, schema: rankingSchema },
    async (request) =>
      json(await app.fabric.evaluate(request, CONTRACT, 'RankParticipants', [request.params.type])),
  );

  for (const [action, tx, summary] of [
    [
      'suspend',
      'SuspendParticipant',
      'Suspend a participant (the regulator): level SUSPENDED, bid quota 0, the worst penalty factor',
    ],
    ['reinstate', 'ReinstateParticipant', "Lift a participant's suspension (the regulator)"],
  ] as const) {
    app.post<{ Params: ParticipantParams; Body: ReasonBody }>(
      `/v1/credit/participants/:type/:id/${action}`,
      { config: { roles: REGULATOR }, schema: suspensionSchema(summary) },
      async (request) => {
        const participant = { type: request.params.type, id: request.params.id };
        const { result, txId } = await app.fabric.submit(request, CONTRACT, tx, [
          JSON.stringify(participant),
          request.body.reason,
        ]);
        return { record: json(result), txId };
      },
    );
  }

  app.post<{ Body: CreditEventBody }>(
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
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'RecordCreditEvent', [
        JSON.stringify(request.body),
      ]);
      return reply.code(201).send({ record: json(result), txId });
    },
  );
};

export default routes;
