// Credit rules shared by the scoring, standing and suspension tests: the default rulebook as version 1
// and a harsher version 2, two participants, and indicator values that score exactly what they say.

import { type CreditEventType, type RulebookInput } from '../../chaincode/src/domain/credit/rulebook';
import { DEFAULT_RULEBOOK } from '../../chaincode/src/domain/credit/default-rulebook';
import { buildRulebookVersion } from '../../chaincode/src/domain/credit/rulebook-versions';
import type { CreditEvent, IndicatorValues, Participant } from '../../chaincode/src/domain/credit/scoring';
import { MspId, Role } from '../../chaincode/src/types/consortium';

export const REGULATOR = { mspId: MspId.REGULATOR, role: Role.REGULATOR };
export const T0 = '2025-01-01T00:00:00.000Z';
export const T1 = '2025-02-01T00:00:00.000Z';
export const T2 = '2025-03-01T00:00:00.000Z';

export const V1 = buildRulebookVersion(DEFAULT_RULEBOOK, undefined, T0, REGULATOR);
// Version 2 from T2: deviations cost 100 instead of 30, and a new indicator RESPONSE_TIME (weight
// taken from DELIVERY_ACCURACY: 20 + 10) that DISPATCH_ACKNOWLEDGED also moves.
export const V2_INPUT: RulebookInput = {
  ...DEFAULT_RULEBOOK,
  effectiveFrom: T2,
  indicators: [
    { id: 'DELIVERY_ACCURACY', weight: 20, initialScore: 700 },
    ...DEFAULT_RULEBOOK.indicators.slice(1),
    { id: 'RESPONSE_TIME', weight: 10, initialScore: 600 },
  ],
  events: DEFAULT_RULEBOOK.events.map((event) =>
    event.eventType === 'DELIVERY_DEVIATION'
      ? { ...event, effects: [{ indicator: 'DELIVERY_ACCURACY', points: -100 }] }
      : event.eventType === 'DISPATCH_ACKNOWLEDGED'
        ? { ...event, effects: [...event.effects, { indicator: 'RESPONSE_TIME', points: 3 }] }
        : event,
  ),
};
export const V2 = buildRulebookVersion(V2_INPUT, V1, T1, REGULATOR);

export const VPP: Participant = { type: 'vpp', id: 'vpp-1' };
export const DER: Participant = { type: 'der', id: 'der-7' };

export const event = (eventType: CreditEventType, changes: Partial<CreditEvent> = {}): CreditEvent => ({
  participant: VPP,
  eventType,
  intervalId: 'iv-42',
  txId: 'tx-9',
  at: '2025-01-15T10:00:00.000Z',
  ...changes,
});

/** Every indicator of version 1 at `value`; their total score is then `value` (weights sum to 100). */
export const uniform = (value: number): IndicatorValues =>
  Object.fromEntries(DEFAULT_RULEBOOK.indicators.map((indicator) => [indicator.id, value]));

type Book = {
  indicators: Record<string, unknown>[];
  events: { eventType: string; effects: Record<string, unknown>[] }[];
  levels: Record<string, unknown>[];
  [key: string]: unknown;
};

/** A deep copy of the default rulebook with `change` applied, for one-field-at-a-time rejections. */
export function editDefaultRulebook(change: (book: Book) => void): unknown {
  const book = JSON.parse(JSON.stringify(DEFAULT_RULEBOOK)) as Book;
  change(book);
  return book;
}
