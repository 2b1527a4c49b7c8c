import assert from 'node:assert/strict';
import type { PeerCertificate } from 'node:tls';
import { describe, it } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import type { AccessLogEntry, ConsentGrant } from '../../../../chaincode/src/api';
import { ApiError } from '../../../../gateway/src/core/api-error';
import type { ClientCertificate, TlsRoot } from '../../../../gateway/src/core/client-cert';
import { newSharedDataAccess } from '../../../../gateway/src/privacy/shared-data-access';

const TX = 'a'.repeat(64);
const DATA_SET = { kind: 'owner-data', derId: 'pv-1' } as const;
const ORGS = [
  { name: 'cvpp', mspId: 'CvppMSP' },
  { name: 'trading', mspId: 'TradingMSP' },
  { name: 'control', mspId: 'ControlMSP' },
] as const;
const ROOTS: TlsRoot[] = ORGS.map((o) => ({ mspId: o.mspId, fingerprint256: `root-of-${o.name}` }));

const now = Date.now();
const GRANT: ConsentGrant = {
  grantId: 'g-1',
  dataSet: DATA_SET,
  granteeMspId: 'TradingMSP' as ConsentGrant['granteeMspId'],
  purpose: 'audit',
  validFrom: new Date(now - 60_000).toISOString(),
  validUntil: new Date(now + 60_000).toISOString(),
  status: 'active',
  grantedBy: 'CvppMSP/op',
  grantedAt: new Date(now - 60_000).toISOString(),
  txId: 'b'.repeat(64),
};
const TICKET: AccessLogEntry = {
  grantId: 'g-1',
  dataSet: DATA_SET,
  accessorMspId: 'TradingMSP',
  accessor: 'TradingMSP/trader',
  at: new Date(now - 1_000).toISOString(),
  txId: TX,
};

/** A client certificate as the TLS layer reports it after verifying the chain. */
function gatewayOf(org: string, cn = `gateway.${org}`): ClientCertificate {
  const issuer = { fingerprint256: `root-of-${org}` } as PeerCertificate;
  return { authorized: true, certificate: { subject: { CN: cn } } as PeerCertificate, issuer };
}
const NO_CERT: ClientCertificate = { authorized: false, certificate: undefined, issuer: undefined };

const silent = { info: () => undefined } as unknown as FastifyBaseLogger;

describe('gateway/privacy/shared-data-access', () => {
  describe('#serve (the holder)', () => {
    const ledgerReads: string[] = [];
    const access = newSharedDataAccess({
      ledger: {
        accessTicketAsService: async (txId: string) => (ledgerReads.push(txId), TICKET),
        grantAsService: async () => GRANT,
      } as never,
      store: { getOwnerData: () => ({ derId: 'pv-1', name: 'Owner' }), samplesOf: () => [] } as never,
      holder: undefined,
      orgs: ORGS,
      tls: () => ({ client: { ca: '' }, roots: ROOTS }),
    });
    const refusal = (status: number, code: string) => (err: unknown) =>
      err instanceof ApiError && err.status === status && err.code === code;

    it("should serve the accessor org's gateway", async () => {
      const served = await access.serve(TX, undefined, gatewayOf('trading'), silent);
      assert.deepEqual(served, { dataSet: DATA_SET, accessTxId: TX, data: { derId: 'pv-1', name: 'Owner' } });
    });

    it('should refuse a request without a client certificate with 401, before reading the ledger', async () => {
      ledgerReads.length = 0;
      await assert.rejects(
        access.serve(TX, undefined, NO_CERT, silent),
        refusal(401, 'CLIENT_CERT_REQUIRED'),
      );
      assert.deepEqual(ledgerReads, []);
    });

    it('should refuse the gateway of another org than the ticket names with 403 no valid grant', async () => {
      await assert.rejects(access.serve(TX, undefined, gatewayOf('control'), silent), (err: unknown) => {
        assert.ok(refusal(403, 'FORBIDDEN')(err));
        assert.equal((err as ApiError).message, 'no valid grant');
        return true;
      });
    });

    it("should refuse a certificate of the accessor's org that is not its gateway's with 403", async () => {
      await assert.rejects(
        access.serve(TX, undefined, gatewayOf('trading', 'peer.trading'), silent),
        refusal(403, 'FORBIDDEN'),
      );
    });
  });

  describe('#serve (an unknown ticket)', () => {
    /** A ledger on which no access ticket exists; it counts every lookup it is asked for. */
    function ledgerWithoutTickets(lookups: string[]) {
      const refuse = (what: string) => async (): Promise<never> => {
        lookups.push(what);
        throw new ApiError(404, 'NOT_FOUND', `${what} not found`);
      };
      return {
        grant: refuse('grant'),
        recordAccess: refuse('recordAccess'),
        ownerDataHash: refuse('ownerDataHash'),
        accessTicketAsService: refuse('accessTicketAsService'),
        grantAsService: refuse('grantAsService'),
      };
    }
    const accessOver = (ledger: ReturnType<typeof ledgerWithoutTickets>) =>
      newSharedDataAccess({
        ledger,
        store: { getOwnerData: () => undefined, samplesOf: () => [] } as never,
        holder: undefined,
        orgs: ORGS,
        tls: () => ({ client: { ca: '' }, roots: ROOTS }),
      });

    it('should answer 403 "no valid grant" after exactly one ledger lookup (no retry loop)', async () => {
      const lookups: string[] = [];
      await assert.rejects(
        accessOver(ledgerWithoutTickets(lookups)).serve(
          'ab'.repeat(32),
          undefined,
          gatewayOf('trading'),
          silent,
        ),
        {
          status: 403,
          code: 'FORBIDDEN',
          message: 'no valid grant',
        },
      );
      assert.deepEqual(lookups, ['accessTicketAsService']);
    });

    it('should pass a ledger outage through as it is (not as a refusal)', async () => {
      const outage = new ApiError(503, 'FABRIC_UNAVAILABLE', 'peer unreachable');
      const ledger = { ...ledgerWithoutTickets([]), accessTicketAsService: () => Promise.reject(outage) };
      await assert.rejects(
        accessOver(ledger).serve('cd'.repeat(32), undefined, gatewayOf('trading'), silent),
        outage,
      );
    });
  });
});
