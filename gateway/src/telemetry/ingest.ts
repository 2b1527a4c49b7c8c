/**
 * Device readings into the ledger: each reading is checked here first with the same rules the
 * chaincode applies (node:crypto signature check against the DER's registered certificate, status,
 * revocation, window, capacity), so that bad readings are answered at once and never take space in a
 * transaction; the good ones wait in the batcher and go to the ledger together, where every signature
 * is verified again. The window check here uses the gateway's clock; the ledger's uses the tx time.
 */
import { randomUUID } from 'node:crypto';
import {
  type BatchResult,
  checkReading,
  type MarketCalendarHistory,
  requireMeteringInterval,
  ErrorCode,
  isVppError,
  parseSignedReading,
  type ReadingResult,
  rejectionOf,
  type Sample,
  type SampleAnchorInput,
  type SignedReading,
} from '../../../chaincode/src/api';
import { Batcher, type BatchLimits } from './batcher';
import type { DerDirectory } from './der-directory';
import { OutcomeUnknownError } from '../../../platform/src/fabric/bft-submit';

/** What a device is told about one reading. */
export interface ReadingOutcome {
  readonly status: ReadingResult['status'];
  readonly derId?: string;
  readonly intervalId?: string;
  readonly sequence?: number;
  readonly code?: string;
  readonly message?: string;
  /** The transaction that recorded (or found) the reading; absent for early rejections. */
  readonly txId?: string;
  /** Where the reading was refused: by the gateway's pre-check, or by the chaincode. */
  readonly checkedBy?: 'gateway' | 'chaincode';
  /** Ids (in the off-chain store) of the raw samples sent with the reading, anchored by txId. */
  readonly sampleIds?: number[];
}

/** Submits one batch of readings (with the Merkle anchor of its raw samples, if any) to the ledger. */
export type RecordBatch = (readings: SignedReading[], samples?: SampleAnchorInput) => Promise<BatchResult>;

/** Where the raw samples go: the off-chain store, one group per batch (OffChainStore is one). */
export interface SampleSink {
  saveBatch(batchId: string, samples: readonly Sample[]): { root: string; sampleIds: number[] };
  markAnchored(batchId: string, txId: string): void;
  dropBatch(batchId: string): void;
}

export interface IngestOptions {
  readonly directory: DerDirectory;
  /** The market calendar's versions (metering grid, window, skew), e.g. cached from the ledger. */
  readonly calendar: () => Promise<MarketCalendarHistory>;
  readonly record: RecordBatch;
  readonly limits: BatchLimits;
  readonly samples?: SampleSink;
  readonly now?: () => Date;
}

/** One reading waiting for its batch, with the raw samples behind it. */
interface Pending {
  readonly reading: SignedReading;
  readonly samples: readonly Sample[];
}

function outcomesOf(outcome: BatchResult): ReadingOutcome[] {
  return outcome.results.map(({ index: _index, ...result }) => ({
    ...result,
    txId: outcome.txId,
    ...(result.status === 'rejected' ? { checkedBy: 'chaincode' as const } : {}),
  }));
}

const samePlace = (sample: Sample, reading: SignedReading) =>
  sample.derId === reading.derId &&
  sample.intervalId === reading.intervalId &&
  sample.sequence === reading.sequence;

export class ReadingIngest {
  readonly #batcher: Batcher<Pending, ReadingOutcome>;
  readonly #directory: DerDirectory;
  readonly #calendar: () => Promise<MarketCalendarHistory>;
  readonly #now: () => Date;

  constructor(options: IngestOptions) {
    this.#directory = options.directory;
    this.#calendar = options.calendar;
    this.#now = options.now ?? (() => new Date());
    this.#batcher = new Batcher(options.limits, async (pending) => {
      const samples = pending.flatMap((p) => p.samples);
      const sink = options.samples;
      if (samples.length === 0 || sink === undefined)
        return outcomesOf(await options.record(pending.map((p) => p.reading)));
      // Samples are stored first, then anchored by the transaction; a failed batch drops them.
      const batchId = randomUUID();
      const { root, sampleIds } = sink.saveBatch(batchId, samples);
      let outcome: BatchResult;
      try {
        outcome = await options.record(
          pending.map((p) => p.reading),
          { root, count: samples.length },
        );
      } catch (err) {
        // A batch that may still commit keeps its samples, anchored to the transaction that may
        // carry their root; only one that surely did not commit drops them.
        if (err instanceof OutcomeUnknownError) sink.markAnchored(batchId, err.txId);
        else sink.dropBatch(batchId);
        throw err;
      }
      sink.markAnchored(batchId, outcome.txId);
      let next = 0;
      return outcomesOf(outcome).map((result, i) => {
        const ids = sampleIds.slice(next, next + (pending[i]?.samples.length ?? 0));
        next += ids.length;
        return ids.length > 0 ? { ...result, sampleIds: ids } : result;
      });
    });
  }

  /**
   * Pre-checks every item, batches the good ones (with the samples that belong to each), and
   * returns one outcome per item, in order. Samples of a reading refused here are not kept.
   */
  async ingest(items: readonly unknown[], samples: readonly Sample[] = []): Promise<ReadingOutcome[]> {
    const at = this.#now().toISOString();
    const checked = await Promise.all(items.map((item) => this.#precheck(item, at)));
    const good = checked
      .filter((c): c is SignedReading => !('status' in c))
      .map((reading) => ({ reading, samples: samples.filter((sample) => samePlace(sample, reading)) }));
    const recorded = good.length > 0 ? await this.#batcher.submit(good) : [];
    let next = 0;
    return checked.map((c) => ('status' in c ? c : (recorded[next++] as ReadingOutcome)));
  }

  /** Drops what the pre-check knows of a DER: the gateway has just changed it on the ledger. */
  forgetDer(derId: string): void {
    this.#directory.forget(derId);
  }

  get backlog(): number {
    return this.#batcher.backlog;
  }

  close(): Promise<void> {
    return this.#batcher.close();
  }

  async #precheck(item: unknown, at: string): Promise<SignedReading | ReadingOutcome> {
    let reading: SignedReading | undefined;
    try {
      reading = parseSignedReading(item);
      const calendar = requireMeteringInterval(await this.#calendar(), reading.intervalId);
      const { der, keys } = await this.#directory.get(reading.derId);
      checkReading({ reading, der, keys, at, calendar });
      return reading;
    } catch (err) {
      if (!isVppError(err) || err.code === ErrorCode.INTERNAL) throw err;
      return { ...rejectionOf(err, reading), checkedBy: 'gateway' };
    }
  }
}
