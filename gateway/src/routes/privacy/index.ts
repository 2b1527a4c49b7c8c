// Shared-data privacy over REST. The data holder (the CVPP org's gateway) keeps personal data and raw
// samples off the public state; another org's user asks its own gateway (GET /v1/shared/{grantId}),
// which records the access on chain as that user (refused without a valid grant) and then fetches the
// data from the holder, presenting the access transaction as its only credential. The holder checks
// that transaction on its own ledger and the grant again before it answers.
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import {
  type DataSet,
  isGrantValidAt,
  isVppError,
  MspId,
  OWNER_DATA_TRANSIENT,
  OWNER_PERSONAL_COLLECTION,
  ownerDataBytes,
  ownerDataHash,
  parseOwnerData,
  parseStoredAccessLogEntry,
  parseStoredGrant,
} from '../../../../chaincode/src/api';
import { httpRequest } from '../../../../platform/src/http/http-client';
import { merkleProofValid } from '../../privacy/proof';
import { ApiError } from '../../core/api-error';
import { toApiError } from '../../core/fabric-errors';
import { ANY_ROLE } from '../../core/roles';
import {
  accessLogSchema,
  derSamplesSchema,
  getGrantSchema,
  getOwnerDataHashSchema,
  getOwnerDataSchema,
  grantSchema,
  putOwnerDataSchema,
  revokeGrantSchema,
  sampleProofSchema,
  sharedDataSchema,
  sharedSchema,
  type GrantBody,
  type OwnerDataBody,
} from '../../schemas/privacy';

const CONTRACT = 'privacy';
/** A ticket (access transaction) is honoured this long after it was recorded. */
const TICKET_TTL_MS = 5 * 60_000;
const TICKET_LOOKUPS = 10;
const TICKET_LOOKUP_PAUSE_MS = 300;
const json = (bytes: Uint8Array): unknown => JSON.parse(Buffer.from(bytes).toString('utf8'));
const noValidGrant = () => new ApiError(403, 'FORBIDDEN', 'no valid grant');

/** GET a JSON document from another gateway of the consortium. */
async function getJson(
  host: string,
  port: number,
  urlPath: string,
): Promise<{ status: number; body: unknown }> {
  const answer = await httpRequest(`http://${host}:${port}`, urlPath, { timeoutMs: 30_000 });
  return { status: answer.status, body: JSON.parse(answer.text) };
}

const routes: FastifyPluginAsync = async (app) => {
  // The transient data may go to the collection's members only, which endorse its writes.
  const collectionMembers =
    app.config.topology.chaincode.collections.find((c) => c.name === OWNER_PERSONAL_COLLECTION)?.members ??
    [];

  // ---- the holder's side: owner data, grants, samples ----

  app.put<{ Params: { derId: string }; Body: OwnerDataBody }>(
    '/v1/ders/:derId/owner',
    { config: { roles: ['operator', 'admin'] }, schema: putOwnerDataSchema },
    async (request) => {
      let data;
      try {
        // A fresh salt per record keeps the public hash from confirming guessed details.
        data = parseOwnerData({
          derId: request.params.derId,
          ...request.body,
          salt: randomBytes(32).toString('hex'),
        });
      } catch (err) {
        if (isVppError(err)) throw new ApiError(400, 'VALIDATION_FAILED', err.detail);
        throw err;
      }
      // The private collection gets the data through the transient map only: never a proposal argument.
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'PutOwnerData', [data.derId], {
        transient: { [OWNER_DATA_TRANSIENT]: ownerDataBytes(data) },
        endorsers: collectionMembers,
      });
      app.offChain.putOwnerData(data);
      return { record: json(result), txId };
    },
  );

  app.get<{ Params: { derId: string } }>(
    '/v1/ders/:derId/owner',
    { config: { roles: ['operator', 'admin', 'regulator'] }, schema: getOwnerDataSchema },
    async (request) =>
      json(await app.fabric.evaluate(request, CONTRACT, 'GetOwnerData', [request.params.derId])),
  );

  app.get<{ Params: { derId: string } }>(
    '/v1/ders/:derId/owner/hash',
    { config: { roles: ANY_ROLE }, schema: getOwnerDataHashSchema },
    async (request) =>
      json(await app.fabric.evaluate(request, CONTRACT, 'GetOwnerDataHash', [request.params.derId])),
  );

  app.post<{ Body: GrantBody }>(
    '/v1/consents',
    { config: { roles: ['operator', 'admin'] }, schema: grantSchema },
    async (request, reply) => {
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'GrantAccess', [
        JSON.stringify(request.body),
      ]);
      return reply.code(201).send({ record: json(result), txId });
    },
  );

  app.post<{ Params: { grantId: string } }>(
    '/v1/consents/:grantId/revoke',
    { config: { roles: ['operator', 'admin'] }, schema: revokeGrantSchema },
    async (request) => {
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'RevokeGrant', [
        request.params.grantId,
      ]);
      return { record: json(result), txId };
    },
  );

  app.get<{ Params: { grantId: string } }>(
    '/v1/consents/:grantId',
    { config: { roles: ANY_ROLE }, schema: getGrantSchema },
    async (request) =>
      json(await app.fabric.evaluate(request, CONTRACT, 'GetGrant', [request.params.grantId])),
  );

  app.get<{ Params: { grantId: string } }>(
    '/v1/consents/:grantId/accesses',
    { config: { roles: ANY_ROLE }, schema: accessLogSchema },
    async (request) =>
      json(await app.fabric.evaluate(request, CONTRACT, 'ListAccessLog', [request.params.grantId])),
  );

  app.get<{ Params: { derId: string }; Querystring: { intervalId: string } }>(
    '/v1/ders/:derId/samples',
    { config: { roles: ANY_ROLE }, schema: derSamplesSchema },
    async (request) => app.offChain.samplesOf(request.params.derId, request.query.intervalId),
  );

  app.get<{ Params: { id: number } }>(
    '/v1/samples/:id/proof',
    { config: { roles: ANY_ROLE }, schema: sampleProofSchema },
    async (request) => {
      const proof = app.offChain.proofOf(request.params.id);
      if (proof === undefined) throw new ApiError(404, 'NOT_FOUND', `no sample ${request.params.id}`);
      if (proof.txId === null)
        throw new ApiError(404, 'NOT_FOUND', `sample ${request.params.id} is not anchored`);
      const anchor = json(await app.fabric.evaluate(request, CONTRACT, 'GetSampleAnchor', [proof.txId])) as {
        root: string;
        count: number;
      };
      // Recomputed from the sample as stored now: a changed sample no longer leads to the anchor. The
      // root does not fix the tree size by itself, so the proof's size must be the anchored count.
      const verified =
        proof.proof.size === anchor.count && merkleProofValid(proof.sample, proof.proof, anchor.root);
      return { ...proof, anchor, verified };
    },
  );

  // No token: the access transaction recorded on chain is the credential, checked on our own ledger.
  app.get<{ Params: { txId: string }; Querystring: { intervalId?: string } }>(
    '/v1/shared-data/:txId',
    { config: { public: true }, schema: sharedDataSchema },
    async (request) => {
      let entry;
      let grant;
      try {
        entry = parseStoredAccessLogEntry(json(await ticketOf(request.params.txId)));
        grant = parseStoredGrant(
          json(await app.fabric.service.evaluate(CONTRACT, 'GetGrant', [entry.grantId])),
        );
      } catch (err) {
        if (toApiError(err).status < 500) throw noValidGrant();
        throw err;
      }
      const now = new Date().toISOString();
      const fresh = Date.now() - Date.parse(entry.at) <= TICKET_TTL_MS;
      if (!fresh || !isGrantValidAt(grant, { at: now, mspId: entry.accessorMspId, dataSet: entry.dataSet })) {
        throw noValidGrant();
      }
      request.log.info(
        { grantId: grant.grantId, accessTxId: entry.txId, accessor: entry.accessor },
        'shared data served',
      );
      return {
        dataSet: entry.dataSet,
        accessTxId: entry.txId,
        data: dataOf(entry.dataSet, request.query.intervalId),
      };
    },
  );

  /**
   * The access recorded by `txId`. The grantee's gateway asks right after its own peer committed the
   * access; ours may be a block behind, so a missing ticket is looked up again for a few seconds.
   */
  async function ticketOf(txId: string): Promise<Uint8Array> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await app.fabric.service.evaluate(CONTRACT, 'GetAccessTicket', [txId]);
      } catch (err) {
        if (toApiError(err).status !== 403 || attempt >= TICKET_LOOKUPS) throw err;
        await new Promise((resolve) => setTimeout(resolve, TICKET_LOOKUP_PAUSE_MS));
      }
    }
  }

  function dataOf(dataSet: DataSet, intervalId: string | undefined): unknown {
    if (dataSet.kind === 'owner-data') {
      const data = app.offChain.getOwnerData(dataSet.derId);
      if (data === undefined) throw new ApiError(404, 'NOT_FOUND', 'no data');
      return data;
    }
    if (intervalId === undefined) throw new ApiError(400, 'VALIDATION_FAILED', 'samples need an intervalId');
    return app.offChain.samplesOf(dataSet.derId, intervalId);
  }

  // ---- the grantee's side ----

  app.get<{ Params: { grantId: string }; Querystring: { intervalId?: string } }>(
    '/v1/shared/:grantId',
    { config: { roles: ANY_ROLE }, schema: sharedSchema },
    async (request) => {
      const { grantId } = request.params;
      const grant = parseStoredGrant(
        json(await app.fabric.evaluate(request, CONTRACT, 'GetGrant', [grantId])),
      );
      const { result, txId } = await app.fabric.submit(request, CONTRACT, 'RecordAccess', [
        grantId,
        JSON.stringify(grant.dataSet),
      ]);
      const holder = app.config.topology.orgs.find((org) => org.mspId === MspId.CVPP);
      if (!holder) throw new ApiError(503, 'HOLDER_UNKNOWN', 'no data holder in the topology');
      const query =
        request.query.intervalId === undefined
          ? ''
          : `?intervalId=${encodeURIComponent(request.query.intervalId)}`;
      const answer = await getJson(
        holder.gateway.host,
        holder.gateway.port,
        `/v1/shared-data/${txId}${query}`,
      );
      if (answer.status === 403) throw noValidGrant();
      if (answer.status !== 200)
        throw new ApiError(502, 'HOLDER_REFUSED', `the data holder answered ${answer.status}`);
      const shared = answer.body as { data: unknown };
      const checked =
        grant.dataSet.kind === 'owner-data'
          ? {
              onChainHash: (
                json(
                  await app.fabric.evaluate(request, CONTRACT, 'GetOwnerDataHash', [grant.dataSet.derId]),
                ) as {
                  sha256: string;
                }
              ).sha256,
              dataHash: ownerDataHash(parseOwnerData(shared.data)),
            }
          : {};
      return { grant, access: json(result), data: shared.data, ...checked };
    },
  );
};

export default routes;
