// Proofs that leave the chain (README, "Proof bundles"): a self-contained bundle per record that
// vpp-verify checks offline against a checkpoint the user pins, and the regulator's checkpoints.
// Bundles are built as the caller (the attestation is endorsed with the caller's identity, blocks are
// read with the caller's channel access); the chaincode checks the caller again.

import type { RoutePlugin } from '../../core/schema-types';
import { ANY_ROLE } from '../../core/roles';
import { ApiError } from '../../core/api-error';
import { ledgerKey } from '../../blocks-and-events/ledger-reader';
import { OBJECT_TYPE_OF_KIND } from '../../../../verifier/src/bundle';
import { sampleAnchorKey, sampleBytes } from '../../../../chaincode/src/api';
import {
  listCheckpointsSchema,
  recordCheckpointSchema,
  recordProofSchema,
  sampleProofBundleSchema,
} from '../../schemas/proofs';

const routes: RoutePlugin = async (app) => {
  const { proofs } = app.ledger;

  app.get(
    '/v1/proofs/checkpoints',
    { config: { public: true }, schema: listCheckpointsSchema, preHandler: app.rateLimits.checkpointReads },
    async (request) => {
      const { pageSize = 100, bookmark = '' } = request.query;
      const [latest, page] = await Promise.all([
        proofs.latestCheckpoint(),
        proofs.listCheckpoints(pageSize, bookmark),
      ]);
      return { channel: app.config.channel, latest: latest ?? null, ...page };
    },
  );

  app.post(
    '/v1/proofs/checkpoints',
    { config: { roles: ['regulator', 'admin'], orgs: ['regulator'] }, schema: recordCheckpointSchema },
    async (request, reply) => {
      const recorded = await app.proofs.recordCheckpoint(request);
      if (recorded === undefined) {
        throw new ApiError(
          409,
          'NOTHING_TO_CHECKPOINT',
          'no block has been committed since the latest checkpoint',
        );
      }
      return reply.code(201).send(recorded);
    },
  );

  app.get(
    '/v1/proofs/samples/:id',
    { config: { roles: ANY_ROLE }, schema: sampleProofBundleSchema },
    async (request) => {
      const { id } = request.params;
      const stored = app.offChain.proofOf(id);
      if (stored === undefined)
        throw new ApiError(404, 'NOT_FOUND', `no sample ${id} in this gateway's store`);
      if (stored.txId === null) throw new ApiError(404, 'NOT_FOUND', `sample ${id} is not anchored`);
      return app.proofs.bundle(request, {
        kind: 'sample',
        key: sampleAnchorKey(stored.txId),
        checkpoint: request.query.checkpoint,
        merkle: {
          leaf: sampleBytes(stored.sample).toString('utf8'),
          index: stored.proof.index,
          size: stored.proof.size,
          path: stored.proof.path,
        },
      });
    },
  );

  app.get('/v1/proofs/:kind', { config: { roles: ANY_ROLE }, schema: recordProofSchema }, async (request) => {
    const { kind } = request.params;
    return app.proofs.bundle(request, {
      kind,
      key: ledgerKey(OBJECT_TYPE_OF_KIND[kind], request.query.key),
      checkpoint: request.query.checkpoint,
    });
  });
};

export default routes;
