// The holder's side of the consent ticket protocol: an unknown ticket is refused at once, after one
// ledger lookup (no retry loop that a stranger could make the gateway run for a random id).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { ApiError } from '../../../../gateway/src/core/api-error';
import {
  newSharedDataAccess,
  type SharedDataOptions,
} from '../../../../gateway/src/privacy/shared-data-access';

type Ledger = SharedDataOptions['ledger'];

/** A ledger on which no access ticket exists; it counts every lookup it is asked for. */
function ledgerWithoutTickets(): { ledger: Ledger; lookups: string[] } {
  const lookups: string[] = [];
  const refuse = (what: string) => async (): Promise<never> => {
    lookups.push(what);
    throw new ApiError(404, 'NOT_FOUND', `${what} not found`);
  };
  const ledger: Ledger = {
    grant: refuse('grant'),
    recordAccess: refuse('recordAccess'),
    ownerDataHash: refuse('ownerDataHash'),
    accessTicketAsService: refuse('accessTicketAsService'),
    grantAsService: refuse('grantAsService'),
  };
  return { ledger, lookups };
}

describe('gateway/privacy/shared-data-access', () => {
  it('should answer an unknown ticket 403 "no valid grant" after exactly one ledger lookup', async () => {
    const { ledger, lookups } = ledgerWithoutTickets();
    const access = newSharedDataAccess({
      ledger,
      store: { getOwnerData: () => undefined, samplesOf: () => [] },
      holder: undefined,
    });
    await assert.rejects(access.serve('ab'.repeat(32), undefined, pino({ level: 'silent' })), {
      status: 403,
      code: 'FORBIDDEN',
      message: 'no valid grant',
    });
    assert.deepEqual(lookups, ['accessTicketAsService']);
  });

  it('should pass a ledger outage through as it is (not as a refusal)', async () => {
    const { ledger } = ledgerWithoutTickets();
    const outage = new ApiError(503, 'FABRIC_UNAVAILABLE', 'peer unreachable');
    const access = newSharedDataAccess({
      ledger: { ...ledger, accessTicketAsService: () => Promise.reject(outage) },
      store: { getOwnerData: () => undefined, samplesOf: () => [] },
      holder: undefined,
    });
    await assert.rejects(access.serve('cd'.repeat(32), undefined, pino({ level: 'silent' })), outage);
  });
});
