import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildAccessLogEntry,
  buildGrant,
  isGrantValidAt,
  MAX_GRANT_DAYS,
  parseDataSet,
  parseGrantInput,
  parseStoredAccessLogEntry,
  parseStoredGrant,
  requireValidGrant,
  revokeGrant,
  type ConsentGrant,
  type DataSet,
  type GrantInput,
} from '../../../../../chaincode/src/domain/privacy/consent';
import { MspId } from '../../../../../chaincode/src/types/consortium';
import { ErrorCode, VppError } from '../../../../../chaincode/src/types/errors';
import { NARROWED_TX_IDS, TX_IDS } from '../../../../support/id-kinds';
import { vppError } from '../../../../support/vpp-assert';

const DATA_SET: DataSet = { kind: 'samples', derId: 'pv-001' };
const INPUT: GrantInput = {
  grantId: 'grant-1',
  dataSet: DATA_SET,
  granteeMspId: MspId.REGULATOR,
  purpose: 'Audit of metering for interval disputes',
  validFrom: '2026-12-01T00:00:00.000Z',
  validUntil: '2027-01-01T00:00:00.000Z',
};
const AT = '2026-11-25T10:00:00.000Z';
const INSIDE = '2026-12-15T12:00:00.000Z';
const grant = (): ConsentGrant =>
  buildGrant({ input: INPUT, previous: undefined, grantedBy: 'CvppMSP/operator1', at: AT, txId: 'tx-grant' });
const USE = { at: INSIDE, mspId: MspId.REGULATOR, dataSet: DATA_SET };

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

/** A copy of `value` without `key`. */
const without = (value: object, key: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(value).filter(([k]) => k !== key));
const noValidGrant = { name: 'VppError', code: ErrorCode.FORBIDDEN, message: 'FORBIDDEN: no valid grant' };

describe('domain/privacy/consent', () => {
  describe('#parseDataSet', () => {
    it('should accept both kinds and refuse anything else', () => {
      assert.deepEqual(parseDataSet({ kind: 'owner-data', derId: 'pv-001' }), {
        kind: 'owner-data',
        derId: 'pv-001',
      });
      assert.deepEqual(parseDataSet({ kind: 'samples', derId: 'pv-001' }), DATA_SET);
      assert.throws(
        () => parseDataSet({ kind: 'readings', derId: 'pv-001' }),
        invalid(/kind must be one of owner-data, samples/),
      );
      assert.throws(() => parseDataSet({ kind: 'samples', derId: 'pv 1' }), invalid(/derId must be/));
      assert.throws(
        () => parseDataSet({ ...DATA_SET, vppId: 'v' }),
        invalid(/dataSet has unsupported field\(s\): vppId/),
      );
      assert.throws(() => parseDataSet('samples'), invalid(/dataSet must be a JSON object/));
    });
  });

  describe('#parseGrantInput', () => {
    it('should accept a well-formed request for every grantee but the CVPP organisation', () => {
      assert.deepEqual(parseGrantInput({ ...INPUT, dataSet: { ...DATA_SET } }), INPUT);
      for (const mspId of [MspId.TRADING, MspId.CONTROL, MspId.REGULATOR]) {
        assert.equal(parseGrantInput({ ...INPUT, granteeMspId: mspId }).granteeMspId, mspId);
      }
      assert.equal(parseGrantInput({ ...INPUT, purpose: '  Audit ' }).purpose, 'Audit');
    });

    it('should refuse the CVPP organisation, unknown MSPs and bad fields', () => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ granteeMspId: MspId.CVPP }, /granteeMspId must not be CvppMSP/],
        [{ granteeMspId: 'OtherMSP' }, /granteeMspId must be the MSP ID of a consortium member/],
        [{ granteeMspId: 'regulatormsp' }, /granteeMspId must be the MSP ID/],
        [{ granteeMspId: undefined }, /granteeMspId must be the MSP ID/],
        [{ grantId: '' }, /grantId must be/],
        [{ grantId: 'g/1' }, /grantId must be/],
        [{ dataSet: { kind: 'samples' } }, /derId must be/],
        [{ purpose: '' }, /purpose must be 1\.\.200 characters/],
        [{ purpose: 'p'.repeat(201) }, /purpose must be 1\.\.200 characters/],
        [{ purpose: 'audit\u0007' }, /purpose must not contain control characters/],
        [{ validFrom: '2026-12-01' }, /validFrom must be an ISO-8601 UTC timestamp/],
        [{ validUntil: '2027-01-01T00:00:00+01:00' }, /validUntil must be an ISO-8601 UTC timestamp/],
        [{ validUntil: INPUT.validFrom }, /validUntil must be after validFrom/],
        [{ validUntil: '2026-11-30T00:00:00.000Z' }, /validUntil must be after validFrom/],
        [{ validUntil: '2027-12-02T00:00:00.001Z' }, /at most 366 days/],
      ];
      for (const [change, pattern] of cases) {
        assert.throws(
          () => parseGrantInput({ ...INPUT, ...change }),
          invalid(pattern),
          JSON.stringify(change),
        );
      }
      assert.throws(
        () => parseGrantInput({ ...INPUT, status: 'active', grantedBy: 'me' }),
        invalid(/grant has unsupported field\(s\): grantedBy, status/),
      );
    });

    it('should allow exactly 366 days', () => {
      assert.equal(MAX_GRANT_DAYS, 366);
      const validUntil = new Date(Date.parse(INPUT.validFrom) + 366 * 86_400_000).toISOString();
      assert.equal(parseGrantInput({ ...INPUT, validUntil }).validUntil, '2027-12-02T00:00:00.000Z');
    });
  });

  describe('#buildGrant', () => {
    it('should build an active grant stamped with the caller, time and transaction', () => {
      assert.deepEqual(grant(), {
        ...INPUT,
        status: 'active',
        grantedBy: 'CvppMSP/operator1',
        grantedAt: AT,
        txId: 'tx-grant',
      });
    });

    it('should refuse an existing grant id and a window that ended by the transaction time', () => {
      assert.throws(
        () => buildGrant({ input: INPUT, previous: grant(), grantedBy: 'CvppMSP/op', at: AT, txId: 'tx-2' }),
        vppError(ErrorCode.ALREADY_EXISTS, /grant grant-1 already exists/),
      );
      for (const at of [INPUT.validUntil, '2027-02-01T00:00:00.000Z']) {
        assert.throws(
          () => buildGrant({ input: INPUT, previous: undefined, grantedBy: 'CvppMSP/op', at, txId: 'tx-2' }),
          invalid(/validUntil must be after the transaction time/),
        );
      }
      // Granting inside the window is fine.
      assert.equal(
        buildGrant({ input: INPUT, previous: undefined, grantedBy: 'CvppMSP/op', at: INSIDE, txId: 't' })
          .grantedAt,
        INSIDE,
      );
      assert.throws(
        () => buildGrant({ input: INPUT, previous: undefined, grantedBy: '', at: AT, txId: 't' }),
        invalid(/grantedBy must be 1\.\.256/),
      );
      assert.throws(
        () => buildGrant({ input: INPUT, previous: undefined, grantedBy: 'x', at: 'now', txId: 't' }),
        invalid(/at must be an ISO-8601/),
      );
      assert.throws(
        () => buildGrant({ input: INPUT, previous: undefined, grantedBy: 'x', at: AT, txId: '' }),
        invalid(/txId must be/),
      );
    });

    it('should take Fabric transaction ids only', () => {
      const build = (txId: string) =>
        buildGrant({ input: INPUT, previous: undefined, grantedBy: 'x', at: AT, txId });
      for (const txId of TX_IDS) {
        assert.equal(build(txId).txId, txId);
      }
      for (const txId of NARROWED_TX_IDS) {
        assert.throws(() => build(txId), invalid(/^INVALID_ARGUMENT: txId must be 1\.\.128 printable ASCII/));
      }
    });

    it('should not share the input’s data set object', () => {
      const dataSet = { ...DATA_SET };
      const built = buildGrant({
        input: { ...INPUT, dataSet },
        previous: undefined,
        grantedBy: 'x',
        at: AT,
        txId: 't',
      });
      assert.notEqual(built.dataSet, dataSet);
      assert.deepEqual(built.dataSet, dataSet);
    });
  });

  describe('#revokeGrant', () => {
    it('should revoke once, recording who and when', () => {
      const revoked = revokeGrant(grant(), { revokedBy: 'CvppMSP/operator2', at: INSIDE });
      assert.deepEqual(revoked, {
        ...grant(),
        status: 'revoked',
        revokedAt: INSIDE,
        revokedBy: 'CvppMSP/operator2',
      });
      assert.throws(
        () => revokeGrant(revoked, { revokedBy: 'CvppMSP/operator2', at: INSIDE }),
        vppError(ErrorCode.INVALID_STATE, /grant grant-1 is already revoked/),
      );
      assert.throws(() => revokeGrant(grant(), { revokedBy: '', at: INSIDE }), invalid(/revokedBy/));
      assert.throws(() => revokeGrant(grant(), { revokedBy: 'x', at: '' }), invalid(/at must be/));
    });
  });

  describe('#isGrantValidAt / #requireValidGrant', () => {
    it('should allow the grantee its data set inside the window, validFrom inclusive, validUntil exclusive', () => {
      const g = grant();
      for (const at of [INPUT.validFrom, INSIDE, '2026-12-31T23:59:59.999Z']) {
        assert.equal(isGrantValidAt(g, { ...USE, at }), true, at);
        assert.equal(requireValidGrant(g, { ...USE, at }), g);
      }
      for (const at of ['2026-11-30T23:59:59.999Z', INPUT.validUntil, '2027-06-01T00:00:00.000Z']) {
        assert.equal(isGrantValidAt(g, { ...USE, at }), false, at);
        assert.throws(() => requireValidGrant(g, { ...USE, at }), noValidGrant);
      }
    });

    it('should refuse another organisation, data set, a revoked grant or a missing one, saying only "no valid grant"', () => {
      const g = grant();
      const refused: [ConsentGrant | undefined, typeof USE | Record<string, unknown>][] = [
        [undefined, USE],
        [g, { ...USE, mspId: MspId.TRADING }],
        [g, { ...USE, mspId: MspId.CVPP }],
        [g, { ...USE, dataSet: { kind: 'owner-data', derId: 'pv-001' } }],
        [g, { ...USE, dataSet: { kind: 'samples', derId: 'pv-002' } }],
        [revokeGrant(g, { revokedBy: 'x', at: INSIDE }), USE],
        [g, { ...USE, at: 'not a time' }],
      ];
      const messages = new Set<string>();
      for (const [candidate, use] of refused) {
        if (candidate !== undefined) assert.equal(isGrantValidAt(candidate, use as typeof USE), false);
        try {
          requireValidGrant(candidate, use as typeof USE);
          assert.fail('expected a refusal');
        } catch (err) {
          assert.ok(err instanceof VppError);
          assert.equal(err.code, ErrorCode.FORBIDDEN);
          messages.add(err.message);
        }
      }
      // One message for every reason: nothing about existence, holder, expiry or revocation leaks.
      assert.deepEqual([...messages], ['FORBIDDEN: no valid grant']);
    });
  });

  describe('#parseStoredGrant', () => {
    it('should round-trip active and revoked grants through JSON', () => {
      const g = grant();
      assert.deepEqual(parseStoredGrant(JSON.parse(JSON.stringify(g))), g);
      const revoked = revokeGrant(g, { revokedBy: 'CvppMSP/op', at: INSIDE });
      assert.deepEqual(parseStoredGrant(JSON.parse(JSON.stringify(revoked))), revoked);
    });

    it('should refuse inconsistent or malformed stored grants', () => {
      const g = grant();
      assert.throws(
        () => parseStoredGrant({ ...g, revokedAt: INSIDE }),
        invalid(/an active grant has no revokedAt/),
      );
      assert.throws(() => parseStoredGrant({ ...g, status: 'revoked' }), invalid(/revokedAt must be/));
      assert.throws(
        () => parseStoredGrant({ ...g, status: 'revoked', revokedAt: INSIDE }),
        invalid(/revokedBy must be a string/),
      );
      assert.throws(
        () => parseStoredGrant({ ...g, status: 'expired' }),
        invalid(/status must be one of active, revoked/),
      );
      assert.throws(
        () => parseStoredGrant({ ...g, granteeMspId: MspId.CVPP }),
        invalid(/granteeMspId must not be/),
      );
      assert.throws(
        () => parseStoredGrant({ ...g, validUntil: g.validFrom }),
        invalid(/validUntil must be after/),
      );
      assert.throws(() => parseStoredGrant({ ...g, extra: true }), invalid(/unsupported field\(s\): extra/));
      assert.throws(
        () => parseStoredGrant(without(g, 'txId')),
        invalid(/txId must be 1\.\.128 printable ASCII characters/),
      );
    });
  });

  describe('#buildAccessLogEntry', () => {
    it('should log an access the grant allows', () => {
      const entry = buildAccessLogEntry({
        grant: grant(),
        accessorMspId: MspId.REGULATOR,
        accessor: 'RegulatorMSP/auditor1',
        at: INSIDE,
        txId: 'tx-access',
      });
      assert.deepEqual(entry, {
        grantId: 'grant-1',
        dataSet: DATA_SET,
        accessorMspId: MspId.REGULATOR,
        accessor: 'RegulatorMSP/auditor1',
        at: INSIDE,
        txId: 'tx-access',
      });
      assert.deepEqual(parseStoredAccessLogEntry(JSON.parse(JSON.stringify(entry))), entry);
    });

    it('should refuse to log an access the grant does not cover', () => {
      const base = { grant: grant(), accessorMspId: MspId.REGULATOR, accessor: 'r', at: INSIDE, txId: 't' };
      assert.throws(() => buildAccessLogEntry({ ...base, accessorMspId: MspId.TRADING }), noValidGrant);
      assert.throws(() => buildAccessLogEntry({ ...base, at: INPUT.validUntil }), noValidGrant);
      assert.throws(
        () => buildAccessLogEntry({ ...base, grant: revokeGrant(grant(), { revokedBy: 'x', at: INSIDE }) }),
        noValidGrant,
      );
      assert.throws(() => buildAccessLogEntry({ ...base, accessor: '' }), invalid(/accessor must be/));
      assert.throws(() => buildAccessLogEntry({ ...base, txId: '' }), invalid(/txId must be/));
      assert.throws(() => buildAccessLogEntry({ ...base, at: 'soon' }), invalid(/at must be/));
    });
  });

  describe('#parseStoredAccessLogEntry', () => {
    it('should refuse malformed entries', () => {
      const entry = buildAccessLogEntry({
        grant: grant(),
        accessorMspId: MspId.REGULATOR,
        accessor: 'RegulatorMSP/auditor1',
        at: INSIDE,
        txId: 'tx-access',
      });
      assert.throws(
        () => parseStoredAccessLogEntry({ ...entry, accessorMspId: 'EvilMSP' }),
        invalid(/accessorMspId must be/),
      );
      assert.throws(
        () => parseStoredAccessLogEntry({ ...entry, dataSet: { kind: 'x', derId: 'pv-001' } }),
        invalid(/kind/),
      );
      assert.throws(() => parseStoredAccessLogEntry({ ...entry, at: 5 }), invalid(/at must be/));
      assert.throws(
        () => parseStoredAccessLogEntry({ ...entry, name: 'x' }),
        invalid(/unsupported field\(s\): name/),
      );
    });
  });
});
