import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  callerMspId,
  callerRole,
  KNOWN_MSP_IDS,
  MspId,
  requireMsp,
  requireRole,
  Role,
} from '../../../../chaincode/src/ledger/identity';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { MemoryLedger, type Caller } from '../../../support/memory-stub';
import { vppError } from '../../../support/vpp-assert';

const ctxFor = (caller: Caller) => new MemoryLedger().begin({ caller }).ctx;

describe('ledger/identity', () => {
  describe('KNOWN_MSP_IDS', () => {
    it('should list the four consortium members', () => {
      assert.deepEqual([...KNOWN_MSP_IDS].sort(), ['ControlMSP', 'CvppMSP', 'RegulatorMSP', 'TradingMSP']);
    });
  });

  describe('#callerMspId', () => {
    it("should return the caller's MSP ID", () => {
      assert.equal(callerMspId(ctxFor({ mspId: 'TradingMSP' })), 'TradingMSP');
    });
  });

  describe('#callerRole', () => {
    it('should read the vpp.role attribute', () => {
      assert.equal(
        callerRole(ctxFor({ mspId: 'CvppMSP', attributes: { 'vpp.role': 'operator' } })),
        'operator',
      );
    });

    it('should return undefined for a missing or unknown role', () => {
      assert.equal(callerRole(ctxFor({ mspId: 'CvppMSP' })), undefined);
      assert.equal(callerRole(ctxFor({ mspId: 'CvppMSP', attributes: { 'vpp.role': 'root' } })), undefined);
      assert.equal(callerRole(ctxFor({ mspId: 'CvppMSP', attributes: { role: 'admin' } })), undefined);
    });
  });

  describe('#requireMsp', () => {
    it('should return the MSP ID when allowed', () => {
      assert.equal(requireMsp(ctxFor({ mspId: 'ControlMSP' }), [MspId.CVPP, MspId.CONTROL]), 'ControlMSP');
    });

    it('should throw FORBIDDEN naming the caller and the allowed MSPs', () => {
      assert.throws(
        () => requireMsp(ctxFor({ mspId: 'TradingMSP' }), [MspId.CVPP]),
        vppError(
          ErrorCode.FORBIDDEN,
          /caller organisation "TradingMSP" is not allowed; expected one of CvppMSP/,
        ),
      );
      assert.throws(
        () => requireMsp(ctxFor({ mspId: 'OutsiderMSP' }), KNOWN_MSP_IDS),
        vppError(ErrorCode.FORBIDDEN),
      );
    });
  });

  describe('#requireRole', () => {
    it('should return the role when allowed', () => {
      const ctx = ctxFor({ mspId: 'CvppMSP', attributes: { 'vpp.role': 'admin' } });
      assert.equal(requireRole(ctx, [Role.ADMIN, Role.OPERATOR]), 'admin');
    });

    it('should throw FORBIDDEN for a wrong, unknown or missing role', () => {
      assert.throws(
        () => requireRole(ctxFor({ mspId: 'CvppMSP', attributes: { 'vpp.role': 'operator' } }), [Role.ADMIN]),
        vppError(
          ErrorCode.FORBIDDEN,
          /caller with role "operator" is not allowed; requires vpp\.role in admin/,
        ),
      );
      assert.throws(
        () => requireRole(ctxFor({ mspId: 'CvppMSP', attributes: { 'vpp.role': 'root' } }), [Role.ADMIN]),
        vppError(ErrorCode.FORBIDDEN, /role "root"/),
      );
      assert.throws(
        () => requireRole(ctxFor({ mspId: 'CvppMSP' }), [Role.ADMIN]),
        vppError(ErrorCode.FORBIDDEN, /no vpp\.role attribute/),
      );
    });
  });
});
