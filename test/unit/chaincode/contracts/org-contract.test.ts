import '../../../support/quiet-logs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_PROFILE_JSON_LENGTH, OrgContract } from '../../../../chaincode/src/contracts/org-contract';
import { ORG_PROFILE_UPDATED_EVENT } from '../../../../chaincode/src/types/contracts';
import { orgProfileKey } from '../../../../chaincode/src/encoding/keys';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { MemoryLedger, type Caller, type TxOptions } from '../../../support/memory-stub';
import { expectFailure } from '../../../support/contract-harness';
import { vppError } from '../../../support/vpp-assert';

const contract = new OrgContract();

const admin = (mspId: string): Caller => ({ mspId, attributes: { 'vpp.role': 'admin' } });
const as = (caller: Caller, time?: string): TxOptions => (time === undefined ? { caller } : { caller, time });

const PROFILES = {
  CvppMSP: { displayName: 'Community VPP', orgRole: 'cvpp', contactEmail: 'ops@cvpp.example' },
  TradingMSP: { displayName: 'Power Trading AG', orgRole: 'trading', contactEmail: 'desk@trading.example' },
  ControlMSP: { displayName: 'Grid Control', orgRole: 'control', contactEmail: 'noc@control.example' },
  RegulatorMSP: {
    displayName: 'Energy Regulator',
    orgRole: 'regulator',
    contactEmail: 'vpp@regulator.example',
  },
} as const;

const json = (value: unknown) => JSON.stringify(value);

async function put(ledger: MemoryLedger, caller: Caller, profile: unknown, time?: string) {
  return ledger.submit(as(caller, time), (ctx) => contract.PutOrgProfile(ctx, json(profile)));
}

describe('contracts/org-contract', () => {
  describe('OrgContract', () => {
    it("should be registered under the name 'org'", () => {
      assert.equal(contract.getName(), 'org');
    });
  });

  describe('#PutOrgProfile', () => {
    it('should let an org admin create its own profile, store it, return it and emit it', async () => {
      const ledger = new MemoryLedger();
      const { result, tx } = await put(
        ledger,
        admin('CvppMSP'),
        PROFILES.CvppMSP,
        '2025-04-01T09:00:00.000Z',
      );

      const expected = {
        contactEmail: 'ops@cvpp.example',
        displayName: 'Community VPP',
        mspId: 'CvppMSP',
        orgRole: 'cvpp',
        updatedAt: '2025-04-01T09:00:00.000Z',
        updatedBy: { mspId: 'CvppMSP', role: 'admin' },
        version: 1,
      };
      const stored = ledger.getText(orgProfileKey('CvppMSP'));
      assert.deepEqual(ledger.keys(), [orgProfileKey('CvppMSP')]);
      assert.equal(stored, JSON.stringify(expected), 'canonical: keys sorted, no whitespace');
      assert.equal(result, stored);
      assert.deepEqual(
        tx.stub.events.map((e) => e.name),
        [ORG_PROFILE_UPDATED_EVENT],
      );
      assert.equal(Buffer.from(tx.event?.payload ?? []).toString(), stored);
    });

    it('should bump the version and timestamp on update', async () => {
      const ledger = new MemoryLedger();
      await put(ledger, admin('CvppMSP'), PROFILES.CvppMSP, '2025-04-01T09:00:00.000Z');
      const renamed = { ...PROFILES.CvppMSP, displayName: 'Community VPP eG' };
      const { result, tx } = await put(ledger, admin('CvppMSP'), renamed, '2025-04-02T10:00:00.000Z');

      const stored = JSON.parse(ledger.getText(orgProfileKey('CvppMSP')) ?? 'null') as Record<
        string,
        unknown
      >;
      assert.equal(stored.version, 2);
      assert.equal(stored.displayName, 'Community VPP eG');
      assert.equal(stored.updatedAt, '2025-04-02T10:00:00.000Z');
      assert.equal(result, ledger.getText(orgProfileKey('CvppMSP')));
      assert.equal(Buffer.from(tx.event?.payload ?? []).toString(), result);
    });

    it("should keep every organisation's profile under its own key", async () => {
      const ledger = new MemoryLedger();
      for (const [mspId, profile] of Object.entries(PROFILES)) {
        await put(ledger, admin(mspId), profile);
      }
      assert.deepEqual(
        ledger.keys(),
        ['ControlMSP', 'CvppMSP', 'RegulatorMSP', 'TradingMSP'].map((mspId) => orgProfileKey(mspId)),
      );
    });

    it('should refuse callers that are not org admins', async () => {
      const ledger = new MemoryLedger();
      await put(ledger, admin('CvppMSP'), PROFILES.CvppMSP);
      const callers: Caller[] = [
        { mspId: 'CvppMSP', attributes: { 'vpp.role': 'operator' } },
        { mspId: 'CvppMSP', attributes: { 'vpp.role': 'device' } },
        { mspId: 'CvppMSP', attributes: { 'vpp.role': 'superuser' } },
        { mspId: 'CvppMSP' },
      ];
      for (const caller of callers) {
        await expectFailure(
          ledger,
          as(caller),
          (ctx) => contract.PutOrgProfile(ctx, json(PROFILES.CvppMSP)),
          vppError(ErrorCode.FORBIDDEN, /vpp\.role/),
        );
      }
    });

    it('should refuse admins of organisations outside the consortium', async () => {
      await expectFailure(
        new MemoryLedger(),
        as(admin('OutsiderMSP')),
        (ctx) => contract.PutOrgProfile(ctx, json(PROFILES.CvppMSP)),
        vppError(ErrorCode.FORBIDDEN, /OutsiderMSP/),
      );
    });

    it("should not let one organisation write another's profile", async () => {
      const ledger = new MemoryLedger();
      await put(ledger, admin('CvppMSP'), PROFILES.CvppMSP);
      await expectFailure(
        ledger,
        as(admin('TradingMSP')),
        (ctx) => contract.PutOrgProfile(ctx, json(PROFILES.CvppMSP)),
        vppError(ErrorCode.INVALID_ARGUMENT, /orgRole cvpp does not match organisation TradingMSP/),
      );
      await expectFailure(
        ledger,
        as(admin('TradingMSP')),
        (ctx) => contract.PutOrgProfile(ctx, json({ ...PROFILES.TradingMSP, mspId: 'CvppMSP' })),
        vppError(ErrorCode.INVALID_ARGUMENT, /mspId must not be supplied/),
      );
    });

    it('should reject bad input with INVALID_ARGUMENT and write nothing', async () => {
      const ledger = new MemoryLedger();
      const bad = [
        '',
        'not json',
        '[]',
        'null',
        json({ ...PROFILES.CvppMSP, displayName: ' ' }),
        json({ ...PROFILES.CvppMSP, contactEmail: 'nobody' }),
        json({ ...PROFILES.CvppMSP, orgRole: 'regulator' }),
        json({ ...PROFILES.CvppMSP, colour: 'green' }),
        json({ displayName: 'Only a name' }),
        json({ ...PROFILES.CvppMSP, displayName: 'x'.repeat(MAX_PROFILE_JSON_LENGTH) }),
      ];
      for (const profileJson of bad) {
        await expectFailure(
          ledger,
          as(admin('CvppMSP')),
          (ctx) => contract.PutOrgProfile(ctx, profileJson),
          vppError(ErrorCode.INVALID_ARGUMENT),
        );
      }
    });

    it('should refuse to build on a corrupted stored profile', async () => {
      const ledger = new MemoryLedger();
      ledger.seed(orgProfileKey('CvppMSP'), '{"mspId":"CvppMSP"}');
      await expectFailure(
        ledger,
        as(admin('CvppMSP')),
        (ctx) => contract.PutOrgProfile(ctx, json(PROFILES.CvppMSP)),
        vppError(ErrorCode.INTERNAL),
      );
    });
  });

  describe('#GetOrgProfile', () => {
    it('should let any channel member read any profile', async () => {
      const ledger = new MemoryLedger();
      const { result } = await put(ledger, admin('TradingMSP'), PROFILES.TradingMSP);
      const readers: Caller[] = [
        { mspId: 'RegulatorMSP', attributes: { 'vpp.role': 'regulator' } },
        { mspId: 'CvppMSP', attributes: { 'vpp.role': 'device' } },
        { mspId: 'ControlMSP' },
      ];
      for (const caller of readers) {
        assert.equal(
          await ledger.evaluate(as(caller), (ctx) => contract.GetOrgProfile(ctx, 'TradingMSP')),
          result,
        );
      }
    });

    it('should throw NOT_FOUND for an absent profile', async () => {
      const ledger = new MemoryLedger();
      await assert.rejects(
        ledger.evaluate(as(admin('CvppMSP')), (ctx) => contract.GetOrgProfile(ctx, 'ControlMSP')),
        vppError(ErrorCode.NOT_FOUND, /org profile ControlMSP does not exist/),
      );
    });

    it('should throw INVALID_ARGUMENT for an unusable MSP ID', async () => {
      const ledger = new MemoryLedger();
      for (const mspId of ['', 'Cvpp\u0000MSP']) {
        await assert.rejects(
          ledger.evaluate(as(admin('CvppMSP')), (ctx) => contract.GetOrgProfile(ctx, mspId)),
          vppError(ErrorCode.INVALID_ARGUMENT, /mspId/),
        );
      }
    });
  });

  describe('#ListOrgProfiles', () => {
    it('should return an empty array when no profile exists', async () => {
      const ledger = new MemoryLedger();
      assert.equal(
        await ledger.evaluate(as({ mspId: 'CvppMSP' }), (ctx) => contract.ListOrgProfiles(ctx)),
        '[]',
      );
    });

    it('should return all profiles sorted by MSP ID, and only committed ones', async () => {
      const ledger = new MemoryLedger();
      for (const mspId of ['TradingMSP', 'CvppMSP', 'RegulatorMSP'] as const) {
        await put(ledger, admin(mspId), PROFILES[mspId]);
      }
      // A pending (uncommitted) write must not show up.
      const pending = ledger.begin(as(admin('ControlMSP')));
      await contract.PutOrgProfile(pending.ctx, json(PROFILES.ControlMSP));

      const listed = JSON.parse(
        await ledger.evaluate(as({ mspId: 'RegulatorMSP', attributes: { 'vpp.role': 'regulator' } }), (ctx) =>
          contract.ListOrgProfiles(ctx),
        ),
      ) as { mspId: string; version: number }[];
      assert.deepEqual(
        listed.map((p) => p.mspId),
        ['CvppMSP', 'RegulatorMSP', 'TradingMSP'],
      );
      assert.deepEqual(
        listed.map((p) => p.version),
        [1, 1, 1],
      );

      pending.commit();
      const after = JSON.parse(
        await ledger.evaluate(as({ mspId: 'CvppMSP' }), (ctx) => contract.ListOrgProfiles(ctx)),
      );
      assert.equal((after as unknown[]).length, 4);
    });
  });

  describe('#unknownTransaction', () => {
    it('should fail with a coded INVALID_ARGUMENT naming the function', async () => {
      const tx = new MemoryLedger().begin({ caller: admin('CvppMSP'), fcn: 'org:DeleteEverything' });
      await assert.rejects(
        contract.unknownTransaction(tx.ctx),
        vppError(ErrorCode.INVALID_ARGUMENT, /unknown transaction "org:DeleteEverything" in contract org/),
      );
    });
  });
});
