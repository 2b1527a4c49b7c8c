// Integers: money, energy, power, counts and versions are safe integers (no floating point is ever
// stored or paid). One rule shape, a closed range, with the ranges most fields use named.

import { invalid, type Fields } from './objects';

export interface IntegerRule {
  readonly min: number;
  readonly max: number;
}

/** Any safe integer, negative ones included. */
export const ANY_SAFE_INTEGER: IntegerRule = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };
/** 0..2^53-1: zero is a legitimate price, quantity left or count. */
export const NON_NEGATIVE: IntegerRule = { min: 0, max: Number.MAX_SAFE_INTEGER };
/** 1..2^53-1. */
export const POSITIVE: IntegerRule = { min: 1, max: Number.MAX_SAFE_INTEGER };

/** Whether `value` is a safe integer within [rule.min, rule.max]. */
export function isIntegerIn(value: unknown, rule: IntegerRule): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= rule.min && value <= rule.max;
}

/** How messages name a rule: `<field> must be <description>`. */
export function describeIntegerRule(rule: IntegerRule): string {
  if (rule.max === Number.MAX_SAFE_INTEGER) {
    if (rule.min === 0) return 'a non-negative integer';
    if (rule.min === 1) return 'a positive integer';
    if (rule.min === Number.MIN_SAFE_INTEGER) return 'an integer';
  }
  return `an integer in ${rule.min}..${rule.max}`;
}

/** `value` if it is a safe integer within the rule; INVALID_ARGUMENT naming `name` otherwise. */
export function requireIntegerValue(value: unknown, name: string, rule: IntegerRule): number {
  if (!isIntegerIn(value, rule)) {
    throw invalid(`${name} must be ${describeIntegerRule(rule)}`);
  }
  return value;
}

/** The field form of requireIntegerValue. */
export function requireInteger(fields: Fields, field: string, rule: IntegerRule): number {
  return requireIntegerValue(fields[field], field, rule);
}
