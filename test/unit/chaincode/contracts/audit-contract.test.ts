import '../../../support/quiet-logs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuditContract } from '../../../../chaincode/src/contracts/audit-contract';
import { OrgContract } from '../../../../chaincode/src/contracts/org-contract';
import { orgProfileKey } from '../../../../chaincode/src/encoding/keys';
import { deleteState } from '../../../../chaincode/src/ledger/store';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { MemoryLedger, type Caller } from '../../../support/memory-stub';
import { vppError } from '../../../support/vpp-assert';

const audit = new AuditContract();
const org = new OrgContract();

const REGULATOR: Caller = { mspId: 'RegulatorMSP', attributes: { 'vpp.role': 'regulator' } };
const CVPP_ADMIN: Caller = { mspId: 'CvppMSP', attributes: { 'vpp.role': 'admin' } };
const PROFILE = { displayName: 'Community VPP', orgRole: 'cvpp', contactEmail: 'ops@cvpp.example' };

interface Entry {
  txId: string;
  timestamp: string;
  isDelete: boolean;
  value: string;
}

async function keyHistory(ledger: MemoryLedger, key: string, caller: Caller = REGULATOR): Promise<Entry[]> {
  return JSON.parse(await ledger.evaluate({ caller }, (ctx) => audit.GetKeyHistory(ctx, key))) as Entry[];
}

describe('contracts/audit-contract', () => {
  describe('AuditContract', () => {
    it("should be registered under the name 'audit'", () => {
      assert.equal(audit.getName(), 'audit');
    });
  });

  describe('#GetKeyHistory', () => {
    it('should return every committed write of a key newest first, with time, txId and text value', async () => {
      const ledger = new MemoryLedger();
      const first = await ledger.submit(
        { caller: CVPP_ADMIN, txId: 'tx-a', time: '2025-04-01T09:00:00.000Z', nanos: 123_456_789 },
        (ctx) => org.PutOrgProfile(ctx, JSON.stringify(PROFILE)),
      );
      const second = await ledger.submit(
        { caller: CVPP_ADMIN, txId: 'tx-b', time: '2025-04-02T10:00:00.000Z' },
        (ctx) => org.PutOrgProfile(ctx, JSON.stringify({ ...PROFILE, displayName: 'Renamed' })),
      );
      await ledger.submit({ caller: CVPP_ADMIN, txId: 'tx-c', time: '2025-04-03T11:00:00.000Z' }, (ctx) =>
        deleteState(ctx, orgProfileKey('CvppMSP')),
      );

      assert.deepEqual(await keyHistory(ledger, orgProfileKey('CvppMSP')), [
        { txId: 'tx-c', timestamp: '2025-04-03T11:00:00.000Z', isDelete: true, value: '' },
        { txId: 'tx-b', timestamp: '2025-04-02T10:00:00.000Z', isDelete: false, value: second.result },
        { txId: 'tx-a', timestamp: '2025-04-01T09:00:00.123Z', isDelete: false, value: first.result },
      ]);
    });

    it('should return an empty array for a key never written', async () => {
      assert.deepEqual(await keyHistory(new MemoryLedger(), orgProfileKey('ControlMSP')), []);
    });

    it('should not show writes of a transaction that was not committed', async () => {
      const ledger = new MemoryLedger();
      const pending = ledger.begin({ caller: CVPP_ADMIN });
      await org.PutOrgProfile(pending.ctx, JSON.stringify(PROFILE));
      assert.deepEqual(await keyHistory(ledger, orgProfileKey('CvppMSP')), []);
    });

    it('should close the history iterator', async () => {
      const ledger = new MemoryLedger();
      await ledger.submit({ caller: CVPP_ADMIN }, (ctx) => org.PutOrgProfile(ctx, JSON.stringify(PROFILE)));
      const tx = ledger.begin({ caller: REGULATOR });
      await audit.GetKeyHistory(tx.ctx, orgProfileKey('CvppMSP'));
      assert.equal(tx.stub.openIterators, 0);
    });

    it('should refuse callers that are not regulators of RegulatorMSP', async () => {
      const ledger = new MemoryLedger();
      const refused: [Caller, RegExp][] = [
        [CVPP_ADMIN, /CvppMSP/],
        [{ mspId: 'CvppMSP', attributes: { 'vpp.role': 'regulator' } }, /CvppMSP/],
        [{ mspId: 'RegulatorMSP', attributes: { 'vpp.role': 'admin' } }, /vpp\.role/],
        [{ mspId: 'RegulatorMSP' }, /vpp\.role/],
      ];
      for (const [caller, detail] of refused) {
        await assert.rejects(
          keyHistory(ledger, orgProfileKey('CvppMSP'), caller),
          vppError(ErrorCode.FORBIDDEN, detail),
        );
      }
    });

    it('should reject keys that are not canonical composite keys of a known object type', async () => {
      const ledger = new MemoryLedger();
      const bad = [
        '',
        'CvppMSP',
        '\u0000vpp.orgProfile',
        '\u0000other.type\u0000CvppMSP\u0000',
        '\u0000vpp.orgProfile\u0000\u0000',
      ];
      for (const key of bad) {
        await assert.rejects(keyHistory(ledger, key), vppError(ErrorCode.INVALID_ARGUMENT, /key/));
      }
    });
  });
});
