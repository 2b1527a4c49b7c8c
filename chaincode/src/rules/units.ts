// Units of quantities. Energy is traded and metered in watt-hours, power (reserve held available,
// setpoints, capacity) in watts; a stored quantity names its unit, which must be the one its
// product implies.

import { invalid, requireOneOf, type Fields } from './objects';

export const QUANTITY_UNITS = ['Wh', 'W'] as const;
export type QuantityUnit = (typeof QUANTITY_UNITS)[number];

/** The field `quantityUnit`, which must be `expected`, the unit of `owner` (e.g. `product reserve`). */
export function requireQuantityUnit(fields: Fields, expected: QuantityUnit, owner: string): QuantityUnit {
  const quantityUnit = requireOneOf(fields, 'quantityUnit', QUANTITY_UNITS);
  if (quantityUnit !== expected) {
    throw invalid(`quantityUnit ${quantityUnit} does not belong to ${owner}`);
  }
  return quantityUnit;
}
