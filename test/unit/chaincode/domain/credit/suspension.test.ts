import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { creditStanding } from '../../../../../chaincode/src/domain/credit/standing';
import {
  buildReinstatement,
  buildSuspension,
  isSuspended,
  parseStoredSuspension,
} from '../../../../../chaincode/src/domain/credit/suspension';
import { MspId, Role } from '../../../../../chaincode/src/types/consortium';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { REGULATOR, T1, T2, V1, VPP, DER, uniform } from '../../../../support/credit-rules';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('domain/credit/suspension', () => {
  describe('suspension', () => {
    const suspension = buildSuspension({
      input: { participant: VPP, reason: '  Repeated meter tampering  ' },
      current: undefined,
      by: REGULATOR,
      at: T1,
      txId: 'tx-s1',
    });

    it('should record who suspended whom, when and why', () => {
      assert.deepEqual(suspension, {
        participant: { type: 'vpp', id: 'vpp-1' },
        status: 'suspended',
        reason: 'Repeated meter tampering',
        by: { mspId: 'RegulatorMSP', role: 'regulator' },
        at: T1,
        txId: 'tx-s1',
      });
      assert.equal(isSuspended(suspension), true);
      assert.equal(isSuspended(undefined), false);
    });

    it('should report a suspended participant as SUSPENDED with quota 0 and the worst penalty factor', () => {
      const values = uniform(950);
      assert.deepEqual(creditStanding(VPP, values, V1, suspension), {
        participant: VPP,
        score: 950,
        level: 'SUSPENDED',
        suspended: true,
        bidQuotaWh: 0,
        penaltyFactorPermille: 2000,
        ruleVersion: 1,
      });
      assert.deepEqual(creditStanding(VPP, values, V1, undefined), {
        participant: VPP,
        score: 950,
        level: 'AAA',
        suspended: false,
        bidQuotaWh: 50_000_000,
        penaltyFactorPermille: 1000,
        ruleVersion: 1,
      });
    });

    it('should reinstate, after which the level derives from the score again', () => {
      const reinstated = buildReinstatement({
        input: { participant: VPP, reason: 'Meters replaced and audited' },
        current: suspension,
        by: REGULATOR,
        at: T2,
        txId: 'tx-s2',
      });
      assert.equal(reinstated.status, 'reinstated');
      assert.equal(isSuspended(reinstated), false);
      assert.equal(creditStanding(VPP, undefined, V1, reinstated).level, 'A');
      // ...and may be suspended again.
      const again = buildSuspension({
        input: { participant: VPP, reason: 'Relapse' },
        current: reinstated,
        by: REGULATOR,
        at: T2,
        txId: 'tx-s3',
      });
      assert.equal(again.status, 'suspended');
    });

    it('should refuse to suspend twice or to reinstate who is not suspended (INVALID_STATE)', () => {
      assert.throws(
        () =>
          buildSuspension({
            input: { participant: VPP, reason: 'again' },
            current: suspension,
            by: REGULATOR,
            at: T2,
            txId: 'tx-x',
          }),
        vppError(
          ErrorCode.INVALID_STATE,
          /vpp "vpp-1" is already suspended \(since 2025-02-01T00:00:00.000Z\)/,
        ),
      );
      assert.throws(
        () =>
          buildReinstatement({
            input: { participant: DER, reason: 'fine' },
            current: undefined,
            by: REGULATOR,
            at: T2,
            txId: 'tx-x',
          }),
        vppError(ErrorCode.INVALID_STATE, /der "der-7" is not suspended/),
      );
    });

    it('should let only the regulator decide, and require a reason', () => {
      assert.throws(
        () =>
          buildSuspension({
            input: { participant: VPP, reason: 'x' },
            current: undefined,
            by: { mspId: MspId.CONTROL, role: Role.ADMIN },
            at: T1,
            txId: 'tx-x',
          }),
        vppError(
          ErrorCode.FORBIDDEN,
          /only RegulatorMSP may suspend or reinstate participants, not ControlMSP/,
        ),
      );
      assert.throws(
        () =>
          buildSuspension({
            input: { participant: VPP, reason: ' ' },
            current: undefined,
            by: REGULATOR,
            at: T1,
            txId: 't',
          }),
        invalid(/reason must be 1\.\.500 characters/),
      );
      assert.throws(
        () =>
          buildSuspension({
            input: { participant: VPP },
            current: undefined,
            by: REGULATOR,
            at: T1,
            txId: 't',
          }),
        invalid(/reason must be a string/),
      );
    });

    it('should refuse a stored record of another participant (INTERNAL)', () => {
      assert.throws(
        () =>
          buildReinstatement({
            input: { participant: DER, reason: 'x' },
            current: suspension,
            by: REGULATOR,
            at: T2,
            txId: 't',
          }),
        vppError(ErrorCode.INTERNAL, /stored suspension belongs to vpp "vpp-1", not der "der-7"/),
      );
      assert.throws(() => creditStanding(DER, undefined, V1, suspension), vppError(ErrorCode.INTERNAL));
    });

    it('should decode stored suspensions', () => {
      assert.deepEqual(parseStoredSuspension(JSON.parse(JSON.stringify(suspension))), suspension);
      for (const value of [
        { ...suspension, status: 'paused' },
        { ...suspension, by: { mspId: 'RegulatorMSP', role: 'root' } },
        { ...suspension, extra: 1 },
      ]) {
        assert.throws(() => parseStoredSuspension(value), invalid());
      }
    });
  });
});
