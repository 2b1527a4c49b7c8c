/**
 * The gateway's view of the DER registry, for rejecting bad readings before they cost a transaction.
 * Entries are read from the ledger (registry:GetDer) and kept for a bounded time; the gateway drops an
 * entry itself when it changes the DER (suspend, reinstate, revoke). The chaincode checks everything
 * again, so a stale entry can only delay a rejection by one batch, never let a reading through.
 */
import {
  type Der,
  deviceKeysOf,
  type DeviceKeys,
  ErrorCode,
  parseStoredDer,
  VppError,
} from '../../../chaincode/src/api';

export interface DerView {
  readonly der: Der | undefined;
  readonly keys: DeviceKeys | undefined;
}

/** Reads one DER as stored (parsed JSON), or undefined if it is not registered. */
export type DerLookup = (derId: string) => Promise<unknown>;

/** An unknown DER is re-read sooner, so that a fresh registration is seen quickly. */
const UNKNOWN_TTL_MS = 2_000;

/**
 * Lookups in flight at once. A burst of readings from DERs the gateway has not seen yet (a large fleet
 * after a restart, or just registered) would otherwise start one evaluate per DER at once and meet the
 * peer's gateway concurrency limit (500 by default), failing the whole request; queued, they are only
 * slower.
 */
export const MAX_LOOKUPS_IN_FLIGHT = 256;

export class DerDirectory {
  readonly #entries = new Map<string, { view: Promise<DerView>; expires: number }>();
  #inFlight = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(
    private readonly lookup: DerLookup,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(derId: string): Promise<DerView> {
    const cached = this.#entries.get(derId);
    if (cached && cached.expires > this.now()) return cached.view;
    const view = this.#limited(() => this.lookup(derId)).then((stored): DerView => {
      if (stored === undefined) return { der: undefined, keys: undefined };
      let der: Der;
      try {
        der = parseStoredDer(stored);
      } catch (err) {
        // The ledger's own record is unreadable: a fault of ours, never the device's.
        throw new VppError(ErrorCode.INTERNAL, `der ${derId} as stored is unreadable: ${String(err)}`);
      }
      return { der, keys: deviceKeysOf(der.certificate.pem) };
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

  /** Runs `work` once fewer than MAX_LOOKUPS_IN_FLIGHT lookups are running. */
  async #limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.#inFlight >= MAX_LOOKUPS_IN_FLIGHT) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#inFlight += 1;
    }
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter, so the count stays right without a race.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#inFlight -= 1;
    }
  }

  forget(derId: string): void {
    this.#entries.delete(derId);
  }
}
