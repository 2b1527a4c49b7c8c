// The figures the console derives from API answers, kept free of the DOM so that unit tests run them
// in Node: the merit order of accepted offers, awards per VPP, the metering intervals of a delivery.

export interface OfferStep {
  readonly vppId: string;
  readonly price: number;
  /** The accepted quantity (Wh). */
  readonly quantity: number;
}

/** Where each step of the supply curve starts and ends on the quantity axis, in price order. */
export function meritOrder(steps: readonly OfferStep[]): (OfferStep & { from: number; to: number })[] {
  let total = 0;
  return [...steps]
    .sort((a, b) => a.price - b.price)
    .map((step) => {
      const from = total;
      total += step.quantity;
      return { ...step, from, to: total };
    });
}

export interface Award {
  bidId: string;
  vppId: string;
  quantity: number;
  acceptedSteps: { stepIndex: number; price: number; quantity: number }[];
}

/** Awards summed per VPP, by VPP id. */
export function awardsPerVpp(
  awards: readonly Award[],
): { vppId: string; bids: number; steps: number; quantity: number }[] {
  const byVpp = new Map<string, { vppId: string; bids: number; steps: number; quantity: number }>();
  for (const award of awards) {
    const row = byVpp.get(award.vppId) ?? { vppId: award.vppId, bids: 0, steps: 0, quantity: 0 };
    row.bids += 1;
    row.steps += award.acceptedSteps.length;
    row.quantity += award.quantity;
    byVpp.set(award.vppId, row);
  }
  return [...byVpp.values()].sort((a, b) => (a.vppId < b.vppId ? -1 : a.vppId > b.vppId ? 1 : 0));
}

/** At most this many metering intervals are read for one delivery (bounded requests). */
export const MAX_METERING_INTERVALS = 96;

/** The metering intervals (their start instants) that a delivery window spans. */
export function meteringIntervals(deliveryStart: string, deliveryEnd: string, seconds: number): string[] {
  const starts: string[] = [];
  const end = Date.parse(deliveryEnd);
  for (
    let t = Date.parse(deliveryStart);
    t < end && starts.length < MAX_METERING_INTERVALS;
    t += seconds * 1000
  ) {
    starts.push(new Date(t).toISOString());
  }
  return starts;
}
