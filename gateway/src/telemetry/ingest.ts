/**
 * Device readings into the ledger: each reading is checked here first with the same rules the
 * chaincode applies (node:crypto signature check against the DER's registered certificate, status,
 * revocation, window, capacity), so that bad readings are answered at once and never take space in a
 * transaction; the good ones wait in the batcher and go to the ledger together, where every signature
 * is verified again. The window check here uses the gateway's clock; the ledger's uses the tx time.
 */
import type { BatchResult, ReadingResult } from '../../../chaincode/src/contracts/telemetry-contract';
import {
  checkReading,
  parseSignedReading,
  rejectionOf,
  type SignedReading,
} from '../../../chaincode/src/domain/telemetry/reading';
import { ErrorCode, isVppError } from '../../../chaincode/src/types/errors';
import { Batcher, type BatchLimits } from './batcher';
import type { DerDirectory } from './der-directory';

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
}

/** Submits one batch of readings to RecordReadings and returns the chaincode's result. */
export type RecordBatch = (readings: SignedReading[]) => Promise<BatchResult>;

export interface IngestOptions {
  readonly directory: DerDirectory;
  readonly record: RecordBatch;
  readonly limits: BatchLimits;
  readonly now?: () => Date;
}

export class ReadingIngest {
  readonly #batcher: Batcher<SignedReading, ReadingOutcome>;
  readonly #directory: DerDirectory;
  readonly #now: () => Date;

  constructor(options: IngestOptions) {
    this.#directory = options.directory;
    this.#now = options.now ?? (() => new Date());
    this.#batcher = new Batcher(options.limits, async (readings) => {
      const outcome = await options.record(readings);
      return outcome.results.map(({ index: _index, ...result }) => ({
        ...result,
        txId: outcome.txId,
        ...(result.status === 'rejected' ? { checkedBy: 'chaincode' as const } : {}),
      }));
    });
  }

  /** Pre-checks every item, batches the good ones, and returns one outcome per item, in order. */
  async ingest(items: readonly unknown[]): Promise<ReadingOutcome[]> {
    const at = this.#now().toISOString();
    const checked = await Promise.all(items.map((item) => this.#precheck(item, at)));
    const good = checked.filter((c): c is SignedReading => !('status' in c));
    const recorded = good.length > 0 ? await this.#batcher.submit(good) : [];
    let next = 0;
    return checked.map((c) => ('status' in c ? c : (recorded[next++] as ReadingOutcome)));
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
      const { der, publicKey } = await this.#directory.get(reading.derId);
      checkReading({ reading, der, publicKey, at });
      return reading;
    } catch (err) {
      if (!isVppError(err) || err.code === ErrorCode.INTERNAL) throw err;
      return { ...rejectionOf(err, reading), checkedBy: 'gateway' };
    }
  }
}
