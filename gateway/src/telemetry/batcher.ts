/**
 * Micro-batching: items arrive one request at a time and leave in batches, flushed when `maxSize`
 * items are waiting or `maxDelayMs` after the first of them arrived, whichever comes first. At most
 * `maxInFlight` batches are being processed at once; later ones wait their turn, so a burst queues
 * instead of opening unbounded transactions. Each caller gets its own item's result back.
 */

export interface BatchLimits {
  readonly maxSize: number;
  readonly maxDelayMs: number;
  readonly maxInFlight: number;
}

/** Processes one batch; must return exactly one result per item, in order. */
export type BatchProcessor<I, R> = (items: I[]) => Promise<R[]>;

interface Pending<I, R> {
  readonly item: I;
  resolve(result: R): void;
  reject(err: unknown): void;
}

export class Batcher<I, R> {
  #waiting: Pending<I, R>[] = [];
  #timer: NodeJS.Timeout | undefined;
  #inFlight = 0;
  readonly #ready: Pending<I, R>[][] = [];
  #closed = false;

  constructor(
    private readonly limits: BatchLimits,
    private readonly process: BatchProcessor<I, R>,
  ) {}

  /** Queues the items (kept together in one batch when they fit) and resolves with their results. */
  submit(items: readonly I[]): Promise<R[]> {
    if (this.#closed) return Promise.reject(new Error('the batcher is closed'));
    const promises = items.map(
      (item) => new Promise<R>((resolve, reject) => this.#waiting.push({ item, resolve, reject })),
    );
    if (this.#waiting.length >= this.limits.maxSize) this.#cut();
    else this.#timer ??= setTimeout(() => this.#cut(), this.limits.maxDelayMs);
    return Promise.all(promises);
  }

  /** Items waiting or being processed. */
  get backlog(): number {
    return this.#waiting.length + this.#ready.reduce((sum, batch) => sum + batch.length, 0);
  }

  /** Flushes what is waiting and resolves once every batch has been processed. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#cut();
    while (this.#inFlight > 0 || this.#ready.length > 0) await new Promise((r) => setTimeout(r, 10));
  }

  #cut(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#waiting.length > 0) this.#ready.push(this.#waiting.splice(0, this.limits.maxSize));
    this.#drain();
  }

  #drain(): void {
    while (this.#inFlight < this.limits.maxInFlight && this.#ready.length > 0) {
      const batch = this.#ready.shift() as Pending<I, R>[];
      this.#inFlight += 1;
      void this.#run(batch).finally(() => {
        this.#inFlight -= 1;
        this.#drain();
      });
    }
  }

  async #run(batch: Pending<I, R>[]): Promise<void> {
    try {
      const results = await this.process(batch.map((pending) => pending.item));
      if (results.length !== batch.length) {
        throw new Error(`batch processor returned ${results.length} results for ${batch.length} items`);
      }
      batch.forEach((pending, i) => pending.resolve(results[i] as R));
    } catch (err) {
      for (const pending of batch) pending.reject(err);
    }
  }
}
