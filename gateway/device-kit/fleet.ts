// A fleet simulator: N devices of mixed types with plausible, repeatable profiles. It is the load of
// the telemetry benchmark and a demo source; figures come from a seeded generator, so a run can be
// reproduced exactly.

import { type DerType, type MarketCalendarRules, maxEnergyWh } from '../../chaincode/src/api';
import { prng as generator } from './prng';

export interface FleetMember {
  readonly derId: string;
  readonly derType: DerType;
  readonly capacityW: number;
}

const TYPES: readonly { derType: DerType; minW: number; maxW: number }[] = [
  { derType: 'pv', minW: 3_000, maxW: 12_000 },
  { derType: 'battery', minW: 5_000, maxW: 15_000 },
  { derType: 'ev-charger', minW: 7_000, maxW: 22_000 },
  { derType: 'flexible-load', minW: 1_000, maxW: 6_000 },
];

/** `count` devices, types in rotation, capacities drawn within each type's usual range. */
export function newFleet(count: number, prefix: string, seed = 1): FleetMember[] {
  const random = generator(seed);
  return Array.from({ length: count }, (_, i) => {
    const type = TYPES[i % TYPES.length] as (typeof TYPES)[number];
    const capacityW = Math.round((type.minW + random() * (type.maxW - type.minW)) / 100) * 100;
    return {
      derId: `${prefix}-${type.derType}-${String(i).padStart(5, '0')}`,
      derType: type.derType,
      capacityW,
    };
  });
}

/** Share of capacity a DER type delivers at a UTC hour (0..1): PV follows the sun, etc. */
function loadShape(derType: DerType, hour: number): number {
  switch (derType) {
    case 'pv':
      return hour < 6 || hour >= 20 ? 0 : Math.sin(((hour - 6) / 14) * Math.PI);
    case 'battery':
      return hour >= 17 && hour < 22 ? 0.8 : 0.1;
    case 'ev-charger':
      return hour >= 18 || hour < 7 ? 0.6 : 0.2;
    case 'flexible-load':
      return 0.3 + 0.2 * Math.cos(((hour - 14) / 24) * 2 * Math.PI);
  }
}

/**
 * Energy (Wh) a member delivers in the metering interval starting at `intervalId` (its length from the
 * market `calendar`); never above its cap.
 */
export function energyOf(
  member: FleetMember,
  intervalId: string,
  calendar: Pick<MarketCalendarRules, 'meteringIntervalSeconds'>,
  seed = 1,
): number {
  const hour = new Date(intervalId).getUTCHours();
  const noise = generator(seed ^ hash(member.derId + intervalId))();
  const cap = maxEnergyWh(member.capacityW, calendar);
  return Math.min(cap, Math.max(0, Math.round(cap * loadShape(member.derType, hour) * (0.85 + 0.3 * noise))));
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
