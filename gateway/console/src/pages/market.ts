// Market: one interval's phase, demand and clearing; the merit-order supply curve with the demand
// and the clearing price; the awards per VPP; and whether this org's own recomputation agrees.
import { ApiFailure, get, path } from '../api';
import { supplyCurve } from '../charts';
import { awardsPerVpp, type Award, type OfferStep } from '../figures';
import { facts, h, loading, queryForm, section, table } from '../dom';
import { instant, int, price, short, wh } from '../format';
import { param, type Page, type PageContext } from './page';
import { recomputation } from './verification';

export interface IntervalView {
  interval: {
    intervalId: string;
    product: string;
    quantityUnit: string;
    openedAt: string;
    gateClosure: string;
    revealDeadline: string;
    deliveryStart: string;
    deliveryEnd: string;
  };
  demand?: { quantity: number; priceCap: number; postedAt: string };
  phase: string;
}
interface Clearing {
  bidCount: number;
  clearedAt: string;
  clearedBy: { mspId: string; role: string };
  txId: string;
  result: { clearingPrice: number | null; totalAwarded: number; awards: Award[]; inputsHash: string };
}

/** The record, or undefined when the ledger has none (404 NOT_FOUND); any other failure is thrown. */
export async function getIfAny<T>(url: string): Promise<T | undefined> {
  try {
    return await get<T>(url);
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 404) return undefined;
    throw err;
  }
}

export const marketPage: Page = {
  id: 'market',
  title: 'Market',
  requires: [
    'GET /v1/market/intervals',
    'GET /v1/market/intervals/:intervalId',
    'GET /v1/market/intervals/:intervalId/clearing',
  ],
  render(context) {
    const intervalId = param(context, 'interval');
    return h(
      'div',
      {},
      h('h1', {}, 'Market'),
      queryForm(
        [{ name: 'interval', label: 'Market interval', value: intervalId, placeholder: 'interval id' }],
        (v) => context.navigate(v),
      ),
      intervalId
        ? loading(() => intervalView(intervalId))
        : loading(() => intervalList(context, param(context, 'page'))),
    );
  },
};

/** Intervals per page of the list. */
const LIST_PAGE_SIZE = 50;

interface IntervalPage {
  intervals: { interval: IntervalView['interval']; phase: string }[];
  bookmark: string;
}

/** One page of every interval, in id order, with its phase now; a link to the next page. */
async function intervalList(context: PageContext, bookmark: string): Promise<Node> {
  const page = await get<IntervalPage>(
    `/v1/market/intervals?pageSize=${LIST_PAGE_SIZE}&bookmark=${encodeURIComponent(bookmark)}`,
  );
  const next = h('button', { type: 'button' }, 'Next intervals');
  next.addEventListener('click', () => context.navigate({ page: page.bookmark }));
  return section(
    'Intervals',
    table(
      'intervals',
      'Market intervals (by id) and their phase now',
      page.intervals,
      [
        {
          header: 'Interval',
          cell: (v) =>
            h(
              'a',
              { href: `#/market?interval=${encodeURIComponent(v.interval.intervalId)}` },
              v.interval.intervalId,
            ),
        },
        { header: 'Phase', cell: (v) => v.phase },
        { header: 'Product', cell: (v) => v.interval.product },
        { header: 'Bids close', cell: (v) => instant(v.interval.gateClosure) },
        {
          header: 'Delivery',
          cell: (v) => `${instant(v.interval.deliveryStart)} – ${instant(v.interval.deliveryEnd)}`,
        },
      ],
      (v) => v.interval.intervalId,
    ),
    page.bookmark === '' ? null : next,
  );
}

async function intervalView(intervalId: string): Promise<Node> {
  const ids = { intervalId };
  const view = await get<IntervalView>(path('/v1/market/intervals/:intervalId', ids));
  const clearing = await getIfAny<Clearing>(path('/v1/market/intervals/:intervalId/clearing', ids));
  const i = view.interval;
  const parts: Node[] = [
    section(
      `Interval ${i.intervalId}`,
      facts([
        ['phase', 'Phase', view.phase],
        ['product', 'Product', `${i.product} (${i.quantityUnit})`],
        ['gateClosure', 'Bids close', instant(i.gateClosure)],
        ['revealDeadline', 'Reveals close', instant(i.revealDeadline)],
        ['delivery', 'Delivery', `${instant(i.deliveryStart)} – ${instant(i.deliveryEnd)}`],
        ['demand', 'Demand', view.demand ? wh(view.demand.quantity) : 'not posted'],
        ['priceCap', 'Price cap', view.demand ? price(view.demand.priceCap) : ''],
      ]),
    ),
  ];
  if (clearing === undefined) {
    parts.push(section('Clearing', h('p', { class: 'empty', 'data-field': 'clearing' }, 'Not cleared yet.')));
    return h('div', {}, ...parts);
  }
  const r = clearing.result;
  const steps: OfferStep[] = r.awards.flatMap((a) =>
    a.acceptedSteps.map((s) => ({ vppId: a.vppId, price: s.price, quantity: s.quantity })),
  );
  parts.push(
    section(
      'Clearing',
      facts([
        ['clearingPrice', 'Clearing price', price(r.clearingPrice)],
        ['totalAwarded', 'Total awarded', wh(r.totalAwarded)],
        ['bidCount', 'Offers read', int(clearing.bidCount)],
        ['clearedAt', 'Cleared', `${instant(clearing.clearedAt)} by ${clearing.clearedBy.mspId}`],
        ['inputsHash', 'Inputs hash', h('code', {}, r.inputsHash)],
        ['txId', 'Transaction', h('code', {}, clearing.txId)],
      ]),
      supplyCurve(steps, view.demand?.quantity ?? r.totalAwarded, r.clearingPrice),
      table(
        'awards',
        'Awards per VPP',
        awardsPerVpp(r.awards),
        [
          {
            header: 'VPP',
            cell: (row) =>
              h(
                'a',
                {
                  href: `#/fleet?vpp=${encodeURIComponent(row.vppId)}&interval=${encodeURIComponent(intervalId)}`,
                },
                row.vppId,
              ),
          },
          { header: 'Bids', cell: (row) => int(row.bids), numeric: true },
          { header: 'Accepted steps', cell: (row) => int(row.steps), numeric: true },
          { header: 'Awarded', cell: (row) => wh(row.quantity), numeric: true },
          {
            header: 'Settlement',
            cell: (row) =>
              h(
                'a',
                {
                  href: `#/settlement?interval=${encodeURIComponent(intervalId)}&vpp=${encodeURIComponent(row.vppId)}`,
                },
                'lines',
              ),
          },
        ],
        (row) => row.vppId,
      ),
    ),
    section(
      'Verification',
      recomputation(
        path('/v1/market/intervals/:intervalId/clearing/verify', ids),
        'clearing',
        ` (inputs ${short(r.inputsHash)})`,
      ),
    ),
  );
  return h('div', {}, ...parts);
}
