// Charts drawn with Observable Plot as SVG: every data point is a dot (an SVG circle the browser
// tests count), every chart has a caption, and a title read out by screen readers.
import * as Plot from '@observablehq/plot';
import { h } from './dom';
import { meritOrder, type OfferStep } from './figures';

function figure(name: string, title: string, caption: string, plot: Element): HTMLElement {
  plot.setAttribute('role', 'img');
  plot.setAttribute('aria-label', title);
  return h('figure', { class: 'chart', 'data-chart': name }, plot, h('figcaption', {}, caption));
}

/**
 * The accepted offers in merit order as a supply curve (price against cumulative Wh), one dot per
 * accepted step at its end, the demand as a vertical line and the clearing price as a horizontal one.
 */
export function supplyCurve(
  steps: readonly OfferStep[],
  demandWh: number,
  clearingPrice: number | null,
): HTMLElement {
  const curve = meritOrder(steps);
  const path = curve.flatMap((s) => [
    { x: s.from, y: s.price },
    { x: s.to, y: s.price },
  ]);
  const plot = Plot.plot({
    width: 720,
    height: 320,
    marginLeft: 80,
    x: { label: 'Cumulative accepted energy (Wh)', grid: true },
    y: { label: 'Offer price (minor/MWh)', grid: true, zero: true },
    color: { legend: true },
    marks: [
      Plot.line(path, { x: 'x', y: 'y', stroke: '#555' }),
      Plot.dot(curve, { x: 'to', y: 'price', fill: 'vppId', r: 5, tip: true }),
      Plot.ruleX([demandWh], { stroke: '#a4161a', strokeDasharray: '6 3' }),
      ...(clearingPrice === null
        ? []
        : [Plot.ruleY([clearingPrice], { stroke: '#0b4f9c', strokeDasharray: '2 2' })]),
    ],
  });
  return figure(
    'supply-curve',
    'Merit-order supply curve',
    `Accepted offers in merit order (${curve.length} steps); dashed red: demand ${demandWh} Wh; dotted blue: clearing price.`,
    plot,
  );
}

export interface Point {
  readonly at: Date;
  readonly value: number;
  readonly series: string;
}

/** Values over time, one dot per point, a line per series. */
export function timeSeries(
  name: string,
  title: string,
  yLabel: string,
  points: readonly Point[],
  options: { zero?: boolean } = {},
): HTMLElement {
  const plot = Plot.plot({
    width: 720,
    height: 280,
    marginLeft: 70,
    x: { label: 'Time (UTC)', type: 'utc' },
    y: { label: yLabel, grid: true, zero: options.zero ?? false },
    color: { legend: new Set(points.map((p) => p.series)).size > 1 },
    marks: [
      Plot.line(points, { x: 'at', y: 'value', stroke: 'series' }),
      Plot.dot(points, { x: 'at', y: 'value', fill: 'series', r: 4, tip: true }),
    ],
  });
  return figure(name, title, `${title}: ${points.length} points.`, plot);
}
