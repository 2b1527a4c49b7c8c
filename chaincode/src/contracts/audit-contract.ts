// Audit views for the regulator. Read-only: the history of a ledger key can only be read from inside
// chaincode (the peer's history database has no client API), so this contract exposes it, to the
// regulator alone. Helpers stay at module level so they can never become invokable transactions.

// Context must stay a value import: emitDecoratorMetadata records it as the first parameter type,
// which is how fabric-contract-api recognises and drops ctx from the transaction's parameters.
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { toCanonicalJson } from '../encoding/canonical-json';
import { requireActor } from '../ledger/identity';
import { compositeKey, OBJECT_TYPES, splitCompositeKey, type ObjectType } from '../encoding/keys';
import { history } from '../ledger/store';
import { MspId, Role, type Authority } from '../types/consortium';
import { ErrorCode, VppError } from '../types/errors';
import { AUDIT_CONTRACT_NAME } from '../types/contracts';
import { VppContract } from './vpp-contract';

/** The regulator's staff: key history is exposed to the regulator alone. */
const AUDITORS: Authority = { [MspId.REGULATOR]: [Role.REGULATOR] };

const isObjectType = (value: string): value is ObjectType =>
  (OBJECT_TYPES as readonly string[]).includes(value);

/**
 * Accepts only composite keys of our own object types, re-encoded to prove the key is exactly what
 * the chaincode would store (so no other namespace or malformed key reaches the history database).
 */
function requireLedgerKey(key: unknown): string {
  const parts = typeof key === 'string' ? splitCompositeKey(key) : undefined;
  if (parts === undefined || !isObjectType(parts.objectType)) {
    throw new VppError(
      ErrorCode.INVALID_ARGUMENT,
      `key must be a composite key of one of ${OBJECT_TYPES.join(', ')}`,
    );
  }
  if (compositeKey(parts.objectType, parts.attributes) !== key) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, 'key is not in canonical composite-key form');
  }
  return key;
}

@Info({ title: 'AuditContract', description: 'Read-only audit views for the regulator' })
export class AuditContract extends VppContract {
  constructor() {
    super(AUDIT_CONTRACT_NAME);
  }

  /**
   * One page of the committed writes of a key, newest first: `{ entries: [{txId, timestamp, isDelete,
   * value}], bookmark }`, bookmark '' on the last page. Paged: a record such as a credit indicator is
   * rewritten every interval, and every entry carries a whole value.
   */
  @Transaction(false)
  @Returns('string')
  async GetKeyHistory(ctx: Context, key: string, pageSize: string, bookmark: string): Promise<string> {
    requireActor(ctx, AUDITORS);
    const page = await history(ctx, requireLedgerKey(key), Number(pageSize), bookmark);
    return toCanonicalJson(page);
  }
}
