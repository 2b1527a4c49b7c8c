// Signed meter readings. A DER's device measures the energy of one metering interval (possibly in
// several parts, numbered by `sequence`) and signs each reading with its own key; the chaincode checks
// every signature again against the certificate registered for the DER, so a reading cannot be forged
// by the gateway, by the org that runs it, or by anyone else without the device's key.
//
// ## Canonical bytes (what a device signs) — format `vpp.reading.v1`
//
//   UTF-8 of the canonical JSON (keys sorted, no whitespace) of
//   { "derId", "energyWh", "intervalId", "scheme", "sequence", "timestamp", "type": "vpp.reading.v1" }
//
//   derId       the DER's id (as registered, also in the certificate's vpp.derId)
//   intervalId  start of the metering interval, ISO-8601 UTC with milliseconds, on the metering grid of
//               the market calendar in force then (domain/market/calendar.ts; by default 15 minutes,
//               e.g. "2026-11-25T10:15:00.000Z")
//   sequence    0, 1, 2 … : parts of the same interval's measurement; each (derId, intervalId, sequence)
//               is recorded once
//   energyWh    integer Wh, ≥ 0, delivered in that part
//   timestamp   device time of the measurement, ISO-8601 UTC with milliseconds (informational)
//   scheme      the signature scheme, one of
//               "ecdsa-p256-sha256"  ECDSA over P-256 with SHA-256, by the key of the DER's certificate;
//               "sm2-sm3"            SM2 with SM3 and the default distinguishing ID "1234567812345678"
//                                    (GB/T 32918.2, GM/T 0009), by the SM2 key the DER's certificate
//                                    binds in its vpp.sm2PublicKey attribute (domain/pki/sm2.ts);
//               the signature in ASN.1 DER (SEQUENCE { r, s }), sent base64.
//
// The signature must be canonical base64 of a strict DER signature; a high-S ECDSA one is taken and
// kept as its low-S twin (domain/telemetry/signature.ts). Two readings are the same reading when their
// signed content is the same, whatever their signatures: a reading's identity is what the device signed.
//
// Example: {"derId":"pv-001","energyWh":1200,"intervalId":"2026-11-25T10:15:00.000Z",
//           "scheme":"ecdsa-p256-sha256","sequence":0,"timestamp":"2026-11-25T10:30:00.000Z",
//           "type":"vpp.reading.v1"}

import { verify } from 'node:crypto';
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
  requireOneOf,
  TX_ID,
} from '../../rules';
import { ErrorCode, VppError } from '../../types/errors';
import {
  durationText,
  maxEnergyWh,
  meteringIntervalEndMillis,
  meteringStartOf,
  type MarketCalendarRules,
} from '../market/calendar';
import type { DeviceKeys } from '../pki/device-keys';
import { verifySm2Sm3 } from '../pki/sm2';
import type { Der } from '../registry/der';
import { canonicalSignature, SIGNATURE_SCHEMES, type SignatureScheme } from './signature';

export { SIGNATURE_SCHEMES, type SignatureScheme } from './signature';
export const READING_TYPE = 'vpp.reading.v1';

/** Parts of one interval's measurement a device may send. */
export const MAX_SEQUENCE = 59;
export const SEQUENCE_RULE = { min: 0, max: MAX_SEQUENCE } as const;
/** An ECDSA P-256 or SM2 DER signature is at most 72 bytes (96 base64 characters). */
const MAX_SIGNATURE_BASE64 = 128;

export interface UnsignedReading {
  readonly derId: string;
  readonly intervalId: string;
  readonly sequence: number;
  readonly energyWh: number;
  readonly timestamp: string;
  readonly scheme: SignatureScheme;
}

export interface SignedReading extends UnsignedReading {
  /** Base64 of the DER-encoded signature over readingSigningBytes(). */
  readonly signature: string;
}

/** The exact bytes a device signs (see the format above). */
export function readingSigningBytes(reading: UnsignedReading): Buffer {
  return Buffer.from(
    toCanonicalJson({
      derId: reading.derId,
      energyWh: reading.energyWh,
      intervalId: reading.intervalId,
      scheme: reading.scheme,
      sequence: reading.sequence,
      timestamp: reading.timestamp,
      type: READING_TYPE,
    }),
    'utf8',
  );
}

/**
 * Start of the metering interval containing `isoTime`, as an interval id, for metering intervals of
 * `meteringIntervalSeconds` (the market calendar's, e.g. from GET /v1/market/calendar).
 */
export function intervalIdOf(isoTime: string, meteringIntervalSeconds: number): string {
  return new Date(meteringStartOf(Date.parse(isoTime), meteringIntervalSeconds)).toISOString();
}

const READING_FIELDS = [
  'derId',
  'intervalId',
  'sequence',
  'energyWh',
  'timestamp',
  'scheme',
  'signature',
] as const;

/**
 * An interval id's form: an ISO-8601 UTC timestamp (INVALID_ARGUMENT otherwise). Whether it starts a
 * metering interval depends on the market calendar then in force (calendar.requireMeteringInterval),
 * which the contract checks where it has the calendar.
 */
export function requireIntervalId(value: unknown): string {
  return requireIsoTimestamp({ intervalId: value }, 'intervalId');
}

/** A signature's shape: a short base64 text (INVALID_ARGUMENT otherwise); its canonical form is checked apart. */
function requireSignatureText(signature: unknown): string {
  if (
    typeof signature !== 'string' ||
    signature.length === 0 ||
    signature.length > MAX_SIGNATURE_BASE64 ||
    !/^[A-Za-z0-9+/]+={0,2}$/.test(signature)
  ) {
    throw invalid('signature must be base64 of a DER-encoded ECDSA or SM2 signature');
  }
  return signature;
}

/**
 * Validates a reading's shape and figures (INVALID_ARGUMENT for negative or non-integer values) and
 * its signature's encoding (NON_CANONICAL_SIGNATURE); the reading comes back with its signature in
 * canonical low-S form, the only form checked, stored and compared from then on.
 */
export function parseSignedReading(value: unknown): SignedReading {
  const reading = parseReadingFields(value);
  return { ...reading, signature: canonicalSignature(reading.signature, reading.scheme) };
}

function parseReadingFields(value: unknown): SignedReading {
  const fields = requireObject(value, 'reading', READING_FIELDS);
  const energy = fields.energyWh;
  if (!isIntegerIn(energy, NON_NEGATIVE)) {
    throw invalid('energyWh must be a non-negative integer (Wh)');
  }
  const signature = requireSignatureText(fields.signature);
  return {
    derId: requireId(fields, 'derId', ENTITY_ID),
    intervalId: requireIntervalId(fields.intervalId),
    sequence: requireInteger(fields, 'sequence', SEQUENCE_RULE),
    energyWh: energy,
    timestamp: requireIsoTimestamp(fields, 'timestamp'),
    scheme: requireOneOf(fields, 'scheme', SIGNATURE_SCHEMES),
    signature,
  };
}

/**
 * Whether the signature verifies with the device's key of the reading's scheme (the same answer on
 * every endorser); false when the certificate binds no key of that scheme.
 */
export function verifyReadingSignature(reading: SignedReading, keys: DeviceKeys): boolean {
  const signature = Buffer.from(reading.signature, 'base64');
  if (reading.scheme === 'sm2-sm3') {
    return keys.sm2 !== undefined && verifySm2Sm3(readingSigningBytes(reading), signature, keys.sm2);
  }
  try {
    return verify('sha256', readingSigningBytes(reading), { key: keys.ecdsa, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}

/** Why a signature was refused: the message names a missing SM2 key apart from a wrong signature. */
function badSignature(reading: SignedReading, keys: DeviceKeys): VppError {
  const detail =
    reading.scheme === 'sm2-sm3' && keys.sm2 === undefined
      ? `der ${reading.derId}'s certificate binds no SM2 key (attribute vpp.sm2PublicKey), so it cannot check an sm2-sm3 signature`
      : `the signature does not verify with der ${reading.derId}'s certificate`;
  return new VppError(ErrorCode.BAD_SIGNATURE, detail);
}

export interface ReadingCheck {
  readonly reading: SignedReading;
  readonly der: Der | undefined;
  /** The keys the DER's certificate vouches for; absent iff der is. */
  readonly keys: DeviceKeys | undefined;
  /** Transaction time, ISO-8601 UTC. */
  readonly at: string;
  /** The market calendar in force at the reading's interval start (calendar.requireMeteringInterval). */
  readonly calendar: MarketCalendarRules;
}

/**
 * Every rule a reading must pass, in the order they are checked; throws the first failure's code:
 * UNKNOWN_DER, DER_SUSPENDED, CERTIFICATE_REVOKED, BAD_SIGNATURE, OUTSIDE_WINDOW, ENERGY_ABOVE_CAPACITY.
 * (Replays are decided by the caller, which knows what is already on the ledger.)
 */
export function checkReading({ reading, der, keys, at, calendar }: ReadingCheck): void {
  if (der === undefined || keys === undefined) {
    throw new VppError(ErrorCode.UNKNOWN_DER, `der ${reading.derId} is not registered`);
  }
  if (der.status === 'suspended') {
    throw new VppError(ErrorCode.DER_SUSPENDED, `der ${reading.derId} is suspended`);
  }
  if (der.certificate.status === 'revoked') {
    throw new VppError(ErrorCode.CERTIFICATE_REVOKED, `the certificate of der ${reading.derId} is revoked`);
  }
  if (!verifyReadingSignature(reading, keys)) throw badSignature(reading, keys);
  const now = Date.parse(at);
  const end = meteringIntervalEndMillis(calendar, reading.intervalId);
  if (now < end - calendar.clockSkewSeconds * 1000) {
    throw new VppError(ErrorCode.OUTSIDE_WINDOW, `interval ${reading.intervalId} has not ended yet`);
  }
  // Exclusive: at window end settlement may run (domain/settlement), so no reading may land then.
  if (now >= end + calendar.readingWindowSeconds * 1000) {
    throw new VppError(
      ErrorCode.OUTSIDE_WINDOW,
      `interval ${reading.intervalId} closed for readings ${durationText(calendar.readingWindowSeconds)} after its end`,
    );
  }
  const cap = maxEnergyWh(der.capacityW, calendar);
  if (reading.energyWh > cap) {
    throw new VppError(
      ErrorCode.ENERGY_ABOVE_CAPACITY,
      `${reading.energyWh} Wh exceeds ${cap} Wh, what ${der.capacityW} W can deliver in ${durationText(calendar.meteringIntervalSeconds)}`,
    );
  }
}

/** A reading as the ledger keeps it. */
export interface StoredReading extends SignedReading {
  readonly vppId: string;
  readonly certificateSerial: string;
  readonly recordedAt: string;
  readonly txId: string;
}

/** One page of a VPP's readings in one interval, by DER then sequence (ListVppReadings); bookmark '' at the end. */
export interface ReadingPage {
  readonly readings: readonly StoredReading[];
  readonly bookmark: string;
}

/**
 * Whether two readings carry the same signed content (a retry, or a copy with another encoding of a
 * signature over it), as opposed to other figures the device signed for the same place. Signatures
 * are not compared: both verified, so only what was signed tells readings apart.
 */
export function isSameReading(a: UnsignedReading, b: UnsignedReading): boolean {
  return readingSigningBytes(a).equals(readingSigningBytes(b));
}

export function parseStoredReading(value: unknown): StoredReading {
  const fields = requireObject(value, 'stored reading', [
    ...READING_FIELDS,
    'vppId',
    'certificateSerial',
    'recordedAt',
    'txId',
  ]);
  const { vppId, certificateSerial, recordedAt, txId, ...signed } = fields;
  // Kept as recorded: readings written before signatures were made canonical still read back.
  const reading = parseReadingFields(signed);
  if (typeof certificateSerial !== 'string' || typeof txId !== 'string') {
    throw invalid('stored reading needs certificateSerial and txId');
  }
  return {
    ...reading,
    vppId: requireId({ vppId }, 'vppId', ENTITY_ID),
    certificateSerial,
    recordedAt: requireIsoTimestamp({ recordedAt }, 'recordedAt'),
    txId: requireId({ txId }, 'txId', TX_ID),
  };
}

/**
 * What to do with a checked reading given what its key already holds: write it, or treat it as the
 * retry of a recorded reading (same signed content, whatever the signature: counted once, not written
 * again). Different content the device signed for the same (DER, interval, sequence) is a REPLAY.
 */
export function decideWrite(
  reading: SignedReading,
  existing: SignedReading | undefined,
): 'write' | 'duplicate' {
  if (existing === undefined) return 'write';
  if (isSameReading(reading, existing)) return 'duplicate';
  throw new VppError(
    ErrorCode.REPLAY,
    `der ${reading.derId} already recorded sequence ${reading.sequence} of interval ${reading.intervalId}`,
  );
}

/** Where a reading sits: enough for a device to match an outcome to what it sent. */
export interface ReadingPlace {
  readonly derId: string;
  readonly intervalId: string;
  readonly sequence: number;
}

export function placeOf(reading: ReadingPlace): ReadingPlace {
  return { derId: reading.derId, intervalId: reading.intervalId, sequence: reading.sequence };
}

/** The outcome of a refused reading: its place (when it parsed) and the error's code and text. */
export function rejectionOf(
  err: VppError,
  reading: ReadingPlace | undefined,
): { status: 'rejected'; code: string; message: string } & Partial<ReadingPlace> {
  return {
    status: 'rejected',
    ...(reading === undefined ? {} : placeOf(reading)),
    code: err.code,
    message: err.detail,
  };
}
