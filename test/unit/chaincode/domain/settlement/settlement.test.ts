import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type DerReadings,
  parseSettlementInputs,
  readingsHashOfDer,
  type SettlementInputs,
  settlementInputsHash,
} from '../../../../../chaincode/src/domain/settlement/inputs';
import {
  parseStoredDerSettlementLine,
  parseStoredVppSettlementLine,
} from '../../../../../chaincode/src/domain/settlement/lines';
import {
  deliveryCreditEvent,
  requireNotSettled,
  requireReadingWindowClosed,
  settleInterval,
  type SettlementResult,
} from '../../../../../chaincode/src/domain/settlement/settlement';
import { verifySettlement } from '../../../../../chaincode/src/domain/settlement/verification';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { prng, type Random, randomInt } from '../../../../support/prng';
import { BASE, der, settle } from '../../../../support/settlement-inputs';
import { vppError } from '../../../../support/vpp-assert';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

const amounts = (result: SettlementResult) =>
  Object.fromEntries(result.derLines.map((line) => [line.derId, line.amountMinor]));
const money = (result: SettlementResult) => {
  const { grossMinor, penaltyMinor, feeMinor, netToDersMinor, owedMinor } = result.vppLine;
  return { grossMinor, penaltyMinor, feeMinor, netToDersMinor, owedMinor };
};
const energy = (result: SettlementResult) => {
  const { deliveredWh, awardedWh, paidWh, deviationWh, toleranceWh, excessDeviationWh } = result.vppLine;
  return { deliveredWh, awardedWh, paidWh, deviationWh, toleranceWh, excessDeviationWh };
};

function shuffle<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(random, 0, i);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('domain/settlement/settlement', () => {
  describe('#settleInterval hand cases', () => {
    it('should pay exact delivery in full, take the fee and split the rest by delivery', () => {
      // D = 5000 + 3000 + 2000 = 10 000 = A. paid 10 000; gross = 10 000 × 50 000 / 1e6 = 500.
      // deviation 0 → penalty 0. fee = 500 × 1000 / 10 000 = 50. net = 450.
      // DERs: 450 × 5000/10 000 = 225, 450 × 3000/10 000 = 135, 450 × 2000/10 000 = 90.
      const result = settle({});
      assert.deepEqual(energy(result), {
        deliveredWh: 10_000,
        awardedWh: 10_000,
        paidWh: 10_000,
        deviationWh: 0,
        toleranceWh: 500,
        excessDeviationWh: 0,
      });
      assert.deepEqual(money(result), {
        grossMinor: 500,
        penaltyMinor: 0,
        feeMinor: 50,
        netToDersMinor: 450,
        owedMinor: 0,
      });
      assert.deepEqual(amounts(result), { 'der-a': 225, 'der-b': 135, 'der-c': 90 });
      assert.deepEqual(
        result.derLines.map((line) => [line.derId, line.deliveredWh, line.readingCount]),
        [
          ['der-a', 5000, 2],
          ['der-b', 3000, 1],
          ['der-c', 2000, 2],
        ],
      );
    });

    it('should not penalise under-delivery within the tolerance', () => {
      // D = 9600: gross = 9600 × 50 000 / 1e6 = 480; deviation −400, |−400| ≤ 500 → excess 0.
      // fee = 480 × 10 % = 48; net = 432 → 4800/9600 × 432 = 216, 2400/9600 × 432 = 108 twice.
      const result = settle({ ders: [der('der-a', 4800), der('der-b', 2400), der('der-c', 2400)] });
      assert.equal(result.vppLine.deviationWh, -400);
      assert.equal(result.vppLine.excessDeviationWh, 0);
      assert.deepEqual(money(result), {
        grossMinor: 480,
        penaltyMinor: 0,
        feeMinor: 48,
        netToDersMinor: 432,
        owedMinor: 0,
      });
      assert.deepEqual(amounts(result), { 'der-a': 216, 'der-b': 108, 'der-c': 108 });
    });

    it('should treat a deviation exactly at the tolerance as within it', () => {
      // D = 9500: |−500| − 500 = 0 → no excess. D = 9499: excess 1 Wh, penalty
      // floor(1 × 50 000 × 1500 / 1e9) = floor(0.075) = 0, yet the delivery counts as a deviation.
      const at = settle({ ders: [der('der-a', 9500)] });
      assert.equal(at.vppLine.excessDeviationWh, 0);
      assert.equal(deliveryCreditEvent(at.vppLine).eventType, 'DELIVERY_WITHIN_TOLERANCE');
      const beyond = settle({ ders: [der('der-a', 9499)] });
      assert.equal(beyond.vppLine.excessDeviationWh, 1);
      assert.equal(beyond.vppLine.penaltyMinor, 0);
      assert.equal(deliveryCreditEvent(beyond.vppLine).eventType, 'DELIVERY_DEVIATION');
    });

    it('should penalise under-delivery beyond the tolerance, scaled by the penalty factor', () => {
      // D = 8000: gross = 400; deviation −2000, excess = 2000 − 500 = 1500 Wh.
      // penalty = floor(1500 × 50 000 × 1500 / (1e6 × 1000)) = floor(112.5) = 112.
      // balance 288; fee = floor(28.8) = 28; net 260 → 130 + 130.
      const result = settle({ ders: [der('der-a', 4000), der('der-b', 4000)] });
      assert.deepEqual(energy(result), {
        deliveredWh: 8000,
        awardedWh: 10_000,
        paidWh: 8000,
        deviationWh: -2000,
        toleranceWh: 500,
        excessDeviationWh: 1500,
      });
      assert.deepEqual(money(result), {
        grossMinor: 400,
        penaltyMinor: 112,
        feeMinor: 28,
        netToDersMinor: 260,
        owedMinor: 0,
      });
      assert.deepEqual(amounts(result), { 'der-a': 130, 'der-b': 130 });
      // Factor 1.0× instead: floor(1500 × 50 000 × 1000 / 1e9) = 75.
      assert.equal(
        settle({ ders: [der('der-a', 8000)], penaltyFactorPermille: 1000 }).vppLine.penaltyMinor,
        75,
      );
      // Factor 0 waives the penalty.
      assert.equal(settle({ ders: [der('der-a', 8000)], penaltyFactorPermille: 0 }).vppLine.penaltyMinor, 0);
    });

    it('should cap payment for over-delivery at the award and penalise the excess beyond tolerance', () => {
      // D = 12 000: paid = min(12 000, 10 000) = 10 000 → gross 500. deviation +2000, excess 1500,
      // penalty 112 as above; balance 388; fee = floor(38.8) = 38; net 350 → 175 + 175.
      const over = settle({ ders: [der('der-a', 6000), der('der-b', 6000)] });
      assert.equal(over.vppLine.paidWh, 10_000);
      assert.equal(over.vppLine.deviationWh, 2000);
      assert.deepEqual(money(over), {
        grossMinor: 500,
        penaltyMinor: 112,
        feeMinor: 38,
        netToDersMinor: 350,
        owedMinor: 0,
      });
      assert.deepEqual(amounts(over), { 'der-a': 175, 'der-b': 175 });

      // D = 10 300 (within tolerance): gross 500, fee 50, net 450 split 10 000 : 300.
      // 450 × 10 000 / 10 300 = 436.89 and 450 × 300 / 10 300 = 13.11: floors 436 + 13 = 449; the one
      // unit left goes to the larger remainder (der-a: 9200/10 300 vs 1100/10 300) → 437 + 13.
      const slightly = settle({ ders: [der('der-a', 10_000), der('der-b', 300)] });
      assert.deepEqual(money(slightly), {
        grossMinor: 500,
        penaltyMinor: 0,
        feeMinor: 50,
        netToDersMinor: 450,
        owedMinor: 0,
      });
      assert.deepEqual(amounts(slightly), { 'der-a': 437, 'der-b': 13 });
    });

    it('should take the operator fee in basis points, rounded down', () => {
      // gross 500, fee 333 bps → floor(500 × 333 / 10 000) = floor(16.65) = 16; net 484
      // → 484 × 0.5 = 242, 484 × 0.3 = 145.2, 484 × 0.2 = 96.8: floors 242 + 145 + 96 = 483, the
      // unit left goes to der-c (remainder 0.8 > 0.2) → 242, 145, 97.
      const odd = settle({ feeBps: 333 });
      assert.deepEqual(money(odd), {
        grossMinor: 500,
        penaltyMinor: 0,
        feeMinor: 16,
        netToDersMinor: 484,
        owedMinor: 0,
      });
      assert.deepEqual(amounts(odd), { 'der-a': 242, 'der-b': 145, 'der-c': 97 });
      // No fee: all 500 to the DERs (250, 150, 100). A 100 % fee: nothing to the DERs.
      assert.deepEqual(amounts(settle({ feeBps: 0 })), { 'der-a': 250, 'der-b': 150, 'der-c': 100 });
      const all = settle({ feeBps: 10_000 });
      assert.equal(all.vppLine.feeMinor, 500);
      assert.deepEqual(amounts(all), { 'der-a': 0, 'der-b': 0, 'der-c': 0 });
    });

    it('should record what the VPP owes when the penalty exceeds the gross revenue', () => {
      // D = 1000: gross = 1000 × 50 000 / 1e6 = 50. deviation −9000, excess 8500,
      // penalty = floor(8500 × 50 000 × 1500 / 1e9) = floor(637.5) = 637. balance = 50 − 637 = −587:
      // no fee, nothing to the DERs, the VPP owes 587.
      const result = settle({ ders: [der('der-a', 1000), der('der-b')] });
      assert.deepEqual(money(result), {
        grossMinor: 50,
        penaltyMinor: 637,
        feeMinor: 0,
        netToDersMinor: 0,
        owedMinor: 587,
      });
      assert.deepEqual(amounts(result), { 'der-a': 0, 'der-b': 0 });
    });

    it('should give every DER 0 when nothing was delivered', () => {
      // D = 0: gross 0; excess = 10 000 − 500 = 9500; penalty = floor(712.5) = 712, all owed.
      const result = settle({ ders: [der('der-a', 0, 0), der('der-b')] });
      assert.deepEqual(money(result), {
        grossMinor: 0,
        penaltyMinor: 712,
        feeMinor: 0,
        netToDersMinor: 0,
        owedMinor: 712,
      });
      assert.deepEqual(
        result.derLines.map((line) => [line.derId, line.deliveredWh, line.readingCount, line.amountMinor]),
        [
          ['der-a', 0, 2, 0],
          ['der-b', 0, 0, 0],
        ],
      );
      assert.equal(result.vppLine.readingCount, 2);
      assert.equal(result.vppLine.derCount, 2);
      // A VPP without any DER settles the same way, with no DER line.
      const empty = settle({ ders: [] });
      assert.equal(empty.vppLine.owedMinor, 712);
      assert.deepEqual(empty.derLines, []);
    });

    it('should hand the leftover units to the largest remainders', () => {
      // net 450 over 3334 : 3333 : 3333 → 150.03, 149.985, 149.985: floors 150 + 149 + 149 = 448;
      // the two units left go to der-b and der-c (remainder 0.985 > 0.03) → 150 each.
      const result = settle({ ders: [der('der-a', 3334), der('der-b', 3333), der('der-c', 3333)] });
      assert.equal(result.vppLine.netToDersMinor, 450);
      assert.deepEqual(amounts(result), { 'der-a': 150, 'der-b': 150, 'der-c': 150 });
    });

    it('should stay exact where a double would round (products beyond 2^53)', () => {
      // 157 437 170 173 Wh × 98 428 605 /MWh = 15 496 321 035 275 998 665 / 1e6 → gross
      // 15 496 321 035 275 (a double computes ...276). Split 100 000 000 000 : 57 437 170 173:
      // floors 9 842 860 499 999 + 5 653 460 535 275 = ...274, one unit to the larger remainder (der-b).
      const result = settle({
        award: { awardId: 'award-big', quantityWh: 157_437_170_173, clearingPrice: 98_428_605 },
        ders: [der('der-a', 100_000_000_000), der('der-b', 57_437_170_173)],
        toleranceBps: 0,
        feeBps: 0,
      });
      assert.equal(result.vppLine.grossMinor, 15_496_321_035_275);
      assert.deepEqual(amounts(result), { 'der-a': 9_842_860_499_999, 'der-b': 5_653_460_535_276 });
    });

    it('should name its inputs on every line', () => {
      const result = settle({});
      for (const line of [result.vppLine, ...result.derLines]) {
        assert.equal(line.intervalId, BASE.intervalId);
        assert.equal(line.vppId, 'vpp-1');
        assert.equal(line.awardId, 'award-7');
        assert.equal(line.awardedWh, 10_000);
        assert.equal(line.clearingPrice, 50_000);
        assert.equal(line.ruleVersion, 1);
        assert.equal(line.formulaVersion, 1);
        assert.equal(line.inputsHash, result.inputsHash);
        assert.equal(line.settledAt, BASE.settledAt);
        assert.equal(line.txId, 'tx-settle-1');
      }
      assert.match(result.inputsHash, /^[0-9a-f]{64}$/);
      assert.equal(result.inputsHash, settlementInputsHash(BASE));
      const derA = result.derLines[0]!;
      assert.equal(derA.readingsHash, readingsHashOfDer(BASE.intervalId, der('der-a', 2500, 2500)));
      assert.equal(derA.vppDeliveredWh, 10_000);
      assert.equal(derA.netToDersMinor, 450);
      assert.equal(result.vppLine.readingCount, 5);
    });

    it('should change the inputs hash with any calculation input, but not with settledAt or txId', () => {
      const hash = settlementInputsHash(BASE);
      const variants: Partial<SettlementInputs>[] = [
        { intervalId: 'iv-other' },
        { intervalStart: '2025-03-01T10:15:00.000Z' },
        { vppId: 'vpp-2' },
        { award: { ...BASE.award, awardId: 'award-8' } },
        { award: { ...BASE.award, quantityWh: 10_001 } },
        { award: { ...BASE.award, clearingPrice: 50_001 } },
        { ders: [der('der-a', 2500, 2501), der('der-b', 3000), der('der-c', 1000, 1000)] },
        { ders: [der('der-a', 2500, 2500), der('der-b', 3000), der('der-d', 1000, 1000)] },
        { toleranceBps: 501 },
        { penaltyFactorPermille: 1501 },
        { feeBps: 1001 },
        { ruleVersion: 2 },
      ];
      const hashes = new Set(variants.map((change) => settlementInputsHash({ ...BASE, ...change })));
      assert.equal(hashes.size, variants.length);
      assert.ok(!hashes.has(hash));
      assert.equal(
        settlementInputsHash({ ...BASE, settledAt: '2025-03-02T00:00:00.000Z', txId: 'tx-x' }),
        hash,
      );
      // The readings hash is bound to the sequence numbers too.
      const renumbered = {
        derId: 'der-a',
        readings: [
          { sequence: 7, energyWh: 2500 },
          { sequence: 8, energyWh: 2500 },
        ],
      };
      assert.notEqual(
        readingsHashOfDer(BASE.intervalId, renumbered),
        readingsHashOfDer(BASE.intervalId, der('der-a', 2500, 2500)),
      );
    });
  });
  describe('#settleInterval validation', () => {
    it('should refuse malformed inputs with INVALID_ARGUMENT', () => {
      const cases: [unknown, RegExp][] = [
        [{ ...BASE, extra: 1 }, /settlement inputs has unsupported field\(s\): extra/],
        [{ ...BASE, award: { ...BASE.award, quantityWh: 0 } }, /quantityWh must be a positive integer/],
        [
          { ...BASE, award: { ...BASE.award, clearingPrice: -1 } },
          /clearingPrice must be a non-negative integer/,
        ],
        [{ ...BASE, award: { ...BASE.award, clearingPrice: 1.5 } }, /clearingPrice/],
        [{ ...BASE, ders: [der('der-a', 1), der('der-a', 2)] }, /der "der-a" appears twice/],
        [
          {
            ...BASE,
            ders: [
              {
                derId: 'der-a',
                readings: [
                  { sequence: 1, energyWh: 1 },
                  { sequence: 1, energyWh: 2 },
                ],
              },
            ],
          },
          /reading sequence 1 of der "der-a" appears twice/,
        ],
        [{ ...BASE, ders: [der('der-a', -5)] }, /energyWh must be a non-negative integer/],
        [{ ...BASE, ders: [der('der-a', 2 ** 53)] }, /energyWh must be a non-negative integer/],
        [
          { ...BASE, ders: [{ derId: 'der-a', readings: [{ sequence: 1, energyWh: 1, sig: 'x' }] }] },
          /unsupported field\(s\): sig/,
        ],
        [
          { ...BASE, ders: [der(' der-a', 1)] },
          /derId must be 1\.\.64 characters of A-Z, a-z, 0-9, '\.', '_' or '-', starting alphanumeric/,
        ],
        [{ ...BASE, ders: 'none' }, /ders must be an array/],
        [{ ...BASE, toleranceBps: 10_001 }, /toleranceBps must be an integer in 0\.\.10000/],
        [{ ...BASE, feeBps: -1 }, /feeBps must be an integer in 0\.\.10000/],
        [
          { ...BASE, penaltyFactorPermille: 10_001 },
          /penaltyFactorPermille must be an integer in 0\.\.10000/,
        ],
        [{ ...BASE, ruleVersion: 0 }, /ruleVersion must be a positive integer/],
        [{ ...BASE, settledAt: '2025-03-01 10:20' }, /settledAt must be an ISO-8601/],
        [
          { ...BASE, intervalId: '' },
          /intervalId must be 1\.\.64 characters of A-Z, a-z, 0-9, '\.', '_', ':', '-' starting with a letter or digit/,
        ],
        [{ ...BASE, txId: undefined }, /txId must be 1\.\.128 printable ASCII characters/],
      ];
      for (const [value, message] of cases) {
        assert.throws(() => settleInterval(value as SettlementInputs), invalid(message), String(message));
      }
    });

    it('should refuse sums that do not fit a safe integer', () => {
      const huge = Number.MAX_SAFE_INTEGER;
      assert.throws(
        () => settle({ ders: [der('der-a', huge), der('der-b', huge)] }),
        invalid(/deliveredWh does not fit in a safe integer/),
      );
      assert.throws(
        () =>
          settle({
            award: { awardId: 'a', quantityWh: huge, clearingPrice: huge },
            ders: [der('der-a', huge)],
          }),
        invalid(/grossMinor does not fit/),
      );
    });

    it('should normalise the order of DERs and readings', () => {
      const parsed = parseSettlementInputs({
        ...BASE,
        ders: [
          der('der-c'),
          {
            derId: 'der-b',
            readings: [
              { sequence: 9, energyWh: 1 },
              { sequence: 2, energyWh: 3 },
            ],
          },
        ],
      });
      assert.deepEqual(parsed.ders, [
        {
          derId: 'der-b',
          readings: [
            { sequence: 2, energyWh: 3 },
            { sequence: 9, energyWh: 1 },
          ],
        },
        { derId: 'der-c', readings: [] },
      ]);
    });
  });
  describe('tie seeding', () => {
    it('should not always hand the remainder unit to the same DER across intervals', () => {
      // Three DERs deliver 1000 Wh each. gross = floor(3000 × 33 334 / 1e6) = floor(100.002) = 100,
      // no fee: 33 each plus one unit that goes to a DER picked by SHA-256(interval, vpp, der).
      const winners = new Map<string, number>();
      for (let i = 0; i < 30; i++) {
        const interval = (ders: DerReadings[]) =>
          settle({
            intervalId: `iv-${i}`,
            award: { awardId: `award-${i}`, quantityWh: 3000, clearingPrice: 33_334 },
            ders,
            feeBps: 0,
          });
        const result = interval([der('der-a', 1000), der('der-b', 1000), der('der-c', 1000)]);
        assert.equal(result.vppLine.netToDersMinor, 100);
        const amountsById = amounts(result);
        assert.deepEqual(Object.values(amountsById).sort(), [33, 33, 34]);
        const winner = Object.keys(amountsById).find((id) => amountsById[id] === 34)!;
        winners.set(winner, (winners.get(winner) ?? 0) + 1);
        // The same interval with the DERs listed in another order: the same winner.
        const reordered = interval([der('der-c', 1000), der('der-a', 1000), der('der-b', 1000)]);
        assert.deepEqual(amounts(reordered), amountsById);
      }
      assert.deepEqual([...winners.keys()].sort(), ['der-a', 'der-b', 'der-c']);
    });
  });
  describe('properties on random inputs', () => {
    function randomInputs(random: Random, round: number): SettlementInputs {
      const derCount = randomInt(random, 0, 12);
      const ders = Array.from({ length: derCount }, (_, i) => {
        const mode = random();
        const readingCount = mode < 0.15 ? 0 : randomInt(random, 1, 5);
        const zero = mode < 0.3; // a share of DERs report only zero readings (or none)
        const sequences = shuffle(
          random,
          Array.from({ length: readingCount + 3 }, (_, s) => s),
        ).slice(0, readingCount);
        return {
          derId: `der-${round}-${i}`,
          readings: sequences.map((sequence) => ({
            sequence,
            energyWh: zero ? 0 : randomInt(random, 0, 50_000),
          })),
        };
      });
      return {
        ...BASE,
        intervalId: `iv-${round}`,
        award: {
          awardId: `award-${round}`,
          quantityWh: randomInt(random, 1, 300_000),
          clearingPrice: randomInt(random, 0, 2_000_000),
        },
        ders,
        toleranceBps: randomInt(random, 0, 2000),
        penaltyFactorPermille: randomInt(random, 0, 5000),
        feeBps: randomInt(random, 0, 3000),
        ruleVersion: randomInt(random, 1, 5),
        txId: `tx-${round}`,
      };
    }

    /** Reference figures, straight from the formula in the module header. */
    function expectedVppMoney(inputs: SettlementInputs) {
      const delivered = inputs.ders.reduce(
        (sum, d) => sum + d.readings.reduce((s, r) => s + BigInt(r.energyWh), 0n),
        0n,
      );
      const awarded = BigInt(inputs.award.quantityWh);
      const price = BigInt(inputs.award.clearingPrice);
      const paid = delivered < awarded ? delivered : awarded;
      const gross = (paid * price) / 1_000_000n;
      const dev = delivered > awarded ? delivered - awarded : awarded - delivered;
      const tol = (awarded * BigInt(inputs.toleranceBps)) / 10_000n;
      const excess = dev > tol ? dev - tol : 0n;
      const penalty = (excess * price * BigInt(inputs.penaltyFactorPermille)) / 1_000_000_000n;
      const balance = gross - penalty;
      const fee = balance > 0n ? (balance * BigInt(inputs.feeBps)) / 10_000n : 0n;
      return {
        grossMinor: Number(gross),
        penaltyMinor: Number(penalty),
        feeMinor: Number(fee),
        netToDersMinor: balance > 0n ? Number(balance - fee) : 0,
        owedMinor: balance < 0n ? Number(-balance) : 0,
      };
    }

    it('should hold on 300 random cases: exact sums, no negative line, zero for zero, order-free, verifiable', () => {
      const random = prng(20261126);
      let withRemainder = 0;
      let owing = 0;
      for (let round = 0; round < 300; round++) {
        const inputs = randomInputs(random, round);
        const result = settleInterval(inputs);
        const { vppLine, derLines } = result;
        const context = `round ${round}`;

        assert.deepEqual(money(result), expectedVppMoney(inputs), context);
        assert.equal(
          derLines.reduce((sum, line) => sum + line.amountMinor, 0),
          vppLine.netToDersMinor,
          context,
        );
        assert.equal(derLines.length, inputs.ders.length);
        for (const value of Object.values(money(result))) assert.ok(value >= 0, context);
        if (vppLine.owedMinor > 0) owing++;
        for (const line of derLines) {
          assert.ok(line.amountMinor >= 0, context);
          if (line.deliveredWh === 0) assert.equal(line.amountMinor, 0, context);
          if (vppLine.deliveredWh > 0) {
            const exact = (vppLine.netToDersMinor * line.deliveredWh) / vppLine.deliveredWh;
            assert.ok(
              Math.abs(line.amountMinor - exact) < 1 + 1e-6,
              `${context}: ${line.amountMinor} vs ${exact}`,
            );
            if (!Number.isInteger(exact)) withRemainder++;
          }
        }

        // The order in which DERs and readings arrive does not matter.
        const shuffled: SettlementInputs = {
          ...inputs,
          ders: shuffle(
            random,
            inputs.ders.map((d) => ({ derId: d.derId, readings: shuffle(random, d.readings) })),
          ),
        };
        assert.deepEqual(settleInterval(shuffled), result, context);

        // Stored lines decode to themselves, and verify against the inputs in any order.
        const stored = {
          vppLine: parseStoredVppSettlementLine(JSON.parse(JSON.stringify(vppLine))),
          derLines: shuffle(random, derLines).map((line) =>
            parseStoredDerSettlementLine(JSON.parse(JSON.stringify(line))),
          ),
        };
        assert.equal(verifySettlement(stored, shuffled).matches, true, context);

        // Moving one unit between two DER lines keeps the sum but is detected.
        if (derLines.length >= 2) {
          const from = derLines.findIndex((line) => line.amountMinor > 0);
          if (from >= 0) {
            const to = (from + 1) % derLines.length;
            const tampered = derLines.map((line, i) =>
              i === from
                ? { ...line, amountMinor: line.amountMinor - 1 }
                : i === to
                  ? { ...line, amountMinor: line.amountMinor + 1 }
                  : line,
            );
            const check = verifySettlement({ vppLine, derLines: tampered }, inputs);
            assert.equal(check.matches, false, context);
            assert.deepEqual(
              [...check.differences].sort(),
              [
                `derLines[${derLines[from]!.derId}].amountMinor`,
                `derLines[${derLines[to]!.derId}].amountMinor`,
              ].sort(),
              context,
            );
          }
        }
      }
      // The generator exercised the interesting paths.
      assert.ok(withRemainder > 50, `only ${withRemainder} shares with a remainder`);
      assert.ok(owing > 10, `only ${owing} settlements with an amount owed`);
    });
  });
  describe('#requireNotSettled', () => {
    it('should pass when nothing is stored and refuse a second run with ALREADY_SETTLED', () => {
      requireNotSettled(undefined);
      const { vppLine } = settle({});
      assert.throws(
        () => requireNotSettled(vppLine),
        vppError(
          ErrorCode.ALREADY_SETTLED,
          /interval "iv-2025-03-01T10:00Z" of vpp "vpp-1" was already settled by transaction tx-settle-1 at 2025-03-01T10:20:00.000Z/,
        ),
      );
    });
  });
  describe('#requireReadingWindowClosed', () => {
    const end = '2025-03-01T10:20:00.000Z';

    it('should allow settlement from the instant the window closes', () => {
      requireReadingWindowClosed(end, end);
      requireReadingWindowClosed(end, '2025-03-01T10:20:00.001Z');
      requireReadingWindowClosed(end, '2026-01-01T00:00:00.000Z');
    });

    it('should refuse settlement before the window closes with INVALID_STATE', () => {
      assert.throws(
        () => requireReadingWindowClosed(end, '2025-03-01T10:19:59.999Z'),
        vppError(
          ErrorCode.INVALID_STATE,
          /reading window is open until 2025-03-01T10:20:00.000Z; settlement at 2025-03-01T10:19:59.999Z is too early/,
        ),
      );
    });

    it('should refuse malformed times with INVALID_ARGUMENT', () => {
      assert.throws(() => requireReadingWindowClosed('soon', end), invalid(/readingWindowEnd/));
      assert.throws(() => requireReadingWindowClosed(end, '2025-03-01T10:20:00Z'), invalid(/txTime/));
    });
  });
  describe('#deliveryCreditEvent', () => {
    it('should report the delivery outcome of the VPP at the settling transaction', () => {
      assert.deepEqual(deliveryCreditEvent(settle({}).vppLine), {
        participant: { type: 'vpp', id: 'vpp-1' },
        eventType: 'DELIVERY_WITHIN_TOLERANCE',
        intervalId: BASE.intervalId,
        txId: 'tx-settle-1',
        at: BASE.settledAt,
      });
      const deviation = deliveryCreditEvent(settle({ ders: [der('der-a', 12_000)] }).vppLine);
      assert.equal(deviation.eventType, 'DELIVERY_DEVIATION');
    });
  });
});
