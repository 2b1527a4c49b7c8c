// Settlement inputs shared by the settlement tests: one interval of one VPP with three DERs.

import type { DerReadings, SettlementInputs } from '../../chaincode/src/domain/settlement/inputs';
import { settleInterval } from '../../chaincode/src/domain/settlement/settlement';

/** A DER whose readings carry the given energies, sequences 1, 2, ... */
export const der = (derId: string, ...energies: number[]): DerReadings => ({
  derId,
  readings: energies.map((energyWh, i) => ({ sequence: i + 1, energyWh })),
});

// Award 10 000 Wh at 50 000 minor units/MWh (500.00 per MWh, i.e. 0.05 per Wh); tolerance 5 % of the
// award = 500 Wh; penalty factor 1.5×; operator fee 10 %.
export const BASE: SettlementInputs = {
  intervalId: 'iv-2025-03-01T10:00Z',
  intervalStart: '2025-03-01T10:00:00.000Z',
  vppId: 'vpp-1',
  award: { awardId: 'award-7', quantityWh: 10_000, clearingPrice: 50_000 },
  ders: [der('der-a', 2500, 2500), der('der-b', 3000), der('der-c', 1000, 1000)],
  toleranceBps: 500,
  penaltyFactorPermille: 1500,
  feeBps: 1000,
  ruleVersion: 1,
  settledAt: '2025-03-01T10:20:00.000Z',
  txId: 'tx-settle-1',
};

export const settle = (changes: Partial<SettlementInputs>) => settleInterval({ ...BASE, ...changes });
