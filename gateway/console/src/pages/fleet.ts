// Dispatch and fleet: a VPP's DERs (type, capacity, status, certificate, last reading in the chosen
// interval's delivery), the interval's dispatch instruction with its acknowledgement and the DER
// setpoints, and one DER's signed readings over the delivery as a chart.
import { allPages, get, path } from '../api';
import { timeSeries } from '../charts';
import { facts, h, loading, queryForm, section, table } from '../dom';
import { instant, int, watts, wh } from '../format';
import { meteringIntervals } from '../figures';
import { getIfAny, type IntervalView } from './market';
import { param, type Page } from './page';

interface Vpp {
  vppId: string;
  displayName: string;
  operatorMspId: string;
  feeBps: number;
  registeredAt: string;
}
interface Der {
  derId: string;
  derType: string;
  capacityW: number;
  status: string;
  zone: string;
  certificate?: { status: string; serial: string; notAfter: string };
}
interface Reading {
  derId: string;
  energyWh: number;
  timestamp: string;
  intervalId: string;
  sequence: number;
  scheme: string;
}
interface Dispatch {
  instruction: {
    status: string;
    quantity: number;
    requiredW: number;
    issuedAt: string;
    issuedBy: { mspId: string };
    acknowledgedAt?: string;
    acknowledgedBy?: { mspId: string };
  };
  setpoints: { derId: string; setpointW: number; allocatedAt: string }[];
}

async function deliveryIntervals(intervalId: string): Promise<string[]> {
  const view = await get<IntervalView>(path('/v1/market/intervals/:intervalId', { intervalId }));
  const calendar = await get<{ meteringIntervalSeconds: number }>('/v1/market/calendar');
  return meteringIntervals(
    view.interval.deliveryStart,
    view.interval.deliveryEnd,
    calendar.meteringIntervalSeconds,
  );
}

export const fleetPage: Page = {
  id: 'fleet',
  title: 'Dispatch and fleet',
  requires: ['GET /v1/vpps', 'GET /v1/vpps/:vppId/ders', 'GET /v1/dispatch/:intervalId/:vppId'],
  render(context) {
    const vppId = param(context, 'vpp');
    const intervalId = param(context, 'interval');
    const derId = param(context, 'der');
    // Read once for both views (the DERs' last readings and one DER's readings), and only if asked for.
    let deliveries: Promise<string[]> | undefined;
    const meterings = intervalId ? () => (deliveries ??= deliveryIntervals(intervalId)) : undefined;
    return h(
      'div',
      {},
      h('h1', {}, 'Dispatch and fleet'),
      loading(async () => {
        const vpps = (await allPages<Vpp>('/v1/vpps', 'vpps')).map((v) => v.vppId);
        return queryForm(
          [
            { name: 'vpp', label: 'VPP', value: vppId || vpps[0] || '', options: vpps },
            {
              name: 'interval',
              label: 'Market interval',
              value: intervalId,
              placeholder: 'interval id (optional)',
            },
            { name: 'der', label: 'DER readings', value: derId, placeholder: 'DER id (optional)' },
          ],
          (values) => context.navigate(values),
        );
      }),
      vppId
        ? loading(() => fleetView(vppId, intervalId, meterings))
        : h('p', { class: 'empty' }, 'Choose a VPP.'),
      derId && intervalId && meterings ? loading(() => readingsView(derId, meterings)) : null,
    );
  },
};

async function fleetView(
  vppId: string,
  intervalId: string,
  meterings: (() => Promise<string[]>) | undefined,
): Promise<Node> {
  const vpp = await get<Vpp>(path('/v1/vpps/:vppId', { vppId }));
  const ders = await allPages<Der>(path('/v1/vpps/:vppId/ders', { vppId }), 'ders');
  const last = new Map<string, Reading>();
  if (intervalId && meterings) {
    const perMetering = await Promise.all(
      (await meterings()).map((metering) =>
        allPages<Reading>(
          `${path('/v1/vpps/:vppId/readings', { vppId })}?intervalId=${encodeURIComponent(metering)}`,
          'readings',
        ),
      ),
    );
    for (const reading of perMetering.flat()) {
      const known = last.get(reading.derId);
      if (!known || reading.timestamp >= known.timestamp) last.set(reading.derId, reading);
    }
  }
  const parts: Node[] = [
    section(
      vpp.displayName,
      facts([
        ['vppId', 'VPP', vpp.vppId],
        ['operator', 'Operator', vpp.operatorMspId],
        ['fee', 'Operator fee', `${int(vpp.feeBps)} bp`],
        ['derCount', 'DERs', int(ders.length)],
        ['capacity', 'Capacity', watts(ders.reduce((sum, d) => sum + d.capacityW, 0))],
      ]),
      table(
        'ders',
        `DERs of ${vpp.vppId}`,
        ders,
        [
          {
            header: 'DER',
            cell: (d) =>
              h(
                'a',
                {
                  href: `#/fleet?vpp=${encodeURIComponent(vppId)}&interval=${encodeURIComponent(intervalId)}&der=${encodeURIComponent(d.derId)}`,
                },
                d.derId,
              ),
          },
          { header: 'Type', cell: (d) => d.derType },
          { header: 'Capacity', cell: (d) => watts(d.capacityW), numeric: true },
          { header: 'Status', cell: (d) => d.status },
          { header: 'Zone', cell: (d) => d.zone },
          { header: 'Certificate', cell: (d) => d.certificate?.status ?? 'none' },
          {
            header: 'Last reading',
            cell: (d) => {
              const reading = last.get(d.derId);
              return reading ? `${wh(reading.energyWh)} at ${instant(reading.timestamp)}` : '';
            },
            numeric: true,
          },
        ],
        (d) => d.derId,
      ),
    ),
  ];
  if (intervalId) parts.push(await dispatchView(intervalId, vppId));
  return h('div', {}, ...parts);
}

async function dispatchView(intervalId: string, vppId: string): Promise<Node> {
  const dispatch = await getIfAny<Dispatch>(path('/v1/dispatch/:intervalId/:vppId', { intervalId, vppId }));
  if (dispatch === undefined)
    return section(
      'Dispatch',
      h('p', { class: 'empty', 'data-field': 'dispatch' }, `No dispatch for ${vppId} in ${intervalId}.`),
    );
  const i = dispatch.instruction;
  return section(
    `Dispatch in ${intervalId}`,
    facts([
      ['status', 'Status', i.status],
      ['quantity', 'Awarded energy', wh(i.quantity)],
      ['requiredW', 'Required power', watts(i.requiredW)],
      ['issued', 'Issued', `${instant(i.issuedAt)} by ${i.issuedBy.mspId}`],
      [
        'acknowledged',
        'Acknowledged',
        i.acknowledgedAt ? `${instant(i.acknowledgedAt)} by ${i.acknowledgedBy?.mspId ?? ''}` : 'not yet',
      ],
      [
        'setpointTotal',
        'Setpoints total',
        watts(dispatch.setpoints.reduce((sum, s) => sum + s.setpointW, 0)),
      ],
    ]),
    table(
      'setpoints',
      'DER setpoints',
      dispatch.setpoints,
      [
        { header: 'DER', cell: (s) => s.derId },
        { header: 'Setpoint', cell: (s) => watts(s.setpointW), numeric: true },
        { header: 'Allocated', cell: (s) => instant(s.allocatedAt) },
      ],
      (s) => s.derId,
    ),
  );
}

async function readingsView(derId: string, meterings: () => Promise<string[]>): Promise<Node> {
  const readings = (
    await Promise.all(
      (await meterings()).map((metering) =>
        get<Reading[]>(
          `${path('/v1/ders/:derId/readings', { derId })}?intervalId=${encodeURIComponent(metering)}`,
        ),
      ),
    )
  ).flat();
  readings.sort((a, b) =>
    a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.sequence - b.sequence,
  );
  return section(
    `Readings of ${derId}`,
    facts([
      ['readingCount', 'Readings', int(readings.length)],
      ['energyTotal', 'Energy', wh(readings.reduce((sum, r) => sum + r.energyWh, 0))],
    ]),
    timeSeries(
      'readings',
      `Signed readings of ${derId}`,
      'Energy (Wh)',
      readings.map((r) => ({ at: new Date(r.timestamp), value: r.energyWh, series: r.derId })),
      { zero: true },
    ),
    table(
      'readings',
      'Readings',
      readings,
      [
        { header: 'Time', cell: (r) => instant(r.timestamp) },
        { header: 'Energy', cell: (r) => wh(r.energyWh), numeric: true },
        { header: 'Scheme', cell: (r) => r.scheme },
      ],
      (r) => `${r.intervalId}/${r.sequence}`,
    ),
  );
}
