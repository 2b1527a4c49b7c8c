// Common base of every VPP contract. It only adjusts fabric-contract-api's hooks; it must not define
// methods of its own, because any undecorated prototype method is a candidate transaction name.

import { Contract, type Context } from 'fabric-contract-api';
import { ErrorCode, VppError } from '../types/errors';

export abstract class VppContract extends Contract {
  /** Replaces the library's uncoded message so clients get the usual `CODE: text` form. */
  override async unknownTransaction(ctx: Context): Promise<void> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    throw new VppError(
      ErrorCode.INVALID_ARGUMENT,
      `unknown transaction ${JSON.stringify(fcn)} in contract ${this.getName()}`,
    );
  }
}
