import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseStoredDerSettlementLine,
  parseStoredVppSettlementLine,
} from '../../../../../chaincode/src/domain/settlement/lines';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { NARROWED_ENTITY_IDS, NARROWED_MARKET_IDS, NARROWED_TX_IDS } from '../../../../support/id-kinds';
import { der, settle } from '../../../../support/settlement-inputs';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('domain/settlement/lines', () => {
  describe('stored lines', () => {
    const result = settle({ feeBps: 333 });

    it('should decode what settleInterval produces', () => {
      assert.deepEqual(
        parseStoredVppSettlementLine(JSON.parse(JSON.stringify(result.vppLine))),
        result.vppLine,
      );
      for (const line of result.derLines) {
        assert.deepEqual(parseStoredDerSettlementLine(JSON.parse(JSON.stringify(line))), line);
      }
      const owing = settle({ ders: [der('der-a', 1000)] }).vppLine;
      assert.deepEqual(parseStoredVppSettlementLine(owing), owing);
    });

    it('should reject corrupted VPP lines', () => {
      const v = result.vppLine;
      const corrupt: [unknown, RegExp][] = [
        [{ ...v, extra: true }, /unsupported field/],
        [{ ...v, grossMinor: -1 }, /grossMinor must be a non-negative integer/],
        [{ ...v, inputsHash: 'abc' }, /inputsHash must be a SHA-256 digest/],
        [{ ...v, formulaVersion: 2 }, /formulaVersion must be an integer in 1\.\.1/],
        [{ ...v, paidWh: v.paidWh - 1 }, /paidWh is not min/],
        [{ ...v, deviationWh: 1 }, /deviationWh is not/],
        [{ ...v, feeMinor: v.feeMinor + 1 }, /grossMinor − penaltyMinor − feeMinor/],
        [{ ...v, owedMinor: 1, netToDersMinor: v.netToDersMinor + 1 }, /an amount is owed/],
        [[], /must be a JSON object/],
      ];
      for (const [value, message] of corrupt) {
        assert.throws(() => parseStoredVppSettlementLine(value), invalid(message), String(message));
      }
    });

    it('should reject corrupted DER lines', () => {
      const d = result.derLines[0]!;
      const corrupt: [unknown, RegExp][] = [
        [{ ...d, amountMinor: -1 }, /amountMinor must be a non-negative integer/],
        [{ ...d, amountMinor: d.netToDersMinor + 1 }, /amountMinor exceeds netToDersMinor/],
        [{ ...d, deliveredWh: d.vppDeliveredWh + 1 }, /deliveredWh exceeds vppDeliveredWh/],
        [{ ...d, deliveredWh: 0 }, /a DER that delivered nothing is paid/],
        [{ ...d, settledAt: 'yesterday' }, /settledAt must be an ISO-8601/],
      ];
      for (const [value, message] of corrupt) {
        assert.throws(() => parseStoredDerSettlementLine(value), invalid(message), String(message));
      }
    });

    it('should refuse stored lines naming ids no VPP, DER, interval or transaction can have', () => {
      const v = result.vppLine;
      const d = result.derLines[0]!;
      for (const id of NARROWED_ENTITY_IDS) {
        assert.throws(
          () => parseStoredVppSettlementLine({ ...v, vppId: id }),
          invalid(/^INVALID_ARGUMENT: vppId/),
        );
        assert.throws(
          () => parseStoredDerSettlementLine({ ...d, derId: id }),
          invalid(/^INVALID_ARGUMENT: derId/),
        );
      }
      for (const id of NARROWED_MARKET_IDS) {
        assert.throws(
          () => parseStoredVppSettlementLine({ ...v, intervalId: id }),
          invalid(/^INVALID_ARGUMENT: intervalId/),
        );
      }
      for (const id of NARROWED_TX_IDS) {
        assert.throws(
          () => parseStoredDerSettlementLine({ ...d, txId: id }),
          invalid(/^INVALID_ARGUMENT: txId/),
        );
      }
    });
  });
});
