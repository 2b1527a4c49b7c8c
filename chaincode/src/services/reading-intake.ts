// The readings of a batch, judged and recorded one by one. The submitter (the CVPP gateway's ingest
// identity) is only a courier: every reading's signature is verified here against the certificate
// registered for its DER, so a batch can carry nothing the devices did not sign. Each reading is
// judged on its own: a rejected reading is reported with its code and never blocks the others, and
// a reading that is already on the ledger with the same signed content (a retried batch, or a copy
// carrying another valid signature over that content) is reported as a duplicate and not written again.

import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { requireMeteringInterval } from '../domain/market/calendar';
import type { ReadingResult } from '../domain/telemetry/batch';
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
import { readState, writeState } from '../ledger/store';
import { ErrorCode, isVppError } from '../types/errors';
import { marketCalendar } from './calendar-reads';

interface DerView {
  readonly der: Der | undefined;
  readonly publicKey: KeyObject | undefined;
}

/**
 * Judges every reading of `batch` at transaction time `at` and writes the accepted ones under the
 * transaction `txId`; returns one result per reading, in batch order. Only an INTERNAL error (or one
 * that is not a VppError) aborts the transaction.
 */
export async function recordReadings(
  ctx: Context,
  batch: readonly unknown[],
  at: string,
  txId: string,
): Promise<ReadingResult[]> {
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
      const calendar = requireMeteringInterval(await marketCalendar(ctx), reading.intervalId);
      const { der, publicKey } = await derView(reading.derId);
      checkReading({ reading, der, publicKey, at, calendar });
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
  return results;
}
