import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildClearingRecord,
  checkStoredClearing,
  parseStoredClearingRecord,
  parseStoredViolation,
} from '../../../../../chaincode/src/domain/market/records';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import {
  bidInput,
  CLOSED_AT,
  commitAndReveal,
  meritClearingOf,
  openInterval,
  postDemand,
  REVEAL_AT,
  REVEAL_DEADLINE,
  TRADER,
} from '../../../../support/market-fixtures';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

function book() {
  const interval = openInterval();
  const demand = postDemand(interval, { quantity: 1_200 });
  const bids = [
    commitAndReveal(interval, demand, bidInput({ bidId: 'b-1' })),
    commitAndReveal(
      interval,
      demand,
      bidInput({ bidId: 'b-2', vppId: 'vpp-2', steps: [{ price: 5_000, quantity: 500 }] }),
    ),
  ];
  return { interval, demand, bids, clearing: meritClearingOf(demand, bids) };
}

describe('domain/market/records', () => {
  describe('#buildClearingRecord', () => {
    it('should clear the book from the reveal deadline and record who, when and how many bids', () => {
      const { interval, demand, clearing } = book();
      const record = buildClearingRecord({
        interval,
        demand,
        clearing,
        caller: TRADER,
        txTime: CLOSED_AT,
        txId: 'tx-9',
      });
      assert.deepEqual(record, {
        intervalId: interval.intervalId,
        result: clearing.result,
        bidCount: 2,
        clearedAt: CLOSED_AT,
        clearedBy: TRADER,
        txId: 'tx-9',
      });
      assert.equal(record.result.clearingPrice, 7_500);
      assert.doesNotThrow(() =>
        buildClearingRecord({
          interval,
          demand,
          clearing,
          caller: TRADER,
          txTime: REVEAL_DEADLINE,
          txId: 't',
        }),
      );
    });

    it('should refuse clearing before the reveal deadline with INVALID_STATE', () => {
      const { interval, demand, clearing } = book();
      assert.throws(
        () =>
          buildClearingRecord({ interval, demand, clearing, caller: TRADER, txTime: REVEAL_AT, txId: 't' }),
        vppError(ErrorCode.INVALID_STATE, /reveal deadline/),
      );
      const other = postDemand(openInterval({ intervalId: 'other' }));
      assert.throws(
        () =>
          buildClearingRecord({
            interval,
            demand: other,
            clearing,
            caller: TRADER,
            txTime: CLOSED_AT,
            txId: 't',
          }),
        vppError(ErrorCode.INTERNAL),
      );
    });
  });

  describe('#parseStoredClearingRecord / #checkStoredClearing', () => {
    it('should round-trip a record and verify it against its inputs, in any order', () => {
      const { interval, demand, bids, clearing } = book();
      const record = buildClearingRecord({
        interval,
        demand,
        clearing,
        caller: TRADER,
        txTime: CLOSED_AT,
        txId: 't',
      });
      const stored = parseStoredClearingRecord(JSON.parse(JSON.stringify(record)));
      assert.deepEqual(stored, record);
      const check = checkStoredClearing(stored, demand, meritClearingOf(demand, [...bids].reverse()));
      assert.deepEqual(check, { matches: true, stored: record.result, recomputed: record.result });
      const fewer = checkStoredClearing(stored, demand, meritClearingOf(demand, bids.slice(0, 1)));
      assert.equal(fewer.matches, false);
      const recounted = checkStoredClearing({ ...stored, bidCount: 3 }, demand, clearing);
      assert.equal(recounted.matches, false);
      assert.throws(
        () => checkStoredClearing(stored, postDemand(openInterval({ intervalId: 'other' })), clearing),
        vppError(ErrorCode.INTERNAL),
      );
    });

    it('should refuse corrupted records', () => {
      const { interval, demand, clearing } = book();
      const record = JSON.parse(
        JSON.stringify(
          buildClearingRecord({ interval, demand, clearing, caller: TRADER, txTime: CLOSED_AT, txId: 't' }),
        ),
      ) as Record<string, unknown>;
      assert.throws(
        () => parseStoredClearingRecord({ ...record, intervalId: 'other' }),
        invalid(/belongs to interval/),
      );
      assert.throws(() => parseStoredClearingRecord({ ...record, bidCount: -1 }), invalid(/bidCount/));
      assert.throws(() => parseStoredClearingRecord({ ...record, extra: 1 }), invalid(/unsupported/));
      const result = record.result as Record<string, unknown>;
      assert.throws(
        () => parseStoredClearingRecord({ ...record, result: { ...result, totalAwarded: 1 } }),
        invalid(/totalAwarded/),
      );
    });
  });

  describe('#parseStoredViolation', () => {
    it('should accept exactly the violation fields with a known reason', () => {
      const violation = {
        intervalId: 'i-1',
        bidId: 'b-1',
        vppId: 'vpp-1',
        reason: 'BID_NOT_REVEALED',
        detectedAt: CLOSED_AT,
      };
      assert.deepEqual(parseStoredViolation(violation), violation);
      assert.throws(() => parseStoredViolation({ ...violation, reason: 'LATE' }), invalid(/reason/));
      assert.throws(() => parseStoredViolation({ ...violation, detectedAt: 'now' }), invalid(/detectedAt/));
      assert.throws(() => parseStoredViolation({ ...violation, penalty: 1 }), invalid(/unsupported/));
    });
  });
});
