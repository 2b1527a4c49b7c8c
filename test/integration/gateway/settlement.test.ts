// Settlement over REST on the real network: an interval is driven through bids and clearing (with
// instants a few seconds ahead of the real clock, as the market test does), and its settlement is
// then refused with INVALID_STATE by every organisation allowed to settle, because the interval's
// reading window is still open; nothing is stored, verification finds nothing, and statements of the
// VPP and its DER (which has no settlement) are empty.
//
// A successful settlement is not exercised here: the chaincode only knows the transaction timestamp,
// which is the real clock on a real network, and a 15-minute delivery period settles no earlier than
// 60 minutes after it ends, so a settled interval needs 75+ minutes of wall-clock time after its
// opening. The whole settlement (numbers, credit score, verification, statements) is covered on the
// memory ledger with explicit transaction times (test/unit/chaincode/contracts/settlement-contract.test.ts).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { computeCommitment } from '../../../chaincode/src/domain/market/bid';
import { newKeyAndCsr } from '../../../gateway/src/core/x509';
import { call, loginAdmin, registerAndLogin, type HttpResult } from '../../support/gateway-client';

const stamp = Date.now().toString(36);
const VPP = `vpp-stl-${stamp}`;
const DER = `pv-stl-${stamp}`;
const INTERVAL = `i-stl-${stamp}`;
/** Enough for the opening, the demand and one commit to be endorsed and committed. */
const OPEN_FOR_MS = 25_000;
/** Enough for one reveal. */
const REVEAL_FOR_MS = 15_000;
/** How far past an instant to wait, so that the next proposal's timestamp is surely beyond it. */
const MARGIN_MS = 1_500;
const QUARTER_MS = 15 * 60_000;

type ErrorBody = { error: { code: string; message: string } };
type Org = 'cvpp' | 'trading' | 'control' | 'regulator';

interface Statement {
  period: string;
  unit: string;
  periods: unknown[];
  total: { intervalCount: number; deliveredWh: number };
  lines: unknown[];
}

const sleepUntil = async (iso: string) => {
  const wait = Date.parse(iso) + MARGIN_MS - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
};

function expectStatus(res: HttpResult, status: number, what: string): void {
  assert.equal(res.status, status, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
}

function expectRefusal(res: HttpResult, status: number, code: string, what: string): void {
  expectStatus(res, status, what);
  assert.equal((res.body as ErrorBody).error.code, code, what);
}

describe('settlement over REST (real network)', () => {
  const tokens = {} as Record<Org, string>;
  const as = <T = unknown>(org: Org, method: string, url: string, body?: unknown) =>
    call<T>(org, method, url, { token: tokens[org], ...(body === undefined ? {} : { body }) });

  before(async () => {
    const roles: Record<Org, string> = {
      cvpp: 'operator',
      trading: 'trading',
      control: 'control',
      regulator: 'regulator',
    };
    for (const [org, role] of Object.entries(roles) as [Org, string][]) {
      const admin = await loginAdmin(org);
      tokens[org] = (await registerAndLogin(org, admin, `stl-${role}-${stamp}`, role)).token;
    }

    // A VPP with one device-backed DER: 8000 W backs 2000 Wh in 15 minutes.
    expectStatus(
      await as('cvpp', 'POST', '/v1/vpps', {
        vppId: VPP,
        displayName: `Settlement test ${stamp}`,
        feeBps: 500,
      }),
      201,
      'register VPP',
    );
    const device = await as<{ enrollmentId: string; secret: string }>('cvpp', 'POST', '/v1/devices', {
      derId: DER,
      vppId: VPP,
    });
    expectStatus(device, 201, 'register device');
    const { csrPem } = newKeyAndCsr(device.body.enrollmentId);
    const enrolled = await call<{ certificatePem: string }>('cvpp', 'POST', `/v1/devices/${DER}/enroll`, {
      body: { secret: device.body.secret, csr: csrPem },
    });
    expectStatus(enrolled, 201, 'enroll device');
    expectStatus(
      await as('cvpp', 'POST', '/v1/ders', {
        derId: DER,
        vppId: VPP,
        derType: 'pv',
        capacityW: 8000,
        zone: 'zone-it',
        certificatePem: enrolled.body.certificatePem,
      }),
      201,
      'register DER',
    );
    expectStatus(
      await as('regulator', 'PUT', `/v1/market/quotas/${VPP}`, { quantity: 10_000 }),
      200,
      'set quota',
    );
  });

  it('should refuse to settle a cleared interval before its reading window closes, and store nothing', async () => {
    const now = Date.now();
    const gateClosure = new Date(now + OPEN_FOR_MS).toISOString();
    const revealDeadline = new Date(now + OPEN_FOR_MS + REVEAL_FOR_MS).toISOString();
    // Delivery on the next 15-minute boundary after the reveal deadline: its reading window closes
    // 60 minutes after the delivery ends, i.e. 75 to 90 minutes from now.
    const startMs = Math.ceil((Date.parse(revealDeadline) + 60_000) / QUARTER_MS) * QUARTER_MS;
    const deliveryStart = new Date(startMs).toISOString();
    const deliveryEnd = new Date(startMs + QUARTER_MS).toISOString();
    const windowEnd = new Date(startMs + QUARTER_MS + 60 * 60_000).toISOString();
    const base = `/v1/market/intervals/${INTERVAL}`;
    const settlementUrl = `/v1/settlement/${INTERVAL}/${VPP}`;

    expectStatus(
      await as('trading', 'POST', '/v1/market/intervals', {
        intervalId: INTERVAL,
        product: 'energy-up',
        deliveryStart,
        deliveryEnd,
        gateClosure,
        revealDeadline,
      }),
      201,
      'open interval',
    );
    // A fresh interval, not even cleared: refused, and it is the reading window that says why.
    const fresh = await as<ErrorBody>('trading', 'POST', settlementUrl);
    expectRefusal(fresh, 422, 'INVALID_STATE', 'settle a fresh interval');
    assert.match(fresh.body.error.message, new RegExp(`reading window is open until ${windowEnd}`));

    expectStatus(
      await as('control', 'POST', `${base}/demand`, {
        product: 'energy-up',
        quantity: 1500,
        priceCap: 10_000,
      }),
      201,
      'post demand',
    );
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
