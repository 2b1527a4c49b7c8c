import { ANY_ROLE } from '../../core/roles';
import type { RoutePlugin } from '../../core/schema-types';
import { networkStatus } from '../../network-status/node-status';
import { networkNodesSchema } from '../../schemas/network';

const routes: RoutePlugin = async (app) => {
  app.get('/v1/network/nodes', { config: { roles: ANY_ROLE }, schema: networkNodesSchema }, async () =>
    networkStatus(app.config.topology, app.config.channel),
  );
};

export default routes;
