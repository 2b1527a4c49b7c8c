// The readings of a batch, judged and recorded one by one. The submitter (the CVPP gateway's ingest
// identity) is only a courier: every reading's signature is verified here against the certificate
// registered for its DER, so a batch can carry nothing the devices did not sign. Each reading is
// judged on its own: a rejected reading is reported with its code and never blocks the others, and
// a reading that is already on the ledger with the same signed content (a retried batch, or a copy
// carrying another valid signature over that content) is reported as a duplicate and not written again.

import type { Context } from 'fabric-contract-api';
import { requireMeteringInterval } from '../domain/market/calendar';
import type { ReadingResult } from '../domain/telemetry/batch';
import { deviceKeysOf, type DeviceKeys } from '../domain/pki/device-keys';
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
import { derKey, readingKey } from '../encoding/keys';
import { readStates, writeState } from '../ledger/store';
import { ErrorCode, isVppError } from '../types/errors';
import { marketCalendar } from './calendar-reads';

interface DerView {
  readonly der: Der | undefined;
  readonly keys: DeviceKeys | undefined;
}

// Parsing a certificate costs more than checking a signature with it, and a DER's certificate rarely
// changes: parsed keys are kept by PEM across transactions (a pure function of the PEM, so nothing
// depends on what is cached), oldest dropped first beyond a bound.
const PUBLIC_KEYS = new Map<string, DeviceKeys>();
const MAX_PUBLIC_KEYS = 20_000;

function keysOf(pem: string): DeviceKeys {
  let key = PUBLIC_KEYS.get(pem);
  if (key === undefined) {
    key = deviceKeysOf(pem);
    if (PUBLIC_KEYS.size >= MAX_PUBLIC_KEYS) PUBLIC_KEYS.delete(PUBLIC_KEYS.keys().next().value as string);
    PUBLIC_KEYS.set(pem, key);
  }
  return key;
}

/** A reading that passed every check but the replay check, with the key it would be written under. */
interface Checked {
  readonly index: number;
  readonly reading: SignedReading;
  readonly der: Der;
  readonly key: string;
}

/** A reading's outcome so far: refused, or checked and waiting for the replay check. */
type Judged = { readonly result: ReadingResult } | { readonly checked: Checked };

/** A refused reading's result; an INTERNAL error, or one that is not a VppError, aborts instead. */
function rejected(err: unknown, index: number, reading: SignedReading | undefined): ReadingResult {
  if (!isVppError(err) || err.code === ErrorCode.INTERNAL) throw err;
  return { index, ...rejectionOf(err, reading) };
}

/** The distinct DERs named by well-formed items of the batch, each read and parsed once. */
async function derViews(ctx: Context, batch: readonly unknown[]): Promise<Map<string, DerView>> {
  const ids = new Set<string>();
  for (const item of batch) {
    const derId = (item as { derId?: unknown } | null)?.derId;
    if (typeof derId === 'string') ids.add(derId);
  }
  const keys: string[] = [];
  const readable: string[] = [];
  for (const derId of ids) {
    // An id that is not a valid key cannot name a registered DER: its readings fail parsing anyway.
    try {
      keys.push(derKey(derId));
      readable.push(derId);
    } catch (err) {
      if (!isVppError(err) || err.code === ErrorCode.INTERNAL) throw err;
    }
  }
  const ders = await readStates(ctx, keys, parseStoredDer);
  return new Map(
    readable.map((derId, i) => {
      const der = ders[i];
      return [derId, { der, keys: der === undefined ? undefined : keysOf(der.certificate.pem) }];
    }),
  );
}

/**
 * Judges every reading of `batch` at transaction time `at` and writes the accepted ones under the
 * transaction `txId`; returns one result per reading, in batch order. Only an INTERNAL error (or one
 * that is not a VppError) aborts the transaction.
 *
 * Three passes, so that the ledger is read in two batched round trips instead of two per reading:
 * every reading is checked against its DER (all DERs read at once), then the keys of the readings that
 * passed are read at once, then each is written or reported as a duplicate or a replay. Only the keys
 * of readings that passed their checks are read, as before.
 */
export async function recordReadings(
  ctx: Context,
  batch: readonly unknown[],
  at: string,
  txId: string,
): Promise<ReadingResult[]> {
  const calendar = await marketCalendar(ctx);
  const ders = await derViews(ctx, batch);
  const judgements = batch.map((item, index): Judged => {
    let reading: SignedReading | undefined;
    try {
      reading = parseSignedReading(item);
      const interval = requireMeteringInterval(calendar, reading.intervalId);
      const { der, keys } = ders.get(reading.derId) ?? { der: undefined, keys: undefined };
      checkReading({ reading, der, keys, at, calendar: interval });
      const key = readingKey((der as Der).vppId, reading.intervalId, reading.derId, reading.sequence);
      return { checked: { index, reading, der: der as Der, key } };
    } catch (err) {
      return { result: rejected(err, index, reading) };
    }
  });
  const checked = judgements.flatMap((j) => ('checked' in j ? [j.checked] : []));
  const stored = await readStates(
    ctx,
    checked.map((c) => c.key),
    parseStoredReading,
  );
  const existing = new Map(checked.map((c, i) => [c.key, stored[i]]));
  // A transaction does not see its own writes: readings written earlier in this batch are kept here.
  const written = new Map<string, SignedReading>();
  const results: ReadingResult[] = [];
  for (const judgement of judgements) {
    if ('result' in judgement) {
      results.push(judgement.result);
      continue;
    }
    const { index, reading, der, key } = judgement.checked;
    let decision: 'write' | 'duplicate';
    try {
      decision = decideWrite(reading, written.get(key) ?? existing.get(key));
    } catch (err) {
      results.push(rejected(err, index, reading));
      continue;
    }
    if (decision === 'write') {
      const record: StoredReading = {
        ...reading,
        vppId: der.vppId,
        certificateSerial: der.certificate.serial,
        recordedAt: at,
        txId,
      };
      await writeState(ctx, key, record);
      written.set(key, reading);
    }
    results.push({ index, ...placeOf(reading), status: decision === 'write' ? 'accepted' : 'duplicate' });
  }
  return results;
}
