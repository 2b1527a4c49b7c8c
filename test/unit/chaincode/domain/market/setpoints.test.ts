import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clearMarketInterval } from '../../../../../chaincode/src/domain/market/clearing';
import {
  acknowledgeDispatch,
  buildDispatchInstruction,
  type DerAvailability,
} from '../../../../../chaincode/src/domain/market/dispatch';
import { allocateSetpoints, parseStoredSetpoint } from '../../../../../chaincode/src/domain/market/setpoints';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import {
  bidInput,
  CLOSED_AT,
  commitAndReveal,
  CONTROLLER,
  DELIVERY_END,
  DELIVERY_START,
  msBefore,
  openInterval,
  OPERATOR,
  postDemand,
} from '../../../../support/market-fixtures';
import { vppError } from '../../../../support/vpp-assert';

const DERS: DerAvailability[] = [
  { derId: 'pv-1', availableW: 6000 },
  { derId: 'bat-2', availableW: 3000 },
  { derId: 'ev-3', availableW: 1000 },
];

/** vpp-1 is awarded 1000 Wh over 15 minutes: 4000 W. */
function issued() {
  const interval = openInterval();
  const demand = postDemand(interval, { quantity: 1000 });
  const bids = [commitAndReveal(interval, demand, bidInput())];
  const instruction = buildDispatchInstruction({
    input: { intervalId: interval.intervalId, vppId: 'vpp-1' },
    interval,
    clearing: clearMarketInterval(demand, bids),
    ders: DERS,
    caller: CONTROLLER,
    txTime: CLOSED_AT,
  });
  return { interval, instruction };
}

function acknowledged() {
  const { interval, instruction } = issued();
  return {
    interval,
    instruction: acknowledgeDispatch({ instruction, interval, caller: OPERATOR, txTime: CLOSED_AT }),
  };
}

const allocation = (overrides: Partial<Parameters<typeof allocateSetpoints>[0]> = {}) => ({
  ...acknowledged(),
  ders: DERS,
  alreadyAllocated: false,
  caller: OPERATOR,
  txTime: CLOSED_AT,
  txId: 'tx-a',
  ...overrides,
});

describe('domain/market/setpoints', () => {
  describe('#allocateSetpoints', () => {
    it('should give every DER a record proportional to its power, summing to the required power', () => {
      const records = allocateSetpoints(allocation());
      assert.deepEqual(
        records.map((r) => [r.derId, r.setpointW]),
        [
          ['bat-2', 1200],
          ['ev-3', 400],
          ['pv-1', 2400],
        ],
      );
      assert.deepEqual(records[0], {
        intervalId: openInterval().intervalId,
        vppId: 'vpp-1',
        derId: 'bat-2',
        setpointW: 1200,
        product: 'energy-up',
        deliveryStart: DELIVERY_START,
        deliveryEnd: DELIVERY_END,
        allocatedAt: CLOSED_AT,
        allocatedBy: OPERATOR,
        txId: 'tx-a',
      });
      assert.equal(
        records.reduce((sum, r) => sum + r.setpointW, 0),
        acknowledged().instruction.requiredW,
      );
    });

    it('should equal the plan made at issue when no DER changed, and follow the DERs of now otherwise', () => {
      const { instruction } = acknowledged();
      assert.deepEqual(
        allocateSetpoints(allocation()).map((r) => ({ derId: r.derId, setpointW: r.setpointW })),
        instruction.setpoints,
      );
      const fewer = allocateSetpoints(allocation({ ders: DERS.slice(0, 2) }));
      assert.deepEqual(
        fewer.map((r) => [r.derId, r.setpointW]),
        [
          ['bat-2', 1333],
          ['pv-1', 2667],
        ],
      );
      assert.throws(
        () => allocateSetpoints(allocation({ ders: DERS.slice(2) })),
        vppError(ErrorCode.CAPACITY_NOT_BACKED),
      );
    });

    it('should refuse a second allocation, an unacknowledged instruction and allocation from delivery start', () => {
      assert.throws(
        () => allocateSetpoints(allocation({ alreadyAllocated: true })),
        vppError(ErrorCode.ALREADY_EXISTS),
      );
      assert.throws(
        () => allocateSetpoints(allocation(issued())),
        vppError(ErrorCode.INVALID_STATE, /acknowledged/),
      );
      assert.doesNotThrow(() => allocateSetpoints(allocation({ txTime: msBefore(DELIVERY_START) })));
      assert.throws(
        () => allocateSetpoints(allocation({ txTime: DELIVERY_START })),
        vppError(ErrorCode.INVALID_STATE, /before delivery starts/),
      );
      assert.throws(
        () => allocateSetpoints(allocation({ interval: openInterval({ intervalId: 'other' }) })),
        vppError(ErrorCode.INTERNAL),
      );
    });
  });

  describe('#parseStoredSetpoint', () => {
    it('should round-trip records and refuse corrupted ones', () => {
      const [record] = allocateSetpoints(allocation());
      assert.deepEqual(parseStoredSetpoint(JSON.parse(JSON.stringify(record))), record);
      const invalid = (pattern: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);
      assert.throws(() => parseStoredSetpoint({ ...record, setpointW: -1 }), invalid(/setpointW/));
      assert.throws(
        () => parseStoredSetpoint({ ...record, deliveryEnd: DELIVERY_START }),
        invalid(/deliveryStart/),
      );
      assert.throws(() => parseStoredSetpoint({ ...record, product: 'gas' }), invalid(/product/));
      assert.throws(() => parseStoredSetpoint({ ...record, note: 'x' }), invalid(/unsupported/));
    });
  });
});
