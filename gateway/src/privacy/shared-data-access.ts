/**
 * Shared data under consent, between gateways. The data holder (the CVPP org's gateway) keeps
 * personal data and raw samples off the public state. Another org's user asks its own gateway, which
 * records the access on chain as that user (refused without a valid grant) and then fetches the data
 * from the holder, presenting the access transaction (the "ticket") as its only credential. The
 * holder checks that transaction on its own ledger (the grantee names the access's block in
 * X-Min-Block, so the holder's peer has it) and the grant again before it answers. Whatever
 * the reason for a refusal, the answer is 403 `no valid grant`: a grantee learns nothing more.
 *
 * Between the gateways runs mutual TLS: the grantee's gateway presents its org's gateway TLS
 * certificate, and the holder serves only a consortium gateway (401 otherwise, core/client-cert.ts)
 * whose org is the one the ticket recorded as the accessor (403 `no valid grant` otherwise).
 */
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import {
  isGrantValidAt,
  MspId,
  ownerDataHash,
  parseOwnerData,
  parseStoredAccessLogEntry,
  parseStoredGrant,
  type AccessLogEntry,
  type ConsentGrant,
  type DataSet,
} from '../../../chaincode/src/api';
import { httpRequest, type HttpsTrust } from '../../../platform/src/http/http-client';
import type { Org, Topology } from '../../../platform/src/topology';
import { ApiError } from '../core/api-error';
import { gatewayOrgOf, type ClientCertificate, type TlsRoot } from '../core/client-cert';
import { toApiError } from '../core/fabric-errors';
import type { PrivacyLedger } from '../plugins/app/ledger/privacy-ledger';
import type { OffChainStore } from './off-chain-database';

/** A ticket (access transaction) is honoured this long after it was recorded. */
const TICKET_TTL_MS = 5 * 60_000;
const HOLDER_TIMEOUT_MS = 30_000;

const noValidGrant = () => new ApiError(403, 'FORBIDDEN', 'no valid grant');

/** What the grantee's user gets: the grant, its access record and the data (owner data with hashes). */
export interface SharedData {
  readonly grant: ConsentGrant;
  readonly access: AccessLogEntry;
  readonly data: unknown;
  /** Owner data only: the hash on chain, and the hash of the data as received, to compare. */
  readonly onChainHash?: string;
  readonly dataHash?: string;
}

/** What the holder serves for a ticket. */
export interface ServedData {
  readonly dataSet: DataSet;
  readonly accessTxId: string;
  readonly data: unknown;
}

/** TSDoc'd port: the two sides of the consent ticket protocol. */
export interface SharedDataAccess {
  /** Grantee side: records the caller's access under `grantId`, then fetches the data from the holder. */
  fetch(as: FastifyRequest, grantId: string, intervalId: string | undefined): Promise<SharedData>;
  /**
   * Holder side: the data the access recorded by `ticketTxId` entitles to, checked on our own ledger,
   * for the gateway of the accessor's org only (`client`: the connection's client certificate).
   */
  serve(
    ticketTxId: string,
    intervalId: string | undefined,
    client: ClientCertificate,
    log: FastifyBaseLogger,
  ): Promise<ServedData>;
}

/** The TLS material of the gateway-to-gateway calls (config.ts readGatewayTls). */
export interface GatewayTls {
  /** The grantee's side: trust the consortium roots, present this gateway's certificate. */
  readonly client: HttpsTrust;
  /** The holder's side: the roots a client certificate must chain to. */
  readonly roots: readonly TlsRoot[];
}

export interface SharedDataOptions {
  readonly ledger: Pick<
    PrivacyLedger,
    'grant' | 'recordAccess' | 'ownerDataHash' | 'accessTicketAsService' | 'grantAsService'
  >;
  /** The holder's own off-chain copies (used on the holder's side only). */
  readonly store: Pick<OffChainStore, 'getOwnerData' | 'samplesOf'>;
  /** Where the holder's gateway listens; undefined if the topology names no holder. */
  readonly holder: { readonly host: string; readonly port: number } | undefined;
  /** The consortium's orgs: a client certificate's root names one of them. */
  readonly orgs: readonly Pick<Org, 'name' | 'mspId'>[];
  /** Read when first needed: a gateway that never shares data needs no files. */
  readonly tls: () => GatewayTls;
}

/** The data holder's gateway: the CVPP org's. */
export function holderGatewayOf(topology: Topology): { host: string; port: number } | undefined {
  return topology.orgs.find((org) => org.mspId === MspId.CVPP)?.gateway;
}

export function newSharedDataAccess(options: SharedDataOptions): SharedDataAccess {
  const { ledger, store, holder, orgs, tls } = options;

  function dataOf(dataSet: DataSet, intervalId: string | undefined): unknown {
    if (dataSet.kind === 'owner-data') {
      const data = store.getOwnerData(dataSet.derId);
      if (data === undefined) throw new ApiError(404, 'NOT_FOUND', 'no data');
      return data;
    }
    if (intervalId === undefined) throw new ApiError(400, 'VALIDATION_FAILED', 'samples need an intervalId');
    return store.samplesOf(dataSet.derId, intervalId);
  }

  return {
    async fetch(as, grantId, intervalId) {
      const grant = parseStoredGrant(await ledger.grant(as, grantId));
      const { result: access, txId, blockNumber } = await ledger.recordAccess(as, grantId, grant.dataSet);
      if (!holder) throw new ApiError(503, 'HOLDER_UNKNOWN', 'no data holder in the topology');
      const query = intervalId === undefined ? '' : `?intervalId=${encodeURIComponent(intervalId)}`;
      const answer = await httpRequest(
        `https://${holder.host}:${holder.port}`,
        `/v1/shared-data/${txId}${query}`,
        // The holder answers once its own peer has the access's block (read-your-writes).
        {
          timeoutMs: HOLDER_TIMEOUT_MS,
          headers: { 'x-min-block': String(blockNumber) },
          tls: tls().client,
        },
      );
      const shared = JSON.parse(answer.text) as { data: unknown };
      if (answer.status === 403) throw noValidGrant();
      if (answer.status !== 200)
        throw new ApiError(502, 'HOLDER_REFUSED', `the data holder answered ${answer.status}`);
      const checked =
        grant.dataSet.kind === 'owner-data'
          ? {
              onChainHash: (await ledger.ownerDataHash(as, grant.dataSet.derId)).sha256,
              dataHash: ownerDataHash(parseOwnerData(shared.data)),
            }
          : {};
      return { grant, access, data: shared.data, ...checked };
    },

    async serve(ticketTxId, intervalId, client, log) {
      // Before any ledger read: only a consortium gateway learns anything about a ticket.
      const clientMspId = gatewayOrgOf(client, tls().roots, orgs);
      let entry: AccessLogEntry;
      let grant: ConsentGrant;
      try {
        entry = parseStoredAccessLogEntry(await ledger.accessTicketAsService(ticketTxId));
        grant = parseStoredGrant(await ledger.grantAsService(entry.grantId));
      } catch (err) {
        if (toApiError(err).status < 500) throw noValidGrant();
        throw err;
      }
      const fresh = Date.now() - Date.parse(entry.at) <= TICKET_TTL_MS;
      const at = new Date().toISOString();
      const accessorsGateway = clientMspId === entry.accessorMspId;
      if (
        !accessorsGateway ||
        !fresh ||
        !isGrantValidAt(grant, { at, mspId: entry.accessorMspId, dataSet: entry.dataSet })
      ) {
        throw noValidGrant();
      }
      log.info(
        { grantId: grant.grantId, accessTxId: entry.txId, accessor: entry.accessor },
        'shared data served',
      );
      return { dataSet: entry.dataSet, accessTxId: entry.txId, data: dataOf(entry.dataSet, intervalId) };
    },
  };
}
