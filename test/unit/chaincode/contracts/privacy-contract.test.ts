import '../../../support/quiet-logs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PrivacyContract } from '../../../../chaincode/src/contracts/privacy-contract';
import { OWNER_PERSONAL_COLLECTION } from '../../../../chaincode/src/types/contracts';
import { TelemetryContract } from '../../../../chaincode/src/contracts/telemetry-contract';
import { merkleRoot } from '../../../../chaincode/src/domain/privacy/merkle';
import { ownerDataHash, type OwnerData } from '../../../../chaincode/src/domain/privacy/owner-data';
import { sampleLeaf } from '../../../../chaincode/src/domain/privacy/samples';
import { ownerDataKey } from '../../../../chaincode/src/encoding/keys';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { expectFailure } from '../../../support/contract-harness';
import type { Caller, TxOptions } from '../../../support/memory-stub';
import {
  cvppIngest,
  cvppOperator,
  newFixture,
  regulator,
  tradingAdmin,
  tradingOperator,
} from '../../../support/registry-fixture';
import { signReading } from '../../../support/test-pki';
import { vppError } from '../../../support/vpp-assert';

const privacy = new PrivacyContract();
const telemetry = new TelemetryContract();
const T = '2026-03-01T10:00:00.000Z';
const DATA: OwnerData = {
  derId: 'pv-001',
  name: 'Ada Owner',
  address: '1 Solar Way',
  contractId: 'C-1',
  salt: '5a'.repeat(32),
};
const at = (caller: Caller, time = T, transient?: Record<string, string>): TxOptions =>
  transient === undefined ? { caller, time } : { caller, time, transient };
const grantJson = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    grantId: 'g-1',
    dataSet: { kind: 'owner-data', derId: 'pv-001' },
    granteeMspId: 'TradingMSP',
    purpose: 'balancing settlement audit',
    validFrom: '2026-03-01T00:00:00.000Z',
    validUntil: '2026-04-01T00:00:00.000Z',
    ...overrides,
  });

async function withOwnerData() {
  const fixture = await newFixture([{ derId: 'pv-001' }]);
  await fixture.ledger.submit(at(cvppOperator, T, { ownerData: JSON.stringify(DATA) }), (ctx) =>
    privacy.PutOwnerData(ctx, 'pv-001'),
  );
  return fixture;
}

describe('contracts/privacy-contract', () => {
  describe('#PutOwnerData / #GetOwnerData', () => {
    it('should keep the data in the private collection and only its hash in the public state', async () => {
      const { ledger } = await withOwnerData();
      assert.equal(
        ledger.privateText(OWNER_PERSONAL_COLLECTION, ownerDataKey('pv-001')),
        JSON.stringify(DATA, Object.keys(DATA).sort()),
      );
      const fingerprint = JSON.parse(
        await ledger.evaluate(at(tradingOperator), (ctx) => privacy.GetOwnerDataHash(ctx, 'pv-001')),
      ) as { sha256: string };
      assert.equal(fingerprint.sha256, ownerDataHash(DATA), 'every peer’s hash of the private value');
      const publicState = ledger
        .keys()
        .map((key) => ledger.getText(key) ?? '')
        .join('\n');
      assert.ok(!publicState.includes('Ada Owner'), 'no personal data in the public state');
      for (const caller of [cvppOperator, regulator]) {
        assert.deepEqual(
          JSON.parse(await ledger.evaluate(at(caller), (ctx) => privacy.GetOwnerData(ctx, 'pv-001'))),
          DATA,
        );
      }
    });

    it('should refuse the data as an argument, other orgs’ writers and non-members’ reads', async () => {
      const { ledger } = await withOwnerData();
      await expectFailure(
        ledger,
        at(cvppOperator),
        (ctx) => privacy.PutOwnerData(ctx, 'pv-001'),
        vppError(ErrorCode.INVALID_ARGUMENT, /transient field ownerData/),
      );
      await expectFailure(
        ledger,
        at(tradingOperator, T, { ownerData: JSON.stringify(DATA) }),
        (ctx) => privacy.PutOwnerData(ctx, 'pv-001'),
        vppError(ErrorCode.FORBIDDEN),
      );
      await assert.rejects(
        ledger.evaluate(at(tradingOperator), (ctx) => privacy.GetOwnerData(ctx, 'pv-001')),
        vppError(ErrorCode.FORBIDDEN),
      );
      const hash = JSON.parse(
        await ledger.evaluate(at(tradingOperator), (ctx) => privacy.GetOwnerDataHash(ctx, 'pv-001')),
      ) as { sha256: string };
      assert.equal(hash.sha256, ownerDataHash(DATA));
    });
  });

  describe('grants and the access log', () => {
    it('should let the grantee record an access only while its grant is valid, and log it', async () => {
      const { ledger } = await withOwnerData();
      await ledger.submit(at(cvppOperator), (ctx) => privacy.GrantAccess(ctx, grantJson()));
      const dataSet = JSON.stringify({ kind: 'owner-data', derId: 'pv-001' });
      const { result } = await ledger.submit(
        { caller: tradingOperator, time: '2026-03-02T00:00:00.000Z', txId: 'tx-access-1' },
        (ctx) => privacy.RecordAccess(ctx, 'g-1', dataSet),
      );
      assert.deepEqual(
        (({ grantId, accessorMspId, txId }) => ({ grantId, accessorMspId, txId }))(
          JSON.parse(result) as Record<string, string>,
        ),
        { grantId: 'g-1', accessorMspId: 'TradingMSP', txId: 'tx-access-1' },
      );
      const ticket = JSON.parse(
        await ledger.evaluate(at(cvppIngest), (ctx) => privacy.GetAccessTicket(ctx, 'tx-access-1')),
      ) as { grantId: string };
      assert.equal(ticket.grantId, 'g-1');
      // Another org, another data set, or after the period: "no valid grant", nothing else.
      const refusals: [Caller, string, string][] = [
        [regulator, dataSet, '2026-03-02T00:00:00.000Z'],
        [tradingOperator, JSON.stringify({ kind: 'samples', derId: 'pv-001' }), '2026-03-02T00:00:00.000Z'],
        [tradingOperator, dataSet, '2026-04-01T00:00:00.000Z'],
      ];
      for (const [caller, set, time] of refusals) {
        await expectFailure(
          ledger,
          at(caller, time),
          (ctx) => privacy.RecordAccess(ctx, 'g-1', set),
          vppError(ErrorCode.FORBIDDEN, /^FORBIDDEN: no valid grant$/),
        );
      }
      await ledger.submit(at(cvppOperator, '2026-03-03T00:00:00.000Z'), (ctx) =>
        privacy.RevokeGrant(ctx, 'g-1'),
      );
      await expectFailure(
        ledger,
        at(tradingOperator, '2026-03-04T00:00:00.000Z'),
        (ctx) => privacy.RecordAccess(ctx, 'g-1', dataSet),
        vppError(ErrorCode.FORBIDDEN, /^FORBIDDEN: no valid grant$/),
      );
      const log = JSON.parse(
        await ledger.evaluate(at(tradingOperator), (ctx) => privacy.ListAccessLog(ctx, 'g-1', '10', '')),
      ) as { accesses: { grantId: string; txId: string }[]; bookmark: string };
      assert.deepEqual(
        [log.accesses.map((a) => [a.grantId, a.txId]), log.bookmark],
        [[['g-1', 'tx-access-1']], ''],
      );
      await assert.rejects(
        ledger.evaluate(at(tradingOperator), (ctx) => privacy.ListAccessLog(ctx, 'g-1', '0', '')),
        vppError(ErrorCode.INVALID_ARGUMENT, /pageSize/),
      );
    });

    it('should refuse an access recorded by a device, an ingest or a role-less certificate of the grantee org', async () => {
      const { ledger } = await withOwnerData();
      await ledger.submit(at(cvppOperator), (ctx) => privacy.GrantAccess(ctx, grantJson()));
      const dataSet = JSON.stringify({ kind: 'owner-data', derId: 'pv-001' });
      const machines: Caller[] = [
        { mspId: 'TradingMSP', attributes: { 'vpp.role': 'device' } },
        { mspId: 'TradingMSP', attributes: { 'vpp.role': 'ingest' } },
        { mspId: 'TradingMSP' },
      ];
      for (const caller of machines) {
        await expectFailure(
          ledger,
          at(caller, '2026-03-02T00:00:00.000Z'),
          (ctx) => privacy.RecordAccess(ctx, 'g-1', dataSet),
          vppError(ErrorCode.FORBIDDEN, /vpp\.role/),
        );
      }
      // The same grant still serves a person of the org (every person's role may record one).
      const { result } = await ledger.submit(at(tradingAdmin, '2026-03-02T00:00:00.000Z'), (ctx) =>
        privacy.RecordAccess(ctx, 'g-1', dataSet),
      );
      assert.equal((JSON.parse(result) as { accessorMspId: string }).accessorMspId, 'TradingMSP');
    });

    it('should page through the grants on a DER by grant id', async () => {
      const { ledger } = await withOwnerData();
      for (const grantId of ['g-3', 'g-1', 'g-2']) {
        await ledger.submit(at(cvppOperator), (ctx) => privacy.GrantAccess(ctx, grantJson({ grantId })));
      }
      const list = async (pageSize: string, bookmark: string) =>
        JSON.parse(
          await ledger.evaluate(at(regulator), (ctx) =>
            privacy.ListGrantsOfDer(ctx, 'pv-001', pageSize, bookmark),
          ),
        ) as { grants: { grantId: string; derId?: string }[]; bookmark: string };
      const first = await list('2', '');
      assert.deepEqual(
        first.grants.map((g) => g.grantId),
        ['g-1', 'g-2'],
      );
      const last = await list('2', first.bookmark);
      assert.deepEqual([last.grants.map((g) => g.grantId), last.bookmark], [['g-3'], '']);
      await assert.rejects(list('1001', ''), vppError(ErrorCode.INVALID_ARGUMENT, /pageSize/));
    });

    it('should hide grants from organisations they do not concern', async () => {
      const { ledger } = await withOwnerData();
      await ledger.submit(at(cvppOperator), (ctx) => privacy.GrantAccess(ctx, grantJson()));
      const control: Caller = { mspId: 'ControlMSP', attributes: { 'vpp.role': 'control' } };
      await assert.rejects(
        ledger.evaluate(at(control), (ctx) => privacy.GetGrant(ctx, 'g-1')),
        vppError(ErrorCode.FORBIDDEN, /^FORBIDDEN: no valid grant$/),
      );
      await assert.rejects(
        ledger.evaluate(at(control), (ctx) => privacy.GetGrant(ctx, 'g-unknown')),
        vppError(ErrorCode.FORBIDDEN, /^FORBIDDEN: no valid grant$/),
      );
      await expectFailure(
        ledger,
        at(cvppOperator),
        (ctx) => privacy.GrantAccess(ctx, grantJson({ granteeMspId: 'CvppMSP', grantId: 'g-2' })),
        vppError(ErrorCode.INVALID_ARGUMENT),
      );
    });
  });

  describe('sample anchors', () => {
    it('should anchor the samples root in the same transaction as the readings', async () => {
      const { ledger, devices } = await newFixture([{ derId: 'pv-001' }]);
      const reading = signReading(
        {
          derId: 'pv-001',
          intervalId: '2026-03-01T10:00:00.000Z',
          sequence: 0,
          energyWh: 100,
          timestamp: '2026-03-01T10:15:00.000Z',
          scheme: 'ecdsa-p256-sha256',
        },
        devices.get('pv-001')!.privateKey,
      );
      const samples = [0, 300, 600].map((offsetSeconds) => ({
        derId: 'pv-001',
        intervalId: '2026-03-01T10:00:00.000Z',
        sequence: 0,
        offsetSeconds,
        energyWh: 33,
      }));
      const root = merkleRoot(samples.map(sampleLeaf));
      const { result } = await ledger.submit(
        { caller: cvppIngest, time: '2026-03-01T10:16:00.000Z', txId: 'tx-batch-1' },
        (ctx) =>
          telemetry.RecordReadings(ctx, JSON.stringify({ readings: [reading], samples: { root, count: 3 } })),
      );
      assert.equal((JSON.parse(result) as { accepted: number }).accepted, 1);
      const anchor = JSON.parse(
        await ledger.evaluate(at(tradingOperator), (ctx) => privacy.GetSampleAnchor(ctx, 'tx-batch-1')),
      ) as Record<string, unknown>;
      assert.deepEqual([anchor.root, anchor.count, anchor.txId], [root, 3, 'tx-batch-1']);
      await expectFailure(
        ledger,
        { caller: cvppIngest, time: '2026-03-01T10:16:00.000Z' },
        (ctx) =>
          telemetry.RecordReadings(
            ctx,
            JSON.stringify({ readings: [reading], samples: { root: 'nope', count: 3 } }),
          ),
        vppError(ErrorCode.INVALID_ARGUMENT, /root/),
      );
    });
  });
});
