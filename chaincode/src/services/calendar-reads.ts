// The market calendar as contracts read it: every stored version, read once per transaction (a
// handful of small records), checked to form one history. Telemetry, the market and settlement take
// the version in force at the instant each rule concerns from that history (domain/market/calendar.ts).
//
// Ledger layout: vpp.marketCalendar [version, zero-padded]: one record per version, never rewritten.

import type { Context } from 'fabric-contract-api';
import {
  calendarHistory,
  parseStoredMarketCalendarVersion,
  type MarketCalendarHistory,
  type MarketCalendarVersion,
} from '../domain/market/calendar';
import { marketCalendarPrefix } from '../encoding/keys';
import { scanPrefix } from '../ledger/store';
import { ErrorCode, VppError } from '../types/errors';

async function scanCalendars(ctx: Context): Promise<MarketCalendarHistory> {
  const entries = await scanPrefix(ctx, marketCalendarPrefix(), parseStoredMarketCalendarVersion);
  for (const entry of entries) {
    if (entry.attributes[0] !== String(entry.value.version).padStart(10, '0')) {
      throw new VppError(
        ErrorCode.INTERNAL,
        `market calendar version ${entry.value.version} is stored under the key of version ${entry.attributes[0] ?? '?'}`,
      );
    }
  }
  return calendarHistory(entries.map((entry) => entry.value));
}

// Keyed by the stub: one context and one stub per transaction, so an entry lives as long as it.
const HISTORIES = new WeakMap<object, Promise<MarketCalendarHistory>>();

/** Every market calendar version, in version order, as one checked history. */
export function marketCalendar(ctx: Context): Promise<MarketCalendarHistory> {
  let history = HISTORIES.get(ctx.stub);
  if (history === undefined) {
    history = scanCalendars(ctx);
    HISTORIES.set(ctx.stub, history);
  }
  return history;
}

/** The newest version, whatever its effective time; undefined before the first is installed. */
export async function latestMarketCalendar(ctx: Context): Promise<MarketCalendarVersion | undefined> {
  return (await marketCalendar(ctx)).versions.at(-1);
}
