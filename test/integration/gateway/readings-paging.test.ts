// Paged readings on the real network, over REST: a VPP with thousands of signed readings in one
// metering interval is listed page by page (GET /v1/vpps/{vppId}/readings?pageSize&bookmark), and the
// pages together are exactly what the devices posted. Before paging, one such list outgrew a gRPC
// message and the gateway answered 503 FABRIC_UNAVAILABLE for ever.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { intervalIdOf, MAX_PAGE_SIZE, type SignedReading } from '../../../chaincode/src/api';
import type { FleetMember } from '../../../gateway/device-kit/fleet';
import { postReadings } from '../../../gateway/device-kit/device-api';
import {
  call,
  gatewayTarget,
  loginAdmin,
  marketCalendarNow,
  registerAndLogin,
} from '../../../platform/src/http/gateway-rest';
import { enrollFleet, inParallel } from '../../../bench/src/fleet-setup';

const ORG = 'cvpp';
const stamp = Date.now().toString(36);
const VPP_ID = `vpp-paging-${stamp}`;
/** 50 DERs × 60 sequences (the most a DER may send per interval) = 3000 readings in one interval. */
const DER_COUNT = 50;
const SEQUENCES = 60;
/** The REST limit per POST /v1/readings. */
const PER_REQUEST = 200;

interface ReadingPage {
  readings: (SignedReading & { vppId: string })[];
  bookmark: string;
}
type ErrorBody = { error: { code: string; message: string } };

const placeOf = (r: Pick<SignedReading, 'derId' | 'sequence'>) =>
  `${r.derId}/${String(r.sequence).padStart(4, '0')}`;

describe('readings paging: thousands of readings of one VPP in one interval, page by page', () => {
  let token = '';
  let intervalId = '';
  /** What the devices posted, in the ledger's key order (DER id, then sequence). */
  let posted: SignedReading[] = [];

  const page = (pageSize: number | undefined, bookmark: string, vppId = VPP_ID) =>
    call<ReadingPage | ErrorBody>(
      ORG,
      'GET',
      `/v1/vpps/${vppId}/readings?intervalId=${intervalId}` +
        (pageSize === undefined ? '' : `&pageSize=${pageSize}`) +
        `&bookmark=${encodeURIComponent(bookmark)}`,
      { token },
    );

  /** Every page from the first; each must be 200 with at most `pageSize` readings. */
  async function allPages(pageSize: number): Promise<ReadingPage[]> {
    const pages: ReadingPage[] = [];
    let bookmark = '';
    do {
      const answer = await page(pageSize, bookmark);
      assert.equal(answer.status, 200, JSON.stringify(answer.body).slice(0, 300));
      const body = answer.body as ReadingPage;
      assert.ok(body.readings.length <= pageSize, `page of ${body.readings.length} > ${pageSize}`);
      pages.push(body);
      bookmark = body.bookmark;
      assert.ok(pages.length <= posted.length, 'paging ends');
    } while (bookmark !== '');
    return pages;
  }

  before(async () => {
    const admin = await loginAdmin(ORG);
    const operator = await registerAndLogin(ORG, admin, `paging-operator-${stamp}`, 'operator');
    token = operator.token;
    const vpp = await call(ORG, 'POST', '/v1/vpps', {
      token,
      body: { vppId: VPP_ID, displayName: 'Paging test VPP', feeBps: 250 },
    });
    assert.equal(vpp.status, 201, JSON.stringify(vpp.body));
    const calendar = await marketCalendarNow(ORG, token);
    const meteringMs = calendar.meteringIntervalSeconds * 1000;
    // 36 kW delivers 100 Wh in a 10-second metering interval: room for the figures below.
    const fleet: FleetMember[] = Array.from({ length: DER_COUNT }, (_, i) => ({
      derId: `pg-${stamp}-${String(i).padStart(3, '0')}`,
      derType: 'pv',
      capacityW: (100 * 3600) / calendar.meteringIntervalSeconds,
    }));
    const devices = await enrollFleet(fleet, VPP_ID, operator);

    // Readings are signed ahead for the next metering interval, then posted as soon as it has ended,
    // so that the whole reading window is left to record them.
    const start = Math.ceil((Date.now() + 1000) / meteringMs) * meteringMs;
    intervalId = intervalIdOf(new Date(start).toISOString(), calendar.meteringIntervalSeconds);
    posted = fleet.flatMap((member) =>
      Array.from({ length: SEQUENCES }, (_, sequence) =>
        devices.get(member.derId)!.sign({
          intervalId,
          sequence,
          energyWh: 1 + ((sequence * 7 + member.derId.length) % 90),
          timestamp: new Date(start + meteringMs).toISOString(),
        }),
      ),
    );
    const requests: SignedReading[][] = [];
    // Requests mix DERs, so that every batch writes keys all over the list.
    const shuffled = [...posted].sort((a, b) => a.sequence - b.sequence || a.derId.localeCompare(b.derId));
    for (let i = 0; i < shuffled.length; i += PER_REQUEST) requests.push(shuffled.slice(i, i + PER_REQUEST));
    await sleep(Math.max(0, start + meteringMs + 500 - Date.now()));
    const started = Date.now();
    let accepted = 0;
    const refused: unknown[] = [];
    await inParallel(requests, 8, async (readings) => {
      const answer = await postReadings(gatewayTarget(ORG), readings);
      accepted += answer.accepted;
      refused.push(...answer.results.filter((r) => r.status !== 'accepted').slice(0, 3));
    });
    assert.deepEqual(refused, [], `refused within ${Date.now() - started} ms of the interval's end`);
    assert.equal(accepted, DER_COUNT * SEQUENCES);
  });

  it('should list every posted reading exactly once across pages of at most pageSize, bookmark empty at the end', async () => {
    const pageSize = 400;
    const pages = await allPages(pageSize);
    // 3000 = 7 full pages and one of 200.
    assert.deepEqual(
      pages.map((p) => p.readings.length),
      [400, 400, 400, 400, 400, 400, 400, 200],
    );
    assert.ok(pages.slice(0, -1).every((p) => p.bookmark !== ''));
    assert.equal(pages.at(-1)!.bookmark, '');
    const listed = pages.flatMap((p) => p.readings);
    assert.equal(new Set(listed.map(placeOf)).size, listed.length, 'no reading listed twice');
    // The union, in key order, is what was posted: same places, figures and signatures.
    const expected = [...posted].sort((a, b) => (placeOf(a) < placeOf(b) ? -1 : 1));
    assert.deepEqual(
      listed.map((r) => [placeOf(r), r.energyWh, r.signature, r.vppId, r.intervalId]),
      expected.map((r) => [placeOf(r), r.energyWh, r.signature, VPP_ID, intervalId]),
    );
  });

  it('should end on a page that fills exactly, and serve 100 a page by default', async () => {
    const full = await allPages(MAX_PAGE_SIZE);
    assert.deepEqual(
      full.map((p) => [p.readings.length, p.bookmark === '']),
      [
        [1000, false],
        [1000, false],
        [1000, true],
      ],
    );
    const first = await page(undefined, '');
    assert.equal(first.status, 200);
    const body = first.body as ReadingPage;
    assert.deepEqual(body.readings.map(placeOf), full[0]!.readings.slice(0, 100).map(placeOf));
    assert.notEqual(body.bookmark, '');
  });

  it('should refuse a page size above the maximum with 400 VALIDATION_FAILED, and another list’s bookmark with 422', async () => {
    const tooBig = await page(MAX_PAGE_SIZE + 1, '');
    assert.equal(tooBig.status, 400);
    assert.equal((tooBig.body as ErrorBody).error.code, 'VALIDATION_FAILED');
    const ours = (await page(10, '')).body as ReadingPage;
    assert.notEqual(ours.bookmark, '');
    const foreign = await page(10, ours.bookmark, `other-${stamp}`);
    assert.equal(foreign.status, 422);
    assert.equal((foreign.body as ErrorBody).error.code, 'INVALID_ARGUMENT');
  });
});
