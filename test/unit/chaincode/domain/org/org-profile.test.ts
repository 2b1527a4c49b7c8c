import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildOrgProfile,
  compareOrgProfiles,
  parseOrgProfileInput,
  parseStoredOrgProfile,
  type OrgProfile,
} from '../../../../../chaincode/src/domain/org/org-profile';
import { MspId, Role } from '../../../../../chaincode/src/types/consortium';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { vppError } from '../../../../support/vpp-assert';

const T1 = '2025-03-01T12:00:00.000Z';
const T2 = '2025-03-02T08:30:00.250Z';
const CVPP_ADMIN = { mspId: MspId.CVPP, role: Role.ADMIN };
const INPUT = { displayName: '  Community VPP  ', orgRole: 'cvpp', contactEmail: ' ops@cvpp.example ' };

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('domain/org/org-profile', () => {
  describe('#parseOrgProfileInput', () => {
    it('should trim and accept a valid profile', () => {
      assert.deepEqual(parseOrgProfileInput(INPUT, MspId.CVPP), {
        displayName: 'Community VPP',
        orgRole: 'cvpp',
        contactEmail: 'ops@cvpp.example',
      });
    });

    it('should require the org role that belongs to the caller MSP', () => {
      const pairs = [
        [MspId.CVPP, 'cvpp'],
        [MspId.TRADING, 'trading'],
        [MspId.CONTROL, 'control'],
        [MspId.REGULATOR, 'regulator'],
      ] as const;
      for (const [mspId, orgRole] of pairs) {
        assert.equal(parseOrgProfileInput({ ...INPUT, orgRole }, mspId).orgRole, orgRole);
      }
      assert.throws(
        () => parseOrgProfileInput({ ...INPUT, orgRole: 'trading' }, MspId.CVPP),
        invalid(/orgRole trading does not match organisation CvppMSP \(expected cvpp\)/),
      );
      assert.throws(
        () => parseOrgProfileInput({ ...INPUT, orgRole: 'bank' }, MspId.CVPP),
        invalid(/orgRole/),
      );
    });

    it('should refuse an mspId in the input', () => {
      assert.throws(
        () => parseOrgProfileInput({ ...INPUT, mspId: MspId.CVPP }, MspId.CVPP),
        invalid(/mspId must not/),
      );
    });

    it('should refuse unknown fields and non-objects', () => {
      assert.throws(
        () => parseOrgProfileInput({ ...INPUT, version: 7 }, MspId.CVPP),
        invalid(/unsupported field\(s\): version/),
      );
      for (const value of [null, [], 'x', 1, undefined]) {
        assert.throws(() => parseOrgProfileInput(value, MspId.CVPP), invalid(/must be a JSON object/));
      }
    });

    it('should bound the display name to 1..100 characters after trimming', () => {
      const ok = (displayName: string) =>
        parseOrgProfileInput({ ...INPUT, displayName }, MspId.CVPP).displayName;
      assert.equal(ok('x'.repeat(100)), 'x'.repeat(100));
      assert.equal(ok('⚡'.repeat(100)), '⚡'.repeat(100));
      assert.equal(ok('😀'.repeat(100)), '😀'.repeat(100), 'counts code points, not UTF-16 units');
      for (const displayName of ['', '   ', 'x'.repeat(101), 'bad\nname', 'tab\tname']) {
        assert.throws(() => ok(displayName), invalid(/displayName/), JSON.stringify(displayName));
      }
      assert.throws(() => ok(42 as unknown as string), invalid(/displayName must be a string/));
    });

    it('should require a plausible contact e-mail', () => {
      const email = (contactEmail: unknown) => parseOrgProfileInput({ ...INPUT, contactEmail }, MspId.CVPP);
      for (const good of ['a@b.co', 'first.last+tag@sub.example.org']) {
        assert.equal(email(good).contactEmail, good);
      }
      const bad = [
        '',
        'plain',
        '@example.org',
        'a@',
        'a@b',
        'a@@b.org',
        'a b@c.org',
        '.a@b.org',
        'a..b@c.org',
        'a@-b.org',
        'a@b..org',
        7,
      ];
      for (const value of bad) {
        assert.throws(() => email(value), invalid(/contactEmail/), JSON.stringify(value));
      }
    });
  });

  describe('#buildOrgProfile', () => {
    it('should create version 1 stamped with caller and transaction time', () => {
      const profile = buildOrgProfile({
        input: INPUT,
        caller: CVPP_ADMIN,
        timestamp: T1,
        previous: undefined,
      });
      assert.deepEqual(profile, {
        mspId: 'CvppMSP',
        displayName: 'Community VPP',
        orgRole: 'cvpp',
        contactEmail: 'ops@cvpp.example',
        updatedAt: T1,
        updatedBy: { mspId: 'CvppMSP', role: 'admin' },
        version: 1,
      });
    });

    it('should increment the version on update and replace the fields', () => {
      const first = buildOrgProfile({ input: INPUT, caller: CVPP_ADMIN, timestamp: T1, previous: undefined });
      const second = buildOrgProfile({
        input: { ...INPUT, displayName: 'Renamed VPP' },
        caller: CVPP_ADMIN,
        timestamp: T2,
        previous: first,
      });
      assert.equal(second.version, 2);
      assert.equal(second.displayName, 'Renamed VPP');
      assert.equal(second.updatedAt, T2);
    });

    it('should refuse to build on a profile of another organisation', () => {
      const other: OrgProfile = {
        ...buildOrgProfile({ input: INPUT, caller: CVPP_ADMIN, timestamp: T1, previous: undefined }),
        mspId: MspId.TRADING,
      };
      assert.throws(
        () => buildOrgProfile({ input: INPUT, caller: CVPP_ADMIN, timestamp: T2, previous: other }),
        vppError(ErrorCode.INTERNAL),
      );
    });
  });

  describe('#parseStoredOrgProfile', () => {
    const stored = buildOrgProfile({ input: INPUT, caller: CVPP_ADMIN, timestamp: T1, previous: undefined });

    it('should accept what buildOrgProfile produces', () => {
      assert.deepEqual(parseStoredOrgProfile(JSON.parse(JSON.stringify(stored))), stored);
    });

    it('should reject corrupted records', () => {
      const corrupt: unknown[] = [
        { ...stored, version: 0 },
        { ...stored, version: 1.5 },
        { ...stored, mspId: 'EvilMSP' },
        { ...stored, updatedAt: '2025-03-01' },
        { ...stored, updatedAt: '2025-02-30T00:00:00.000Z' },
        { ...stored, updatedBy: { mspId: 'CvppMSP', role: 'root' } },
        { ...stored, extra: true },
        { ...stored, orgRole: 'trading' },
        [],
      ];
      for (const value of corrupt) {
        assert.throws(() => parseStoredOrgProfile(value), invalid(), JSON.stringify(value));
      }
    });
  });

  describe('#compareOrgProfiles', () => {
    it('should order by MSP ID', () => {
      const base = buildOrgProfile({ input: INPUT, caller: CVPP_ADMIN, timestamp: T1, previous: undefined });
      const profiles: OrgProfile[] = [MspId.TRADING, MspId.CVPP, MspId.REGULATOR, MspId.CONTROL].map(
        (mspId) => ({
          ...base,
          mspId,
        }),
      );
      assert.deepEqual(
        profiles.sort(compareOrgProfiles).map((p) => p.mspId),
        ['ControlMSP', 'CvppMSP', 'RegulatorMSP', 'TradingMSP'],
      );
    });
  });
});
