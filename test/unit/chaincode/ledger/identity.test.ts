import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  callerMspId,
  callerRole,
  requireActor,
  requireMsp,
  requireRole,
} from '../../../../chaincode/src/ledger/identity';
import {
  KNOWN_MSP_IDS,
  MspId,
  REGULATOR_DESK,
  Role,
  VPP_OPERATOR,
} from '../../../../chaincode/src/types/consortium';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { MemoryLedger, type Caller } from '../../../support/memory-stub';
import { vppError } from '../../../support/vpp-assert';

const ctxFor = (caller: Caller) => new MemoryLedger().begin({ caller }).ctx;

describe('ledger/identity', () => {
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

  describe('#requireActor', () => {
    const regulator = { mspId: 'RegulatorMSP', attributes: { 'vpp.role': 'regulator' } };

    it('should return the caller when one authority lets its organisation act in its role', () => {
      assert.deepEqual(requireActor(ctxFor(regulator), VPP_OPERATOR, REGULATOR_DESK), {
        mspId: 'RegulatorMSP',
        role: 'regulator',
      });
    });

    it('should check the organisation first, then the roles of that organisation only', () => {
      assert.throws(
        () => requireActor(ctxFor(regulator), VPP_OPERATOR),
        vppError(
          ErrorCode.FORBIDDEN,
          /caller organisation "RegulatorMSP" is not allowed; expected one of CvppMSP$/,
        ),
      );
      assert.throws(
        () => requireActor(ctxFor({ ...regulator, mspId: 'CvppMSP' }), VPP_OPERATOR, REGULATOR_DESK),
        vppError(
          ErrorCode.FORBIDDEN,
          /role "regulator" is not allowed; requires vpp\.role in operator, admin$/,
        ),
      );
    });
  });
});
