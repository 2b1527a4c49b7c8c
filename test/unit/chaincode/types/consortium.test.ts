import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CONTROL_ROOM,
  isKnownMspId,
  KNOWN_MSP_IDS,
  ORG_ADMINS,
  REGULATOR_DESK,
  TRADING_DESK,
  VPP_OPERATOR,
} from '../../../../chaincode/src/types/consortium';

describe('types/consortium', () => {
  describe('KNOWN_MSP_IDS', () => {
    it('should list the four consortium members', () => {
      assert.deepEqual([...KNOWN_MSP_IDS].sort(), ['ControlMSP', 'CvppMSP', 'RegulatorMSP', 'TradingMSP']);
      assert.equal(isKnownMspId('OutsiderMSP'), false);
    });
  });

  describe('authorities', () => {
    it('should give each desk its organisation, its own role and admin', () => {
      assert.deepEqual(TRADING_DESK, { TradingMSP: ['trading', 'admin'] });
      assert.deepEqual(CONTROL_ROOM, { ControlMSP: ['control', 'admin'] });
      assert.deepEqual(VPP_OPERATOR, { CvppMSP: ['operator', 'admin'] });
      assert.deepEqual(REGULATOR_DESK, { RegulatorMSP: ['regulator', 'admin'] });
    });

    it('should let the admins of every member act, listed in member order', () => {
      assert.deepEqual(Object.keys(ORG_ADMINS), [...KNOWN_MSP_IDS]);
      assert.ok(Object.values(ORG_ADMINS).every((roles) => roles.length === 1 && roles[0] === 'admin'));
    });
  });
});
