import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  clearMarketInterval,
  type ClearingResult,
} from '../../../../../chaincode/src/domain/market/clearing';
import {
  acknowledgeDispatch,
  buildDispatchInstruction,
  dispatchSeed,
  parseDispatchRequest,
  parseStoredDispatchInstruction,
  requiredPowerW,
  splitAwardToSetpoints,
  type DerAvailability,
} from '../../../../../chaincode/src/domain/market/dispatch';
import { backedQuantity, deliverySeconds } from '../../../../../chaincode/src/domain/market/interval';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import {
  CLOSED_AT,
  COMMIT_AT,
  CONTROLLER,
  DELIVERY_START,
  INTERVAL_ID,
  msBefore,
  openInterval,
  OPERATOR,
  REVEAL_DEADLINE,
} from '../../../../support/market-fixtures';
import { prng, randomInt } from '../../../../support/prng';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);
const notBacked = (pattern?: RegExp) => vppError(ErrorCode.CAPACITY_NOT_BACKED, pattern);

const total = (setpoints: { setpointW: number }[]) => setpoints.reduce((sum, s) => sum + s.setpointW, 0);

describe('domain/market/dispatch', () => {
  describe('#requiredPowerW', () => {
    it('should take reserve watts as is and convert energy at constant power, rounding up', () => {
      assert.equal(requiredPowerW({ product: 'reserve', quantity: 1_234, deliverySeconds: 900 }), 1_234);
      // 1000 Wh over 15 min = 1000 × 60 / 15 = 4000 W exactly.
      assert.equal(requiredPowerW({ product: 'energy-up', quantity: 1_000, deliverySeconds: 900 }), 4_000);
      // 1000 Wh over 7 min = 8571.43 W → 8572 W (delivers 1000.07 Wh, never less than awarded).
      assert.equal(requiredPowerW({ product: 'energy-down', quantity: 1_000, deliverySeconds: 420 }), 8_572);
      assert.equal(requiredPowerW({ product: 'energy-up', quantity: 0, deliverySeconds: 420 }), 0);
    });

    it('should refuse bad awards', () => {
      assert.throws(
        () => requiredPowerW({ product: 'energy-up', quantity: -1, deliverySeconds: 900 }),
        invalid(/quantity/),
      );
      assert.throws(
        () => requiredPowerW({ product: 'energy-up', quantity: 1, deliverySeconds: 0 }),
        invalid(/deliverySeconds/),
      );
      assert.throws(
        () => requiredPowerW({ product: 'energy-up', quantity: 1, deliverySeconds: 86_460 }),
        invalid(/deliverySeconds/),
      );
      assert.throws(
        () =>
          requiredPowerW({ product: 'energy-up', quantity: Number.MAX_SAFE_INTEGER, deliverySeconds: 60 }),
        invalid(/needs more than/),
      );
    });
  });

  describe('#splitAwardToSetpoints', () => {
    it('should split in proportion to available power, sorted by DER id (hand-checked)', () => {
      // Reserve 1000 W over DERs of 3000 W and 1000 W: 750 + 250.
      assert.deepEqual(
        splitAwardToSetpoints(
          { product: 'reserve', quantity: 1_000, deliverySeconds: 3600 },
          [
            { derId: 'der-b', availableW: 3_000 },
            { derId: 'der-a', availableW: 1_000 },
          ],
          'seed',
        ),
        [
          { derId: 'der-a', setpointW: 250 },
          { derId: 'der-b', setpointW: 750 },
        ],
      );
      // Energy 1000 Wh over 15 min needs 4000 W; DERs 2000 W, 6000 W, 0 W: 1000 + 3000 + 0.
      assert.deepEqual(
        splitAwardToSetpoints(
          { product: 'energy-up', quantity: 1_000, deliverySeconds: 900 },
          [
            { derId: 'pv-1', availableW: 2_000 },
            { derId: 'bat-1', availableW: 6_000 },
            { derId: 'idle', availableW: 0 },
          ],
          'seed',
        ),
        [
          { derId: 'bat-1', setpointW: 3_000 },
          { derId: 'idle', setpointW: 0 },
          { derId: 'pv-1', setpointW: 1_000 },
        ],
      );
    });

    it('should use the whole capacity when the award needs exactly all of it', () => {
      const ders = [
        { derId: 'a', availableW: 1_001 },
        { derId: 'b', availableW: 2_999 },
      ];
      const setpoints = splitAwardToSetpoints(
        { product: 'energy-up', quantity: 1_000, deliverySeconds: 900 },
        ders,
        's',
      );
      assert.deepEqual(setpoints, [
        { derId: 'a', setpointW: 1_001 },
        { derId: 'b', setpointW: 2_999 },
      ]);
    });

    it('should refuse an award above the available total with CAPACITY_NOT_BACKED', () => {
      const ders = [
        { derId: 'a', availableW: 1_000 },
        { derId: 'b', availableW: 2_999 },
      ];
      assert.throws(
        () =>
          splitAwardToSetpoints({ product: 'energy-up', quantity: 1_000, deliverySeconds: 900 }, ders, 's'),
        notBacked(/needs 4000 W but the DERs provide only 3999 W/),
      );
      assert.throws(
        () => splitAwardToSetpoints({ product: 'reserve', quantity: 1, deliverySeconds: 900 }, [], 's'),
        notBacked(),
      );
      assert.deepEqual(
        splitAwardToSetpoints({ product: 'reserve', quantity: 0, deliverySeconds: 900 }, [], 's'),
        [],
      );
    });

    it('should refuse malformed DER lists', () => {
      const award = { product: 'reserve', quantity: 10, deliverySeconds: 900 } as const;
      assert.throws(
        () => splitAwardToSetpoints(award, [{ derId: 'a', availableW: -1 }], 's'),
        invalid(/availableW/),
      );
      assert.throws(
        () => splitAwardToSetpoints(award, [{ derId: 'a b', availableW: 20 }], 's'),
        invalid(/derId/),
      );
      assert.throws(
        () =>
          splitAwardToSetpoints(
            award,
            [
              { derId: 'a', availableW: 20 },
              { derId: 'a', availableW: 20 },
            ],
            's',
          ),
        invalid(/appears twice/),
      );
    });

    it('should sum exactly, stay proportional and within capacity on random inputs', () => {
      const random = prng(77);
      for (let round = 0; round < 300; round++) {
        const ders: DerAvailability[] = Array.from({ length: randomInt(random, 1, 15) }, (_, i) => ({
          derId: `der-${i}`,
          availableW: randomInt(random, 0, 50_000),
        }));
        const availableW = ders.reduce((sum, der) => sum + der.availableW, 0);
        if (availableW === 0) continue;
        const minutes = [5, 15, 30, 60, 7][randomInt(random, 0, 4)]!;
        const product = (['energy-up', 'energy-down', 'reserve'] as const)[randomInt(random, 0, 2)]!;
        // Anything checkReveal would have accepted for this capacity must be splittable.
        const interval = openInterval({
          product,
          deliveryEnd: new Date(Date.parse(DELIVERY_START) + minutes * 60_000).toISOString(),
        });
        const quantity = randomInt(random, 0, backedQuantity(interval, availableW));
        const award = { product, quantity, deliverySeconds: deliverySeconds(interval) };
        const setpoints = splitAwardToSetpoints(award, ders, `round-${round}`);
        const required = requiredPowerW(award);
        assert.equal(total(setpoints), required);
        assert.ok(required <= availableW);
        for (const setpoint of setpoints) {
          const der = ders.find((d) => d.derId === setpoint.derId)!;
          const exact = (required * der.availableW) / availableW;
          assert.ok(setpoint.setpointW <= der.availableW, 'never above the DER capacity');
          assert.ok(Math.abs(setpoint.setpointW - exact) < 1 + 1e-9, `${setpoint.setpointW} vs ${exact}`);
        }
        // The split does not depend on the order in which DERs are listed.
        assert.deepEqual(splitAwardToSetpoints(award, [...ders].reverse(), `round-${round}`), setpoints);
      }
    });
  });

  describe('instruction lifecycle', () => {
    const interval = openInterval(); // energy-up, 15 minutes
    // vpp-1 wins 600 + 200 Wh over two bids, vpp-2 wins 200 Wh. Demand 1000.
    const clearing: ClearingResult = clearMarketInterval(
      { intervalId: INTERVAL_ID, product: 'energy-up', quantity: 1_000, priceCap: 10_000 },
      [
        {
          bidId: 'b1',
          intervalId: INTERVAL_ID,
          vppId: 'vpp-1',
          committedAt: COMMIT_AT,
          steps: [{ price: 1, quantity: 600 }],
        },
        {
          bidId: 'b2',
          intervalId: INTERVAL_ID,
          vppId: 'vpp-2',
          committedAt: COMMIT_AT,
          steps: [{ price: 2, quantity: 200 }],
        },
        {
          bidId: 'b3',
          intervalId: INTERVAL_ID,
          vppId: 'vpp-1',
          committedAt: COMMIT_AT,
          steps: [{ price: 3, quantity: 500 }],
        },
      ],
    );
    const ders = [
      { derId: 'der-1', availableW: 2_000 },
      { derId: 'der-2', availableW: 2_000 },
    ];
    const issue = (
      txTime = REVEAL_DEADLINE,
      overrides: Partial<Parameters<typeof buildDispatchInstruction>[0]> = {},
    ) =>
      buildDispatchInstruction({
        input: { intervalId: INTERVAL_ID, vppId: 'vpp-1' },
        interval,
        clearing,
        ders,
        caller: CONTROLLER,
        txTime,
        ...overrides,
      });

    it('should issue the VPP total award split into setpoints', () => {
      // vpp-1: 600 + 200 = 800 Wh over 15 min → 3200 W, split evenly over two 2000 W DERs.
      assert.deepEqual(issue(), {
        intervalId: INTERVAL_ID,
        vppId: 'vpp-1',
        product: 'energy-up',
        quantity: 800,
        quantityUnit: 'Wh',
        requiredW: 3_200,
        setpoints: [
          { derId: 'der-1', setpointW: 1_600 },
          { derId: 'der-2', setpointW: 1_600 },
        ],
        status: 'issued',
        issuedAt: REVEAL_DEADLINE,
        issuedBy: { mspId: 'ControlMSP', role: 'control' },
        acknowledgedAt: null,
        acknowledgedBy: null,
      });
    });

    it('should issue only between the reveal deadline and the delivery start', () => {
      assert.equal(issue(msBefore(DELIVERY_START)).issuedAt, msBefore(DELIVERY_START));
      for (const txTime of [msBefore(REVEAL_DEADLINE), DELIVERY_START]) {
        assert.throws(() => issue(txTime), vppError(ErrorCode.INVALID_STATE, /can be issued from/), txTime);
      }
    });

    it('should refuse a VPP without an award, DERs that cannot deliver it, and mismatched records', () => {
      assert.throws(
        () => issue(REVEAL_DEADLINE, { input: { intervalId: INTERVAL_ID, vppId: 'vpp-9' } }),
        vppError(ErrorCode.NOT_FOUND, /VPP vpp-9 has no award/),
      );
      assert.throws(
        () => issue(REVEAL_DEADLINE, { ders: [{ derId: 'der-1', availableW: 3_199 }] }),
        notBacked(),
      );
      assert.throws(
        () => issue(REVEAL_DEADLINE, { input: { intervalId: 'other', vppId: 'vpp-1' } }),
        invalid(/request names interval other/),
      );
      assert.throws(
        () => issue(REVEAL_DEADLINE, { clearing: { ...clearing, intervalId: 'other' } }),
        vppError(ErrorCode.INTERNAL),
      );
      assert.throws(() => parseDispatchRequest({ intervalId: INTERVAL_ID }), invalid(/vppId/));
    });

    it('should be acknowledged once, before delivery starts', () => {
      const issued = issue();
      const acked = acknowledgeDispatch({
        instruction: issued,
        interval,
        caller: OPERATOR,
        txTime: msBefore(DELIVERY_START),
      });
      assert.deepEqual(acked, {
        ...issued,
        status: 'acknowledged',
        acknowledgedAt: msBefore(DELIVERY_START),
        acknowledgedBy: { mspId: 'CvppMSP', role: 'operator' },
      });
      assert.throws(
        () =>
          acknowledgeDispatch({
            instruction: acked,
            interval,
            caller: OPERATOR,
            txTime: msBefore(DELIVERY_START),
          }),
        vppError(ErrorCode.INVALID_STATE, /already acknowledged at/),
      );
      assert.throws(
        () =>
          acknowledgeDispatch({ instruction: issued, interval, caller: OPERATOR, txTime: DELIVERY_START }),
        vppError(ErrorCode.INVALID_STATE, /before delivery starts/),
      );
      assert.throws(
        () =>
          acknowledgeDispatch({
            instruction: issued,
            interval: openInterval({ intervalId: 'x' }),
            caller: OPERATOR,
            txTime: CLOSED_AT,
          }),
        vppError(ErrorCode.INTERNAL),
      );
    });

    it('should decode stored instructions in both states and reject inconsistent ones', () => {
      const issued = issue();
      const acked = acknowledgeDispatch({
        instruction: issued,
        interval,
        caller: OPERATOR,
        txTime: CLOSED_AT,
      });
      for (const record of [issued, acked]) {
        assert.deepEqual(parseStoredDispatchInstruction(JSON.parse(JSON.stringify(record))), record);
      }
      const corrupt: unknown[] = [
        { ...issued, requiredW: 3_201 },
        { ...issued, setpoints: [...issued.setpoints].reverse() },
        { ...issued, quantityUnit: 'W' },
        { ...issued, quantity: 0 },
        { ...issued, status: 'done' },
        { ...issued, acknowledgedAt: CLOSED_AT },
        { ...acked, acknowledgedBy: null },
        { ...acked, acknowledgedAt: null },
        { ...issued, extra: 1 },
      ];
      for (const value of corrupt) {
        assert.throws(() => parseStoredDispatchInstruction(value), invalid(), JSON.stringify(value));
      }
    });

    it('should seed the split per interval and VPP', () => {
      assert.equal(dispatchSeed('i-1', 'vpp-1'), 'dispatch/i-1/vpp-1');
      assert.notEqual(dispatchSeed('i-1', 'vpp-1'), dispatchSeed('i-1', 'vpp-2'));
    });
  });
});
