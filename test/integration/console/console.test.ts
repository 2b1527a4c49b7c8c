// The web console in a real browser (Debian's Chromium, driven by playwright-core) on the real
// network: a user of each organisation, with the role its work needs, logs in to its own gateway's
// console and walks every page of a VPP day that `npm run demo`'s scenario has just run (a cleared,
// dispatched, metered, settled and scored interval) plus a consent with one recorded access. Every
// value a page shows is compared with what the same user reads from the API (formatted here, on its
// own), every chart's dots are counted against the data, and what the gateway refuses the role is
// absent from the navigation and refused when opened by its URL. Screenshots go to test-output/console.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { runVppDay } from '../../../demo/src/vpp-day';
import {
  blockOf,
  call,
  gatewayUrl,
  loginAdmin,
  MARKET_ROLES,
  registerAndLogin,
  type MarketOrg,
  type RestUser,
} from '../../../platform/src/http/gateway-rest';
import { browserRequired, browserUnavailable, launchChromium, SCREENSHOT_DIR } from '../../support/browser';

const ORGS = Object.keys(MARKET_ROLES) as MarketOrg[];
const stamp = Date.now().toString(36);
const unavailable = browserUnavailable();
const grouped = new Intl.NumberFormat('en-US');
const n = (value: number) => grouped.format(value);

interface Scenario {
  intervalId: string;
  vppId: string;
  derId: string;
  period: string;
  grantId: string;
  ownerName: string;
}

/** GET as `user` on `org`'s gateway; the test fails on anything but 200. */
async function api<T>(org: MarketOrg, user: RestUser, url: string): Promise<T> {
  const res = await call<T>(org, 'GET', url, { token: user.token });
  assert.equal(res.status, 200, `${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Opens a console page by its URL and waits until that view is shown with everything on it loaded. */
async function openPage(page: Page, org: MarketOrg, hash: string): Promise<void> {
  await page.goto(`${gatewayUrl(org)}/console/#/${hash}`);
  await page.waitForFunction(
    (view) => {
      // Runs in the page; this file is compiled without the DOM's types.
      const doc = (
        globalThis as unknown as {
          document: { body: { dataset: Record<string, string> }; querySelector(s: string): unknown };
        }
      ).document;
      return doc.body.dataset.view === view && doc.querySelector('[aria-busy="true"]') === null;
    },
    `#/${hash}`,
    { timeout: 60_000 },
  );
}

const text = async (page: Page, selector: string): Promise<string> =>
  ((await page.locator(selector).first().textContent({ timeout: 10_000 })) ?? '').trim();
const fact = (page: Page, field: string) => text(page, `[data-field="${field}"]`);
const rowKeys = (page: Page, tableName: string) =>
  page
    .locator(`[data-table="${tableName}"] tbody tr`)
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
const cell = (page: Page, tableName: string, key: string, column: number) =>
  text(page, `[data-table="${tableName}"] tbody tr[data-key="${key}"] td:nth-child(${column})`);
/** The dots Observable Plot drew in a chart (one SVG circle per data point). */
const dots = (page: Page, chart: string) =>
  page.locator(`[data-chart="${chart}"] svg g[aria-label="dot"] circle`).count();
const alertCode = (page: Page) =>
  page.locator('[role="alert"][data-error]').first().getAttribute('data-error');

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

describe(
  'web console in Chromium (real network)',
  { skip: unavailable !== undefined && !browserRequired() ? unavailable : false },
  () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vpp-console-'));
    const users = {} as Record<MarketOrg, RestUser>;
    let scenario: Scenario;
    let browser: Browser;

    before(async () => {
      if (unavailable !== undefined) throw new Error(unavailable);
      for (const org of ORGS) {
        users[org] = await registerAndLogin(
          org,
          await loginAdmin(org),
          `console-${org}-${stamp}`,
          MARKET_ROLES[org],
        );
      }
      const day = await runVppDay({
        intervals: 1,
        fleetFile: path.join(dir, 'fleet.json'),
        progress: () => undefined,
      });
      const interval = day.intervals[0]!;
      const vppId = interval.vpps[0]!.vppId;
      const ders = await api<{ ders: { derId: string }[] }>(
        'cvpp',
        users.cvpp,
        `/v1/vpps/${vppId}/ders?pageSize=100`,
      );
      const derId = ders.ders[0]!.derId;
      // A consent with one access, for the privacy page: owner data, a grant to the trading centre, a read.
      const ownerName = `Console Owner ${stamp}`;
      const put = await call('cvpp', 'PUT', `/v1/ders/${derId}/owner`, {
        token: users.cvpp.token,
        body: { name: ownerName, address: '2 Grid Lane', contractId: `C-${stamp}` },
      });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      const grantId = `console-${stamp}`;
      const granted = await call('cvpp', 'POST', '/v1/consents', {
        token: users.cvpp.token,
        minBlock: blockOf(put),
        body: {
          grantId,
          dataSet: { kind: 'owner-data', derId },
          granteeMspId: 'TradingMSP',
          purpose: 'console walk-through',
          validFrom: new Date(Date.now() - 60_000).toISOString(),
          validUntil: new Date(Date.now() + 86_400_000).toISOString(),
        },
      });
      assert.equal(granted.status, 201, JSON.stringify(granted.body));
      const shared = await call('trading', 'GET', `/v1/shared/${grantId}`, {
        token: users.trading.token,
        minBlock: blockOf(granted),
      });
      assert.equal(shared.status, 200, JSON.stringify(shared.body));
      // Every org's peer has committed the access before the pages read it.
      for (const org of ORGS) {
        const res = await call(org, 'GET', `/v1/consents/${grantId}/accesses`, {
          token: users[org].token,
          minBlock: blockOf(shared),
        });
        assert.ok(res.status === 200 || res.status === 403, `${org}: ${res.status}`);
      }
      scenario = {
        intervalId: interval.intervalId,
        vppId,
        derId,
        period: interval.deliveryStart.slice(0, 7),
        grantId,
        ownerName,
      };
      browser = await launchChromium();
    });

    after(async () => {
      await browser?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    for (const org of ORGS) {
      it(`should show ${org}'s ${MARKET_ROLES[org]} every page it may see, with the API's values, and refuse the rest`, async () => {
        const user = users[org];
        const role = MARKET_ROLES[org];
        const { intervalId, vppId, derId, period, grantId } = scenario;
        const context = await browser.newContext({
          ignoreHTTPSErrors: true,
          viewport: { width: 1366, height: 900 },
        });
        const page = await context.newPage();
        try {
          // ---- login: a wrong secret is refused with the API's code, the right one logs in.
          await page.goto(`${gatewayUrl(org)}/console/`);
          await page.getByLabel('Enrollment id').fill(user.enrollmentId);
          await page.getByLabel('Secret').fill('not-the-secret');
          await page.getByRole('button', { name: 'Log in' }).click();
          assert.equal(await alertCode(page), 'INVALID_CREDENTIALS');
          await page.getByLabel('Secret').fill(user.secret);
          await page.getByRole('button', { name: 'Log in' }).click();
          await page
            .locator('#who', { hasText: `${user.enrollmentId} (${role})` })
            .waitFor({ timeout: 30_000 });
          const nav = await page
            .locator('nav a')
            .evaluateAll((links) => links.map((a) => a.getAttribute('data-page')));
          const expectedNav = ['network', 'market', 'fleet', 'settlement', 'credit', 'privacy'];
          assert.deepEqual(nav, org === 'regulator' ? [...expectedNav, 'ledger'] : expectedNav);

          // ---- network: twelve nodes up, the leader every orderer names, peer heights as the peers say.
          await openPage(page, org, 'network');
          const status = await api<{ leader: { consenterId: number; org: string }; nodes: { id: string }[] }>(
            org,
            user,
            '/v1/network/nodes',
          );
          assert.deepEqual(
            await rowKeys(page, 'nodes'),
            status.nodes.map((node) => node.id),
          );
          assert.equal(status.nodes.length, 12);
          assert.equal(await fact(page, 'healthy'), '12 of 12');
          assert.equal(
            await fact(page, 'leader'),
            `consenter ${status.leader.consenterId} (${status.leader.org})`,
          );
          const heightAfter = await api<{ nodes: { id: string; height?: number }[] }>(
            org,
            user,
            '/v1/network/nodes',
          );
          for (const peer of ['cvpp', 'trading', 'control', 'regulator']) {
            const shown = Number((await cell(page, 'nodes', `peer.${peer}`, 5)).replace(/,/g, ''));
            const later = heightAfter.nodes.find((node) => node.id === `peer.${peer}`)!.height!;
            assert.ok(shown > 0 && shown <= later, `peer.${peer} height ${shown} (now ${later})`);
          }
          // The live feed replays the last ten blocks' events of this org's peer, then follows.
          await page.locator('[data-feed="events"] li').first().waitFor({ timeout: 30_000 });
          const ownHeight = Number((await cell(page, 'nodes', `peer.${org}`, 5)).replace(/,/g, ''));
          const feedBlocks = await page
            .locator('[data-feed="events"] li')
            .evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-block'))));
          assert.ok(
            feedBlocks.every((block) => block >= ownHeight - 10),
            `feed blocks ${feedBlocks.join(',')} from ${ownHeight - 10}`,
          );
          await shot(page, `${org}-network`);

          // ---- market: the list of intervals with their phase, then the cleared interval, its supply
          // curve, awards and verification.
          await openPage(page, org, 'market');
          type Listed = { intervals: { interval: { intervalId: string }; phase: string }[] };
          const listed = await api<Listed>(org, user, '/v1/market/intervals?pageSize=50');
          assert.deepEqual(
            await rowKeys(page, 'intervals'),
            listed.intervals.map((v) => v.interval.intervalId),
          );
          for (const v of listed.intervals.slice(0, 10))
            assert.equal(
              await cell(page, 'intervals', v.interval.intervalId, 2),
              v.phase,
              v.interval.intervalId,
            );
          await openPage(page, org, `market?interval=${intervalId}`);
          type Clearing = {
            bidCount: number;
            result: {
              clearingPrice: number;
              totalAwarded: number;
              awards: { vppId: string; quantity: number; acceptedSteps: unknown[] }[];
            };
          };
          const clearing = await api<Clearing>(org, user, `/v1/market/intervals/${intervalId}/clearing`);
          const view = await api<{ phase: string; demand: { quantity: number } }>(
            org,
            user,
            `/v1/market/intervals/${intervalId}`,
          );
          assert.equal(await fact(page, 'phase'), view.phase);
          assert.equal(await fact(page, 'demand'), `${n(view.demand.quantity)} Wh`);
          assert.equal(await fact(page, 'clearingPrice'), `${n(clearing.result.clearingPrice)} minor/MWh`);
          assert.equal(await fact(page, 'totalAwarded'), `${n(clearing.result.totalAwarded)} Wh`);
          assert.equal(await fact(page, 'bidCount'), n(clearing.bidCount));
          const steps = clearing.result.awards.reduce((sum, a) => sum + a.acceptedSteps.length, 0);
          assert.ok(steps >= 2);
          assert.equal(await dots(page, 'supply-curve'), steps);
          const awarded = new Map<string, number>();
          for (const a of clearing.result.awards)
            awarded.set(a.vppId, (awarded.get(a.vppId) ?? 0) + a.quantity);
          assert.deepEqual(await rowKeys(page, 'awards'), [...awarded.keys()].sort());
          for (const [vpp, quantity] of awarded)
            assert.equal(await cell(page, 'awards', vpp, 4), `${n(quantity)} Wh`);
          assert.equal(
            await page.locator('[data-field="verification"] [data-verdict]').getAttribute('data-verdict'),
            'match',
          );
          await shot(page, `${org}-market`);

          // ---- dispatch and fleet: DERs, setpoints, a DER's readings over the delivery.
          await openPage(page, org, `fleet?vpp=${vppId}&interval=${intervalId}&der=${derId}`);
          const ders = await api<{ ders: { derId: string; capacityW: number; status: string }[] }>(
            org,
            user,
            `/v1/vpps/${vppId}/ders?pageSize=100`,
          );
          assert.deepEqual(
            await rowKeys(page, 'ders'),
            ders.ders.map((d) => d.derId),
          );
          for (const der of ders.ders) {
            assert.equal(await cell(page, 'ders', der.derId, 3), `${n(der.capacityW)} W`);
            assert.equal(await cell(page, 'ders', der.derId, 4), der.status);
          }
          type Dispatch = {
            instruction: { status: string; requiredW: number };
            setpoints: { derId: string; setpointW: number }[];
          };
          const dispatch = await api<Dispatch>(org, user, `/v1/dispatch/${intervalId}/${vppId}`);
          assert.equal(await fact(page, 'status'), dispatch.instruction.status);
          assert.equal(await fact(page, 'requiredW'), `${n(dispatch.instruction.requiredW)} W`);
          assert.deepEqual(
            await rowKeys(page, 'setpoints'),
            dispatch.setpoints.map((s) => s.derId),
          );
          for (const s of dispatch.setpoints)
            assert.equal(await cell(page, 'setpoints', s.derId, 2), `${n(s.setpointW)} W`);
          const delivery = await api<{ interval: { deliveryStart: string; deliveryEnd: string } }>(
            org,
            user,
            `/v1/market/intervals/${intervalId}`,
          );
          const calendar = await api<{ meteringIntervalSeconds: number }>(org, user, '/v1/market/calendar');
          const readings: { energyWh: number; timestamp: string }[] = [];
          for (
            let t = Date.parse(delivery.interval.deliveryStart);
            t < Date.parse(delivery.interval.deliveryEnd);
            t += calendar.meteringIntervalSeconds * 1000
          ) {
            readings.push(
              ...(await api<{ energyWh: number; timestamp: string }[]>(
                org,
                user,
                `/v1/ders/${derId}/readings?intervalId=${new Date(t).toISOString()}`,
              )),
            );
          }
          assert.ok(readings.length >= 2, `${derId} has readings`);
          assert.equal(await dots(page, 'readings'), readings.length);
          assert.equal(await fact(page, 'readingCount'), n(readings.length));
          assert.equal(
            await fact(page, 'energyTotal'),
            `${n(readings.reduce((sum, r) => sum + r.energyWh, 0))} Wh`,
          );
          const latest = readings.reduce((a, b) => (b.timestamp >= a.timestamp ? b : a));
          assert.match(await cell(page, 'ders', derId, 7), new RegExp(`^${n(latest.energyWh)} Wh at `));
          await shot(page, `${org}-fleet`);

          // ---- settlement: the VPP line, its DER lines, the verification, a DER's monthly statement.
          await openPage(
            page,
            org,
            `settlement?interval=${intervalId}&vpp=${vppId}&kind=der&id=${derId}&period=${period}`,
          );
          type Settlement = {
            vppLine: Record<string, number>;
            derLines: { derId: string; amountMinor: number; deliveredWh: number }[];
          };
          const settlement = await api<Settlement>(org, user, `/v1/settlement/${intervalId}/${vppId}`);
          for (const field of ['grossMinor', 'penaltyMinor', 'feeMinor', 'netToDersMinor', 'owedMinor'])
            assert.equal(await fact(page, field), `${n(settlement.vppLine[field]!)} minor`, field);
          assert.equal(await fact(page, 'deliveredWh'), `${n(settlement.vppLine.deliveredWh!)} Wh`);
          assert.deepEqual(
            await rowKeys(page, 'der-lines'),
            settlement.derLines.map((l) => l.derId),
          );
          for (const line of settlement.derLines)
            assert.equal(await cell(page, 'der-lines', line.derId, 4), `${n(line.amountMinor)} minor`);
          assert.equal(
            await page.locator('[data-field="verification"] [data-verdict]').getAttribute('data-verdict'),
            'match',
          );
          const statement = await api<{
            total: { amountMinor: number; deliveredWh: number; intervalCount: number };
            periods: { period: string }[];
          }>(org, user, `/v1/ders/${derId}/statement?period=${period}`);
          assert.equal(await fact(page, 'amount'), `${n(statement.total.amountMinor)} minor`);
          assert.equal(await fact(page, 'intervalCount'), n(statement.total.intervalCount));
          assert.deepEqual(
            await rowKeys(page, 'statement'),
            statement.periods.map((p) => p.period),
          );
          await shot(page, `${org}-settlement`);

          // ---- credit: rulebook, ranking, the VPP's standing and its score records as a chart.
          await openPage(page, org, `credit?type=vpp&id=${vppId}`);
          const rulebook = await api<{
            version: number;
            indicators: { id: string }[];
            levels: { level: string }[];
          }>(org, user, '/v1/credit/rulebook');
          assert.equal(await fact(page, 'version'), n(rulebook.version));
          assert.deepEqual(
            await rowKeys(page, 'indicators'),
            rulebook.indicators.map((i) => i.id),
          );
          assert.deepEqual(
            await rowKeys(page, 'levels'),
            rulebook.levels.map((l) => l.level),
          );
          const standing = await api<{ score: number; level: string }>(
            org,
            user,
            `/v1/credit/participants/vpp/${vppId}`,
          );
          assert.equal(await fact(page, 'score'), n(standing.score));
          assert.equal(await fact(page, 'level'), standing.level);
          const ranking = await api<{ ranking: { participant: { id: string }; score: number }[] }>(
            org,
            user,
            '/v1/credit/ranking/vpp',
          );
          assert.deepEqual(
            await rowKeys(page, 'ranking'),
            ranking.ranking.map((r) => r.participant.id),
          );
          assert.equal(await cell(page, 'ranking', vppId, 3), n(standing.score));
          const records = await api<{ records: unknown[] }>(
            org,
            user,
            `/v1/credit/participants/vpp/${vppId}/records?pageSize=1000`,
          );
          assert.ok(records.records.length >= 3);
          assert.equal(await dots(page, 'score-history'), records.records.length);
          assert.equal(await page.locator('[data-table="records"] tbody tr').count(), records.records.length);
          await shot(page, `${org}-credit`);

          // ---- privacy: the grant and its access log where the chaincode allows it; owner data by role.
          await openPage(page, org, `privacy?grant=${grantId}&der=${derId}`);
          if (org === 'control') {
            // Not the owner's operator, the regulator or the grantee: the chaincode refuses the grant.
            const refused = await call(org, 'GET', `/v1/consents/${grantId}`, { token: user.token });
            assert.equal(refused.status, 403);
            assert.equal(await alertCode(page), (refused.body as { error: { code: string } }).error.code);
          } else {
            assert.equal(await fact(page, 'grantId'), grantId);
            assert.equal(await fact(page, 'granteeMspId'), 'TradingMSP');
            const log = await api<{ accesses: { txId: string }[] }>(
              org,
              user,
              `/v1/consents/${grantId}/accesses`,
            );
            assert.equal(log.accesses.length, 1);
            assert.deepEqual(
              await rowKeys(page, 'accesses'),
              log.accesses.map((a) => a.txId),
            );
          }
          const hash = await api<Record<string, string>>(org, user, `/v1/ders/${derId}/owner/hash`);
          assert.equal(await fact(page, 'sha256'), hash.sha256);
          const ownerShown = await page.locator('[data-field="name"]').count();
          if (org === 'cvpp' || org === 'regulator')
            assert.equal(await fact(page, 'name'), scenario.ownerName);
          else assert.equal(ownerShown, 0, 'no owner data section for a role the gateway refuses it');
          // The DER's consents: listed for its operator and the regulator only (the route is theirs).
          if (org === 'cvpp' || org === 'regulator') {
            const consents = await api<{ grants: { grantId: string; status: string }[] }>(
              org,
              user,
              `/v1/ders/${derId}/consents`,
            );
            assert.deepEqual(
              await rowKeys(page, 'der-consents'),
              consents.grants.map((g) => g.grantId),
            );
            assert.ok(consents.grants.some((g) => g.grantId === grantId));
            assert.equal(await cell(page, 'der-consents', grantId, 5), 'active');
          } else assert.equal(await page.locator('[data-table="der-consents"]').count(), 0);
          await shot(page, `${org}-privacy`);

          // ---- ledger: the regulator's blocks and transactions; everyone else is refused by the gateway.
          if (org === 'regulator') {
            const info = await api<{ height: number }>(org, user, '/v1/ledger/info');
            const number = info.height - 1;
            await openPage(page, org, `ledger?block=${number}`);
            const block = await api<{ dataHash: string; transactions: { txId: string }[] }>(
              org,
              user,
              `/v1/ledger/blocks/${number}`,
            );
            assert.equal(await fact(page, 'dataHash'), block.dataHash);
            const recent = await rowKeys(page, 'recent-blocks');
            assert.equal(recent.length, 5);
            assert.ok(
              Number(recent[0]) >= number && Number(recent[4]) === Number(recent[0]) - 4,
              recent.join(','),
            );
            assert.deepEqual(
              await rowKeys(page, 'block-transactions'),
              block.transactions.map((t) => t.txId),
            );
            await shot(page, `${org}-ledger`);
          } else {
            await openPage(page, org, 'ledger');
            assert.equal(await alertCode(page), 'FORBIDDEN');
            assert.match(
              await text(page, '[role="alert"]'),
              new RegExp(`^403 FORBIDDEN: role ${role} may not call this route`),
            );
          }

          // ---- logging out drops the token: the console is back at its login form.
          await page.getByRole('button', { name: 'Log out' }).click();
          await page.getByLabel('Enrollment id').waitFor();
          assert.equal(await page.evaluate(() => sessionStorage.length), 0);
        } finally {
          await context.close();
        }
      });
    }
  },
);
