// Shared-data privacy over REST. The data holder (the CVPP org's gateway) keeps personal data and raw
// samples off the public state; other orgs read them under a consent grant through the ticket
// protocol of privacy/shared-data-access.ts (GET /v1/shared/{grantId} on the grantee's gateway,
// GET /v1/shared-data/{txId} between gateways).
import { randomBytes } from 'node:crypto';
import { isVppError, parseOwnerData, type OwnerData } from '../../../../chaincode/src/api';
import { ApiError } from '../../core/api-error';
import { clientCertificateOf } from '../../core/client-cert';
import { gatewayTlsOnce } from '../../config';
import { ANY_ROLE } from '../../core/roles';
import type { RoutePlugin } from '../../core/schema-types';
import { merkleProofValid } from '../../privacy/proof';
import { holderGatewayOf, newSharedDataAccess } from '../../privacy/shared-data-access';
import {
  accessLogSchema,
  derGrantsSchema,
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
} from '../../schemas/privacy';

/** The owner data to record: validated by the chaincode's own rule (400 if refused), freshly salted. */
function ownerDataOf(derId: string, fields: Omit<OwnerData, 'derId' | 'salt'>): OwnerData {
  try {
    // A fresh salt per record keeps the public hash from confirming guessed details.
    return parseOwnerData({ derId, ...fields, salt: randomBytes(32).toString('hex') });
  } catch (err) {
    if (isVppError(err)) throw new ApiError(400, 'VALIDATION_FAILED', err.detail);
    throw err;
  }
}

const routes: RoutePlugin = async (app) => {
  const privacy = app.ledger.privacy;
  const sharedData = newSharedDataAccess({
    ledger: privacy,
    store: app.offChain,
    holder: holderGatewayOf(app.config.topology),
    orgs: app.config.topology.orgs,
    tls: gatewayTlsOnce(app.config),
  });

  // ---- the holder's side: owner data, grants, samples ----

  app.put(
    '/v1/ders/:derId/owner',
    { config: { roles: ['operator', 'admin'], orgs: ['cvpp'] }, schema: putOwnerDataSchema },
    async (request) => {
      const data = ownerDataOf(request.params.derId, request.body);
      const { result, txId } = await privacy.putOwnerData(request, data);
      app.offChain.putOwnerData(data);
      return { record: result, txId };
    },
  );

  app.get(
    '/v1/ders/:derId/owner',
    {
      config: { roles: ['operator', 'admin', 'regulator'], orgs: ['cvpp', 'regulator'] },
      schema: getOwnerDataSchema,
    },
    async (request) => privacy.ownerData(request, request.params.derId),
  );

  app.get(
    '/v1/ders/:derId/owner/hash',
    { config: { roles: ANY_ROLE }, schema: getOwnerDataHashSchema },
    async (request) => privacy.ownerDataHash(request, request.params.derId),
  );

  app.post(
    '/v1/consents',
    { config: { roles: ['operator', 'admin'], orgs: ['cvpp'] }, schema: grantSchema },
    async (request, reply) => {
      const { result, txId } = await privacy.grantAccess(request, request.body);
      return reply.code(201).send({ record: result, txId });
    },
  );

  app.post(
    '/v1/consents/:grantId/revoke',
    { config: { roles: ['operator', 'admin'], orgs: ['cvpp'] }, schema: revokeGrantSchema },
    async (request) => {
      const { result, txId } = await privacy.revokeGrant(request, request.params.grantId);
      return { record: result, txId };
    },
  );

  app.get('/v1/consents/:grantId', { config: { roles: ANY_ROLE }, schema: getGrantSchema }, async (request) =>
    privacy.grant(request, request.params.grantId),
  );

  app.get(
    '/v1/ders/:derId/consents',
    {
      config: { roles: ['operator', 'admin', 'regulator'], orgs: ['cvpp', 'regulator'] },
      schema: derGrantsSchema,
    },
    async (request) => {
      const { pageSize, bookmark } = request.query;
      return privacy.grantsOfDer(request, request.params.derId, pageSize, bookmark);
    },
  );

  app.get(
    '/v1/consents/:grantId/accesses',
    { config: { roles: ANY_ROLE }, schema: accessLogSchema },
    async (request) => {
      const { pageSize, bookmark } = request.query;
      return privacy.accessLog(request, request.params.grantId, pageSize, bookmark);
    },
  );

  app.get(
    '/v1/ders/:derId/samples',
    { config: { roles: ANY_ROLE }, schema: derSamplesSchema },
    async (request) => app.offChain.samplesOf(request.params.derId, request.query.intervalId),
  );

  app.get(
    '/v1/samples/:id/proof',
    { config: { roles: ANY_ROLE }, schema: sampleProofSchema },
    async (request) => {
      const { id } = request.params;
      const proof = app.offChain.proofOf(id);
      if (proof === undefined) throw new ApiError(404, 'NOT_FOUND', `no sample ${id}`);
      if (proof.txId === null) throw new ApiError(404, 'NOT_FOUND', `sample ${id} is not anchored`);
      const anchor = await privacy.sampleAnchor(request, proof.txId);
      // Recomputed from the sample as stored now: a changed sample no longer leads to the anchor. The
      // root does not fix the tree size by itself, so the proof's size must be the anchored count.
      const verified =
        proof.proof.size === anchor.count && merkleProofValid(proof.sample, proof.proof, anchor.root);
      return { ...proof, anchor, verified };
    },
  );

  // No token: the access transaction recorded on chain is the credential, checked on our own ledger.
  app.get('/v1/shared-data/:txId', { config: { public: true }, schema: sharedDataSchema }, async (request) =>
    sharedData.serve(
      request.params.txId,
      request.query.intervalId,
      clientCertificateOf(request.raw.socket),
      request.log,
    ),
  );

  // ---- the grantee's side ----

  app.get('/v1/shared/:grantId', { config: { roles: ANY_ROLE }, schema: sharedSchema }, async (request) =>
    sharedData.fetch(request, request.params.grantId, request.query.intervalId),
  );
};

export default routes;
