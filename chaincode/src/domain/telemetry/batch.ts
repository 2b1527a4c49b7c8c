// A batch of device-signed readings, as the CVPP gateway's ingest identity submits it, and the
// outcome it gets back: one result per reading (accepted, duplicate or rejected with its code), so a
// rejected reading never blocks the others and a retried batch neither loses nor double-counts.

import { parseJson } from '../../encoding/canonical-json';
import { requireObject } from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';
import type { CreditObservation } from '../credit/scoring';
import { parseSampleAnchorInput, type SampleAnchorInput } from '../privacy/samples';

/** Readings per transaction; bounds endorsement time and the size of one block entry. */
export const MAX_BATCH_SIZE = 1000;
/** About 350 bytes per reading, with room to spare. */
const MAX_BATCH_JSON_LENGTH = MAX_BATCH_SIZE * 1024;

export type ReadingStatus = 'accepted' | 'duplicate' | 'rejected';

export interface ReadingResult {
  readonly index: number;
  readonly status: ReadingStatus;
  readonly derId?: string;
  readonly intervalId?: string;
  readonly sequence?: number;
  readonly code?: string;
  readonly message?: string;
}

export interface BatchResult {
  readonly txId: string;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly results: ReadingResult[];
}

export interface Batch {
  readonly readings: unknown[];
  /** The Merkle root and size of the raw samples behind these readings, kept off chain. */
  readonly samples?: SampleAnchorInput;
}

/** A batch is a list of readings, or `{ readings, samples: { root, count } }` to anchor samples too. */
export function parseBatch(batchJson: string): Batch {
  if (batchJson.length > MAX_BATCH_JSON_LENGTH) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `batchJson exceeds ${MAX_BATCH_JSON_LENGTH} characters`);
  }
  const parsed = parseJson(batchJson);
  const batch: { readings?: unknown; samples?: unknown } = Array.isArray(parsed)
    ? { readings: parsed }
    : requireObject(parsed, 'batch', ['readings', 'samples']);
  const { readings } = batch;
  if (!Array.isArray(readings) || readings.length === 0 || readings.length > MAX_BATCH_SIZE) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `batch must be a list of 1..${MAX_BATCH_SIZE} readings`);
  }
  if (batch.samples === undefined) return { readings };
  return { readings, samples: parseSampleAnchorInput(batch.samples) };
}

/**
 * Rejections only the device itself can cause: it signed a figure above its capacity, or two
 * different figures for one (interval, sequence). Everything else is left out, as anyone could cause
 * it: a bad or non-canonical signature, an unknown DER, or OUTSIDE_WINDOW (anyone holding an old
 * genuine reading could resubmit it late and so lower the DER's score).
 */
const DEVICE_FAULTS: ReadonlySet<string> = new Set([ErrorCode.ENERGY_ABOVE_CAPACITY, ErrorCode.REPLAY]);

/**
 * What the batch tells credit scoring: one READING_REJECTED per DER whose own device got a reading
 * wrong, however many of its readings the batch carries — copies of one signed reading are free to
 * make, so a batch of them must cost no more than the first.
 */
export function deviceFaultsOf(results: readonly ReadingResult[]): CreditObservation[] {
  const faulty = new Set<string>();
  for (const { code, derId } of results) {
    if (code !== undefined && DEVICE_FAULTS.has(code) && derId) faulty.add(derId);
  }
  return [...faulty].map((derId) => ({
    participant: { type: 'der', id: derId },
    eventType: 'READING_REJECTED',
  }));
}

/** The batch's outcome: the counts of each status and every result, in batch order. */
export function batchResultOf(txId: string, results: ReadingResult[]): BatchResult {
  const count = (status: ReadingStatus) => results.filter((result) => result.status === status).length;
  return {
    txId,
    accepted: count('accepted'),
    duplicates: count('duplicate'),
    rejected: count('rejected'),
    results,
  };
}
