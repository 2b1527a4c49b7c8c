// Device-signed readings, recorded in batches. The submitter (the CVPP gateway's ingest identity)
// is only a courier: services/reading-intake.ts verifies every reading's signature against the
// certificate registered for its DER, judges each reading on its own and never writes one twice.

import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { buildSampleAnchor } from '../domain/privacy/samples';
import { batchResultOf, deviceFaultsOf, parseBatch } from '../domain/telemetry/batch';
import { parseStoredReading, requireIntervalId, type ReadingPage } from '../domain/telemetry/reading';
import { toCanonicalJson } from '../encoding/canonical-json';
import { readingPrefix, sampleAnchorKey } from '../encoding/keys';
import { requireActor } from '../ledger/identity';
import { emitJson, scanPrefix, scanPrefixPage, writeState } from '../ledger/store';
import { txTimestampIso } from '../ledger/tx-time';
import { ENTITY_ID, requireId } from '../rules';
import { MspId, Role, type Authority } from '../types/consortium';
import { reportCreditEvents } from '../services/credit-scoring';
import { recordReadings } from '../services/reading-intake';
import { requireDer } from '../services/registry-reads';
import { READINGS_RECORDED_EVENT, TELEMETRY_CONTRACT_NAME } from '../types/contracts';
import { VppContract } from './vpp-contract';

/** Who may submit readings: the CVPP's ingest service identity, its operators and admins. */
const READING_SUBMITTERS: Authority = { [MspId.CVPP]: [Role.INGEST, Role.OPERATOR, Role.ADMIN] };

@Info({ title: 'TelemetryContract', description: 'Device-signed meter readings, verified on chain' })
export class TelemetryContract extends VppContract {
  constructor() {
    super(TELEMETRY_CONTRACT_NAME);
  }

  /** Records a batch of signed readings; returns a per-reading result (see BatchResult). */
  @Transaction()
  @Returns('string')
  async RecordReadings(ctx: Context, batchJson: string): Promise<string> {
    requireActor(ctx, READING_SUBMITTERS);
    const { readings, samples } = parseBatch(batchJson);
    const at = txTimestampIso(ctx);
    const txId = ctx.stub.getTxID();
    // The anchor is validated before any reading is judged: a bad one refuses the whole batch.
    const anchor = samples === undefined ? undefined : buildSampleAnchor({ ...samples, at, txId });
    const results = await recordReadings(ctx, readings, at, txId);
    await reportCreditEvents(ctx, deviceFaultsOf(results));
    const outcome = batchResultOf(txId, results);
    if (anchor !== undefined) await writeState(ctx, sampleAnchorKey(anchor.anchorId), anchor);
    emitJson(ctx, READINGS_RECORDED_EVENT, {
      txId,
      accepted: outcome.accepted,
      duplicates: outcome.duplicates,
      rejected: outcome.rejected,
      sampleRoot: anchor?.root,
    });
    return toCanonicalJson(outcome);
  }

  /**
   * The readings of one DER in one metering interval, in sequence order. Not paged: a DER has at most
   * MAX_SEQUENCE + 1 (60) readings per interval, about 30 KB, far below a gRPC message.
   */
  @Transaction(false)
  @Returns('string')
  async GetDerReadings(ctx: Context, derId: string, intervalId: string): Promise<string> {
    const der = await requireDer(ctx, derId);
    const entries = await scanPrefix(ctx, readingPrefix(der.vppId, intervalId, derId), parseStoredReading);
    return toCanonicalJson(entries.map((entry) => entry.value));
  }

  /**
   * One page of a VPP's readings in one metering interval, by DER then sequence: `{ readings,
   * bookmark }`, bookmark '' on the last page. Paged because a VPP of hundreds of DERs outgrows a
   * gRPC message (700 DERs × 30 readings ≈ 10 MB); a stored reading is about 500 bytes, so the
   * largest page (MAX_PAGE_SIZE) stays near 0.5 MB.
   */
  @Transaction(false)
  @Returns('string')
  async ListVppReadings(
    ctx: Context,
    vppId: string,
    intervalId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    requireId({ vppId }, 'vppId', ENTITY_ID);
    const prefix = readingPrefix(vppId, requireIntervalId(intervalId));
    const page = await scanPrefixPage(ctx, prefix, parseStoredReading, Number(pageSize), bookmark);
    const readings = page.entries.map((entry) => entry.value);
    return toCanonicalJson({ readings, bookmark: page.bookmark } satisfies ReadingPage);
  }
}
