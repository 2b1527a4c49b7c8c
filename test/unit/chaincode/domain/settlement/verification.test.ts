import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifySettlement } from '../../../../../chaincode/src/domain/settlement/verification';
import { BASE, der, settle } from '../../../../support/settlement-inputs';

describe('domain/settlement/verification', () => {
  describe('#verifySettlement', () => {
    const result = settle({ ders: [der('der-a', 3334), der('der-b', 3333), der('der-c', 3333)] });
    const inputs = { ...BASE, ders: [der('der-a', 3334), der('der-b', 3333), der('der-c', 3333)] };

    it('should match the stored lines and return the recomputation', () => {
      const check = verifySettlement(result, inputs);
      assert.equal(check.matches, true);
      assert.deepEqual(check.differences, []);
      assert.deepEqual(check.recomputed, result);
    });

    it('should name every tampered field', () => {
      const vppTampered = { ...result, vppLine: { ...result.vppLine, feeMinor: 51, netToDersMinor: 449 } };
      assert.deepEqual(verifySettlement(vppTampered, inputs).differences, [
        'vppLine.feeMinor',
        'vppLine.netToDersMinor',
      ]);
      const derTampered = {
        ...result,
        derLines: result.derLines.map((line) =>
          line.derId === 'der-b' ? { ...line, deliveredWh: 3300 } : line,
        ),
      };
      assert.deepEqual(verifySettlement(derTampered, inputs).differences, ['derLines[der-b].deliveredWh']);
    });

    it('should notice missing, extra and doubled DER lines', () => {
      const [a, b, c] = result.derLines;
      assert.deepEqual(verifySettlement({ ...result, derLines: [a!, c!] }, inputs).differences, [
        'derLines[der-b]: missing',
      ]);
      const extra = { ...a!, derId: 'der-z', amountMinor: 0 };
      assert.deepEqual(verifySettlement({ ...result, derLines: [a!, b!, c!, extra] }, inputs).differences, [
        'derLines[der-z]: not in the recomputation',
      ]);
      assert.deepEqual(verifySettlement({ ...result, derLines: [a!, b!, b!, c!] }, inputs).differences, [
        'derLines[der-b]: stored twice',
      ]);
    });

    it('should notice inputs that differ from the ones the lines were computed from', () => {
      const check = verifySettlement(result, { ...inputs, feeBps: 900 });
      assert.equal(check.matches, false);
      assert.ok(check.differences.includes('vppLine.inputsHash'));
      assert.ok(check.differences.includes('vppLine.feeMinor'));
    });
  });
});
