// The market over REST: intervals (trading centre), demand (control centre), sealed bids (VPP
// operator), quotas (regulator), violations and clearing. Every call is signed by the calling user;
// the chaincode checks the MSP and vpp.role again, so the roles here are a first filter only. Reads
// are open to every role: a market's rules and results are meant to be checkable by all members.
import type { FastifyPluginAsync } from 'fastify';
import { ANY_ROLE } from '../../core/roles';
import {
  clearIntervalSchema,
  commitBidSchema,
  getClearingSchema,
  getIntervalSchema,
  getQuotaSchema,
  listViolationsSchema,
  openIntervalSchema,
  postDemandSchema,
  putQuotaSchema,
  recordViolationsSchema,
  revealBidSchema,
  verifyClearingSchema,
  type CommitmentBody,
  type DemandBody,
  type IntervalBody,
  type IntervalParams,
  type QuotaBody,
  type RevealBody,
  type VppParams,
} from '../../schemas/market';

const CONTRACT = 'market';
const json = (bytes: Uint8Array): unknown => JSON.parse(Buffer.from(bytes).toString('utf8'));

const routes: FastifyPluginAsync = async (app) => {
  app.post<{ Body: IntervalBody }>(
    '/v1/market/intervals',
    { config: { roles: ['trading', 'admin'] }, schema: openIntervalSchema },
    async (request, reply) => {
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'OpenInterval', [
        JSON.stringify(request.body),
      ]);
      return reply.code(201).send({ record: json(result), txId });
    },
  );

  app.get<{ Params: IntervalParams }>(
    '/v1/market/intervals/:intervalId',
    { config: { roles: ANY_ROLE }, schema: getIntervalSchema },
    async (request) =>
      json(await app.fabric.evaluate(request, CONTRACT, 'GetInterval', [request.params.intervalId])),
  );

  app.post<{ Params: IntervalParams; Body: DemandBody }>(
    '/v1/market/intervals/:intervalId/demand',
    { config: { roles: ['control', 'admin'] }, schema: postDemandSchema },
    async (request, reply) => {
      const demand = { intervalId: request.params.intervalId, ...request.body };
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'PostDemand', [
        JSON.stringify(demand),
      ]);
      return reply.code(201).send({ record: json(result), txId });
    },
  );

  app.post<{ Params: IntervalParams; Body: CommitmentBody }>(
    '/v1/market/intervals/:intervalId/commitments',
    { config: { roles: ['operator', 'admin'] }, schema: commitBidSchema },
    async (request, reply) => {
      const commitment = { intervalId: request.params.intervalId, ...request.body };
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'CommitBid', [
        JSON.stringify(commitment),
      ]);
      return reply.code(201).send({ record: json(result), txId });
    },
  );

  // The bid travels as sent (its intervalId included): the chaincode hashes it, so the gateway must
  // not complete or correct it. A bid naming another interval fails there as COMMITMENT_MISMATCH.
  app.post<{ Params: IntervalParams; Body: RevealBody }>(
    '/v1/market/intervals/:intervalId/reveals',
    { config: { roles: ['operator', 'admin'] }, schema: revealBidSchema },
    async (request, reply) => {
      const { bid, salt } = request.body;
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'RevealBid', [
        request.params.intervalId,
        JSON.stringify(bid),
        salt,
      ]);
      return reply.code(201).send({ record: json(result), txId });
    },
  );

  app.post<{ Params: IntervalParams }>(
    '/v1/market/intervals/:intervalId/violations',
    { config: { roles: ['trading', 'regulator', 'admin'] }, schema: recordViolationsSchema },
    async (request) => {
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'RecordUnrevealedViolations', [
        request.params.intervalId,
      ]);
      return { ...(json(result) as object), txId };
    },
  );

  app.post<{ Params: IntervalParams }>(
    '/v1/market/intervals/:intervalId/clearing',
    { config: { roles: ['trading', 'admin'] }, schema: clearIntervalSchema },
    async (request, reply) => {
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'ClearInterval', [
        request.params.intervalId,
      ]);
      return reply.code(201).send({ record: json(result), txId });
    },
  );

  app.get<{ Params: IntervalParams }>(
    '/v1/market/intervals/:intervalId/clearing',
    { config: { roles: ANY_ROLE }, schema: getClearingSchema },
    async (request) =>
      json(await app.fabric.evaluate(request, CONTRACT, 'GetClearing', [request.params.intervalId])),
  );

  app.get<{ Params: IntervalParams }>(
    '/v1/market/intervals/:intervalId/clearing/verify',
    { config: { roles: ANY_ROLE }, schema: verifyClearingSchema },
    async (request) =>
      json(await app.fabric.evaluate(request, CONTRACT, 'VerifyClearing', [request.params.intervalId])),
  );

  app.put<{ Params: VppParams; Body: QuotaBody }>(
    '/v1/market/quotas/:vppId',
    { config: { roles: ['regulator', 'admin'] }, schema: putQuotaSchema },
    async (request) => {
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'SetVppQuota', [
        request.params.vppId,
        String(request.body.quantity),
      ]);
      return { record: json(result), txId };
    },
  );

  app.get<{ Params: VppParams }>(
    '/v1/market/quotas/:vppId',
    { config: { roles: ANY_ROLE }, schema: getQuotaSchema },
    async (request) =>
      json(await app.fabric.evaluate(request, CONTRACT, 'GetVppQuota', [request.params.vppId])),
  );

  app.get<{ Params: VppParams }>(
    '/v1/market/vpps/:vppId/violations',
    { config: { roles: ANY_ROLE }, schema: listViolationsSchema },
    async (request) =>
      json(await app.fabric.evaluate(request, CONTRACT, 'ListVppViolations', [request.params.vppId])),
  );
};

export default routes;
