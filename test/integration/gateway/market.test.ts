// One whole market interval over REST on the real network, each step through the gateway of the
// organisation that performs it, signed by a user of that organisation with the role the step needs:
// a VPP with two device-backed DERs (CVPP), a quota (regulator), an interval and its clearing
// (trading centre), demand and dispatch (control centre), sealed bids, acknowledgement and setpoints
// (CVPP operator). The chaincode only knows the transaction timestamp, which is the real clock here,
// so the interval's instants are set a few seconds ahead of now and the test waits for them to pass.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { computeCommitment } from '../../../chaincode/src/domain/market/bid';
import {
  expectRefusal,
  expectStatus,
  intervalInstants,
  loginMarketUsers,
  postDemand,
  registerVppWithDers,
  requestsAs,
  sleepUntil,
  visibleTo,
  type Org,
} from '../../support/market-rest';

const stamp = Date.now().toString(36);
const VPP = `vpp-mkt-${stamp}`;
const INTERVAL = `i-mkt-${stamp}`;
/** Enough for the opening, the demand and three commits to be endorsed and committed. */
const OPEN_FOR_MS = 30_000;
/** Enough for three reveals. */
const REVEAL_FOR_MS = 20_000;

interface Bid {
  bidId: string;
  intervalId: string;
  vppId: string;
  steps: { price: number; quantity: number }[];
}

describe('market interval over REST (real network)', () => {
  const tokens = {} as Record<Org, string>;
  const as = requestsAs(tokens);
  before(async () => {
    Object.assign(tokens, await loginMarketUsers('mkt', stamp));
    // A VPP with two DERs whose devices enroll with their own keys: 12,000 W backs 3,000 Wh in 15 min.
    await registerVppWithDers(
      as,
      { vppId: VPP, displayName: `Market test ${stamp}` },
      [
        [`pv-${stamp}`, 'pv', 8000],
        [`bat-${stamp}`, 'battery', 4000],
      ],
      10_000,
    );
  });

  it('should open, bid, reveal, clear, verify and dispatch one interval down to DER setpoints', async () => {
    const instants = intervalInstants(OPEN_FOR_MS, REVEAL_FOR_MS, 60_000);
    const { gateClosure, revealDeadline } = instants;
    const base = `/v1/market/intervals/${INTERVAL}`;

    // ---- open phase ----
    const opened = await as<{ record: { quantityUnit: string; openedBy: { mspId: string } } }>(
      'trading',
      'POST',
      '/v1/market/intervals',
      { intervalId: INTERVAL, product: 'energy-up', ...instants },
    );
    expectStatus(opened, 201, 'open interval');
    await visibleTo(as, 'control', base);
    assert.deepEqual(
      [opened.body.record.quantityUnit, opened.body.record.openedBy.mspId],
      ['Wh', 'TradingMSP'],
    );
    expectRefusal(
      await as('cvpp', 'POST', `${base}/demand`, { product: 'energy-up', quantity: 1500, priceCap: 10_000 }),
      403,
      'FORBIDDEN',
      'demand as the VPP operator',
    );
    await postDemand(as, base, 1500);
    await visibleTo(as, 'cvpp', base, (body) => (body as { demand: unknown }).demand !== null);

    const bid = (bidId: string, steps: [number, number][]): Bid => ({
      bidId: `${bidId}-${stamp}`,
      intervalId: INTERVAL,
      vppId: VPP,
      steps: steps.map(([price, quantity]) => ({ price, quantity })),
    });
    const cheap = bid('cheap', [
      [3000, 1000],
      [6000, 500],
    ]);
    const dear = bid('dear', [[8000, 600]]);
    const ghost = bid('ghost', [[100, 100]]);
    const salts = new Map([cheap, dear, ghost].map((b) => [b.bidId, randomBytes(32).toString('hex')]));
    for (const b of [cheap, dear, ghost]) {
      const commitment = computeCommitment(b, salts.get(b.bidId));
      const res = await as<{ record: { commitment: string } }>('cvpp', 'POST', `${base}/commitments`, {
        commitment,
        bidId: b.bidId,
        vppId: VPP,
      });
      expectStatus(res, 201, `commit ${b.bidId}`);
      assert.equal(res.body.record.commitment, commitment);
    }
    expectRefusal(
      await as('cvpp', 'POST', `${base}/reveals`, { bid: cheap, salt: salts.get(cheap.bidId) }),
      422,
      'INVALID_STATE',
      'reveal before gate closure',
    );
    await visibleTo(as, 'regulator', base, (body) => (body as { demand: unknown }).demand !== null);
    const phase = await as<{ phase: string; demand: { priceCap: number } }>('regulator', 'GET', base);
    expectStatus(phase, 200, 'get interval');
    assert.deepEqual([phase.body.phase, phase.body.demand.priceCap], ['open', 10_000]);

    // ---- reveal phase ----
    await sleepUntil(gateClosure);
    const late = bid('late', [[1, 1]]);
    expectRefusal(
      await as('cvpp', 'POST', `${base}/commitments`, {
        commitment: computeCommitment(late, salts.get(cheap.bidId)),
        bidId: late.bidId,
        vppId: VPP,
      }),
      409,
      'GATE_CLOSED',
      'commit after gate closure',
    );
    for (const b of [cheap, dear]) {
      expectStatus(
        await as('cvpp', 'POST', `${base}/reveals`, { bid: b, salt: salts.get(b.bidId) }),
        201,
        `reveal ${b.bidId}`,
      );
    }
    expectRefusal(
      await as('cvpp', 'POST', `${base}/reveals`, { bid: ghost, salt: salts.get(cheap.bidId) }),
      422,
      'COMMITMENT_MISMATCH',
      'reveal with the wrong salt',
    );

    // ---- closed: violations, clearing, verification ----
    await sleepUntil(revealDeadline);
    expectRefusal(
      await as('cvpp', 'POST', `${base}/reveals`, { bid: ghost, salt: salts.get(ghost.bidId) }),
      409,
      'GATE_CLOSED',
      'reveal after the deadline',
    );
    // None recorded yet: an empty last page (the peer then sends no paging metadata at all).
    const none = await as<{ violations: unknown[]; bookmark: string }>(
      'cvpp',
      'GET',
      `/v1/market/vpps/${VPP}/violations`,
    );
    expectStatus(none, 200, 'list no violations');
    assert.deepEqual(none.body, { violations: [], bookmark: '' });
    const violations = await as<{ recorded: { bidId: string; vppId: string }[] }>(
      'trading',
      'POST',
      `${base}/violations`,
    );
    expectStatus(violations, 200, 'record violations');
    assert.deepEqual(
      violations.body.recorded.map((v) => [v.bidId, v.vppId]),
      [[ghost.bidId, VPP]],
    );
    // Written through the trading org's peer: wait until the regulator's peer has the block too.
    await visibleTo(
      as,

      'regulator',
      `/v1/market/vpps/${VPP}/violations`,
      (body) => (body as { violations: unknown[] }).violations.length > 0,
    );
    const listed = await as<{ violations: { bidId: string }[]; bookmark: string }>(
      'regulator',
      'GET',
      `/v1/market/vpps/${VPP}/violations`,
    );
    expectStatus(listed, 200, 'list violations');
    assert.deepEqual([listed.body.violations.map((v) => v.bidId), listed.body.bookmark], [[ghost.bidId], '']);

    const cleared = await as<{
      record: {
        result: {
          clearingPrice: number;
          totalAwarded: number;
          awards: { bidId: string; quantity: number }[];
        };
      };
    }>('trading', 'POST', `${base}/clearing`);
    expectStatus(cleared, 201, 'clear');
    // Merit order: 1000 Wh at 3000, then 500 Wh at 6000 meets the 1500 Wh demand; 6000 is the price.
    const { result } = cleared.body.record;
    assert.deepEqual([result.clearingPrice, result.totalAwarded], [6000, 1500]);
    assert.deepEqual(
      result.awards.map((a) => [a.bidId, a.quantity]),
      [[cheap.bidId, 1500]],
    );
    expectRefusal(await as('trading', 'POST', `${base}/clearing`), 409, 'ALREADY_EXISTS', 'clear twice');
    await visibleTo(as, 'regulator', `${base}/clearing`);
    await visibleTo(as, 'control', `${base}/clearing`);
    const stored = await as<{ result: unknown }>('regulator', 'GET', `${base}/clearing`);
    expectStatus(stored, 200, 'get clearing');
    assert.deepEqual(stored.body.result, result);
    const verified = await as<{ matches: boolean }>('control', 'GET', `${base}/clearing/verify`);
    expectStatus(verified, 200, 'verify clearing');
    assert.equal(verified.body.matches, true);

    // ---- dispatch ----
    const dispatchUrl = `/v1/dispatch/${INTERVAL}/${VPP}`;
    const issued = await as<{ record: { quantity: number; requiredW: number; status: string } }>(
      'control',
      'POST',
      dispatchUrl,
    );
    expectStatus(issued, 201, 'issue dispatch');
    // 1500 Wh over 15 minutes is a constant 6000 W.
    assert.deepEqual(
      [issued.body.record.quantity, issued.body.record.requiredW, issued.body.record.status],
      [1500, 6000, 'issued'],
    );
    // Each org's gateway answers once its own peer committed: wait until the CVPP peer has the block.
    await visibleTo(as, 'cvpp', dispatchUrl);
    const acknowledged = await as<{ record: { status: string } }>('cvpp', 'POST', `${dispatchUrl}/ack`);
    expectStatus(acknowledged, 200, 'acknowledge dispatch');
    assert.equal(acknowledged.body.record.status, 'acknowledged');
    const allocated = await as<{ requiredW: number; setpoints: { derId: string; setpointW: number }[] }>(
      'cvpp',
      'POST',
      `${dispatchUrl}/setpoints`,
    );
    expectStatus(allocated, 201, 'allocate setpoints');
    const sumW = allocated.body.setpoints.reduce((sum, s) => sum + s.setpointW, 0);
    assert.equal(sumW, 6000);
    assert.equal((sumW * 15) / 60, 1500);
    assert.deepEqual(
      allocated.body.setpoints.map((s) => [s.derId, s.setpointW]),
      [
        [`bat-${stamp}`, 2000],
        [`pv-${stamp}`, 4000],
      ],
    );
    // Allocated through the CVPP's gateway: wait until the trading centre's peer has the block.
    await visibleTo(
      as,
      'trading',
      dispatchUrl,
      (body) => (body as { setpoints: unknown[] }).setpoints.length > 0,
    );
    const view = await as<{ instruction: { status: string }; setpoints: unknown[] }>(
      'trading',
      'GET',
      dispatchUrl,
    );
    expectStatus(view, 200, 'get dispatch');
    assert.equal(view.body.instruction.status, 'acknowledged');
    assert.equal(view.body.setpoints.length, 2);
  });
});
