// High-frequency meter samples kept off the ledger. A reading (derId, intervalId, sequence) on the
// ledger sums what the device measured; the samples behind it (one every few seconds) stay in the
// CVPP gateway's store, and only the Merkle root of each stored batch is anchored on the ledger. Any
// single sample can later be disclosed with its audit path and checked against the anchor, without
// disclosing the rest of the batch.
//
// ## Leaf bytes — format `vpp.sample.v1`
//
//   UTF-8 of the canonical JSON (keys sorted, no whitespace) of
//   { "derId", "energyWh", "intervalId", "offsetSeconds", "sequence", "type": "vpp.sample.v1" }
//
//   derId          the DER's id (registry id rule)
//   intervalId     start of the metering interval (ISO-8601 UTC with milliseconds, 15-minute boundary)
//   sequence       the part of the interval's measurement the sample belongs to (as in the reading)
//   offsetSeconds  seconds from the interval start, 0..899
//   energyWh       integer Wh, ≥ 0, measured in that sample
//
// Leaf hash = SHA-256(0x00 ‖ leaf bytes) (see merkle.ts).
//
// Example: {"derId":"pv-001","energyWh":12,"intervalId":"2026-11-25T10:15:00.000Z",
//           "offsetSeconds":30,"sequence":0,"type":"vpp.sample.v1"}

import { toCanonicalJson } from '../../encoding/canonical-json';
import {
  ENTITY_ID,
  invalid,
  isIntegerIn,
  NON_NEGATIVE,
  requireId,
  requireInteger,
  requireIsoTimestamp,
  requireObject,
  requireSha256Hex,
  TX_ID,
} from '../../rules';
import { DEFAULT_MARKET_CALENDAR } from '../market/calendar';
import { requireIntervalId, SEQUENCE_RULE } from '../telemetry/reading';
import { leafHash } from './merkle';

export const SAMPLE_TYPE = 'vpp.sample.v1';
/** The last second of a metering interval. */
// Off-chain only (the ledger holds the samples' Merkle root, not their offsets): bounded by the
// default calendar's metering interval, which no deployment's is longer than today.
export const MAX_OFFSET_SECONDS = DEFAULT_MARKET_CALENDAR.meteringIntervalSeconds - 1;
/** Most samples one anchor (one Merkle root) may cover. */
export const MAX_ANCHOR_SAMPLES = 100_000;

export interface Sample {
  readonly derId: string;
  readonly intervalId: string;
  readonly sequence: number;
  readonly offsetSeconds: number;
  readonly energyWh: number;
}

const SAMPLE_FIELDS = ['derId', 'intervalId', 'sequence', 'offsetSeconds', 'energyWh'] as const;

/** Validates one sample strictly (unknown fields, wrong types and out-of-range figures: INVALID_ARGUMENT). */
export function parseSample(value: unknown): Sample {
  const fields = requireObject(value, 'sample', SAMPLE_FIELDS);
  const energy = fields.energyWh;
  if (!isIntegerIn(energy, NON_NEGATIVE)) {
    throw invalid('energyWh must be a non-negative integer (Wh)');
  }
  return {
    derId: requireId(fields, 'derId', ENTITY_ID),
    intervalId: requireIntervalId(fields.intervalId),
    sequence: requireInteger(fields, 'sequence', SEQUENCE_RULE),
    offsetSeconds: requireInteger(fields, 'offsetSeconds', { min: 0, max: MAX_OFFSET_SECONDS }),
    energyWh: energy,
  };
}

/** The leaf bytes of a sample (format above); properties other than the five sample fields are ignored. */
export function sampleBytes(sample: Sample): Buffer {
  return Buffer.from(
    toCanonicalJson({
      derId: sample.derId,
      energyWh: sample.energyWh,
      intervalId: sample.intervalId,
      offsetSeconds: sample.offsetSeconds,
      sequence: sample.sequence,
      type: SAMPLE_TYPE,
    }),
    'utf8',
  );
}

/** The sample's Merkle leaf hash, hex. */
export function sampleLeaf(sample: Sample): string {
  return leafHash(sampleBytes(sample));
}

// ---- anchors: the on-ledger record of one batch's root ----

export interface SampleAnchor {
  /** The anchoring transaction's id: one anchor per transaction. */
  readonly anchorId: string;
  /** Merkle root of the batch's sample leaves, 64 lowercase hex. */
  readonly root: string;
  /** How many samples (leaves) the root covers: a proof's size must equal it. */
  readonly count: number;
  /** Transaction time, ISO-8601 UTC. */
  readonly recordedAt: string;
  readonly txId: string;
}

export interface SampleAnchorInput {
  readonly root: string;
  readonly count: number;
}

const ANCHOR_INPUT_FIELDS = ['root', 'count'] as const;
const ANCHOR_FIELDS = ['anchorId', 'root', 'count', 'recordedAt', 'txId'] as const;

/** Validates a client's anchor request `{ root, count }` strictly. */
export function parseSampleAnchorInput(value: unknown): SampleAnchorInput {
  const fields = requireObject(value, 'sample anchor', ANCHOR_INPUT_FIELDS);
  return {
    root: requireSha256Hex(fields, 'root'),
    count: requireInteger(fields, 'count', { min: 1, max: MAX_ANCHOR_SAMPLES }),
  };
}

export function buildSampleAnchor(anchor: {
  readonly root: string;
  readonly count: number;
  /** Transaction time, ISO-8601 UTC. */
  readonly at: string;
  readonly txId: string;
}): SampleAnchor {
  const input = parseSampleAnchorInput({ root: anchor.root, count: anchor.count });
  const txId = requireId({ txId: anchor.txId }, 'txId', TX_ID);
  return {
    anchorId: txId,
    root: input.root,
    count: input.count,
    recordedAt: requireIsoTimestamp({ at: anchor.at }, 'at'),
    txId,
  };
}

export function parseStoredSampleAnchor(value: unknown): SampleAnchor {
  const fields = requireObject(value, 'stored sample anchor', ANCHOR_FIELDS);
  const txId = requireId(fields, 'txId', TX_ID);
  if (fields.anchorId !== txId) {
    throw invalid('anchorId must equal txId');
  }
  return {
    anchorId: txId,
    root: requireSha256Hex(fields, 'root'),
    count: requireInteger(fields, 'count', { min: 1, max: MAX_ANCHOR_SAMPLES }),
    recordedAt: requireIsoTimestamp(fields, 'recordedAt'),
    txId,
  };
}
