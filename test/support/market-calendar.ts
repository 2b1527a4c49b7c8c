// The market calendar in unit tests: the default calendar as version 1 (what the network setup
// installs unless its topology names another), as a stored version, as a history, and installed on a
// memory ledger through the calendar contract.
import { CalendarContract } from '../../chaincode/src/contracts/calendar-contract';
import {
  buildMarketCalendarVersion,
  calendarHistory,
  DEFAULT_MARKET_CALENDAR,
  type MarketCalendarHistory,
  type MarketCalendarVersion,
} from '../../chaincode/src/domain/market/calendar';
import { MspId, Role } from '../../chaincode/src/types/consortium';
import type { Caller, MemoryLedger } from './memory-stub';

export const calendarContract = new CalendarContract();
export const calendarAdmin: Caller = { mspId: 'RegulatorMSP', attributes: { 'vpp.role': 'admin' } };

export const DEFAULT_CALENDAR_V1: MarketCalendarVersion = buildMarketCalendarVersion(
  DEFAULT_MARKET_CALENDAR,
  undefined,
  '2026-01-01T00:00:00.000Z',
  { mspId: MspId.REGULATOR, role: Role.ADMIN },
);

export const DEFAULT_CALENDAR: MarketCalendarHistory = calendarHistory([DEFAULT_CALENDAR_V1]);

/** Installs DEFAULT_MARKET_CALENDAR as version 1 at `time`, as the network setup does. */
export async function installDefaultCalendar(ledger: MemoryLedger, time: string): Promise<void> {
  await ledger.submit({ caller: calendarAdmin, time }, (ctx) =>
    calendarContract.InstallMarketCalendar(ctx, JSON.stringify(DEFAULT_MARKET_CALENDAR)),
  );
}
