// Device-signed readings, recorded in batches. The submitter (the CVPP gateway's ingest identity)
// is only a courier: every reading's signature is verified here against the certificate registered
// for its DER, so a batch can carry nothing the devices did not sign. Each reading is judged on its
// own: a rejected reading is reported with its code and never blocks the others, and a reading that
// is already on the ledger with the same signed content (a retried batch) is reported as a duplicate
// and not written again, so a retry neither loses nor double-counts anything.

import { createPublicKey, type KeyObject } from 'node:crypto';
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { parseStoredDer, type Der } from '../domain/registry/der';
import {
  checkReading,
  decideWrite,
  parseSignedReading,
  parseStoredReading,
  placeOf,
  rejectionOf,
  type SignedReading,
  type StoredReading,
} from '../domain/telemetry/reading';
import { parseJson, toCanonicalJson } from '../encoding/canonical-json';
import { requireMsp, requireRole } from '../ledger/identity';
import { derKey, readingKey, readingPrefix, sampleAnchorKey } from '../encoding/keys';
import { emitEvent, readState, requireState, scanPrefix, writeState } from '../ledger/store';
import { txTimestampIso } from '../ledger/tx-time';
import { ENTITY_ID, requireId, requireObject } from '../rules';
import { MspId, Role } from '../types/consortium';
import { ErrorCode, isVppError, VppError } from '../types/errors';
import { VppContract } from './vpp-contract';
import { reportCreditEvents } from './credit-effects';
import { buildSampleAnchor, parseSampleAnchorInput } from '../domain/privacy/samples';

export const TELEMETRY_CONTRACT_NAME = 'telemetry';
export const READINGS_RECORDED_EVENT = 'ReadingsRecorded';

/** Readings per transaction; bounds endorsement time and the size of one block entry. */
export const MAX_BATCH_SIZE = 1000;
/** About 350 bytes per reading, with room to spare. */
const MAX_BATCH_JSON_LENGTH = MAX_BATCH_SIZE * 1024;

/**
 * Rejections only the device itself can cause: it signed a figure above its capacity, or two
 * different figures for one (interval, sequence). OUTSIDE_WINDOW is left out: anyone holding an old
 * genuine reading could resubmit it late and so lower the DER's score.
 */
const DEVICE_FAULTS: ReadonlySet<string> = new Set([ErrorCode.ENERGY_ABOVE_CAPACITY, ErrorCode.REPLAY]);

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

interface DerView {
  readonly der: Der | undefined;
  readonly publicKey: KeyObject | undefined;
}

interface Batch {
  readonly readings: unknown[];
  /** The Merkle root and size of the raw samples behind these readings, kept off chain. */
  readonly samples?: { root: string; count: number };
}

/** A batch is a list of readings, or `{ readings, samples: { root, count } }` to anchor samples too. */
function parseBatch(batchJson: string): Batch {
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

@Info({ title: 'TelemetryContract', description: 'Device-signed meter readings, verified on chain' })
export class TelemetryContract extends VppContract {
  constructor() {
    super(TELEMETRY_CONTRACT_NAME);
  }

  /** Records a batch of signed readings; returns a per-reading result (see BatchResult). */
  @Transaction()
  @Returns('string')
  async RecordReadings(ctx: Context, batchJson: string): Promise<string> {
    requireMsp(ctx, [MspId.CVPP]);
    requireRole(ctx, [Role.INGEST, Role.OPERATOR, Role.ADMIN]);
    const { readings: batch, samples } = parseBatch(batchJson);
    const at = txTimestampIso(ctx);
    const txId = ctx.stub.getTxID();
    // The anchor is validated before any reading is judged: a bad one refuses the whole batch.
    const anchor = samples === undefined ? undefined : buildSampleAnchor({ ...samples, at, txId });
    // DERs repeat within a batch only when a device sends several parts; read and parse each once.
    const ders = new Map<string, Promise<DerView>>();
    const derView = (derId: string): Promise<DerView> => {
      let view = ders.get(derId);
      if (view === undefined) {
        view = readState(ctx, derKey(derId), parseStoredDer).then((der) => ({
          der,
          publicKey: der === undefined ? undefined : createPublicKey(der.certificate.pem),
        }));
        ders.set(derId, view);
      }
      return view;
    };
    // A transaction does not see its own writes: readings written earlier in this batch are kept here.
    const written = new Map<string, SignedReading>();
    const results: ReadingResult[] = [];
    for (const [index, item] of batch.entries()) {
      let reading: SignedReading | undefined;
      try {
        reading = parseSignedReading(item);
        const { der, publicKey } = await derView(reading.derId);
        checkReading({ reading, der, publicKey, at });
        const vppId = (der as Der).vppId;
        const key = readingKey(vppId, reading.intervalId, reading.derId, reading.sequence);
        const existing = written.get(key) ?? (await readState(ctx, key, parseStoredReading));
        const where = { index, ...placeOf(reading) };
        if (decideWrite(reading, existing) === 'duplicate') {
          results.push({ ...where, status: 'duplicate' });
          continue;
        }
        const stored: StoredReading = {
          ...reading,
          vppId,
          certificateSerial: (der as Der).certificate.serial,
          recordedAt: at,
          txId,
        };
        await writeState(ctx, key, stored);
        written.set(key, reading);
        results.push({ ...where, status: 'accepted' });
      } catch (err) {
        if (!isVppError(err) || err.code === ErrorCode.INTERNAL) throw err;
        results.push({ index, ...rejectionOf(err, reading) });
      }
    }
    await reportCreditEvents(
      ctx,
      results
        .filter((result) => result.code !== undefined && DEVICE_FAULTS.has(result.code) && result.derId)
        .map((result) => ({
          participant: { type: 'der', id: result.derId as string },
          eventType: 'READING_REJECTED',
        })),
    );
    const count = (status: ReadingStatus) => results.filter((result) => result.status === status).length;
    const outcome: BatchResult = {
      txId,
      accepted: count('accepted'),
      duplicates: count('duplicate'),
      rejected: count('rejected'),
      results,
    };
    const summary = {
      txId,
      accepted: outcome.accepted,
      duplicates: outcome.duplicates,
      rejected: outcome.rejected,
    };
    if (anchor !== undefined) await writeState(ctx, sampleAnchorKey(anchor.anchorId), anchor);
    emitEvent(
      ctx,
      READINGS_RECORDED_EVENT,
      Buffer.from(toCanonicalJson({ ...summary, sampleRoot: anchor?.root })),
    );
    return toCanonicalJson(outcome);
  }

  /** The readings of one DER in one metering interval, in sequence order. */
  @Transaction(false)
  @Returns('string')
  async GetDerReadings(ctx: Context, derId: string, intervalId: string): Promise<string> {
    const der = await requireState(ctx, derKey(derId), parseStoredDer, `der ${derId}`);
    const entries = await scanPrefix(ctx, readingPrefix(der.vppId, intervalId, derId), parseStoredReading);
    return toCanonicalJson(entries.map((entry) => entry.value));
  }

  /** Every reading of a VPP in one metering interval, by DER then sequence (settlement's input). */
  @Transaction(false)
  @Returns('string')
  async ListVppReadings(ctx: Context, vppId: string, intervalId: string): Promise<string> {
    requireId({ vppId }, 'vppId', ENTITY_ID);
    const entries = await scanPrefix(ctx, readingPrefix(vppId, intervalId), parseStoredReading);
    return toCanonicalJson(entries.map((entry) => entry.value));
  }
}
