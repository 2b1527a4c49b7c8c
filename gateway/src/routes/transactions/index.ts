// The fate of a write: a caller whose write answered 504 OUTCOME_UNKNOWN (or whose connection broke)
// asks here whether its transaction committed, was invalidated, or is not on the ledger (yet). Any
// role may ask about its own organisation's transactions; the regulator about any. The peer's qscc
// applies the channel's Readers policy to the caller's signed query.

import { ApiError } from '../../core/api-error';
import { ANY_ROLE } from '../../core/roles';
import type { RoutePlugin } from '../../core/schema-types';
import { newLedgerReader } from '../../blocks-and-events/ledger-reader';
import { callerOf } from '../../plugins/app/auth';
import { transactionStatusSchema } from '../../schemas/ledger';

const routes: RoutePlugin = async (app) => {
  app.get(
    '/v1/transactions/:txId/status',
    { config: { roles: ANY_ROLE }, schema: transactionStatusSchema },
    async (request) => {
      const { txId } = request.params;
      const caller = callerOf(request);
      const reader = newLedgerReader(app.fabric.network(caller), app.config.channel);
      let located;
      try {
        located = await reader.transaction(txId);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return { txId, status: 'unknown' as const };
        throw err;
      }
      if (caller.role !== 'regulator' && located.creatorMspId !== caller.mspId) {
        throw new ApiError(403, 'FORBIDDEN', `transaction ${txId} was submitted by another organisation`);
      }
      return {
        txId,
        status: located.validationCode === 'VALID' ? ('committed' as const) : ('invalid' as const),
        validationCode: located.validationCode,
        blockNumber: located.blockNumber,
      };
    },
  );
};

export default routes;
