// The rulebook the network setup installs as version 1 (InstallDefaultRulebook).

import type { RulebookInput } from './rulebook';

/**
 * The first rulebook the setup installs (no effectiveFrom: it takes effect at its transaction).
 *
 * Indicators start at 700 (VIOLATIONS at 1000, i.e. none recorded), which makes a newcomer's total
 * score floor((700 × 85 + 1000 × 15) / 100) = 745: level A. Weights: delivery accuracy 30, telemetry
 * availability 15, telemetry validity 15, bid reveal compliance 10, dispatch acknowledgement 15,
 * violations 15. Good behaviour earns a few points per event, failures cost several times more, so a
 * level is earned slowly and lost quickly. Quotas: 50/30/20/10/2 MWh per interval; penalty factors
 * 1.0/1.0/1.2/1.5/2.0×.
 */
export const DEFAULT_RULEBOOK: RulebookInput = {
  description:
    'Default VPP credit rulebook: delivery accuracy, telemetry availability and validity, bid reveal ' +
    'compliance, dispatch acknowledgement and violations; levels AAA, AA, A, B, C.',
  indicators: [
    { id: 'DELIVERY_ACCURACY', weight: 30, initialScore: 700 },
    { id: 'TELEMETRY_AVAILABILITY', weight: 15, initialScore: 700 },
    { id: 'TELEMETRY_VALIDITY', weight: 15, initialScore: 700 },
    { id: 'BID_REVEAL_COMPLIANCE', weight: 10, initialScore: 700 },
    { id: 'DISPATCH_ACKNOWLEDGEMENT', weight: 15, initialScore: 700 },
    { id: 'VIOLATIONS', weight: 15, initialScore: 1000 },
  ],
  events: [
    { eventType: 'DELIVERY_WITHIN_TOLERANCE', effects: [{ indicator: 'DELIVERY_ACCURACY', points: 10 }] },
    { eventType: 'DELIVERY_DEVIATION', effects: [{ indicator: 'DELIVERY_ACCURACY', points: -30 }] },
    { eventType: 'READINGS_COMPLETE', effects: [{ indicator: 'TELEMETRY_AVAILABILITY', points: 5 }] },
    { eventType: 'READING_REJECTED', effects: [{ indicator: 'TELEMETRY_VALIDITY', points: -20 }] },
    { eventType: 'BID_REVEALED', effects: [{ indicator: 'BID_REVEAL_COMPLIANCE', points: 5 }] },
    { eventType: 'BID_NOT_REVEALED', effects: [{ indicator: 'BID_REVEAL_COMPLIANCE', points: -50 }] },
    { eventType: 'DISPATCH_ACKNOWLEDGED', effects: [{ indicator: 'DISPATCH_ACKNOWLEDGEMENT', points: 5 }] },
    {
      eventType: 'DISPATCH_NOT_ACKNOWLEDGED',
      effects: [{ indicator: 'DISPATCH_ACKNOWLEDGEMENT', points: -40 }],
    },
    { eventType: 'VIOLATION', effects: [{ indicator: 'VIOLATIONS', points: -200 }] },
  ],
  levels: [
    { level: 'AAA', minScore: 900, bidQuotaWh: 50_000_000, penaltyFactorPermille: 1000 },
    { level: 'AA', minScore: 800, bidQuotaWh: 30_000_000, penaltyFactorPermille: 1000 },
    { level: 'A', minScore: 650, bidQuotaWh: 20_000_000, penaltyFactorPermille: 1200 },
    { level: 'B', minScore: 500, bidQuotaWh: 10_000_000, penaltyFactorPermille: 1500 },
    { level: 'C', minScore: 0, bidQuotaWh: 2_000_000, penaltyFactorPermille: 2000 },
  ],
};
