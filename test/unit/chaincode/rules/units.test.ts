import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requireQuantityUnit } from '../../../../chaincode/src/rules/units';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { vppError } from '../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('rules/units', () => {
  describe('#requireQuantityUnit', () => {
    it('should accept the expected unit and name its owner when another known unit is given', () => {
      assert.equal(requireQuantityUnit({ quantityUnit: 'W' }, 'W', 'setpoint'), 'W');
      assert.throws(
        () => requireQuantityUnit({ quantityUnit: 'Wh' }, 'W', 'setpoint'),
        invalid(/^INVALID_ARGUMENT: quantityUnit Wh does not belong to setpoint$/),
      );
    });

    it('should refuse units it does not know', () => {
      for (const quantityUnit of ['kWh', 'wh', undefined]) {
        assert.throws(
          () => requireQuantityUnit({ quantityUnit }, 'Wh', 'x'),
          invalid(/^INVALID_ARGUMENT: quantityUnit must be one of Wh, W$/),
          String(quantityUnit),
        );
      }
    });
  });
});
