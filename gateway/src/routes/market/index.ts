// The market over REST: intervals (trading centre), demand (control centre), sealed bids (VPP
// operator), quotas (regulator), violations and clearing. Every call is signed by the calling user;
// the chaincode checks the MSP and vpp.role again, so the roles here are a first filter only. Reads
// are open to every role: a market's rules and results are meant to be checkable by all members.
import type { RoutePlugin } from '../../core/schema-types';
import { ANY_ROLE } from '../../core/roles';
import {
  clearIntervalSchema,
  commitBidSchema,
  commitBidsSchema,
  getClearingSchema,
  getIntervalSchema,
  getQuotaSchema,
  listViolationsSchema,
  openIntervalSchema,
  postDemandSchema,
  putQuotaSchema,
  recordViolationsSchema,
  revealBidSchema,
  listIntervalsSchema,
  revealBidsSchema,
  verifyClearingSchema,
} from '../../schemas/market';
import { MAX_PORTFOLIO_JSON_LENGTH } from '../../../../chaincode/src/api';

const routes: RoutePlugin = async (app) => {
  const market = app.ledger.market;

  app.post(
    '/v1/market/intervals',
    { config: { roles: ['trading', 'admin'], orgs: ['trading'] }, schema: openIntervalSchema },
    async (request, reply) => {
      const { result, txId } = await market.openInterval(request, request.body);
      return reply.code(201).send({ record: result, txId });
    },
  );

  app.get(
    '/v1/market/intervals',
    { config: { roles: ANY_ROLE }, schema: listIntervalsSchema },
    async (request) => market.intervals(request, request.query.pageSize, request.query.bookmark),
  );

  app.get(
    '/v1/market/intervals/:intervalId',
    { config: { roles: ANY_ROLE }, schema: getIntervalSchema },
    async (request) => market.interval(request, request.params.intervalId),
  );

  app.post(
    '/v1/market/intervals/:intervalId/demand',
    { config: { roles: ['control', 'admin'], orgs: ['control'] }, schema: postDemandSchema },
    async (request, reply) => {
      const { result, txId } = await market.postDemand(request, request.params.intervalId, request.body);
      return reply.code(201).send({ record: result, txId });
    },
  );

  app.post(
    '/v1/market/intervals/:intervalId/commitments',
    { config: { roles: ['operator', 'admin'], orgs: ['cvpp'] }, schema: commitBidSchema },
    async (request, reply) => {
      const { result, txId } = await market.commitBid(request, request.params.intervalId, request.body);
      return reply.code(201).send({ record: result, txId });
    },
  );

  // The bid travels as sent (its intervalId included): the chaincode hashes it, so the gateway must
  // not complete or correct it. A bid naming another interval fails there as COMMITMENT_MISMATCH.
  app.post(
    '/v1/market/intervals/:intervalId/reveals',
    { config: { roles: ['operator', 'admin'], orgs: ['cvpp'] }, schema: revealBidSchema },
    async (request, reply) => {
      const { bid, salt } = request.body;
      const { result, txId } = await market.revealBid(request, request.params.intervalId, bid, salt);
      return reply.code(201).send({ record: result, txId });
    },
  );

  // Portfolios: one transaction for many bids, one result per bid (200 even if some were refused).
  // The body may be larger than a single bid's, up to what the chaincode takes.
  app.post(
    '/v1/market/intervals/:intervalId/commitments/batch',
    {
      config: { roles: ['operator', 'admin'], orgs: ['cvpp'] },
      schema: commitBidsSchema,
      bodyLimit: MAX_PORTFOLIO_JSON_LENGTH,
    },
    async (request) => {
      const { intervalId } = request.params;
      const { result } = await market.commitBids(request, intervalId, request.body.commitments);
      return result;
    },
  );

  app.post(
    '/v1/market/intervals/:intervalId/reveals/batch',
    {
      config: { roles: ['operator', 'admin'], orgs: ['cvpp'] },
      schema: revealBidsSchema,
      bodyLimit: MAX_PORTFOLIO_JSON_LENGTH,
    },
    async (request) => {
      const { intervalId } = request.params;
      const { result } = await market.revealBids(request, intervalId, request.body.reveals);
      return result;
    },
  );

  app.post(
    '/v1/market/intervals/:intervalId/violations',
    {
      config: { roles: ['trading', 'regulator', 'admin'], orgs: ['trading', 'regulator'] },
      schema: recordViolationsSchema,
    },
    async (request) => {
      const { result, txId } = await market.recordUnrevealedViolations(request, request.params.intervalId);
      return { ...result, txId };
    },
  );

  app.post(
    '/v1/market/intervals/:intervalId/clearing',
    { config: { roles: ['trading', 'admin'], orgs: ['trading'] }, schema: clearIntervalSchema },
    async (request, reply) => {
      const { result, txId } = await market.clearInterval(request, request.params.intervalId);
      return reply.code(201).send({ record: result, txId });
    },
  );

  app.get(
    '/v1/market/intervals/:intervalId/clearing',
    { config: { roles: ANY_ROLE }, schema: getClearingSchema },
    async (request) => market.clearing(request, request.params.intervalId),
  );

  app.get(
    '/v1/market/intervals/:intervalId/clearing/verify',
    { config: { roles: ANY_ROLE }, schema: verifyClearingSchema },
    async (request) => market.verifyClearing(request, request.params.intervalId),
  );

  app.put(
    '/v1/market/quotas/:vppId',
    { config: { roles: ['regulator', 'admin'], orgs: ['regulator'] }, schema: putQuotaSchema },
    async (request) => {
      const { result, txId } = await market.setVppQuota(request, request.params.vppId, request.body.quantity);
      return { record: result, txId };
    },
  );

  app.get(
    '/v1/market/quotas/:vppId',
    { config: { roles: ANY_ROLE }, schema: getQuotaSchema },
    async (request) => market.vppQuota(request, request.params.vppId),
  );

  app.get(
    '/v1/market/vpps/:vppId/violations',
    { config: { roles: ANY_ROLE }, schema: listViolationsSchema },
    async (request) => {
      const { pageSize, bookmark } = request.query;
      return market.vppViolations(request, request.params.vppId, pageSize, bookmark);
    },
  );
};

export default routes;
