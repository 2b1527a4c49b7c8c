// Settlement: a VPP's settlement of one interval down to each DER's line, with this org's own
// recomputation; and a DER's or a VPP's statement for a month (or a day).
import { get, path } from '../api';
import { facts, h, loading, queryForm, section, table } from '../dom';
import { instant, int, minor, price, wh } from '../format';
import { param, type Page } from './page';
import { recomputation } from './verification';

interface VppLine {
  vppId: string;
  intervalId: string;
  awardedWh: number;
  deliveredWh: number;
  paidWh: number;
  deviationWh: number;
  toleranceWh: number;
  clearingPrice: number;
  grossMinor: number;
  penaltyMinor: number;
  feeMinor: number;
  netToDersMinor: number;
  owedMinor: number;
  derCount: number;
  readingCount: number;
  settledAt: string;
  txId: string;
}
interface DerLine {
  derId: string;
  deliveredWh: number;
  readingCount: number;
  amountMinor: number;
  intervalId: string;
  vppId: string;
}
interface Settlement {
  vppLine: VppLine;
  derLines: DerLine[];
}
interface PeriodRow {
  period: string;
  intervalCount: number;
  readingCount: number;
  deliveredWh: number;
  amountMinor?: number;
  awardedWh?: number;
  grossMinor?: number;
  penaltyMinor?: number;
  feeMinor?: number;
  netToDersMinor?: number;
}
interface Statement {
  period: string;
  unit: string;
  periods: PeriodRow[];
  total: PeriodRow;
}

export const settlementPage: Page = {
  id: 'settlement',
  title: 'Settlement',
  requires: [
    'GET /v1/settlement/:intervalId/:vppId',
    'GET /v1/ders/:derId/statement',
    'GET /v1/vpps/:vppId/statement',
  ],
  render(context) {
    const intervalId = param(context, 'interval');
    const vppId = param(context, 'vpp');
    const kind = param(context, 'kind') || 'der';
    const subject = param(context, 'id');
    const period = param(context, 'period') || new Date().toISOString().slice(0, 7);
    const values = { interval: intervalId, vpp: vppId, kind, id: subject, period };
    return h(
      'div',
      {},
      h('h1', {}, 'Settlement'),
      section(
        'Interval settlement',
        queryForm(
          [
            { name: 'interval', label: 'Market interval', value: intervalId, placeholder: 'interval id' },
            { name: 'vpp', label: 'VPP', value: vppId, placeholder: 'VPP id' },
          ],
          (v) => context.navigate({ ...values, ...v }),
        ),
        intervalId && vppId ? loading(() => settlementView(intervalId, vppId)) : null,
      ),
      section(
        'Statement',
        queryForm(
          [
            { name: 'kind', label: 'Of a', value: kind, options: ['der', 'vpp'] },
            { name: 'id', label: 'DER or VPP id', value: subject, placeholder: 'id' },
            { name: 'period', label: 'Month or day', value: period, placeholder: 'YYYY-MM or YYYY-MM-DD' },
          ],
          (v) => context.navigate({ ...values, ...v }),
        ),
        subject ? loading(() => statementView(kind === 'vpp' ? 'vpp' : 'der', subject, period)) : null,
      ),
    );
  },
};

async function settlementView(intervalId: string, vppId: string): Promise<Node> {
  const ids = { intervalId, vppId };
  const s = await get<Settlement>(path('/v1/settlement/:intervalId/:vppId', ids));
  const v = s.vppLine;
  return h(
    'div',
    {},
    facts([
      ['clearingPrice', 'Clearing price', price(v.clearingPrice)],
      ['awardedWh', 'Awarded', wh(v.awardedWh)],
      ['deliveredWh', 'Delivered', wh(v.deliveredWh)],
      ['paidWh', 'Paid energy', wh(v.paidWh)],
      ['deviationWh', 'Deviation', `${wh(v.deviationWh)} (tolerance ${wh(v.toleranceWh)})`],
      ['grossMinor', 'Gross', minor(v.grossMinor)],
      ['penaltyMinor', 'Penalty', minor(v.penaltyMinor)],
      ['feeMinor', 'Operator fee', minor(v.feeMinor)],
      ['netToDersMinor', 'Net to DERs', minor(v.netToDersMinor)],
      ['owedMinor', 'Owed by the VPP', minor(v.owedMinor)],
      ['settledAt', 'Settled', instant(v.settledAt)],
      ['txId', 'Transaction', h('code', {}, v.txId)],
    ]),
    table(
      'der-lines',
      `DER lines (${int(s.derLines.length)} of ${int(v.derCount)})`,
      s.derLines,
      [
        {
          header: 'DER',
          cell: (l) =>
            h(
              'a',
              {
                href: `#/settlement?kind=der&id=${encodeURIComponent(l.derId)}&period=${v.settledAt.slice(0, 7)}`,
              },
              l.derId,
            ),
        },
        { header: 'Readings', cell: (l) => int(l.readingCount), numeric: true },
        { header: 'Delivered', cell: (l) => wh(l.deliveredWh), numeric: true },
        { header: 'Paid', cell: (l) => minor(l.amountMinor), numeric: true },
      ],
      (l) => l.derId,
    ),
    recomputation(path('/v1/settlement/:intervalId/:vppId/verify', ids), 'settlement'),
  );
}

async function statementView(kind: 'der' | 'vpp', id: string, period: string): Promise<Node> {
  const url =
    kind === 'der'
      ? path('/v1/ders/:derId/statement', { derId: id })
      : path('/v1/vpps/:vppId/statement', { vppId: id });
  const s = await get<Statement>(`${url}?period=${encodeURIComponent(period)}`);
  const money = (row: PeriodRow) => (kind === 'der' ? (row.amountMinor ?? 0) : (row.netToDersMinor ?? 0));
  return h(
    'div',
    {},
    facts([
      ['subject', kind === 'der' ? 'DER' : 'VPP', id],
      ['period', 'Period', s.period],
      ['intervalCount', 'Intervals settled', int(s.total.intervalCount)],
      ['deliveredWh', 'Delivered', wh(s.total.deliveredWh)],
      ['amount', kind === 'der' ? 'Paid to the DER' : 'Net to DERs', minor(money(s.total))],
      ...(kind === 'vpp'
        ? ([
            ['grossMinor', 'Gross', minor(s.total.grossMinor ?? 0)],
            ['penaltyMinor', 'Penalties', minor(s.total.penaltyMinor ?? 0)],
            ['feeMinor', 'Operator fees', minor(s.total.feeMinor ?? 0)],
          ] as [string, string, string][])
        : []),
    ]),
    table(
      'statement',
      `Statement by ${s.unit}`,
      s.periods,
      [
        { header: s.unit === 'day' ? 'Day' : 'Period', cell: (p) => p.period },
        { header: 'Intervals', cell: (p) => int(p.intervalCount), numeric: true },
        { header: 'Readings', cell: (p) => int(p.readingCount), numeric: true },
        { header: 'Delivered', cell: (p) => wh(p.deliveredWh), numeric: true },
        { header: kind === 'der' ? 'Paid' : 'Net to DERs', cell: (p) => minor(money(p)), numeric: true },
      ],
      (p) => p.period,
    ),
  );
}
