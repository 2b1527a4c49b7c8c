import '../../../support/quiet-logs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuditContract } from '../../../../chaincode/src/contracts/audit-contract';
import { OrgContract } from '../../../../chaincode/src/contracts/org-contract';
import { orgProfileKey } from '../../../../chaincode/src/encoding/keys';
import { deleteState } from '../../../../chaincode/src/ledger/store';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { MAX_HISTORY_PAGE_SIZE } from '../../../../chaincode/src/rules';
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

async function historyPage(
  ledger: MemoryLedger,
  key: string,
  pageSize: string,
  bookmark: string,
  caller: Caller = REGULATOR,
): Promise<{ entries: Entry[]; bookmark: string }> {
  return JSON.parse(
    await ledger.evaluate({ caller }, (ctx) => audit.GetKeyHistory(ctx, key, pageSize, bookmark)),
  ) as { entries: Entry[]; bookmark: string };
}

/** The whole history in one page (all tests here write far fewer entries than a page holds). */
async function keyHistory(ledger: MemoryLedger, key: string, caller: Caller = REGULATOR): Promise<Entry[]> {
  const page = await historyPage(ledger, key, String(MAX_HISTORY_PAGE_SIZE), '', caller);
  assert.equal(page.bookmark, '');
  return page.entries;
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

    it('should page through the history newest first, bookmark being the next entry’s txId', async () => {
      const ledger = new MemoryLedger();
      for (const [i, txId] of ['tx-1', 'tx-2', 'tx-3', 'tx-4', 'tx-5'].entries()) {
        await ledger.submit({ caller: CVPP_ADMIN, txId, time: `2025-04-0${i + 1}T09:00:00.000Z` }, (ctx) =>
          org.PutOrgProfile(ctx, JSON.stringify({ ...PROFILE, displayName: `Name ${i}` })),
        );
      }
      const key = orgProfileKey('CvppMSP');
      const first = await historyPage(ledger, key, '2', '');
      assert.deepEqual([first.entries.map((e) => e.txId), first.bookmark], [['tx-5', 'tx-4'], 'tx-3']);
      // A write after the first page does not shift the pages that follow.
      await ledger.submit({ caller: CVPP_ADMIN, txId: 'tx-6', time: '2025-04-09T09:00:00.000Z' }, (ctx) =>
        org.PutOrgProfile(ctx, JSON.stringify(PROFILE)),
      );
      const second = await historyPage(ledger, key, '2', first.bookmark);
      assert.deepEqual([second.entries.map((e) => e.txId), second.bookmark], [['tx-3', 'tx-2'], 'tx-1']);
      const last = await historyPage(ledger, key, '2', second.bookmark);
      assert.deepEqual([last.entries.map((e) => e.txId), last.bookmark], [['tx-1'], '']);
      const exact = await historyPage(ledger, key, '6', '');
      assert.deepEqual([exact.entries.length, exact.bookmark], [6, '']);
      for (const size of ['0', String(MAX_HISTORY_PAGE_SIZE + 1), 'x']) {
        await assert.rejects(
          historyPage(ledger, key, size, ''),
          vppError(ErrorCode.INVALID_ARGUMENT, /pageSize/),
        );
      }
      await assert.rejects(
        historyPage(ledger, key, '2', 'tx-unknown'),
        vppError(ErrorCode.INVALID_ARGUMENT, /bookmark/),
      );
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
      await audit.GetKeyHistory(tx.ctx, orgProfileKey('CvppMSP'), '1', '');
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
