import '../../../support/quiet-logs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DISPATCH_ACKNOWLEDGED_EVENT,
  DISPATCH_ISSUED_EVENT,
  SETPOINTS_ALLOCATED_EVENT,
} from '../../../../chaincode/src/types/contracts';
import { derSetpointKey, dispatchKey } from '../../../../chaincode/src/encoding/keys';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { expectFailure } from '../../../support/contract-harness';
import {
  addVpp,
  asOperator,
  bidOf,
  commitBid,
  controlAdmin,
  controlOperator,
  dispatch,
  IID,
  market,
  newMarketFixture,
  parse,
  revealBid,
  T,
  type MarketFixtureOptions,
} from '../../../support/market-ledger';
import type { TxOptions } from '../../../support/memory-stub';
import {
  cvppAdmin,
  cvppOperator,
  registry,
  regulator,
  tradingOperator,
  VPP_ID,
} from '../../../support/registry-fixture';
import { vppError } from '../../../support/vpp-assert';

const at = (caller: TxOptions['caller'], time: string): TxOptions => ({ caller, time });
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const ISSUE_AT = '2026-01-02T11:40:00.000Z';
const ACK_AT = '2026-01-02T11:45:00.000Z';
const ALLOCATE_AT = '2026-01-02T11:50:00.000Z';

/** 16,000 W of DERs; one bid of 1,500 Wh fully awarded (6,000 W over 15 minutes). */
const THREE_DERS = [
  { derId: 'pv-001', capacityW: 8000 },
  { derId: 'bat-002', derType: 'battery' as const, capacityW: 4000 },
  { derId: 'ev-003', derType: 'ev-charger' as const, capacityW: 4000 },
];

async function clearedFixture(
  options: MarketFixtureOptions = {},
  steps: [number, number][] = [[4000, 1500]],
) {
  const fixture = await newMarketFixture({ ders: THREE_DERS, ...options });
  const { ledger } = fixture;
  const bid = { ...bidOf('b-1', steps), intervalId: fixture.intervalId };
  await commitBid(ledger, bid);
  await revealBid(ledger, bid);
  await ledger.submit(at(tradingOperator, T.closed), (ctx) => market.ClearInterval(ctx, fixture.intervalId));
  return fixture;
}

const issue = (time = ISSUE_AT, caller = controlOperator): TxOptions => at(caller, time);

describe('contracts/dispatch-contract', () => {
  describe('#IssueDispatch', () => {
    it('should issue the VPP’s award with the planned split, once, and emit a summary', async () => {
      const { ledger } = await clearedFixture();
      const { result, tx } = await ledger.submit(issue(), (ctx) => dispatch.IssueDispatch(ctx, IID, VPP_ID));
      assert.deepEqual(parse(result), {
        intervalId: IID,
        vppId: VPP_ID,
        product: 'energy-up',
        quantity: 1500,
        quantityUnit: 'Wh',
        requiredW: 6000,
        setpoints: [
          { derId: 'bat-002', setpointW: 1500 },
          { derId: 'ev-003', setpointW: 1500 },
          { derId: 'pv-001', setpointW: 3000 },
        ],
        status: 'issued',
        issuedAt: ISSUE_AT,
        issuedBy: { mspId: 'ControlMSP', role: 'control' },
        acknowledgedAt: null,
        acknowledgedBy: null,
      });
      assert.deepEqual([...tx.stub.writes.keys()], [dispatchKey(IID, VPP_ID)]);
      assert.equal(ledger.getText(dispatchKey(IID, VPP_ID)), result);
      assert.equal(tx.event?.name, DISPATCH_ISSUED_EVENT);
      assert.deepEqual(parse(text(tx.event?.payload)), {
        intervalId: IID,
        vppId: VPP_ID,
        product: 'energy-up',
        quantity: 1500,
        quantityUnit: 'Wh',
        requiredW: 6000,
        status: 'issued',
      });
      await expectFailure(
        ledger,
        issue(ISSUE_AT, controlAdmin),
        (ctx) => dispatch.IssueDispatch(ctx, IID, VPP_ID),
        vppError(ErrorCode.ALREADY_EXISTS, /already issued/),
      );
    });

    it('should refuse before clearing and from delivery start (INVALID_STATE)', async () => {
      const { ledger } = await newMarketFixture();
      await expectFailure(
        ledger,
        issue(),
        (ctx) => dispatch.IssueDispatch(ctx, IID, VPP_ID),
        vppError(ErrorCode.INVALID_STATE, /not been cleared/),
      );
      const cleared = await clearedFixture();
      await expectFailure(
        cleared.ledger,
        issue(T.start),
        (ctx) => dispatch.IssueDispatch(ctx, IID, VPP_ID),
        vppError(ErrorCode.INVALID_STATE, /until delivery starts/),
      );
    });

    it('should refuse VPPs without an award, unknown intervals, uncovered awards and other organisations', async () => {
      const fixture = await clearedFixture();
      const { ledger } = fixture;
      await addVpp(fixture, 'vpp-south', [{ derId: 'pv-s1' }]);
      await expectFailure(
        ledger,
        issue(),
        (ctx) => dispatch.IssueDispatch(ctx, IID, 'vpp-south'),
        vppError(ErrorCode.NOT_FOUND, /has no award/),
      );
      await expectFailure(
        ledger,
        issue(),
        (ctx) => dispatch.IssueDispatch(ctx, 'i-unknown', VPP_ID),
        vppError(ErrorCode.NOT_FOUND, /market interval i-unknown/),
      );
      await expectFailure(
        ledger,
        issue(),
        (ctx) => dispatch.IssueDispatch(ctx, IID, 'no spaces'),
        vppError(ErrorCode.INVALID_ARGUMENT, /vppId/),
      );
      for (const caller of [cvppOperator, tradingOperator, regulator]) {
        await expectFailure(
          ledger,
          issue(ISSUE_AT, caller),
          (ctx) => dispatch.IssueDispatch(ctx, IID, VPP_ID),
          vppError(ErrorCode.FORBIDDEN),
        );
      }
      // Two of the three DERs suspended after the reveal: 4,000 W left for a 6,000 W award.
      for (const derId of ['pv-001', 'ev-003']) {
        await ledger.submit(at(regulator, T.closed), (ctx) => registry.SuspendDer(ctx, derId, 'fault'));
      }
      await expectFailure(
        ledger,
        issue(),
        (ctx) => dispatch.IssueDispatch(ctx, IID, VPP_ID),
        vppError(ErrorCode.CAPACITY_NOT_BACKED, /needs 6000 W/),
      );
    });
  });

  describe('#AcknowledgeDispatch', () => {
    it('should record the operator’s acknowledgement once, before delivery starts', async () => {
      const { ledger } = await clearedFixture();
      await ledger.submit(issue(), (ctx) => dispatch.IssueDispatch(ctx, IID, VPP_ID));
      await expectFailure(
        ledger,
        asOperator(T.start),
        (ctx) => dispatch.AcknowledgeDispatch(ctx, IID, VPP_ID),
        vppError(ErrorCode.INVALID_STATE, /before delivery starts/),
      );
      const { result, tx } = await ledger.submit(asOperator(ACK_AT), (ctx) =>
        dispatch.AcknowledgeDispatch(ctx, IID, VPP_ID),
      );
      const acknowledged = parse(result);
      assert.deepEqual(
        [acknowledged.status, acknowledged.acknowledgedAt, acknowledged.acknowledgedBy],
        ['acknowledged', ACK_AT, { mspId: 'CvppMSP', role: 'operator' }],
      );
      assert.equal(ledger.getText(dispatchKey(IID, VPP_ID)), result);
      assert.equal(tx.event?.name, DISPATCH_ACKNOWLEDGED_EVENT);
      assert.equal(parse(text(tx.event?.payload)).acknowledgedAt, ACK_AT);
      await expectFailure(
        ledger,
        at(cvppAdmin, ACK_AT),
        (ctx) => dispatch.AcknowledgeDispatch(ctx, IID, VPP_ID),
        vppError(ErrorCode.INVALID_STATE, /already acknowledged/),
      );
    });

    it('should refuse missing instructions, unknown VPPs and other organisations', async () => {
      const fixture = await clearedFixture();
      const { ledger } = fixture;
      await expectFailure(
        ledger,
        asOperator(ACK_AT),
        (ctx) => dispatch.AcknowledgeDispatch(ctx, IID, VPP_ID),
        vppError(ErrorCode.NOT_FOUND, /dispatch of vpp vpp-north/),
      );
      await expectFailure(
        ledger,
        asOperator(ACK_AT),
        (ctx) => dispatch.AcknowledgeDispatch(ctx, IID, 'vpp-ghost'),
        vppError(ErrorCode.NOT_FOUND, /vpp vpp-ghost/),
      );
      await ledger.submit(issue(), (ctx) => dispatch.IssueDispatch(ctx, IID, VPP_ID));
      for (const caller of [controlOperator, tradingOperator, regulator]) {
        await expectFailure(
          ledger,
          at(caller, ACK_AT),
          (ctx) => dispatch.AcknowledgeDispatch(ctx, IID, VPP_ID),
          vppError(ErrorCode.FORBIDDEN),
        );
      }
    });
  });

  describe('#AllocateSetpoints / #GetDispatch', () => {
    async function acknowledged(options: MarketFixtureOptions = {}, steps?: [number, number][]) {
      const fixture = await clearedFixture(options, steps);
      await fixture.ledger.submit(issue(), (ctx) => dispatch.IssueDispatch(ctx, fixture.intervalId, VPP_ID));
      await fixture.ledger.submit(asOperator(ACK_AT), (ctx) =>
        dispatch.AcknowledgeDispatch(ctx, fixture.intervalId, VPP_ID),
      );
      return fixture;
    }

    it('should write one setpoint per active DER, proportional to capacity, summing to the award', async () => {
      const { ledger } = await acknowledged();
      const { result, tx } = await ledger.submit({ ...asOperator(ALLOCATE_AT), txId: 'tx-alloc' }, (ctx) =>
        dispatch.AllocateSetpoints(ctx, IID, VPP_ID),
      );
      const record = (derId: string, setpointW: number) => ({
        intervalId: IID,
        vppId: VPP_ID,
        derId,
        setpointW,
        product: 'energy-up',
        deliveryStart: T.start,
        deliveryEnd: T.end,
        allocatedAt: ALLOCATE_AT,
        allocatedBy: { mspId: 'CvppMSP', role: 'operator' },
        txId: 'tx-alloc',
      });
      const expected = [record('bat-002', 1500), record('ev-003', 1500), record('pv-001', 3000)];
      assert.deepEqual(parse(result), {
        intervalId: IID,
        vppId: VPP_ID,
        requiredW: 6000,
        setpoints: expected,
      });
      for (const setpoint of expected) {
        assert.deepEqual(parse(ledger.getText(derSetpointKey(IID, VPP_ID, setpoint.derId))!), setpoint);
      }
      assert.equal(tx.stub.writes.size, 3);
      // 6,000 W for 15 minutes delivers exactly the 1,500 Wh awarded.
      assert.equal((expected.reduce((sum, s) => sum + s.setpointW, 0) * 15) / 60, 1500);
      assert.equal(tx.event?.name, SETPOINTS_ALLOCATED_EVENT);
      assert.deepEqual(parse(text(tx.event?.payload)), {
        intervalId: IID,
        vppId: VPP_ID,
        requiredW: 6000,
        ders: 3,
      });
      const view = parse<{ instruction: { status: string }; setpoints: unknown[] }>(
        await ledger.evaluate(at(controlOperator, ALLOCATE_AT), (ctx) =>
          dispatch.GetDispatch(ctx, IID, VPP_ID),
        ),
      );
      assert.equal(view.instruction.status, 'acknowledged');
      assert.deepEqual(view.setpoints, expected);
      await expectFailure(
        ledger,
        asOperator(ALLOCATE_AT),
        (ctx) => dispatch.AllocateSetpoints(ctx, IID, VPP_ID),
        vppError(ErrorCode.ALREADY_EXISTS, /already allocated/),
      );
    });

    it('should split among the DERs active now: a DER suspended since issue gets nothing', async () => {
      const { ledger } = await acknowledged();
      await ledger.submit(at(regulator, ACK_AT), (ctx) => registry.SuspendDer(ctx, 'ev-003', 'fault'));
      const { result } = await ledger.submit(asOperator(ALLOCATE_AT), (ctx) =>
        dispatch.AllocateSetpoints(ctx, IID, VPP_ID),
      );
      const split = parse<{ setpoints: { derId: string; setpointW: number }[] }>(result).setpoints.map(
        (s) => [s.derId, s.setpointW],
      );
      assert.deepEqual(split, [
        ['bat-002', 2000],
        ['pv-001', 4000],
      ]);
      assert.equal(ledger.getText(derSetpointKey(IID, VPP_ID, 'ev-003')), undefined);
    });

    it('should split a reserve award in watts, exactly, with whole-watt shares', async () => {
      const { ledger } = await acknowledged(
        { interval: { product: 'reserve' }, demand: { quantity: 7001, priceCap: 100 } },
        [[50, 7001]],
      );
      const { result } = await ledger.submit(asOperator(ALLOCATE_AT), (ctx) =>
        dispatch.AllocateSetpoints(ctx, IID, VPP_ID),
      );
      const setpoints = parse<{ requiredW: number; setpoints: { setpointW: number; product: string }[] }>(
        result,
      );
      assert.equal(setpoints.requiredW, 7001);
      assert.equal(
        setpoints.setpoints.reduce((sum, s) => sum + s.setpointW, 0),
        7001,
      );
      assert.ok(setpoints.setpoints.every((s) => Number.isInteger(s.setpointW) && s.product === 'reserve'));
    });

    it('should refuse before acknowledgement, from delivery start, without capacity, and for others', async () => {
      const fixture = await clearedFixture();
      const { ledger } = fixture;
      await ledger.submit(issue(), (ctx) => dispatch.IssueDispatch(ctx, IID, VPP_ID));
      await expectFailure(
        ledger,
        asOperator(ALLOCATE_AT),
        (ctx) => dispatch.AllocateSetpoints(ctx, IID, VPP_ID),
        vppError(ErrorCode.INVALID_STATE, /must be acknowledged/),
      );
      await ledger.submit(asOperator(ACK_AT), (ctx) => dispatch.AcknowledgeDispatch(ctx, IID, VPP_ID));
      await expectFailure(
        ledger,
        asOperator(T.start),
        (ctx) => dispatch.AllocateSetpoints(ctx, IID, VPP_ID),
        vppError(ErrorCode.INVALID_STATE, /before delivery starts/),
      );
      for (const caller of [controlOperator, tradingOperator, regulator]) {
        await expectFailure(
          ledger,
          at(caller, ALLOCATE_AT),
          (ctx) => dispatch.AllocateSetpoints(ctx, IID, VPP_ID),
          vppError(ErrorCode.FORBIDDEN),
        );
      }
      await expectFailure(
        ledger,
        asOperator(ALLOCATE_AT),
        (ctx) => dispatch.AllocateSetpoints(ctx, IID, 'vpp-ghost'),
        vppError(ErrorCode.NOT_FOUND, /vpp vpp-ghost/),
      );
      for (const derId of ['pv-001', 'ev-003']) {
        await ledger.submit(at(regulator, ACK_AT), (ctx) => registry.SuspendDer(ctx, derId, 'fault'));
      }
      await expectFailure(
        ledger,
        asOperator(ALLOCATE_AT),
        (ctx) => dispatch.AllocateSetpoints(ctx, IID, VPP_ID),
        vppError(ErrorCode.CAPACITY_NOT_BACKED),
      );
      await assert.rejects(
        ledger.evaluate(at(regulator, ALLOCATE_AT), (ctx) => dispatch.GetDispatch(ctx, IID, 'vpp-south')),
        vppError(ErrorCode.NOT_FOUND),
      );
    });
  });
});
