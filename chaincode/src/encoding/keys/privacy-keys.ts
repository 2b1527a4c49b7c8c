// Keys of shared-data privacy: personal data in a private collection (its hash on chain), consent
// grants, the access log and the anchors of off-chain samples.

import { compositeKey, keyPrefix, type KeyPrefix } from './composite-key';
import {
  OWNER_DATA,
  CONSENT_GRANT,
  GRANT_BY_DER,
  ACCESS_LOG,
  ACCESS_BY_TX,
  SAMPLE_ANCHOR,
} from './object-types';

// ---- privacy: personal data in a private collection (hash on chain), consent grants, access log ----

/** Key of a DER owner's personal data inside the private collection. */
export function ownerDataKey(derId: string): string {
  return compositeKey(OWNER_DATA, [derId]);
}

export function consentGrantKey(grantId: string): string {
  return compositeKey(CONSENT_GRANT, [grantId]);
}

/** Index entry: a grant on one of the DER's data sets (value: the grant id). */
export function grantByDerKey(derId: string, grantId: string): string {
  return compositeKey(GRANT_BY_DER, [derId, grantId]);
}

export function grantByDerPrefix(derId: string): KeyPrefix {
  return keyPrefix(GRANT_BY_DER, [derId]);
}

/** One access under a grant, by the transaction that recorded it. */
export function accessLogKey(grantId: string, txId: string): string {
  return compositeKey(ACCESS_LOG, [grantId, txId]);
}

export function accessLogPrefix(grantId: string): KeyPrefix {
  return keyPrefix(ACCESS_LOG, [grantId]);
}

/** Index entry: the access recorded by a transaction (the ticket the data holder checks). */
export function accessByTxKey(txId: string): string {
  return compositeKey(ACCESS_BY_TX, [txId]);
}

/** The Merkle root of a batch of raw samples, anchored by the transaction that recorded its readings. */
export function sampleAnchorKey(anchorId: string): string {
  return compositeKey(SAMPLE_ANCHOR, [anchorId]);
}
