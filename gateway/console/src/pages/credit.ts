// Credit: the rulebook in force and its versions, the ranking with suspensions, and one
// participant's standing with its score records over time as a chart.
import { allPages, get, path } from '../api';
import { timeSeries } from '../charts';
import { facts, h, loading, queryForm, section, table } from '../dom';
import { instant, int, wh } from '../format';
import { param, type Page } from './page';

interface Rulebook {
  version: number;
  description: string;
  effectiveFrom: string;
  createdBy: { mspId: string };
  indicators: { id: string; weight: number; initialScore: number }[];
  levels: { level: string; minScore: number; bidQuotaWh: number; penaltyFactorPermille: number }[];
  events: { eventType: string; effects: { indicator: string; points: number }[] }[];
}
interface Ranked {
  rank: number;
  participant: { id: string; type: string };
  score: number;
  level: string;
  suspended: boolean;
}
interface Standing {
  score: number;
  level: string;
  suspended: boolean;
  bidQuotaWh: number;
  penaltyFactorPermille: number;
  ruleVersion: number;
  indicators: Record<string, number>;
  suspension: { reason?: string; until?: string } | null;
}
interface ScoreRecord {
  at: string;
  indicator: string;
  reasonCode: string;
  points: number;
  delta: number;
  valueAfter: number;
  intervalId?: string;
  txId: string;
}

const PARTICIPANT_TYPES = ['vpp', 'der'];

export const creditPage: Page = {
  id: 'credit',
  title: 'Credit',
  requires: ['GET /v1/credit/rulebook', 'GET /v1/credit/ranking/:type'],
  render(context) {
    const type = param(context, 'type') || 'vpp';
    const id = param(context, 'id');
    return h(
      'div',
      {},
      h('h1', {}, 'Credit'),
      section('Rulebook in force', loading(rulebookView)),
      section(
        'Ranking and suspensions',
        loading(() => rankingView(type)),
      ),
      section(
        'Participant',
        queryForm(
          [
            { name: 'type', label: 'Type', value: type, options: PARTICIPANT_TYPES },
            { name: 'id', label: 'Participant id', value: id, placeholder: 'VPP or DER id' },
          ],
          (v) => context.navigate(v),
        ),
        id ? loading(() => participantView(type, id)) : null,
      ),
    );
  },
};

async function rulebookView(): Promise<Node> {
  const rulebook = await get<Rulebook>('/v1/credit/rulebook');
  const versions = await get<Rulebook[]>('/v1/credit/rulebook/versions');
  return h(
    'div',
    {},
    facts([
      ['version', 'Version', int(rulebook.version)],
      ['effectiveFrom', 'In force since', instant(rulebook.effectiveFrom)],
      ['description', 'Description', rulebook.description],
    ]),
    table(
      'indicators',
      'Indicators (score = weighted mean)',
      rulebook.indicators,
      [
        { header: 'Indicator', cell: (i) => i.id },
        { header: 'Weight', cell: (i) => int(i.weight), numeric: true },
        { header: 'Initial score', cell: (i) => int(i.initialScore), numeric: true },
      ],
      (i) => i.id,
    ),
    table(
      'levels',
      'Levels',
      rulebook.levels,
      [
        { header: 'Level', cell: (l) => l.level },
        { header: 'From score', cell: (l) => int(l.minScore), numeric: true },
        { header: 'Bid quota', cell: (l) => wh(l.bidQuotaWh), numeric: true },
        { header: 'Penalty factor', cell: (l) => `${int(l.penaltyFactorPermille)} ‰`, numeric: true },
      ],
      (l) => l.level,
    ),
    table(
      'events',
      'Rewards and penalties',
      rulebook.events,
      [
        { header: 'Event', cell: (e) => e.eventType },
        {
          header: 'Effect',
          cell: (e) =>
            e.effects.map((x) => `${x.indicator} ${x.points > 0 ? '+' : ''}${x.points}`).join(', '),
        },
      ],
      (e) => e.eventType,
    ),
    table(
      'rulebook-versions',
      'Versions',
      versions,
      [
        { header: 'Version', cell: (v) => int(v.version), numeric: true },
        { header: 'In force from', cell: (v) => instant(v.effectiveFrom) },
        { header: 'Published by', cell: (v) => v.createdBy.mspId },
      ],
      (v) => String(v.version),
    ),
  );
}

async function rankingView(type: string): Promise<Node> {
  const ranking = (await get<{ ranking: Ranked[] }>(path('/v1/credit/ranking/:type', { type }))).ranking;
  const suspended = ranking.filter((r) => r.suspended);
  const link = (r: Ranked) =>
    h(
      'a',
      { href: `#/credit?type=${r.participant.type}&id=${encodeURIComponent(r.participant.id)}` },
      r.participant.id,
    );
  return h(
    'div',
    {},
    table(
      'ranking',
      `Ranking of ${type}s`,
      ranking,
      [
        { header: 'Rank', cell: (r) => int(r.rank), numeric: true },
        { header: 'Participant', cell: link },
        { header: 'Score', cell: (r) => int(r.score), numeric: true },
        { header: 'Level', cell: (r) => r.level },
        { header: 'Suspended', cell: (r) => (r.suspended ? 'yes' : 'no') },
      ],
      (r) => r.participant.id,
    ),
    table(
      'suspensions',
      'Suspended',
      suspended,
      [{ header: 'Participant', cell: link }],
      (r) => r.participant.id,
    ),
  );
}

async function participantView(type: string, id: string): Promise<Node> {
  const ids = { type, id };
  const standing = await get<Standing>(path('/v1/credit/participants/:type/:id', ids));
  const records = await allPages<ScoreRecord>(
    path('/v1/credit/participants/:type/:id/records', ids),
    'records',
  );
  return h(
    'div',
    {},
    facts([
      ['score', 'Score', int(standing.score)],
      ['level', 'Level', standing.level],
      [
        'suspended',
        'Suspended',
        standing.suspended
          ? `yes${standing.suspension?.reason ? `: ${standing.suspension.reason}` : ''}`
          : 'no',
      ],
      ['bidQuotaWh', 'Bid quota', wh(standing.bidQuotaWh)],
      ['penaltyFactor', 'Penalty factor', `${int(standing.penaltyFactorPermille)} ‰`],
      ['ruleVersion', 'Rulebook version', int(standing.ruleVersion)],
    ]),
    table(
      'standing-indicators',
      'Indicators',
      Object.entries(standing.indicators),
      [
        { header: 'Indicator', cell: ([name]) => name },
        { header: 'Score', cell: ([, value]) => int(value), numeric: true },
      ],
      ([name]) => name,
    ),
    timeSeries(
      'score-history',
      `Score records of ${id}`,
      'Indicator score after the record',
      records.map((r) => ({ at: new Date(r.at), value: r.valueAfter, series: r.indicator })),
    ),
    table(
      'records',
      'Score records',
      records,
      [
        { header: 'Time', cell: (r) => instant(r.at) },
        { header: 'Reason', cell: (r) => r.reasonCode },
        { header: 'Indicator', cell: (r) => r.indicator },
        { header: 'Change', cell: (r) => `${r.delta > 0 ? '+' : ''}${int(r.delta)}`, numeric: true },
        { header: 'After', cell: (r) => int(r.valueAfter), numeric: true },
        { header: 'Interval', cell: (r) => r.intervalId ?? '' },
      ],
      (r) => `${r.txId}/${r.indicator}`,
    ),
  );
}
