import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkReveal,
  parseStoredRevealedBid,
  unrevealedViolations,
  type RevealCheck,
} from '../../../../../chaincode/src/domain/market/reveal';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import {
  bidInput,
  commit,
  COMMIT_AT,
  GATE_CLOSURE,
  INTERVAL_ID,
  msBefore,
  openInterval,
  postDemand,
  REVEAL_AT,
  REVEAL_DEADLINE,
  SALT,
} from '../../../../support/market-fixtures';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('domain/market/reveal', () => {
  describe('#checkReveal', () => {
    const interval = openInterval(); // energy-up, 15 minutes
    const demand = postDemand(interval, { priceCap: 10_000 });
    const commitment = commit(interval, bidInput());
    // bidInput(): 600 Wh @ 4000 + 400 Wh @ 7500 = 1000 Wh; 4000 W over 15 min backs exactly 1000 Wh.
    const check = (overrides: Partial<RevealCheck> = {}) =>
      checkReveal({
        commitment,
        bid: bidInput(),
        salt: SALT,
        interval,
        demand,
        txTime: REVEAL_AT,
        quotaForVpp: 1_000,
        backedCapacityOfVpp: 4_000,
        ...overrides,
      });

    it('should return the revealed bid with its commitment data', () => {
      const revealed = check();
      assert.deepEqual(revealed, {
        ...bidInput(),
        commitment: commitment.commitment,
        salt: SALT,
        committedAt: COMMIT_AT,
        commitTxId: 'tx-bid-1',
        revealedAt: REVEAL_AT,
      });
      assert.deepEqual(parseStoredRevealedBid(JSON.parse(JSON.stringify(revealed))), revealed);
    });

    it('should accept reveals from gate closure until just before the deadline', () => {
      assert.equal(check({ txTime: GATE_CLOSURE }).revealedAt, GATE_CLOSURE);
      assert.equal(check({ txTime: msBefore(REVEAL_DEADLINE) }).revealedAt, msBefore(REVEAL_DEADLINE));
    });

    it('should refuse an early reveal with INVALID_STATE and a late one with GATE_CLOSED', () => {
      assert.throws(
        () => check({ txTime: msBefore(GATE_CLOSURE) }),
        vppError(ErrorCode.INVALID_STATE, /can be revealed from gate closure/),
      );
      assert.throws(
        () => check({ txTime: REVEAL_DEADLINE }),
        vppError(ErrorCode.GATE_CLOSED, /reveal deadline .* has passed/),
      );
      // The phase is checked first: a late, malformed reveal is still GATE_CLOSED.
      assert.throws(() => check({ txTime: REVEAL_DEADLINE, salt: 'x' }), vppError(ErrorCode.GATE_CLOSED));
    });

    it('should refuse a bid or salt that does not hash to the commitment', () => {
      const mismatch = (pattern: RegExp) => vppError(ErrorCode.COMMITMENT_MISMATCH, pattern);
      assert.throws(() => check({ salt: '00'.repeat(32) }), mismatch(/do not hash to the stored commitment/));
      assert.throws(
        () =>
          check({
            bid: bidInput({
              steps: [
                { price: 4_000, quantity: 500 },
                { price: 7_500, quantity: 400 },
              ],
            }),
          }),
        mismatch(/do not hash/),
      );
      assert.throws(
        () => check({ bid: bidInput({ vppId: 'vpp-2' }) }),
        mismatch(/revealed vppId vpp-2 differs from the committed vpp-1/),
      );
      assert.throws(() => check({ bid: bidInput({ bidId: 'bid-9' }) }), mismatch(/revealed bidId bid-9/));
      assert.throws(
        () => check({ bid: bidInput({ intervalId: 'i-x' }) }),
        mismatch(/revealed intervalId i-x/),
      );
    });

    it('should refuse malformed reveals with INVALID_ARGUMENT', () => {
      assert.throws(
        () => check({ bid: { ...bidInput(), extra: 1 } }),
        invalid(/unsupported field\(s\): extra/),
      );
      assert.throws(
        () => check({ bid: bidInput({ steps: [{ price: 4_000.5, quantity: 600 }] }) }),
        invalid(/steps\[0\]\.price/),
      );
      assert.throws(
        () => check({ bid: bidInput({ steps: [{ price: 4_000, quantity: -600 }] }) }),
        invalid(/steps\[0\]\.quantity/),
      );
      assert.throws(() => check({ salt: SALT.toUpperCase() }), invalid(/salt/));
      assert.throws(() => check({ quotaForVpp: -1 }), invalid(/quotaForVpp/));
      assert.throws(() => check({ backedCapacityOfVpp: 1.5 }), invalid(/capacity/));
    });

    it('should enforce the quota on the total quantity', () => {
      assert.equal(check({ quotaForVpp: 1_000 }).bidId, 'bid-1');
      assert.throws(
        () => check({ quotaForVpp: 999 }),
        vppError(ErrorCode.QUOTA_EXCEEDED, /offers 1000 Wh, above the quota of 999 Wh for VPP vpp-1/),
      );
    });

    it('should enforce the price cap on every step', () => {
      assert.equal(check({ demand: { ...demand, priceCap: 7_500 } }).bidId, 'bid-1');
      assert.throws(
        () => check({ demand: { ...demand, priceCap: 7_499 } }),
        vppError(ErrorCode.PRICE_ABOVE_CAP, /step at price 7500, above the cap of 7499/),
      );
    });

    it('should require the total to be backed by active capacity (W × delivery hours for energy)', () => {
      assert.equal(check({ backedCapacityOfVpp: 4_000 }).bidId, 'bid-1');
      assert.throws(
        () => check({ backedCapacityOfVpp: 3_999 }), // backs floor(999.75) = 999 Wh
        vppError(ErrorCode.CAPACITY_NOT_BACKED, /offers 1000 Wh .* \(3999 W\) backs only 999 Wh/),
      );
    });

    it('should compare reserve bids with capacity in W directly', () => {
      const reserve = openInterval({ product: 'reserve' });
      const reserveDemand = postDemand(reserve);
      const reserveCheck = (backedCapacityOfVpp: number) =>
        checkReveal({
          commitment: commit(reserve, bidInput()),
          bid: bidInput(),
          salt: SALT,
          interval: reserve,
          demand: reserveDemand,
          txTime: REVEAL_AT,
          quotaForVpp: 1_000,
          backedCapacityOfVpp,
        });
      assert.equal(reserveCheck(1_000).bidId, 'bid-1');
      assert.throws(() => reserveCheck(999), vppError(ErrorCode.CAPACITY_NOT_BACKED, /backs only 999 W/));
    });

    it('should treat records of different intervals as an INTERNAL wiring error', () => {
      const other = openInterval({ intervalId: 'i-other' });
      assert.throws(
        () => check({ interval: other }),
        vppError(ErrorCode.INTERNAL, /commitment bid-1 belongs to interval/),
      );
      assert.throws(
        () => check({ demand: { ...demand, intervalId: 'i-other' } }),
        vppError(ErrorCode.INTERNAL, /demand belongs to interval i-other/),
      );
    });
  });
  describe('#parseStoredRevealedBid', () => {
    const interval = openInterval();
    const demand = postDemand(interval);
    const revealed = checkReveal({
      commitment: commit(interval, bidInput()),
      bid: bidInput(),
      salt: SALT,
      interval,
      demand,
      txTime: REVEAL_AT,
      quotaForVpp: 1_000,
      backedCapacityOfVpp: 4_000,
    });

    it('should refuse a stored bid that no longer hashes to its commitment', () => {
      const tampered = { ...revealed, steps: [{ price: 4_000, quantity: 1_000 }] };
      assert.throws(() => parseStoredRevealedBid(tampered), invalid(/does not hash to its commitment/));
      assert.throws(
        () => parseStoredRevealedBid({ ...revealed, salt: '11'.repeat(32) }),
        invalid(/does not hash/),
      );
      assert.throws(
        () => parseStoredRevealedBid({ ...revealed, revealedAt: 'later' }),
        invalid(/revealedAt/),
      );
      assert.throws(() => parseStoredRevealedBid({ ...revealed, extra: 1 }), invalid(/unsupported/));
    });
  });
  describe('#unrevealedViolations', () => {
    const interval = openInterval();
    const commitments = [
      commit(interval, bidInput({ bidId: 'bid-c', vppId: 'vpp-3' })),
      commit(interval, bidInput({ bidId: 'bid-a', vppId: 'vpp-1' })),
      commit(interval, bidInput({ bidId: 'bid-b', vppId: 'vpp-2' })),
      commit(interval, bidInput({ bidId: 'bid-d', vppId: 'vpp-1' })),
    ];

    it('should list every unrevealed commitment, sorted by bid id, once the deadline passed', () => {
      const violations = unrevealedViolations(commitments, new Set(['bid-b']), interval, REVEAL_DEADLINE);
      assert.deepEqual(
        violations,
        [
          ['bid-a', 'vpp-1'],
          ['bid-c', 'vpp-3'],
          ['bid-d', 'vpp-1'],
        ].map(([bidId, vppId]) => ({
          intervalId: INTERVAL_ID,
          bidId,
          vppId,
          reason: 'BID_NOT_REVEALED',
          detectedAt: REVEAL_DEADLINE,
        })),
      );
      assert.deepEqual(
        unrevealedViolations(commitments, ['bid-a', 'bid-b', 'bid-c', 'bid-d'], interval, REVEAL_DEADLINE),
        [],
      );
      assert.deepEqual(unrevealedViolations([], [], interval, REVEAL_DEADLINE), []);
    });

    it('should refuse before the reveal deadline with INVALID_STATE', () => {
      for (const txTime of [COMMIT_AT, REVEAL_AT, msBefore(REVEAL_DEADLINE)]) {
        assert.throws(
          () => unrevealedViolations(commitments, [], interval, txTime),
          vppError(ErrorCode.INVALID_STATE, /known only after 2025-03-01T11:00:00.000Z/),
        );
      }
    });

    it('should refuse foreign or duplicate commitments', () => {
      const foreign = { ...commitments[0]!, intervalId: 'i-other' };
      assert.throws(
        () => unrevealedViolations([foreign], [], interval, REVEAL_DEADLINE),
        invalid(/belongs to interval i-other/),
      );
      assert.throws(
        () => unrevealedViolations([commitments[0]!, commitments[0]!], [], interval, REVEAL_DEADLINE),
        invalid(/appears twice/),
      );
    });
  });
});
