/**
 * The org's off-chain store (SQLite, in the gateway's data folder): raw samples behind readings,
 * grouped per batch under a Merkle root that the batch's transaction anchors on chain, and owner
 * data with its personal fields encrypted under a key of the org's own (a 0600 file beside it).
 */
import path from 'node:path';
import fp from 'fastify-plugin';
import type { GatewayConfig } from '../../config';
import { loadOrCreateFieldKey } from '../../privacy/field-crypto';
import { OffChainStore } from '../../privacy/off-chain-database';

declare module 'fastify' {
  interface FastifyInstance {
    offChain: OffChainStore;
  }
}

export default fp(
  async (app, opts: { config: GatewayConfig }) => {
    const key = loadOrCreateFieldKey(path.join(opts.config.dataDir, 'field-key'));
    const store = new OffChainStore(path.join(opts.config.dataDir, 'offchain.sqlite'), key);
    app.decorate('offChain', store);
    app.addHook('onClose', async () => store.close());
  },
  { name: 'off-chain-store' },
);
