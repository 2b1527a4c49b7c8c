/**
 * The gateway's view of the DER registry, for rejecting bad readings before they cost a transaction.
 * Entries are read from the ledger (registry:GetDer) and kept for a bounded time; the gateway drops an
 * entry itself when it changes the DER (suspend, reinstate, revoke). The chaincode checks everything
 * again, so a stale entry can only delay a rejection by one batch, never let a reading through.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { type Der, ErrorCode, parseStoredDer, VppError } from '../../../chaincode/src/api';

export interface DerView {
  readonly der: Der | undefined;
  readonly publicKey: KeyObject | undefined;
}

/** Reads one DER's stored JSON, or undefined if it is not registered. */
export type DerLookup = (derId: string) => Promise<string | undefined>;

/** An unknown DER is re-read sooner, so that a fresh registration is seen quickly. */
const UNKNOWN_TTL_MS = 2_000;

export class DerDirectory {
  readonly #entries = new Map<string, { view: Promise<DerView>; expires: number }>();

  constructor(
    private readonly lookup: DerLookup,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(derId: string): Promise<DerView> {
    const cached = this.#entries.get(derId);
    if (cached && cached.expires > this.now()) return cached.view;
    const view = this.lookup(derId).then((json): DerView => {
      if (json === undefined) return { der: undefined, publicKey: undefined };
      let der: Der;
      try {
        der = parseStoredDer(JSON.parse(json));
      } catch (err) {
        // The ledger's own record is unreadable: a fault of ours, never the device's.
        throw new VppError(ErrorCode.INTERNAL, `der ${derId} as stored is unreadable: ${String(err)}`);
      }
      return { der, publicKey: createPublicKey(der.certificate.pem) };
    });
    const entry = { view, expires: this.now() + this.ttlMs };
    this.#entries.set(derId, entry);
    view.then(
      (result) => {
        if (result.der === undefined) entry.expires = Math.min(entry.expires, this.now() + UNKNOWN_TTL_MS);
      },
      () => this.#entries.delete(derId), // a failed lookup is not remembered
    );
    return view;
  }

  forget(derId: string): void {
    this.#entries.delete(derId);
  }
}
