import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxEnergyWh } from '../../../../chaincode/src/domain/market/calendar';
import { energyOf, newFleet } from '../../../../gateway/device-kit/fleet';

const QUARTER_HOUR = { meteringIntervalSeconds: 900 };

describe('device-kit/fleet', () => {
  it('should mix the four DER types with capacities in their usual ranges and unique ids', () => {
    const fleet = newFleet(40, 'site', 3);
    assert.equal(new Set(fleet.map((m) => m.derId)).size, 40);
    assert.deepEqual([...new Set(fleet.map((m) => m.derType))].sort(), [
      'battery',
      'ev-charger',
      'flexible-load',
      'pv',
    ]);
    for (const member of fleet) {
      assert.ok(
        member.capacityW >= 1000 && member.capacityW <= 22_000,
        `${member.derId} ${member.capacityW}`,
      );
      assert.match(member.derId, /^site-[a-z-]+-\d{5}$/);
    }
    assert.deepEqual(newFleet(40, 'site', 3), fleet, 'same seed, same fleet');
  });

  it('should give integer energy within the capacity cap, zero for PV at night, repeatably', () => {
    const fleet = newFleet(8, 'x', 1);
    const pv = fleet.find((m) => m.derType === 'pv')!;
    assert.equal(energyOf(pv, '2026-06-01T02:00:00.000Z', QUARTER_HOUR), 0);
    assert.ok(energyOf(pv, '2026-06-01T13:00:00.000Z', QUARTER_HOUR) > 0);
    for (const member of fleet) {
      for (const hour of [0, 6, 12, 18, 23]) {
        const interval = `2026-06-01T${String(hour).padStart(2, '0')}:15:00.000Z`;
        const energy = energyOf(member, interval, QUARTER_HOUR);
        assert.ok(
          Number.isInteger(energy) && energy >= 0 && energy <= maxEnergyWh(member.capacityW, QUARTER_HOUR),
        );
        assert.equal(energyOf(member, interval, QUARTER_HOUR), energy);
      }
    }
  });
});
