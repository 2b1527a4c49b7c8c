// The demo's closing report: one table per market interval (price, awards, delivery, money per VPP,
// the DERs paid most), the VPPs' credit before and after the run, and where to look further. Pure
// text from the figures the ledger returned.

import type { Behaviour } from './plan';

export interface DerPayout {
  readonly derId: string;
  readonly amountMinor: number;
}

export interface VppOutcome {
  readonly vppId: string;
  readonly behaviour: Behaviour;
  readonly offeredWh: number;
  /** Undefined for a VPP whose bid was never revealed (it took no part in the clearing). */
  readonly awardedWh?: number;
  readonly settlement?: {
    readonly deliveredWh: number;
    readonly grossMinor: number;
    readonly penaltyMinor: number;
    readonly feeMinor: number;
    readonly netToDersMinor: number;
    readonly owedMinor: number;
    /** The regulator's recomputation agreed. */
    readonly verified: boolean;
    readonly topDers: readonly DerPayout[];
  };
}

export interface IntervalOutcome {
  readonly intervalId: string;
  readonly deliveryStart: string;
  readonly deliveryEnd: string;
  readonly demandWh: number;
  readonly clearingPrice: number | null;
  readonly totalAwardedWh: number;
  /** The regulator's recomputation of the clearing agreed. */
  readonly clearingVerified: boolean;
  readonly vpps: readonly VppOutcome[];
}

export interface Standing {
  readonly score: number;
  readonly level: string;
}

export interface CreditOutcome {
  readonly vppId: string;
  readonly before: Standing;
  readonly after: Standing;
  /** The reasons of the score records this run added, in order. */
  readonly reasons: readonly string[];
}

/** Text in the first and last columns aligned left, figures between them right; two spaces apart. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const last = headers.length - 1;
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 || column === last
          ? cell.padEnd(widths[column] ?? 0)
          : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

const DASH = '—';
const BEHAVIOUR_NOTE: Record<Behaviour, string> = {
  delivers: 'delivers',
  'falls-short': 'falls short',
  'never-reveals': 'never reveals',
};

function vppRow(vpp: VppOutcome): string[] {
  const settled = vpp.settlement;
  const figure = (value: number | undefined) => (value === undefined ? DASH : String(value));
  let status: string;
  if (vpp.awardedWh === undefined) status = 'bid not revealed';
  else if (!settled) status = vpp.awardedWh === 0 ? 'no award' : 'not settled';
  else status = settled.verified ? 'settled, verified' : 'settled, MISMATCH';
  return [
    `${vpp.vppId} (${BEHAVIOUR_NOTE[vpp.behaviour]})`,
    String(vpp.offeredWh),
    figure(vpp.awardedWh),
    figure(settled?.deliveredWh),
    figure(settled?.grossMinor),
    figure(settled?.penaltyMinor),
    figure(settled?.feeMinor),
    figure(settled?.netToDersMinor),
    status,
  ];
}

export function formatInterval(outcome: IntervalOutcome): string {
  const price = outcome.clearingPrice === null ? 'none' : `${outcome.clearingPrice} per MWh`;
  const lines = [
    `Interval ${outcome.intervalId}: delivery ${outcome.deliveryStart} → ${outcome.deliveryEnd}`,
    `  demand ${outcome.demandWh} Wh, cleared ${outcome.totalAwardedWh} Wh at ${price} ` +
      `(clearing ${outcome.clearingVerified ? 'verified by the regulator' : 'NOT verified'})`,
    '',
    formatTable(
      ['VPP', 'offered Wh', 'awarded Wh', 'delivered Wh', 'gross', 'penalty', 'fee', 'net to DERs', 'status'],
      outcome.vpps.map(vppRow),
    ),
  ];
  const paid = outcome.vpps.flatMap((vpp) =>
    vpp.settlement && vpp.settlement.topDers.length > 0
      ? [
          `    ${vpp.vppId}: ${vpp.settlement.topDers.map((der) => `${der.derId} ${der.amountMinor}`).join(', ')}`,
        ]
      : [],
  );
  if (paid.length > 0) lines.push('', '  DERs paid most:', ...paid);
  return lines.join('\n');
}

export function formatCredit(credit: readonly CreditOutcome[]): string {
  return formatTable(
    ['VPP', 'score before', 'level', 'score after', 'level', 'recorded this run'],
    credit.map((c) => [
      c.vppId,
      String(c.before.score),
      c.before.level,
      String(c.after.score),
      c.after.level,
      c.reasons.length === 0 ? DASH : countedReasons(c.reasons),
    ]),
  );
}

/** `A ×2, B` from `[A, A, B]`, in order of first appearance. */
export function countedReasons(reasons: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => (n === 1 ? reason : `${reason} ×${n}`)).join(', ');
}

/** The whole report: money in minor units, energy in Wh, prices in minor units per MWh. */
export function formatReport(
  intervals: readonly IntervalOutcome[],
  credit: readonly CreditOutcome[],
  links: readonly string[],
): string {
  return [
    'Money in minor units, energy in Wh, prices in minor units per MWh.',
    ...intervals.map(formatInterval),
    `Credit (regulator's view):\n\n${formatCredit(credit)}`,
    `Look further:\n${links.map((link) => `  ${link}`).join('\n')}`,
  ].join('\n\n');
}
