// Common base of every VPP contract. It only adjusts fabric-contract-api's hooks; it must not define
// methods of its own, because any undecorated prototype method is a candidate transaction name.

import { Contract, type Context } from 'fabric-contract-api';
import { flushWrites } from '../ledger/state-batching';
import { ErrorCode, VppError } from '../types/errors';

export abstract class VppContract extends Contract {
  /**
   * Sends the writes the transaction kept back for a write batch (ledger/state-batching.ts). Runs after
   * every successful transaction function and before the shim answers the peer; a failed one has
   * nothing worth sending, since the peer discards its simulation.
   */
  override async afterTransaction(ctx: Context, _result: unknown): Promise<void> {
    await flushWrites(ctx.stub);
  }

  /** Replaces the library's uncoded message so clients get the usual `CODE: text` form. */
  override async unknownTransaction(ctx: Context): Promise<void> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    throw new VppError(
      ErrorCode.INVALID_ARGUMENT,
      `unknown transaction ${JSON.stringify(fcn)} in contract ${this.getName()}`,
    );
  }
}
