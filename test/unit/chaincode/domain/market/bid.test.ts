import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  buildCommitment,
  commitmentPreimage,
  computeCommitment,
  MAX_BID_STEPS,
  parseBid,
  parseCommitmentInput,
  parseStoredCommitment,
  totalQuantity,
} from '../../../../../chaincode/src/domain/market/bid';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import {
  bidInput,
  COMMIT_AT,
  GATE_CLOSURE,
  INTERVAL_ID,
  msBefore,
  openInterval,
  OPERATOR,
  REVEAL_DEADLINE,
  SALT,
} from '../../../../support/market-fixtures';
import { entityIds, NARROWED_ENTITY_IDS } from '../../../../support/id-kinds';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

/** The canonical JSON of bidInput(), written out by hand: sorted keys, no whitespace. */
const CANONICAL_BID_JSON =
  '{"bidId":"bid-1","intervalId":"i-20250301-1200-up",' +
  '"steps":[{"price":4000,"quantity":600},{"price":7500,"quantity":400}],"vppId":"vpp-1"}';

describe('domain/market/bid', () => {
  describe('#parseBid', () => {
    it('should accept a valid bid unchanged and total its steps', () => {
      const bid = parseBid(bidInput());
      assert.deepEqual(bid, bidInput());
      assert.equal(totalQuantity(bid), 1_000);
    });

    it("should take the VPP id by the entity rule: every registrable id passes, a ':' or non-ASCII one is refused", () => {
      for (const vppId of entityIds(31)) assert.equal(parseBid(bidInput({ vppId })).vppId, vppId);
      for (const vppId of NARROWED_ENTITY_IDS) {
        assert.throws(
          () => parseBid(bidInput({ vppId })),
          invalid(/vppId must be 1\.\.64 characters/),
          vppId,
        );
      }
    });

    it('should accept 1..10 steps and a zero price', () => {
      const steps = Array.from({ length: MAX_BID_STEPS }, (_, i) => ({ price: i * 100, quantity: 1 }));
      assert.equal(parseBid(bidInput({ steps })).steps.length, 10);
      assert.equal(parseBid(bidInput({ steps: [{ price: 0, quantity: 5 }] })).steps[0]!.price, 0);
    });

    it('should refuse malformed bids with INVALID_ARGUMENT', () => {
      const eleven = Array.from({ length: 11 }, (_, i) => ({ price: i, quantity: 1 }));
      const bad: [unknown, RegExp][] = [
        [{ ...bidInput(), steps: [] }, /steps must be an array of 1\.\.10 steps/],
        [{ ...bidInput(), steps: eleven }, /steps must be an array of 1\.\.10 steps/],
        [{ ...bidInput(), steps: { price: 1, quantity: 1 } }, /steps must be an array/],
        [
          bidInput({
            steps: [
              { price: 5, quantity: 1 },
              { price: 5, quantity: 2 },
            ],
          }),
          /strictly ascending price order/,
        ],
        [
          bidInput({
            steps: [
              { price: 6, quantity: 1 },
              { price: 5, quantity: 2 },
            ],
          }),
          /strictly ascending price order/,
        ],
        [
          bidInput({ steps: [{ price: -1, quantity: 1 }] }),
          /steps\[0\]\.price must be a non-negative integer/,
        ],
        [bidInput({ steps: [{ price: 1.5, quantity: 1 }] }), /steps\[0\]\.price/],
        [
          bidInput({
            steps: [
              { price: 1, quantity: 1 },
              { price: 2, quantity: 0 },
            ],
          }),
          /steps\[1\]\.quantity must be a positive integer/,
        ],
        [bidInput({ steps: [{ price: 1, quantity: 2.5 }] }), /steps\[0\]\.quantity/],
        [
          { ...bidInput(), steps: [{ price: 1, quantity: 1, note: 'x' }] },
          /steps\[0\] has unsupported field/,
        ],
        [
          bidInput({
            steps: [
              { price: 1, quantity: Number.MAX_SAFE_INTEGER },
              { price: 2, quantity: 1 },
            ],
          }),
          /total quantity of the steps must be a safe integer/,
        ],
        [{ ...bidInput(), salt: SALT }, /bid has unsupported field\(s\): salt/],
        [bidInput({ bidId: ' bid-1' }), /bidId/],
        [bidInput({ vppId: '' }), /vppId/],
        [{ ...bidInput(), intervalId: undefined }, /intervalId/],
        [[], /bid must be a JSON object/],
      ];
      for (const [value, pattern] of bad) {
        assert.throws(() => parseBid(value), invalid(pattern), JSON.stringify(value));
      }
    });
  });
  describe('#computeCommitment', () => {
    it('should hash the UTF-8 canonical JSON followed by the raw salt bytes (known answer)', () => {
      const expected = createHash('sha256')
        .update(Buffer.concat([Buffer.from(CANONICAL_BID_JSON, 'utf8'), Buffer.from(SALT, 'hex')]))
        .digest('hex');
      assert.equal(computeCommitment(bidInput(), SALT), expected);
      // Pinned as well, so a change of either side of this test cannot go unnoticed.
      assert.equal(expected, 'b0d3a8805651a3d1a8a67c9e60080652e75430a2f64f557f51b09c971a588648');
      const preimage = commitmentPreimage(bidInput(), SALT);
      assert.equal(preimage.length, Buffer.byteLength(CANONICAL_BID_JSON) + 32);
      assert.equal(preimage.subarray(0, -32).toString('utf8'), CANONICAL_BID_JSON);
      assert.equal(preimage.subarray(-32).toString('hex'), SALT);
    });

    it('should not depend on the key order of the client object', () => {
      const shuffled = {
        vppId: 'vpp-1',
        steps: [
          { quantity: 600, price: 4_000 },
          { quantity: 400, price: 7_500 },
        ],
        intervalId: INTERVAL_ID,
        bidId: 'bid-1',
      };
      assert.equal(computeCommitment(shuffled, SALT), computeCommitment(bidInput(), SALT));
    });

    it('should change with every field of the bid and with the salt', () => {
      const base = computeCommitment(bidInput(), SALT);
      const variants = [
        bidInput({ bidId: 'bid-2' }),
        bidInput({ intervalId: 'i-other' }),
        bidInput({ vppId: 'vpp-2' }),
        bidInput({
          steps: [
            { price: 4_000, quantity: 601 },
            { price: 7_500, quantity: 400 },
          ],
        }),
        bidInput({
          steps: [
            { price: 4_001, quantity: 600 },
            { price: 7_500, quantity: 400 },
          ],
        }),
      ];
      for (const bid of variants) {
        assert.notEqual(computeCommitment(bid, SALT), base, JSON.stringify(bid));
      }
      assert.notEqual(computeCommitment(bidInput(), '00'.repeat(32)), base);
    });

    it('should require a salt of 64 lowercase hex characters', () => {
      for (const salt of [SALT.toUpperCase(), SALT.slice(2), SALT + '00', 'zz'.repeat(32), 42, undefined]) {
        assert.throws(() => computeCommitment(bidInput(), salt), invalid(/salt must be 64 lowercase hex/));
      }
    });

    it('should refuse to commit to an invalid bid', () => {
      assert.throws(() => computeCommitment(bidInput({ steps: [] }), SALT), invalid(/steps/));
    });
  });
  describe('#buildCommitment', () => {
    const interval = openInterval();
    const input = {
      commitment: computeCommitment(bidInput(), SALT),
      bidId: 'bid-1',
      intervalId: INTERVAL_ID,
      vppId: 'vpp-1',
    };

    it('should record commit time, tx id and author', () => {
      const record = buildCommitment({
        input,
        interval,
        caller: OPERATOR,
        txTime: COMMIT_AT,
        txId: 'tx0001',
      });
      assert.deepEqual(record, {
        ...input,
        committedAt: COMMIT_AT,
        txId: 'tx0001',
        committedBy: { mspId: 'CvppMSP', role: 'operator' },
      });
      assert.deepEqual(parseStoredCommitment(JSON.parse(JSON.stringify(record))), record);
    });

    it('should accept commitments until just before gate closure, GATE_CLOSED from then on', () => {
      const at = (txTime: string) =>
        buildCommitment({ input, interval, caller: OPERATOR, txTime, txId: 't' });
      assert.equal(at(msBefore(GATE_CLOSURE)).committedAt, msBefore(GATE_CLOSURE));
      for (const txTime of [GATE_CLOSURE, REVEAL_DEADLINE]) {
        assert.throws(
          () => at(txTime),
          vppError(ErrorCode.GATE_CLOSED, /closed for bids at 2025-03-01T10:00:00.000Z/),
        );
      }
    });

    it('should refuse malformed commitments and a mismatched interval', () => {
      const build = (value: unknown, txId = 't') =>
        buildCommitment({ input: value, interval, caller: OPERATOR, txTime: COMMIT_AT, txId });
      const bad: [unknown, RegExp][] = [
        [{ ...input, commitment: input.commitment.toUpperCase() }, /commitment must be 64 lowercase hex/],
        [{ ...input, commitment: input.commitment.slice(1) }, /commitment must be 64 lowercase hex/],
        [{ ...input, steps: [] }, /unsupported field\(s\): steps/],
        [{ ...input, intervalId: 'i-other' }, /names interval i-other/],
      ];
      for (const [value, pattern] of bad) {
        assert.throws(() => build(value), invalid(pattern), JSON.stringify(value));
      }
      assert.throws(() => build(input, ''), invalid(/txId/));
      assert.throws(() => build(input, 'tx id'), invalid(/txId/));
    });

    it('should parse commitment input on its own', () => {
      assert.deepEqual(parseCommitmentInput(input), input);
    });
  });
});
