// DER registrations of a batch, judged and recorded one by one. Each registration gets exactly the
// checks of a single RegisterDer (its VPP exists, its id is free, its certificate was issued by the
// CVPP CA for that DER and VPP and is bound to no other DER), and the batch is judged in order, so a
// later item that repeats an earlier item's DER id or certificate is refused as it would be in a later
// transaction. The ledger is read in three batched round trips: VPPs, DERs, certificate serials.

import type { X509Certificate } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { refusal, type DerRegistrationResult } from '../domain/registry/der-batch';
import { buildDer, parseDerInput, parseStoredDer, type Der, type DerInput } from '../domain/registry/der';
import { parseStoredVpp } from '../domain/registry/vpp';
import { parseCertificate, serialOf } from '../domain/pki/certificate';
import { derByCertKey, derByVppKey, derKey, vppKey } from '../encoding/keys';
import { readStates, writeState, type Decoder } from '../ledger/store';
import { ErrorCode, isVppError, VppError } from '../types/errors';
import { derIdEntry } from './registry-reads';

/** An item that parsed, with the serial of its certificate. */
interface Parsed {
  readonly index: number;
  readonly input: DerInput;
  readonly serial: string;
}

/** A refused item's result; an INTERNAL error, or one that is not a VppError, aborts instead. */
function refused(err: unknown, index: number, item: unknown): DerRegistrationResult {
  if (!isVppError(err) || err.code === ErrorCode.INTERNAL) throw err;
  return refusal(index, item, err);
}

/** Values of `keys` (distinct), read in one batched call, by key. */
async function readByKey<T>(
  ctx: Context,
  keys: Iterable<string>,
  decoder: Decoder<T>,
): Promise<Map<string, T | undefined>> {
  const distinct = [...new Set(keys)];
  const values = await readStates(ctx, distinct, decoder);
  return new Map(distinct.map((key, i) => [key, values[i]]));
}

export interface DerBatchContext {
  /** The CVPP CA certificates recorded on the ledger. */
  readonly issuers: readonly X509Certificate[];
  readonly registeredBy: string;
  readonly at: string;
}

/**
 * Judges every item of `batch` and writes the DERs that pass (the DER, its entry under its VPP and
 * its certificate serial's owner entry); returns one result per item, in batch order, and the DERs
 * written. Only an INTERNAL error (or one that is not a VppError) aborts the transaction.
 */
export async function registerDers(
  ctx: Context,
  batch: readonly unknown[],
  context: DerBatchContext,
): Promise<{ results: DerRegistrationResult[]; registered: Der[] }> {
  const results = new Map<number, DerRegistrationResult>();
  const parsed: Parsed[] = [];
  batch.forEach((item, index) => {
    try {
      const input = parseDerInput(item);
      parsed.push({
        index,
        input,
        serial: serialOf(parseCertificate(input.certificatePem, 'certificatePem')),
      });
    } catch (err) {
      results.set(index, refused(err, index, item));
    }
  });
  const vpps = await readByKey(
    ctx,
    parsed.map((p) => vppKey(p.input.vppId)),
    parseStoredVpp,
  );
  const ders = await readByKey(
    ctx,
    parsed.map((p) => derKey(p.input.derId)),
    parseStoredDer,
  );
  const owners = await readByKey(
    ctx,
    parsed.map((p) => derByCertKey(p.serial)),
    derIdEntry,
  );
  // A transaction does not see its own writes: what this batch registered so far is kept here.
  const registeredIds = new Map<string, Der>();
  const takenSerials = new Map<string, string>();
  for (const { index, input, serial } of parsed) {
    try {
      if (vpps.get(vppKey(input.vppId)) === undefined) {
        throw new VppError(ErrorCode.NOT_FOUND, `vpp ${input.vppId} does not exist`);
      }
      const der = buildDer({
        input,
        issuers: context.issuers,
        previous: registeredIds.get(input.derId) ?? ders.get(derKey(input.derId)),
        serialOwner: takenSerials.get(serial) ?? owners.get(derByCertKey(serial)),
        registeredBy: context.registeredBy,
        at: context.at,
      });
      await writeState(ctx, derKey(der.derId), der);
      await writeState(ctx, derByVppKey(der.vppId, der.derId), der.derId);
      await writeState(ctx, derByCertKey(der.certificate.serial), der.derId);
      registeredIds.set(der.derId, der);
      takenSerials.set(der.certificate.serial, der.derId);
      results.set(index, { index, status: 'registered', derId: der.derId });
    } catch (err) {
      results.set(index, refused(err, index, batch[index]));
    }
  }
  // Every item was either refused while parsing or judged in the loop, in batch order.
  const ordered = batch.map((_, index) => results.get(index) as DerRegistrationResult);
  return { results: ordered, registered: [...registeredIds.values()] };
}
