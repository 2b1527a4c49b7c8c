// The market calendar (domain/market/calendar.ts): the regulator's versioned record of metering
// interval length, reading window, clock skew and the bounds of market interval instants, readable
// by every member. Thin transactions: authorise, read the history, call the pure rules, write, emit.
//
// - InstallMarketCalendar is for the network setup: the regulator's admin only, and only while no
//   version exists (ALREADY_EXISTS afterwards, so running the setup twice changes nothing). The
//   calendar comes from the deployment's topology; the first version is in force from the epoch.
// - PublishMarketCalendar adds the next version (regulator desk); INVALID_STATE before an install.
// - GetMarketCalendarInForce('') means "at the transaction time"; any other value must be ISO-8601 UTC.

import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import {
  buildMarketCalendarVersion,
  parseStoredMarketCalendarVersion,
  calendarAt,
  type MarketCalendarVersion,
} from '../domain/market/calendar';
import { parseVersionArgument } from '../domain/shared/versions';
import { parseJsonArgument, toCanonicalJson } from '../encoding/canonical-json';
import { MAX_RULEBOOK_VERSION, marketCalendarKey } from '../encoding/keys';
import { requireActor } from '../ledger/identity';
import { emitJson, requireState, writeState } from '../ledger/store';
import { txTimestampIso } from '../ledger/tx-time';
import { requireIsoTimestamp } from '../rules';
import { latestMarketCalendar, marketCalendar } from '../services/calendar-reads';
import { MspId, REGULATOR_DESK, Role, type Authority } from '../types/consortium';
import { CALENDAR_CONTRACT_NAME, MARKET_CALENDAR_PUBLISHED_EVENT } from '../types/contracts';
import { ErrorCode, VppError } from '../types/errors';
import { VppContract } from './vpp-contract';

/** A calendar is a handful of numbers and a description. */
const MAX_ARGUMENT_LENGTH = 4 * 1024;
/** Only the regulator's admin installs the first calendar (network setup). */
const REGULATOR_ADMIN: Authority = { [MspId.REGULATOR]: [Role.ADMIN] };

async function publish(ctx: Context, version: MarketCalendarVersion): Promise<string> {
  const bytes = await writeState(ctx, marketCalendarKey(version.version), version);
  emitJson(ctx, MARKET_CALENDAR_PUBLISHED_EVENT, {
    version: version.version,
    effectiveFrom: version.effectiveFrom,
    createdBy: version.createdBy,
  });
  return Buffer.from(bytes).toString('utf8');
}

@Info({ title: 'CalendarContract', description: "The regulator's versioned market calendar" })
export class CalendarContract extends VppContract {
  constructor() {
    super(CALENDAR_CONTRACT_NAME);
  }

  /** Installs the deployment's calendar as version 1, in force from the epoch (setup; regulator admin). */
  @Transaction()
  @Returns('string')
  async InstallMarketCalendar(ctx: Context, calendarJson: string): Promise<string> {
    const author = requireActor(ctx, REGULATOR_ADMIN);
    const input = parseJsonArgument(calendarJson, 'calendarJson', MAX_ARGUMENT_LENGTH);
    const previous = await latestMarketCalendar(ctx);
    if (previous !== undefined) {
      throw new VppError(
        ErrorCode.ALREADY_EXISTS,
        `a market calendar is already installed (latest version ${previous.version})`,
      );
    }
    return publish(ctx, buildMarketCalendarVersion(input, undefined, txTimestampIso(ctx), author));
  }

  /** Publishes the next calendar version (regulator or its admin); history is never edited. */
  @Transaction()
  @Returns('string')
  async PublishMarketCalendar(ctx: Context, calendarJson: string): Promise<string> {
    const author = requireActor(ctx, REGULATOR_DESK);
    const input = parseJsonArgument(calendarJson, 'calendarJson', MAX_ARGUMENT_LENGTH);
    const previous = await latestMarketCalendar(ctx);
    if (previous === undefined) {
      throw new VppError(
        ErrorCode.INVALID_STATE,
        'no market calendar is installed yet: the network setup installs the first version',
      );
    }
    return publish(ctx, buildMarketCalendarVersion(input, previous, txTimestampIso(ctx), author));
  }

  @Transaction(false)
  @Returns('string')
  async GetMarketCalendar(ctx: Context, version: string): Promise<string> {
    const number = parseVersionArgument(version, MAX_RULEBOOK_VERSION);
    const stored = await requireState(
      ctx,
      marketCalendarKey(number),
      parseStoredMarketCalendarVersion,
      `market calendar version ${number}`,
    );
    return toCanonicalJson(stored);
  }

  /** The version in force at `atIso` (ISO-8601 UTC; '' for the transaction time). */
  @Transaction(false)
  @Returns('string')
  async GetMarketCalendarInForce(ctx: Context, atIso: string): Promise<string> {
    const at = atIso === '' ? txTimestampIso(ctx) : requireIsoTimestamp({ atIso }, 'atIso');
    return toCanonicalJson(calendarAt(await marketCalendar(ctx), at));
  }

  /** Every version, oldest first, including any scheduled to take effect later. */
  @Transaction(false)
  @Returns('string')
  async ListMarketCalendarVersions(ctx: Context): Promise<string> {
    return toCanonicalJson((await marketCalendar(ctx)).versions);
  }
}
