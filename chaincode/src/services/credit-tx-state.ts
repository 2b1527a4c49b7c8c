// What a transaction has already read and written of credit state. Fabric never shows a transaction
// its own writes, yet a contract may score events several times in one transaction and read a
// standing after it, so the indicators written so far and the rulebook history read once are kept
// here, per transaction, and used instead of the committed state.

import type { Context } from 'fabric-contract-api';
import type { RulebookVersion } from '../domain/credit/rulebook';
import type { Participant, StoredCreditIndicators } from '../domain/credit/scoring';

export interface TxCreditState {
  rulebooks: Promise<RulebookVersion[]> | undefined;
  /** Participant → its indicators as this transaction last read or wrote them (undefined: none). */
  readonly indicators: Map<string, StoredCreditIndicators | undefined>;
  /** Participants already found in the registry. */
  readonly registered: Set<string>;
  /** Sequence number of the next event this transaction scores (part of the record keys). */
  nextSequence: number;
}

// Keyed by the stub: fabric-contract-api builds one context and one stub per transaction, so an entry
// lives exactly as long as its transaction.
const TX_STATES = new WeakMap<object, TxCreditState>();

export function txCreditState(ctx: Context): TxCreditState {
  let state = TX_STATES.get(ctx.stub);
  if (state === undefined) {
    state = { rulebooks: undefined, indicators: new Map(), registered: new Set(), nextSequence: 0 };
    TX_STATES.set(ctx.stub, state);
  }
  return state;
}

/** The cache key of a participant. */
export function participantKey(participant: Participant): string {
  return `${participant.type}\u0000${participant.id}`;
}
