// Settlement over REST on the real network: an interval is driven through bids and clearing (with
// instants a few seconds ahead of the real clock, as the market test does), and its settlement is
// then refused with INVALID_STATE by every organisation allowed to settle, because the interval's
// reading window is still open; nothing is stored, verification finds nothing, and statements of the
// VPP and its DER (which has no settlement) are empty.
//
// The interval here delivers for 15 minutes, so its reading window stays open for the whole test. A
// successful settlement on the real network (lines, verification, statements, credit) is the VPP day
// test's (vpp-day.test.ts), which runs on the network's short market calendar.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { computeCommitment } from '../../../chaincode/src/domain/market/bid';
import {
  expectRefusal,
  expectStatus,
  intervalInstants,
  loginMarketUsers,
  openInterval,
  postDemand,
  registerVppWithDers,
  requestsAs,
  sleepUntil,
  visibleTo,
  type ErrorBody,
  type Org,
} from '../../support/market-rest';

const stamp = Date.now().toString(36);
const VPP = `vpp-stl-${stamp}`;
const DER = `pv-stl-${stamp}`;
const INTERVAL = `i-stl-${stamp}`;
/** Enough for the opening, the demand and one commit to be endorsed and committed. */
const OPEN_FOR_MS = 25_000;
/** Enough for one reveal. */
const REVEAL_FOR_MS = 15_000;
const QUARTER_MS = 15 * 60_000;

interface Statement {
  period: string;
  unit: string;
  periods: unknown[];
  total: { intervalCount: number; deliveredWh: number };
  lines: unknown[];
}

describe('settlement over REST (real network)', () => {
  const tokens = {} as Record<Org, string>;
  const as = requestsAs(tokens);

  before(async () => {
    Object.assign(tokens, await loginMarketUsers('stl', stamp));
    // A VPP with one device-backed DER: 8000 W backs 2000 Wh in 15 minutes.
    await registerVppWithDers(
      as,
      { vppId: VPP, displayName: `Settlement test ${stamp}` },
      [[DER, 'pv', 8000]],
      10_000,
    );
  });

  it('should refuse to settle a cleared interval before its reading window closes, and store nothing', async () => {
    // Delivery on the next 15-minute boundary after the reveal deadline (on every calendar's metering
    // grid): its reading window closes the calendar's reading window after the delivery ends, i.e.
    // at least 16 minutes from now.
    const instants = intervalInstants(OPEN_FOR_MS, REVEAL_FOR_MS, QUARTER_MS);
    const { gateClosure, revealDeadline, deliveryStart, deliveryEnd } = instants;
    const calendar = await as<{ readingWindowSeconds: number }>('trading', 'GET', '/v1/market/calendar');
    expectStatus(calendar, 200, 'read the market calendar');
    const windowEnd = new Date(
      Date.parse(deliveryEnd) + calendar.body.readingWindowSeconds * 1000,
    ).toISOString();
    const base = `/v1/market/intervals/${INTERVAL}`;
    const settlementUrl = `/v1/settlement/${INTERVAL}/${VPP}`;

    await openInterval(as, INTERVAL, instants);
    // A fresh interval, not even cleared: refused, and it is the reading window that says why.
    const fresh = await as<ErrorBody>('trading', 'POST', settlementUrl);
    expectRefusal(fresh, 422, 'INVALID_STATE', 'settle a fresh interval');
    assert.match(fresh.body.error.message, new RegExp(`reading window is open until ${windowEnd}`));

    // Opened through the trading centre's gateway: the control centre and the CVPP act on it next.
    await visibleTo(as, 'control', base);
    await postDemand(as, base, 1500);
    await visibleTo(as, 'cvpp', base, (body) => (body as { demand: unknown }).demand !== null);
    const bid = {
      bidId: `b-stl-${stamp}`,
      intervalId: INTERVAL,
      vppId: VPP,
      steps: [{ price: 5000, quantity: 1500 }],
    };
    const salt = randomBytes(32).toString('hex');
    expectStatus(
      await as('cvpp', 'POST', `${base}/commitments`, {
        commitment: computeCommitment(bid, salt),
        bidId: bid.bidId,
        vppId: VPP,
      }),
      201,
      'commit',
    );
    await sleepUntil(gateClosure);
    expectStatus(await as('cvpp', 'POST', `${base}/reveals`, { bid, salt }), 201, 'reveal');
    await sleepUntil(revealDeadline);
    const cleared = await as<{ record: { result: { awards: { vppId: string; quantity: number }[] } } }>(
      'trading',
      'POST',
      `${base}/clearing`,
    );
    expectStatus(cleared, 201, 'clear');
    assert.deepEqual(
      cleared.body.record.result.awards.map((a) => [a.vppId, a.quantity]),
      [[VPP, 1500]],
    );

    // Cleared through the trading centre's gateway: the other orgs settle on their own peers next.
    for (const org of ['cvpp', 'regulator'] as const) await visibleTo(as, org, `${base}/clearing`);
    // Cleared, awarded, still long before the window closes: every org allowed to settle is refused.
    for (const org of ['trading', 'cvpp', 'regulator'] as const) {
      const res = await as<ErrorBody>(org, 'POST', settlementUrl);
      expectRefusal(res, 422, 'INVALID_STATE', `settle as ${org} before the reading window closes`);
      assert.match(res.body.error.message, /reading window is open until/);
    }
    expectRefusal(
      await as('control', 'POST', settlementUrl),
      403,
      'FORBIDDEN',
      'settle as the control centre',
    );

    // Nothing was written.
    for (const org of ['control', 'regulator'] as const) {
      expectRefusal(await as(org, 'GET', settlementUrl), 404, 'NOT_FOUND', `read settlement as ${org}`);
      expectRefusal(await as(org, 'GET', `${settlementUrl}/verify`), 404, 'NOT_FOUND', `verify as ${org}`);
    }

    // Statements of the DER and the VPP are empty for the delivery's month and day.
    const month = deliveryStart.slice(0, 7);
    const day = deliveryStart.slice(0, 10);
    for (const org of ['cvpp', 'trading', 'control', 'regulator'] as const) {
      for (const [url, period, unit] of [
        [`/v1/ders/${DER}/statement?period=${month}&unit=month`, month, 'month'],
        [`/v1/ders/${DER}/statement?period=${day}`, day, 'day'],
        [`/v1/vpps/${VPP}/statement?period=${month}&unit=day`, month, 'day'],
      ] as const) {
        const statement = await as<Statement>(org, 'GET', url);
        expectStatus(statement, 200, `${url} as ${org}`);
        assert.deepEqual(
          [statement.body.period, statement.body.unit, statement.body.periods, statement.body.lines],
          [period, unit, [], []],
        );
        assert.equal(statement.body.total.intervalCount, 0);
      }
    }
    expectRefusal(
      await as('regulator', 'GET', `/v1/ders/no-such-der-${stamp}/statement?period=${month}`),
      404,
      'NOT_FOUND',
      'statement of an unknown DER',
    );
    expectRefusal(
      await as('regulator', 'GET', `/v1/ders/${DER}/statement?period=${day}&unit=month`),
      422,
      'INVALID_ARGUMENT',
      'a day totalled per month',
    );
  });
});
