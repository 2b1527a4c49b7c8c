/** The calendar contract as the gateway calls it: the market calendar's versions. */
import type { FastifyRequest } from 'fastify';
import {
  CALENDAR_CONTRACT_NAME,
  CALENDAR_TX,
  type MarketCalendarInput,
  type MarketCalendarVersion,
} from '../../../../../chaincode/src/api';
import type { FabricPort } from '../fabric-connection';
import { ContractClient, type Committed } from './contract-client';

/** TSDoc'd facade: the regulator's market calendar, typed as the chaincode answers it. */
export class CalendarLedger {
  readonly #contract: ContractClient<keyof typeof CALENDAR_TX>;

  constructor(fabric: FabricPort) {
    this.#contract = new ContractClient(fabric, CALENDAR_CONTRACT_NAME);
  }

  /** The version in force at `at`, or now when `at` is undefined. */
  inForce(as: FastifyRequest, at: string | undefined): Promise<MarketCalendarVersion> {
    return this.#contract.evaluate(as, CALENDAR_TX.GetMarketCalendarInForce, [at ?? '']);
  }

  versions(as: FastifyRequest): Promise<MarketCalendarVersion[]> {
    return this.#contract.evaluate(as, CALENDAR_TX.ListMarketCalendarVersions, []);
  }

  /** Every version, read as the gateway's service identity (the reading pre-check's calendar). */
  versionsAsService(): Promise<MarketCalendarVersion[]> {
    return this.#contract.evaluateAsService(CALENDAR_TX.ListMarketCalendarVersions, []);
  }

  /** `version` as the route received it: digits, checked again by the chaincode. */
  version(as: FastifyRequest, version: string): Promise<MarketCalendarVersion> {
    return this.#contract.evaluate(as, CALENDAR_TX.GetMarketCalendar, [version]);
  }

  publish(as: FastifyRequest, calendar: MarketCalendarInput): Promise<Committed<MarketCalendarVersion>> {
    return this.#contract.submit(as, CALENDAR_TX.PublishMarketCalendar, [JSON.stringify(calendar)]);
  }
}
