import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseSettlementInputs,
  type SettlementInputs,
} from '../../../../../chaincode/src/domain/settlement/inputs';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import {
  entityIds,
  marketIds,
  NARROWED_ENTITY_IDS,
  NARROWED_MARKET_IDS,
  NARROWED_TX_IDS,
  TX_IDS,
} from '../../../../support/id-kinds';
import { BASE, der } from '../../../../support/settlement-inputs';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('domain/settlement/inputs', () => {
  describe('id kinds', () => {
    it('should accept every VPP, DER and interval id the registry and the market accept', () => {
      const ders = entityIds(11);
      const intervals = marketIds(12);
      entityIds(13).forEach((vppId, i) => {
        const inputs = parseSettlementInputs({
          ...BASE,
          vppId,
          intervalId: intervals[i]!,
          ders: [der(ders[i]!, 1)],
          txId: TX_IDS[i % TX_IDS.length]!,
          award: { ...BASE.award, awardId: TX_IDS[(i + 1) % TX_IDS.length]! },
        });
        assert.deepEqual(
          [inputs.vppId, inputs.intervalId, inputs.ders[0]?.derId],
          [vppId, intervals[i], ders[i]],
        );
      });
    });

    it('should refuse, with INVALID_ARGUMENT, ids that no VPP, DER, interval or transaction can have', () => {
      const cases: [Partial<SettlementInputs>, string][] = [
        ...NARROWED_ENTITY_IDS.flatMap((id): [Partial<SettlementInputs>, string][] => [
          [{ vppId: id }, 'vppId'],
          [{ ders: [der(id, 1)] }, 'derId'],
        ]),
        ...NARROWED_MARKET_IDS.map((id): [Partial<SettlementInputs>, string] => [
          { intervalId: id },
          'intervalId',
        ]),
        ...NARROWED_TX_IDS.flatMap((id): [Partial<SettlementInputs>, string][] => [
          [{ txId: id }, 'txId'],
          [{ award: { ...BASE.award, awardId: id } }, 'awardId'],
        ]),
      ];
      for (const [change, field] of cases) {
        assert.throws(
          () => parseSettlementInputs({ ...BASE, ...change }),
          invalid(new RegExp(`^INVALID_ARGUMENT: ${field} must be 1\\.\\.`)),
          JSON.stringify(change),
        );
      }
    });
  });
});
