/**
 * One ledger query for many DERs: lookups asked for in the same turn of the event loop are sent
 * together (up to `maxBatch` ids per query), so a burst of readings from a fleet the gateway has not
 * seen yet costs one evaluate per batch of DERs instead of one per DER.
 */

/** Looks many ids up at once; answers in the order asked, undefined where there is nothing. */
export type ManyLookup<T> = (ids: string[]) => Promise<(T | undefined)[]>;

export function coalescedLookup<T>(
  lookupMany: ManyLookup<T>,
  maxBatch: number,
): (id: string) => Promise<T | undefined> {
  let pending: { id: string; resolve: (value: T | undefined) => void; reject: (err: unknown) => void }[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    lookupMany(batch.map((entry) => entry.id)).then(
      (values) => {
        if (values.length !== batch.length) {
          const err = new Error(`asked for ${batch.length} ids, got ${values.length} answers`);
          for (const entry of batch) entry.reject(err);
          return;
        }
        batch.forEach((entry, i) => entry.resolve(values[i]));
      },
      (err: unknown) => {
        for (const entry of batch) entry.reject(err);
      },
    );
  };
  return (id) =>
    new Promise<T | undefined>((resolve, reject) => {
      pending.push({ id, resolve, reject });
      if (pending.length >= maxBatch) flush();
      else if (pending.length === 1) setImmediate(flush);
    });
}
