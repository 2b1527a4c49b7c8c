/** The market calendar: the regulator's versioned record of metering interval, reading window and bounds. */
import {
  CALENDAR_DESCRIPTION_RULE,
  CLOCK_SKEW_SECONDS_RULE,
  MAX_DELIVERY_SECONDS_RULE,
  MAX_LEAD_SECONDS_RULE,
  METERING_INTERVAL_SECONDS_RULE,
  READING_WINDOW_SECONDS_RULE,
} from '../../../chaincode/src/api';
import {
  errorResponses,
  freeText,
  isoInstant,
  versionedRecordSchemas,
  WithTxSchema as withTx,
} from './common';

const tags: readonly ['market'] = ['market'];

const seconds = (rule: { min: number; max: number }, description: string) =>
  ({ type: 'integer', minimum: rule.min, maximum: rule.max, description }) as const;

export const MarketCalendarBodySchema = {
  type: 'object',
  required: [
    'description',
    'meteringIntervalSeconds',
    'readingWindowSeconds',
    'clockSkewSeconds',
    'maxDeliverySeconds',
    'maxLeadSeconds',
  ],
  additionalProperties: false,
  properties: {
    effectiveFrom: {
      ...isoInstant,
      description:
        'defaults to the transaction time; never before it, after the previous version, and on the metering grid of both versions',
    },
    description: freeText(CALENDAR_DESCRIPTION_RULE.min, CALENDAR_DESCRIPTION_RULE.max),
    meteringIntervalSeconds: seconds(
      METERING_INTERVAL_SECONDS_RULE,
      'length of a metering interval; divides a day (86400)',
    ),
    readingWindowSeconds: seconds(
      READING_WINDOW_SECONDS_RULE,
      'readings are accepted until this long after their interval ends; settlement may run after it',
    ),
    clockSkewSeconds: seconds(
      CLOCK_SKEW_SECONDS_RULE,
      'readings are accepted from this long before their interval ends; shorter than a metering interval',
    ),
    maxDeliverySeconds: seconds(MAX_DELIVERY_SECONDS_RULE, 'longest delivery period of a market interval'),
    maxLeadSeconds: seconds(MAX_LEAD_SECONDS_RULE, 'longest time from opening an interval to its delivery'),
  },
} as const;

export const publishMarketCalendarSchema = {
  tags,
  summary: 'Publish the next market calendar version (the regulator); earlier versions are never changed',
  body: MarketCalendarBodySchema,
  response: { 201: withTx, ...errorResponses(400, 401, 403, 409, 422, 503) },
} as const;

const calendarReads = versionedRecordSchemas(tags, 'market calendar');
export const marketCalendarInForceSchema = calendarReads.inForce;
export const listMarketCalendarVersionsSchema = calendarReads.list;
export const getMarketCalendarVersionSchema = calendarReads.get;
