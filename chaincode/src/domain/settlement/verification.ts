// Verifying a settlement: recompute it from the same inputs and compare, field by field, with the
// stored lines. Anyone holding the readings, award and parameters can run it.

import { toCanonicalJson } from '../../encoding/canonical-json';
import { compareIds } from '../../rules';
import type { SettlementInputs } from './inputs';
import type { DerSettlementLine, StoredSettlement, VppSettlementLine } from './lines';
import { settleInterval, type SettlementResult } from './settlement';

export interface SettlementVerification {
  /** True when the stored lines equal the recomputation field for field. */
  readonly matches: boolean;
  readonly recomputed: SettlementResult;
  /** Paths of the fields that differ, e.g. `vppLine.feeMinor`, `derLines[der-2].amountMinor`. */
  readonly differences: readonly string[];
}

function differingFields(stored: object, expected: object, prefix: string): string[] {
  const a = stored as Readonly<Record<string, unknown>>;
  const b = expected as Readonly<Record<string, unknown>>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys
    .filter((key) => {
      const left = a[key];
      const right = b[key];
      if (left === undefined || right === undefined) return left !== right;
      return toCanonicalJson(left) !== toCanonicalJson(right);
    })
    .map((key) => `${prefix}.${key}`);
}

/**
 * Recomputes the settlement from `inputs` (with the settling transaction's settledAt and txId) and
 * compares it with the stored lines, in any order. Anyone holding the same readings, award and
 * parameters can run this; a tampered line, a missing or extra DER line shows up in `differences`.
 * Inputs that cannot be settled at all throw INVALID_ARGUMENT, as in settleInterval.
 */
export function verifySettlement(
  stored: { readonly vppLine: VppSettlementLine; readonly derLines: readonly DerSettlementLine[] },
  inputs: SettlementInputs,
): SettlementVerification {
  const recomputed = settleInterval(inputs);
  const differences = differingFields(stored.vppLine, recomputed.vppLine, 'vppLine');
  const storedById = new Map<string, DerSettlementLine>();
  for (const line of stored.derLines) {
    if (storedById.has(line.derId)) {
      differences.push(`derLines[${line.derId}]: stored twice`);
    }
    storedById.set(line.derId, line);
  }
  const expectedIds = new Set(recomputed.derLines.map((line) => line.derId));
  for (const line of recomputed.derLines) {
    const found = storedById.get(line.derId);
    if (found === undefined) {
      differences.push(`derLines[${line.derId}]: missing`);
    } else {
      differences.push(...differingFields(found, line, `derLines[${line.derId}]`));
    }
  }
  for (const derId of [...storedById.keys()].sort(compareIds)) {
    if (!expectedIds.has(derId)) {
      differences.push(`derLines[${derId}]: not in the recomputation`);
    }
  }
  return { matches: differences.length === 0, recomputed, differences };
}

/** What VerifySettlement answers: the stored lines, their recomputation from the ledger, the differences. */
export interface SettlementCheck {
  readonly matches: boolean;
  readonly stored: StoredSettlement;
  readonly recomputed: Pick<SettlementResult, 'vppLine' | 'derLines'>;
  /** Paths of the fields that differ, as SettlementVerification's, plus a penalty factor no level has. */
  readonly differences: readonly string[];
}
