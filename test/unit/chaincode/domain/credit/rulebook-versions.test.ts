import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RULEBOOK } from '../../../../../chaincode/src/domain/credit/default-rulebook';
import type { RulebookVersion } from '../../../../../chaincode/src/domain/credit/rulebook';
import {
  buildRulebookVersion,
  parseStoredRulebookVersion,
  rulebookEffectiveAt,
} from '../../../../../chaincode/src/domain/credit/rulebook-versions';
import { MspId, Role } from '../../../../../chaincode/src/types/consortium';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { editDefaultRulebook, REGULATOR, T0, T1, T2 } from '../../../../support/credit-rules';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

const T3 = '2025-04-01T00:00:00.000Z';

describe('domain/credit/rulebook-versions', () => {
  describe('#buildRulebookVersion', () => {
    const v1 = buildRulebookVersion(DEFAULT_RULEBOOK, undefined, T0, REGULATOR);

    it('should create version 1, in force from its transaction time by default', () => {
      assert.deepEqual(v1, {
        version: 1,
        effectiveFrom: T0,
        ...DEFAULT_RULEBOOK,
        createdAt: T0,
        createdBy: { mspId: 'RegulatorMSP', role: 'regulator' },
      });
    });

    it('should append version previous + 1 with a later effective time', () => {
      const v2 = buildRulebookVersion({ ...DEFAULT_RULEBOOK, effectiveFrom: T2 }, v1, T1, REGULATOR);
      assert.equal(v2.version, 2);
      assert.equal(v2.effectiveFrom, T2);
      assert.equal(v2.createdAt, T1);
      const v3 = buildRulebookVersion(DEFAULT_RULEBOOK, v2, T3, REGULATOR);
      assert.equal(v3.version, 3);
      assert.equal(v3.effectiveFrom, T3);
    });

    it('should never rewrite history: no effective time in the past, none at or before the previous one', () => {
      assert.throws(
        () => buildRulebookVersion({ ...DEFAULT_RULEBOOK, effectiveFrom: T0 }, undefined, T1, REGULATOR),
        invalid(
          /effectiveFrom 2025-01-01T00:00:00.000Z lies before the transaction time .*past rules cannot be changed/,
        ),
      );
      const v2 = buildRulebookVersion({ ...DEFAULT_RULEBOOK, effectiveFrom: T3 }, v1, T1, REGULATOR);
      // v2 is scheduled for T3; a v3 at T2 (after its tx time but before v2) would reorder history.
      assert.throws(
        () => buildRulebookVersion({ ...DEFAULT_RULEBOOK, effectiveFrom: T2 }, v2, T1, REGULATOR),
        invalid(/effectiveFrom 2025-03-01T00:00:00.000Z must be after version 2's 2025-04-01T00:00:00.000Z/),
      );
      assert.throws(
        () => buildRulebookVersion({ ...DEFAULT_RULEBOOK, effectiveFrom: T3 }, v2, T1, REGULATOR),
        invalid(/must be after version 2's/),
      );
      // Same instant as the previous version's (defaulted from the same tx time): refused too.
      assert.throws(
        () => buildRulebookVersion(DEFAULT_RULEBOOK, v1, T0, REGULATOR),
        invalid(/must be after version 1's/),
      );
    });

    it('should not take a version number, or any server field, from the input', () => {
      for (const field of ['version', 'createdAt', 'createdBy']) {
        assert.throws(
          () => buildRulebookVersion({ ...DEFAULT_RULEBOOK, [field]: 1 }, v1, T1, REGULATOR),
          invalid(new RegExp(`unsupported field\\(s\\): ${field}`)),
        );
      }
    });

    it('should leave the previous version untouched', () => {
      const frozen = JSON.parse(JSON.stringify(v1)) as RulebookVersion;
      const changed = editDefaultRulebook((b) => (b.events[1]!.effects[0]!.points = -100));
      buildRulebookVersion(changed, v1, T1, REGULATOR);
      assert.deepEqual(v1, frozen);
    });

    it('should let only the regulator publish', () => {
      for (const mspId of [MspId.CVPP, MspId.TRADING, MspId.CONTROL]) {
        assert.throws(
          () => buildRulebookVersion(DEFAULT_RULEBOOK, undefined, T0, { mspId, role: Role.ADMIN }),
          vppError(ErrorCode.FORBIDDEN, /only RegulatorMSP may publish the credit rulebook/),
        );
      }
    });

    it('should refuse a malformed transaction time', () => {
      assert.throws(
        () => buildRulebookVersion(DEFAULT_RULEBOOK, undefined, 'now', REGULATOR),
        invalid(/txTime/),
      );
    });
  });
  describe('#parseStoredRulebookVersion', () => {
    const v1 = buildRulebookVersion(DEFAULT_RULEBOOK, undefined, T0, REGULATOR);

    it('should accept what buildRulebookVersion produces', () => {
      assert.deepEqual(parseStoredRulebookVersion(JSON.parse(JSON.stringify(v1))), v1);
    });

    it('should reject corrupted versions', () => {
      const corrupt: unknown[] = [
        { ...v1, version: 0 },
        { ...v1, effectiveFrom: undefined },
        { ...v1, createdAt: 'x' },
        { ...v1, createdBy: { mspId: 'EvilMSP', role: 'regulator' } },
        { ...v1, levels: [] },
        { ...v1, extra: 1 },
      ];
      for (const value of corrupt) {
        assert.throws(() => parseStoredRulebookVersion(value), invalid(), JSON.stringify(value).slice(0, 80));
      }
    });
  });
  describe('#rulebookEffectiveAt', () => {
    const v1 = buildRulebookVersion(DEFAULT_RULEBOOK, undefined, T0, REGULATOR);
    const v2 = buildRulebookVersion({ ...DEFAULT_RULEBOOK, effectiveFrom: T2 }, v1, T1, REGULATOR);
    const v3 = buildRulebookVersion({ ...DEFAULT_RULEBOOK, effectiveFrom: T3 }, v2, T2, REGULATOR);
    const history = [v3, v1, v2];
    const at = (time: string) => rulebookEffectiveAt(history, time).version;

    it('should pick the version in force, a new version applying from its effective instant', () => {
      assert.equal(at(T0), 1);
      assert.equal(at('2025-02-28T23:59:59.999Z'), 1);
      assert.equal(at(T2), 2);
      assert.equal(at('2025-03-31T23:59:59.999Z'), 2);
      assert.equal(at(T3), 3);
      assert.equal(at('2030-01-01T00:00:00.000Z'), 3);
    });

    it('should report NOT_FOUND before the first version', () => {
      assert.throws(
        () => rulebookEffectiveAt(history, '2024-12-31T23:59:59.999Z'),
        vppError(ErrorCode.NOT_FOUND, /no credit rulebook is in force at 2024-12-31T23:59:59.999Z/),
      );
      assert.throws(() => rulebookEffectiveAt([], T0), vppError(ErrorCode.NOT_FOUND));
    });

    it('should refuse a broken history with INTERNAL', () => {
      assert.throws(
        () => rulebookEffectiveAt([v1, v3], T3),
        vppError(ErrorCode.INTERNAL, /expected version 2, found 3/),
      );
      assert.throws(
        () => rulebookEffectiveAt([v1, { ...v2, effectiveFrom: T0 }], T3),
        vppError(ErrorCode.INTERNAL, /version 2 does not take effect after version 1/),
      );
      assert.throws(() => rulebookEffectiveAt([v1, v1], T3), vppError(ErrorCode.INTERNAL));
    });

    it('should refuse a malformed time', () => {
      assert.throws(() => rulebookEffectiveAt(history, '2025-03-01'), invalid(/time must be an ISO-8601/));
    });
  });
});
