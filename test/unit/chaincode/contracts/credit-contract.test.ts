import '../../../support/quiet-logs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Context } from 'fabric-contract-api';
import {
  CREDIT_EVENT_RECORDED_EVENT,
  PARTICIPANT_REINSTATED_EVENT,
  PARTICIPANT_SUSPENDED_EVENT,
  RULEBOOK_PUBLISHED_EVENT,
} from '../../../../chaincode/src/types/contracts';
import { creditStandingOf } from '../../../../chaincode/src/services/credit-reads';
import { type CreditStandingDetails } from '../../../../chaincode/src/domain/credit/standing';
import { applyCreditEvents } from '../../../../chaincode/src/services/credit-scoring';
import {
  type CreditEventType,
  type RulebookInput,
  type RulebookVersion,
} from '../../../../chaincode/src/domain/credit/rulebook';
import { DEFAULT_RULEBOOK } from '../../../../chaincode/src/domain/credit/default-rulebook';
import type {
  CreditEvent,
  Participant,
  ScoreRecord,
  StoredCreditIndicators,
} from '../../../../chaincode/src/domain/credit/scoring';
import type { CreditStanding, RankedParticipant } from '../../../../chaincode/src/domain/credit/standing';
import type { SuspensionRecord } from '../../../../chaincode/src/domain/credit/suspension';
import {
  creditIndicatorsKey,
  rulebookKey,
  scoreRecordKey,
  SCORE_RECORD,
  splitCompositeKey,
  suspensionKey,
} from '../../../../chaincode/src/encoding/keys';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { expectFailure } from '../../../support/contract-harness';
import {
  controlAdmin,
  controlOperator,
  credit,
  eventIn,
  installDefaultRulebook,
  regulatorAdmin,
  regulatorStaff,
  scoreInTransaction,
} from '../../../support/credit-fixture';
import { NARROWED_ENTITY_IDS, NARROWED_MARKET_IDS } from '../../../support/id-kinds';
import type { Caller, MemoryLedger } from '../../../support/memory-stub';
import {
  cvppAdmin,
  cvppOperator,
  newFixture,
  registry,
  tradingAdmin,
  tradingOperator,
  VPP_ID,
} from '../../../support/registry-fixture';
import { vppError } from '../../../support/vpp-assert';

const T0 = '2026-02-01T00:00:00.000Z';
const T1 = '2026-02-10T00:00:00.000Z';
const T2 = '2026-03-01T00:00:00.000Z';
const T3 = '2026-03-05T00:00:00.000Z';
const NORTH: Participant = { type: 'vpp', id: VPP_ID };
const PV1: Participant = { type: 'der', id: 'pv-001' };
const INTERVAL = 'i-20260210-1200-up';

const parse = <T>(text: string): T => JSON.parse(text) as T;
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');

interface Recorded {
  event: CreditEvent;
  recordedBy: string;
  records: ScoreRecord[];
  standing: CreditStandingDetails;
}

function record(
  ledger: MemoryLedger,
  caller: Caller,
  time: string,
  event: { participant: Participant; eventType: CreditEventType; intervalId?: string },
) {
  return ledger.submit({ caller, time }, (ctx) => credit.RecordCreditEvent(ctx, JSON.stringify(event)));
}

async function standingOf(
  ledger: MemoryLedger,
  participant: Participant,
  time: string,
): Promise<CreditStandingDetails> {
  return parse(
    await ledger.evaluate({ caller: tradingOperator, time }, (ctx) =>
      credit.GetCreditStanding(ctx, participant.type, participant.id),
    ),
  );
}

const publish = (ledger: MemoryLedger, input: unknown, time: string, caller: Caller = regulatorStaff) =>
  ledger.submit({ caller, time }, (ctx) => credit.PublishRulebook(ctx, JSON.stringify(input)));

/** Default rules except that a violation costs 500 points from `effectiveFrom` on. */
const harsher = (effectiveFrom: string): RulebookInput => ({
  ...DEFAULT_RULEBOOK,
  effectiveFrom,
  description: 'Violations cost 500 points',
  events: DEFAULT_RULEBOOK.events.map((rule) =>
    rule.eventType === 'VIOLATION' ? { ...rule, effects: [{ indicator: 'VIOLATIONS', points: -500 }] } : rule,
  ),
});

const LEVELS = {
  AAA: { bidQuotaWh: 50_000_000, penaltyFactorPermille: 1000 },
  AA: { bidQuotaWh: 30_000_000, penaltyFactorPermille: 1000 },
  A: { bidQuotaWh: 20_000_000, penaltyFactorPermille: 1200 },
  B: { bidQuotaWh: 10_000_000, penaltyFactorPermille: 1500 },
  C: { bidQuotaWh: 2_000_000, penaltyFactorPermille: 2000 },
} as const;

async function fixture(specs: { derId: string }[] = [{ derId: 'pv-001' }]) {
  const f = await newFixture(specs);
  await f.ledger.submit({ caller: cvppOperator }, (ctx) =>
    registry.RegisterVpp(ctx, JSON.stringify({ vppId: 'vpp-south', displayName: 'South', feeBps: 300 })),
  );
  return f;
}

describe('contracts/credit-contract', () => {
  describe('#InstallDefaultRulebook', () => {
    it('should install DEFAULT_RULEBOOK as version 1, in force from its transaction, and emit it', async () => {
      const { ledger } = await fixture();
      const { result, tx } = await ledger.submit({ caller: regulatorAdmin, time: T0 }, (ctx) =>
        credit.InstallDefaultRulebook(ctx),
      );
      const version = parse<RulebookVersion>(result);
      assert.deepEqual(version, {
        version: 1,
        effectiveFrom: T0,
        description: DEFAULT_RULEBOOK.description,
        indicators: DEFAULT_RULEBOOK.indicators,
        events: DEFAULT_RULEBOOK.events,
        levels: DEFAULT_RULEBOOK.levels,
        createdAt: T0,
        createdBy: { mspId: 'RegulatorMSP', role: 'admin' },
      });
      assert.equal(ledger.getText(rulebookKey(1)), result);
      assert.equal(tx.event?.name, RULEBOOK_PUBLISHED_EVENT);
      assert.deepEqual(parse(text(tx.event?.payload)), {
        version: 1,
        effectiveFrom: T0,
        createdBy: { mspId: 'RegulatorMSP', role: 'admin' },
      });
    });

    it('should refuse a second installation with ALREADY_EXISTS, and anyone but the regulator admin', async () => {
      const { ledger } = await fixture();
      for (const caller of [regulatorStaff, cvppAdmin, tradingAdmin, controlAdmin]) {
        await expectFailure(
          ledger,
          { caller, time: T0 },
          (ctx) => credit.InstallDefaultRulebook(ctx),
          vppError(ErrorCode.FORBIDDEN),
        );
      }
      await installDefaultRulebook(ledger, T0);
      await expectFailure(
        ledger,
        { caller: regulatorAdmin, time: T1 },
        (ctx) => credit.InstallDefaultRulebook(ctx),
        vppError(ErrorCode.ALREADY_EXISTS, /latest version 1/),
      );
    });

    it('should refuse to install over a rulebook the regulator published', async () => {
      const { ledger } = await fixture();
      await publish(ledger, DEFAULT_RULEBOOK, T0);
      await expectFailure(
        ledger,
        { caller: regulatorAdmin, time: T1 },
        (ctx) => credit.InstallDefaultRulebook(ctx),
        vppError(ErrorCode.ALREADY_EXISTS),
      );
    });
  });

  describe('#PublishRulebook and the rulebook queries', () => {
    it('should number versions, keep every one, and answer which is in force at any instant', async () => {
      const { ledger } = await fixture();
      const first = parse<RulebookVersion>((await publish(ledger, DEFAULT_RULEBOOK, T0)).result);
      assert.deepEqual(
        [first.version, first.effectiveFrom, first.createdBy],
        [1, T0, { mspId: 'RegulatorMSP', role: 'regulator' }],
      );
      const { result, tx } = await publish(ledger, harsher(T2), T1, regulatorAdmin);
      const second = parse<RulebookVersion>(result);
      assert.deepEqual([second.version, second.effectiveFrom, second.createdAt], [2, T2, T1]);
      assert.equal(ledger.getText(rulebookKey(2)), result);
      assert.deepEqual(parse<RulebookVersion>(ledger.getText(rulebookKey(1))!), first, 'history untouched');
      assert.deepEqual(parse(text(tx.event?.payload)), {
        version: 2,
        effectiveFrom: T2,
        createdBy: { mspId: 'RegulatorMSP', role: 'admin' },
      });

      const read = (fn: (ctx: Context) => Promise<string>, time = T3) =>
        ledger.evaluate({ caller: cvppOperator, time }, fn).then((answer) => parse<RulebookVersion>(answer));
      assert.deepEqual(await read((ctx) => credit.GetRulebook(ctx, '2')), second);
      assert.deepEqual(await read((ctx) => credit.GetRulebook(ctx, '1')), first);
      const versions = parse<RulebookVersion[]>(
        await ledger.evaluate({ caller: controlOperator }, (ctx) => credit.ListRulebookVersions(ctx)),
      );
      assert.deepEqual(versions, [first, second]);
      const inForce = async (atIso: string, time = T3) =>
        (await read((ctx) => credit.GetRulebookInForce(ctx, atIso), time)).version;
      assert.equal(await inForce(T0), 1, 'from effectiveFrom inclusive');
      assert.equal(await inForce('2026-02-28T23:59:59.999Z'), 1);
      assert.equal(await inForce(T2), 2);
      assert.equal(await inForce('', T1), 1, "'' is the transaction time");
      assert.equal(await inForce('', T3), 2);
    });

    it('should refuse other organisations and roles, rewritten history and invalid rulebooks, writing nothing', async () => {
      const { ledger } = await fixture();
      await publish(ledger, DEFAULT_RULEBOOK, T0);
      await publish(ledger, harsher(T3), T1);
      const attempts: [Caller, unknown, ReturnType<typeof vppError>][] = [
        [cvppAdmin, harsher(T2), vppError(ErrorCode.FORBIDDEN)],
        [tradingAdmin, harsher(T2), vppError(ErrorCode.FORBIDDEN)],
        [controlOperator, harsher(T2), vppError(ErrorCode.FORBIDDEN)],
        [
          { mspId: 'RegulatorMSP', attributes: { 'vpp.role': 'operator' } },
          harsher(T2),
          vppError(ErrorCode.FORBIDDEN),
        ],
        [{ mspId: 'RegulatorMSP' }, harsher(T2), vppError(ErrorCode.FORBIDDEN)],
        [regulatorStaff, harsher('2026-02-09T00:00:00.000Z'), vppError(ErrorCode.INVALID_ARGUMENT, /past/)],
        [regulatorStaff, harsher(T2), vppError(ErrorCode.INVALID_ARGUMENT, /after version 2's/)],
        [regulatorStaff, harsher(T3), vppError(ErrorCode.INVALID_ARGUMENT, /after version 2's/)],
        [
          regulatorStaff,
          { ...DEFAULT_RULEBOOK, indicators: [{ id: 'ONLY', weight: 90, initialScore: 500 }] },
          vppError(ErrorCode.INVALID_ARGUMENT),
        ],
        [
          regulatorStaff,
          { ...DEFAULT_RULEBOOK, version: 7 },
          vppError(ErrorCode.INVALID_ARGUMENT, /version/),
        ],
        [
          regulatorStaff,
          { ...DEFAULT_RULEBOOK, events: DEFAULT_RULEBOOK.events.slice(1) },
          vppError(ErrorCode.INVALID_ARGUMENT, /missing DELIVERY_WITHIN_TOLERANCE/),
        ],
      ];
      for (const [caller, input, expected] of attempts) {
        await expectFailure(
          ledger,
          { caller, time: T1 },
          (ctx) => credit.PublishRulebook(ctx, JSON.stringify(input)),
          expected,
        );
      }
      for (const raw of ['{', 'x'.repeat(40_000)]) {
        await expectFailure(
          ledger,
          { caller: regulatorStaff, time: T1 },
          (ctx) => credit.PublishRulebook(ctx, raw),
          vppError(ErrorCode.INVALID_ARGUMENT),
        );
      }
    });

    it('should answer unknown versions and instants before the first version with NOT_FOUND', async () => {
      const { ledger } = await fixture();
      await assert.rejects(
        ledger.evaluate({ caller: cvppOperator, time: T0 }, (ctx) => credit.GetRulebookInForce(ctx, '')),
        vppError(ErrorCode.NOT_FOUND),
      );
      assert.equal(
        await ledger.evaluate({ caller: cvppOperator }, (ctx) => credit.ListRulebookVersions(ctx)),
        '[]',
      );
      await publish(ledger, DEFAULT_RULEBOOK, T1);
      const ask = (fn: (ctx: Context) => Promise<string>) =>
        ledger.evaluate({ caller: cvppOperator, time: T2 }, fn);
      await assert.rejects(
        ask((ctx) => credit.GetRulebook(ctx, '2')),
        vppError(ErrorCode.NOT_FOUND),
      );
      await assert.rejects(
        ask((ctx) => credit.GetRulebookInForce(ctx, T0)),
        vppError(ErrorCode.NOT_FOUND),
      );
      for (const bad of ['0', '01', '-1', '1.5', 'one', '', '99999999999']) {
        await assert.rejects(
          ask((ctx) => credit.GetRulebook(ctx, bad)),
          vppError(ErrorCode.INVALID_ARGUMENT),
          bad,
        );
      }
      for (const bad of ['2026-02-01', 'now', '2026-02-01T00:00:00Z']) {
        await assert.rejects(
          ask((ctx) => credit.GetRulebookInForce(ctx, bad)),
          vppError(ErrorCode.INVALID_ARGUMENT),
          bad,
        );
      }
    });
  });

  describe('#RecordCreditEvent', () => {
    it('should score a violation recorded by the regulator: one record, new indicators, standing and event', async () => {
      const { ledger } = await fixture();
      await installDefaultRulebook(ledger, T0);
      const { result, tx } = await record(ledger, regulatorStaff, T1, {
        participant: NORTH,
        eventType: 'VIOLATION',
      });
      const answer = parse<Recorded>(result);
      const txId = tx.stub.getTxID();
      const expectedRecord: ScoreRecord = {
        participant: NORTH,
        indicator: 'VIOLATIONS',
        delta: -200,
        points: -200,
        valueAfter: 800,
        reasonCode: 'VIOLATION',
        ruleVersion: 1,
        txId,
        at: T1,
      };
      assert.deepEqual(answer.event, { participant: NORTH, eventType: 'VIOLATION', txId, at: T1 });
      assert.equal(answer.recordedBy, 'RegulatorMSP/inspector');
      assert.deepEqual(answer.records, [expectedRecord]);
      const recordKey = scoreRecordKey('vpp', VPP_ID, T1, txId, 0, 'VIOLATIONS');
      assert.deepEqual(parse(ledger.getText(recordKey)!), expectedRecord);
      const indicators = parse<StoredCreditIndicators>(ledger.getText(creditIndicatorsKey('vpp', VPP_ID))!);
      assert.deepEqual(indicators, {
        participant: NORTH,
        values: {
          BID_REVEAL_COMPLIANCE: 700,
          DELIVERY_ACCURACY: 700,
          DISPATCH_ACKNOWLEDGEMENT: 700,
          TELEMETRY_AVAILABILITY: 700,
          TELEMETRY_VALIDITY: 700,
          VIOLATIONS: 800,
        },
        ruleVersion: 1,
        updatedAt: T1,
        txId,
      });
      assert.deepEqual(
        [...tx.stub.writes.keys()].sort(),
        [recordKey, creditIndicatorsKey('vpp', VPP_ID)].sort(),
      );
      // floor((700 × 85 + 800 × 15) / 100) = 715
      assert.deepEqual(
        [
          answer.standing.score,
          answer.standing.level,
          answer.standing.bidQuotaWh,
          answer.standing.ruleVersion,
        ],
        [715, 'A', 20_000_000, 1],
      );
      assert.equal(tx.event?.name, CREDIT_EVENT_RECORDED_EVENT);
      assert.deepEqual(parse(text(tx.event?.payload)), {
        event: answer.event,
        recordedBy: 'RegulatorMSP/inspector',
        changes: 1,
        level: 'A',
      });
      assert.deepEqual(await standingOf(ledger, NORTH, T2), { ...answer.standing, at: T2 });
    });

    it('should let the control centre record missing acknowledgements, with their interval', async () => {
      const { ledger } = await fixture();
      await installDefaultRulebook(ledger, T0);
      const dispatch = parse<Recorded>(
        (
          await record(ledger, controlOperator, T1, {
            participant: NORTH,
            eventType: 'DISPATCH_NOT_ACKNOWLEDGED',
            intervalId: INTERVAL,
          })
        ).result,
      );
      assert.deepEqual(
        dispatch.records.map((r) => [r.indicator, r.delta, r.valueAfter, r.intervalId]),
        [['DISPATCH_ACKNOWLEDGEMENT', -40, 660, INTERVAL]],
      );
      // (700 × 70 + 660 × 15 + 1000 × 15) / 100 = 739
      assert.equal((await standingOf(ledger, NORTH, T3)).score, 739);
      // Admins of those organisations may record the same.
      await record(ledger, controlAdmin, T3, {
        participant: NORTH,
        eventType: 'DISPATCH_NOT_ACKNOWLEDGED',
        intervalId: INTERVAL,
      });
      await record(ledger, regulatorAdmin, T3, { participant: PV1, eventType: 'VIOLATION' });
    });

    it('should refuse BID_NOT_REVEALED from everyone with FORBIDDEN, writing nothing: the market records it itself', async () => {
      const { ledger } = await fixture();
      await installDefaultRulebook(ledger, T0);
      const south: Participant = { type: 'vpp', id: 'vpp-south' };
      const unrevealed = { participant: south, eventType: 'BID_NOT_REVEALED', intervalId: INTERVAL };
      for (const caller of [tradingOperator, tradingAdmin, controlOperator, regulatorStaff, regulatorAdmin]) {
        await expectFailure(
          ledger,
          { caller, time: T1 },
          (ctx) => credit.RecordCreditEvent(ctx, JSON.stringify(unrevealed)),
          vppError(ErrorCode.FORBIDDEN, /BID_NOT_REVEALED .*the market records it itself .*reveal deadline/),
        ).catch((err: unknown) => assert.fail(`${JSON.stringify(caller)}: ${String(err)}`));
      }
      // Nothing was scored: the standing is a newcomer's and there is no score record.
      const standing = await standingOf(ledger, south, T2);
      assert.deepEqual(
        [standing.score, standing.level, standing.indicators.BID_REVEAL_COMPLIANCE],
        [745, 'A', 700],
      );
      assert.equal(ledger.getText(creditIndicatorsKey('vpp', 'vpp-south')), undefined);
      const records = parse<{ records: ScoreRecord[]; bookmark: string }>(
        await ledger.evaluate({ caller: tradingOperator, time: T2 }, (ctx) =>
          credit.ListScoreRecords(ctx, 'vpp', 'vpp-south', '10', ''),
        ),
      );
      assert.deepEqual(records, { records: [], keys: [], bookmark: '' });
    });

    it('should refuse callers that may not record the event type, and events of the wrong shape, writing nothing', async () => {
      const { ledger } = await fixture();
      await installDefaultRulebook(ledger, T0);
      const violation = { participant: NORTH, eventType: 'VIOLATION' };
      const missedAck = { participant: NORTH, eventType: 'DISPATCH_NOT_ACKNOWLEDGED', intervalId: INTERVAL };
      const cases: [Caller, unknown, ReturnType<typeof vppError>][] = [
        [cvppAdmin, violation, vppError(ErrorCode.FORBIDDEN, /organisation/)],
        [cvppOperator, missedAck, vppError(ErrorCode.FORBIDDEN)],
        [controlOperator, violation, vppError(ErrorCode.FORBIDDEN, /may record DISPATCH_NOT_ACKNOWLEDGED/)],
        [tradingOperator, missedAck, vppError(ErrorCode.FORBIDDEN)],
        [regulatorStaff, missedAck, vppError(ErrorCode.FORBIDDEN)],
        [
          controlOperator,
          { participant: NORTH, eventType: 'DISPATCH_ACKNOWLEDGED', intervalId: INTERVAL },
          vppError(ErrorCode.FORBIDDEN, /DISPATCH_ACKNOWLEDGED/),
        ],
        [
          { mspId: 'ControlMSP', attributes: { 'vpp.role': 'trading' } },
          missedAck,
          vppError(ErrorCode.FORBIDDEN, /vpp.role/),
        ],
        [
          controlOperator,
          { participant: PV1, eventType: 'DISPATCH_NOT_ACKNOWLEDGED', intervalId: INTERVAL },
          vppError(ErrorCode.INVALID_ARGUMENT, /type vpp/),
        ],
        [
          controlOperator,
          { participant: NORTH, eventType: 'DISPATCH_NOT_ACKNOWLEDGED' },
          vppError(ErrorCode.INVALID_ARGUMENT, /intervalId/),
        ],
        [regulatorStaff, { ...violation, txId: 'tx-forged' }, vppError(ErrorCode.INVALID_ARGUMENT, /txId/)],
        [regulatorStaff, { ...violation, eventType: 'FRAUD' }, vppError(ErrorCode.INVALID_ARGUMENT)],
        [
          regulatorStaff,
          { participant: { type: 'org', id: 'x' }, eventType: 'VIOLATION' },
          vppError(ErrorCode.INVALID_ARGUMENT),
        ],
        [
          regulatorStaff,
          { participant: { type: 'vpp', id: 'vpp-ghost' }, eventType: 'VIOLATION' },
          vppError(ErrorCode.NOT_FOUND, /vpp vpp-ghost is not registered/),
        ],
        [
          regulatorStaff,
          { participant: { type: 'der', id: 'pv-ghost' }, eventType: 'VIOLATION' },
          vppError(ErrorCode.NOT_FOUND),
        ],
        [
          regulatorStaff,
          { participant: { type: 'der', id: VPP_ID }, eventType: 'VIOLATION' },
          vppError(ErrorCode.NOT_FOUND, /der vpp-north/),
        ],
      ];
      for (const [caller, event, expected] of cases) {
        await expectFailure(
          ledger,
          { caller, time: T1 },
          (ctx) => credit.RecordCreditEvent(ctx, JSON.stringify(event)),
          expected,
        ).catch((err: unknown) => assert.fail(`${JSON.stringify([caller, event])}: ${String(err)}`));
      }
      await expectFailure(
        ledger,
        { caller: regulatorStaff, time: T1 },
        (ctx) => credit.RecordCreditEvent(ctx, '[1'),
        vppError(ErrorCode.INVALID_ARGUMENT, /malformed JSON/),
      );
    });

    it('should refuse, with INVALID_ARGUMENT and writing nothing, ids nothing registered or opened can have', async () => {
      const { ledger } = await fixture();
      await installDefaultRulebook(ledger, T0);
      const events = [
        ...NARROWED_ENTITY_IDS.map((id) => ({ participant: { type: 'vpp', id }, eventType: 'VIOLATION' })),
        ...NARROWED_MARKET_IDS.map((intervalId) => ({
          participant: NORTH,
          eventType: 'DISPATCH_NOT_ACKNOWLEDGED',
          intervalId,
        })),
      ];
      for (const event of events) {
        const caller = event.eventType === 'VIOLATION' ? regulatorStaff : controlOperator;
        await expectFailure(
          ledger,
          { caller, time: T1 },
          (ctx) => credit.RecordCreditEvent(ctx, JSON.stringify(event)),
          vppError(ErrorCode.INVALID_ARGUMENT, /(id|intervalId) must be 1\.\.64/),
        ).catch((err: unknown) => assert.fail(`${JSON.stringify(event)}: ${String(err)}`));
      }
      for (const id of NARROWED_ENTITY_IDS) {
        await assert.rejects(
          ledger.evaluate({ caller: tradingOperator, time: T1 }, (ctx) =>
            credit.GetCreditStanding(ctx, 'der', id),
          ),
          vppError(ErrorCode.INVALID_ARGUMENT, /id must be 1\.\.64/),
        );
      }
    });

    it('should refuse to score before any rulebook is in force', async () => {
      const { ledger } = await fixture();
      await expectFailure(
        ledger,
        { caller: regulatorStaff, time: T1 },
        (ctx) =>
          credit.RecordCreditEvent(ctx, JSON.stringify({ participant: NORTH, eventType: 'VIOLATION' })),
        vppError(ErrorCode.NOT_FOUND, /no credit rulebook is in force/),
      );
      await publish(ledger, harsher(T2), T1);
      await expectFailure(
        ledger,
        { caller: regulatorStaff, time: '2026-02-20T00:00:00.000Z' },
        (ctx) =>
          credit.RecordCreditEvent(ctx, JSON.stringify({ participant: NORTH, eventType: 'VIOLATION' })),
        vppError(ErrorCode.NOT_FOUND),
      );
    });

    it('should clamp at the lower bound and record nothing once the indicator cannot fall further', async () => {
      const { ledger } = await fixture();
      await installDefaultRulebook(ledger, T0);
      const seconds = Date.parse(T1) / 1000;
      const values: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        const { result } = await record(
          ledger,
          regulatorStaff,
          new Date((seconds + i) * 1000).toISOString(),
          {
            participant: NORTH,
            eventType: 'VIOLATION',
          },
        );
        values.push(...parse<Recorded>(result).records.map((r) => r.valueAfter));
      }
      assert.deepEqual(values, [800, 600, 400, 200, 0], 'the sixth violation changes nothing');
      const { result, tx } = await record(ledger, regulatorStaff, T2, {
        participant: NORTH,
        eventType: 'VIOLATION',
      });
      assert.deepEqual(parse<Recorded>(result).records, []);
      assert.deepEqual([...tx.stub.writes.keys()], [], 'no record and no indicator write');
      assert.equal(tx.event?.name, CREDIT_EVENT_RECORDED_EVENT);
      // (700 × 85 + 0 × 15) / 100 = 595: level B
      assert.deepEqual(
        [(await standingOf(ledger, NORTH, T3)).score, (await standingOf(ledger, NORTH, T3)).level],
        [595, 'B'],
      );
    });
  });

  describe('rulebook versions over time', () => {
    it('should score each event under the version in force at its time, switching at the new effectiveFrom', async () => {
      const { ledger } = await fixture();
      await installDefaultRulebook(ledger, T0);
      await publish(ledger, harsher(T2), T1);
      const before = parse<Recorded>(
        (
          await record(ledger, regulatorStaff, '2026-02-28T23:59:59.000Z', {
            participant: NORTH,
            eventType: 'VIOLATION',
          })
        ).result,
      );
      assert.deepEqual(
        before.records.map((r) => [r.ruleVersion, r.delta, r.valueAfter]),
        [[1, -200, 800]],
      );
      assert.equal(before.standing.ruleVersion, 1);
      const after = parse<Recorded>(
        (await record(ledger, regulatorStaff, T2, { participant: NORTH, eventType: 'VIOLATION' })).result,
      );
      assert.deepEqual(
        after.records.map((r) => [r.ruleVersion, r.delta, r.valueAfter]),
        [[2, -500, 300]],
      );
      assert.equal(after.standing.ruleVersion, 2);
      const indicators = parse<StoredCreditIndicators>(ledger.getText(creditIndicatorsKey('vpp', VPP_ID))!);
      assert.deepEqual([indicators.ruleVersion, indicators.values.VIOLATIONS], [2, 300]);
      // An event scored by another contract with a time before the switch still uses version 1.
      const { result } = await scoreInTransaction(ledger, T3, (ctx) => [
        { ...eventIn(ctx, NORTH, 'VIOLATION'), at: '2026-02-15T00:00:00.000Z' },
      ]);
      assert.deepEqual(
        result.records.map((r) => [r.ruleVersion, r.delta, r.at]),
        [[1, -200, '2026-02-15T00:00:00.000Z']],
      );
    });
  });

  describe('#GetCreditStanding', () => {
    /** One indicator with weight 100, so the score is its value; the default levels. */
    const BOUNDARIES: RulebookInput = {
      description: 'Level boundaries',
      indicators: [{ id: 'SCORE', weight: 100, initialScore: 650 }],
      events: DEFAULT_RULEBOOK.events.map((rule) => {
        const points: Partial<Record<CreditEventType, number>> = {
          DELIVERY_WITHIN_TOLERANCE: 1,
          DELIVERY_DEVIATION: -1,
          READINGS_COMPLETE: 150,
          READING_REJECTED: -150,
          BID_REVEALED: 100,
          BID_NOT_REVEALED: -50,
        };
        const value = points[rule.eventType];
        return {
          eventType: rule.eventType,
          effects: value === undefined ? [] : [{ indicator: 'SCORE', points: value }],
        };
      }),
      levels: DEFAULT_RULEBOOK.levels,
    };

    it('should derive level, quota and penalty factor from the score, a score at a threshold earning the level', async () => {
      const { ledger } = await fixture();
      await publish(ledger, BOUNDARIES, T0);
      const initial = await standingOf(ledger, NORTH, T1);
      assert.deepEqual(initial, {
        participant: NORTH,
        score: 650,
        level: 'A',
        suspended: false,
        ...LEVELS.A,
        ruleVersion: 1,
        at: T1,
        indicators: { SCORE: 650 },
        suspension: null,
      });
      assert.equal(ledger.getText(creditIndicatorsKey('vpp', VPP_ID)), undefined, 'reading writes nothing');
      const path: [CreditEventType, number, keyof typeof LEVELS][] = [
        ['DELIVERY_DEVIATION', 649, 'B'],
        ['DELIVERY_WITHIN_TOLERANCE', 650, 'A'],
        ['READINGS_COMPLETE', 800, 'AA'],
        ['DELIVERY_DEVIATION', 799, 'A'],
        ['DELIVERY_WITHIN_TOLERANCE', 800, 'AA'],
        ['BID_REVEALED', 900, 'AAA'],
        ['DELIVERY_DEVIATION', 899, 'AA'],
        ['BID_REVEALED', 999, 'AAA'],
        ['DELIVERY_WITHIN_TOLERANCE', 1000, 'AAA'],
        ['DELIVERY_WITHIN_TOLERANCE', 1000, 'AAA'],
        ['READING_REJECTED', 850, 'AA'],
        ['READING_REJECTED', 700, 'A'],
        ['READING_REJECTED', 550, 'B'],
        ['BID_NOT_REVEALED', 500, 'B'],
        ['DELIVERY_DEVIATION', 499, 'C'],
        ['READING_REJECTED', 349, 'C'],
        ['READING_REJECTED', 199, 'C'],
        ['READING_REJECTED', 49, 'C'],
        ['READING_REJECTED', 0, 'C'],
      ];
      let seconds = Date.parse(T1) / 1000;
      for (const [eventType, score, level] of path) {
        seconds += 60;
        const time = new Date(seconds * 1000).toISOString();
        await scoreInTransaction(ledger, time, (ctx) => [eventIn(ctx, NORTH, eventType)]);
        const standing = await standingOf(ledger, NORTH, time);
        assert.deepEqual(
          [standing.score, standing.level, standing.bidQuotaWh, standing.penaltyFactorPermille],
          [score, level, LEVELS[level].bidQuotaWh, LEVELS[level].penaltyFactorPermille],
          `${eventType} → ${score}`,
        );
      }
    });

    it('should report a newcomer at the initial scores and refuse unknown participants and types', async () => {
      const { ledger } = await fixture();
      await installDefaultRulebook(ledger, T0);
      const standing = await standingOf(ledger, PV1, T1);
      assert.deepEqual([standing.score, standing.level, standing.indicators.VIOLATIONS], [745, 'A', 1000]);
      const ask = (type: string, id: string) =>
        ledger.evaluate({ caller: cvppOperator, time: T1 }, (ctx) => credit.GetCreditStanding(ctx, type, id));
      await assert.rejects(ask('vpp', 'vpp-ghost'), vppError(ErrorCode.NOT_FOUND));
      await assert.rejects(ask('der', 'pv-ghost'), vppError(ErrorCode.NOT_FOUND));
      await assert.rejects(ask('org', VPP_ID), vppError(ErrorCode.INVALID_ARGUMENT));
      await assert.rejects(ask('vpp', ' vpp-north'), vppError(ErrorCode.INVALID_ARGUMENT));
    });
  });

  describe('#SuspendParticipant and #ReinstateParticipant', () => {
    it('should suspend with a reason (quota 0, worst penalty factor), keep scoring, and reinstate', async () => {
      const { ledger } = await fixture();
      await installDefaultRulebook(ledger, T0);
      const { result, tx } = await ledger.submit({ caller: regulatorStaff, time: T1 }, (ctx) =>
        credit.SuspendParticipant(ctx, JSON.stringify(NORTH), '  repeated metering fraud '),
      );
      const suspension = parse<SuspensionRecord>(result);
      assert.deepEqual(suspension, {
        participant: NORTH,
        status: 'suspended',
        reason: 'repeated metering fraud',
        by: { mspId: 'RegulatorMSP', role: 'regulator' },
        at: T1,
        txId: tx.stub.getTxID(),
      });
      assert.equal(ledger.getText(suspensionKey('vpp', VPP_ID)), result);
      assert.equal(tx.event?.name, PARTICIPANT_SUSPENDED_EVENT);
      assert.equal(text(tx.event?.payload), result);

      const suspended = await standingOf(ledger, NORTH, T1);
      assert.deepEqual(
        [
          suspended.score,
          suspended.level,
          suspended.suspended,
          suspended.bidQuotaWh,
          suspended.penaltyFactorPermille,
        ],
        [745, 'SUSPENDED', true, 0, 2000],
      );
      assert.deepEqual(suspended.suspension, suspension);
      // What the market and settlement see, inside their own transaction.
      const seen = await ledger.evaluate({ caller: tradingOperator, time: T1 }, (ctx) =>
        creditStandingOf(ctx, NORTH, T1),
      );
      assert.deepEqual(seen, {
        participant: NORTH,
        score: 745,
        level: 'SUSPENDED',
        suspended: true,
        bidQuotaWh: 0,
        penaltyFactorPermille: 2000,
        ruleVersion: 1,
      } satisfies CreditStanding);

      const scored = parse<Recorded>(
        (await record(ledger, regulatorStaff, T2, { participant: NORTH, eventType: 'VIOLATION' })).result,
      );
      assert.deepEqual(
        [scored.records.length, scored.standing.score, scored.standing.level],
        [1, 715, 'SUSPENDED'],
      );

      const reinstated = await ledger.submit({ caller: regulatorAdmin, time: T3 }, (ctx) =>
        credit.ReinstateParticipant(ctx, JSON.stringify(NORTH), 'audit passed'),
      );
      assert.equal(reinstated.tx.event?.name, PARTICIPANT_REINSTATED_EVENT);
      assert.deepEqual(parse<SuspensionRecord>(reinstated.result), {
        participant: NORTH,
        status: 'reinstated',
        reason: 'audit passed',
        by: { mspId: 'RegulatorMSP', role: 'admin' },
        at: T3,
        txId: reinstated.tx.stub.getTxID(),
      });
      const after = await standingOf(ledger, NORTH, T3);
      assert.deepEqual(
        [after.score, after.level, after.suspended, after.bidQuotaWh, after.suspension?.status],
        [715, 'A', false, 20_000_000, 'reinstated'],
      );
    });

    it('should refuse other callers, unknown participants, missing reasons and decisions that change nothing', async () => {
      const { ledger } = await fixture();
      await installDefaultRulebook(ledger, T0);
      const suspend =
        (participant: unknown, reason = 'fraud') =>
        (ctx: Context) =>
          credit.SuspendParticipant(ctx, JSON.stringify(participant), reason);
      const reinstate = (ctx: Context) => credit.ReinstateParticipant(ctx, JSON.stringify(PV1), 'ok');
      for (const caller of [cvppOperator, cvppAdmin, tradingAdmin, controlAdmin, { mspId: 'RegulatorMSP' }]) {
        await expectFailure(ledger, { caller, time: T1 }, suspend(PV1), vppError(ErrorCode.FORBIDDEN));
      }
      const regulatorTx = { caller: regulatorStaff, time: T1 };
      await expectFailure(ledger, regulatorTx, reinstate, vppError(ErrorCode.INVALID_STATE, /not suspended/));
      await expectFailure(
        ledger,
        regulatorTx,
        suspend({ type: 'der', id: 'pv-ghost' }),
        vppError(ErrorCode.NOT_FOUND),
      );
      await expectFailure(
        ledger,
        regulatorTx,
        suspend({ type: 'vpp' }),
        vppError(ErrorCode.INVALID_ARGUMENT),
      );
      await expectFailure(
        ledger,
        regulatorTx,
        suspend(PV1, '   '),
        vppError(ErrorCode.INVALID_ARGUMENT, /reason/),
      );
      await expectFailure(
        ledger,
        regulatorTx,
        suspend(PV1, 'x'.repeat(501)),
        vppError(ErrorCode.INVALID_ARGUMENT, /reason/),
      );
      await ledger.submit(regulatorTx, suspend(PV1));
      await expectFailure(
        ledger,
        { caller: regulatorStaff, time: T2 },
        suspend(PV1, 'again'),
        vppError(ErrorCode.INVALID_STATE, /already suspended/),
      );
      await ledger.submit({ caller: regulatorStaff, time: T2 }, reinstate);
      await expectFailure(
        ledger,
        { caller: regulatorStaff, time: T3 },
        reinstate,
        vppError(ErrorCode.INVALID_STATE),
      );
    });
  });

  describe('#RankParticipants', () => {
    it('should rank participants with indicators: good standing first, then score, then id', async () => {
      const { ledger } = await fixture(
        ['pv-001', 'pv-002', 'pv-003', 'pv-004', 'bat-001'].map((derId) => ({ derId })),
      );
      await installDefaultRulebook(ledger, T0);
      const der = (id: string): Participant => ({ type: 'der', id });
      await scoreInTransaction(ledger, T1, (ctx) => [
        eventIn(ctx, der('pv-001'), 'READINGS_COMPLETE'),
        eventIn(ctx, der('pv-001'), 'READINGS_COMPLETE'),
        eventIn(ctx, der('pv-002'), 'READING_REJECTED'),
        eventIn(ctx, der('pv-004'), 'READING_REJECTED'),
      ]);
      await record(ledger, regulatorStaff, T2, { participant: NORTH, eventType: 'VIOLATION' });
      // As the market contract scores a commitment never revealed.
      await scoreInTransaction(ledger, T2, (ctx) => [
        eventIn(ctx, { type: 'vpp', id: 'vpp-south' }, 'BID_NOT_REVEALED', INTERVAL),
      ]);
      // A suspended DER with the best score still ranks after those in good standing.
      await scoreInTransaction(ledger, T2, (ctx) =>
        [1, 2, 3, 4, 5, 6].map(() => eventIn(ctx, der('bat-001'), 'READINGS_COMPLETE')),
      );
      await ledger.submit({ caller: regulatorStaff, time: T2 }, (ctx) =>
        credit.SuspendParticipant(ctx, JSON.stringify(der('bat-001')), 'tampered meter'),
      );
      // pv-001: (700 × 70 + 710 × 15 + 1000 × 15) / 100 = 746.5 → 746; pv-002, pv-004: 742;
      // bat-001: availability 730 → (700 × 55 + 730 × 15 + 1000 × 15) / 100 = 749.5 → 749
      const ranking = async (type: string) =>
        parse<{
          participantType: string;
          at: string;
          ruleVersion: number;
          ranking: (RankedParticipant & { level: string })[];
        }>(
          await ledger.evaluate({ caller: controlOperator, time: T3 }, (ctx) =>
            credit.RankParticipants(ctx, type),
          ),
        );
      const ders = await ranking('der');
      assert.deepEqual([ders.participantType, ders.at, ders.ruleVersion], ['der', T3, 1]);
      assert.deepEqual(
        ders.ranking.map((r) => [r.rank, r.participant.id, r.score, r.level, r.suspended]),
        [
          [1, 'pv-001', 746, 'A', false],
          [2, 'pv-002', 742, 'A', false],
          [3, 'pv-004', 742, 'A', false],
          [4, 'bat-001', 749, 'SUSPENDED', true],
        ],
      );
      const vpps = await ranking('vpp');
      assert.deepEqual(
        vpps.ranking.map((r) => [r.rank, r.participant.id, r.score]),
        [
          [1, 'vpp-south', 740],
          [2, VPP_ID, 715],
        ],
      );
      await assert.rejects(ranking('org'), vppError(ErrorCode.INVALID_ARGUMENT));
    });

    it('should answer an empty ranking when nobody has indicators, and NOT_FOUND without a rulebook', async () => {
      const { ledger } = await fixture();
      const rank = () =>
        ledger.evaluate({ caller: cvppOperator, time: T1 }, (ctx) => credit.RankParticipants(ctx, 'vpp'));
      await assert.rejects(rank(), vppError(ErrorCode.NOT_FOUND));
      await installDefaultRulebook(ledger, T0);
      assert.deepEqual(parse<{ ranking: unknown[] }>(await rank()).ranking, []);
    });
  });

  describe('#ListScoreRecords', () => {
    it("should page through a participant's full history in event-time order", async () => {
      const { ledger } = await fixture();
      await installDefaultRulebook(ledger, T0);
      const times = ['2026-02-03T00:00:00.000Z', '2026-02-04T00:00:00.000Z', '2026-02-05T00:00:00.000Z'];
      // Transaction ids that sort against time order: listing must still follow event time.
      for (const [i, time] of times.entries()) {
        await ledger.submit({ caller: regulatorStaff, time, txId: `tx-${9 - i}` }, (ctx) =>
          credit.RecordCreditEvent(ctx, JSON.stringify({ participant: PV1, eventType: 'VIOLATION' })),
        );
      }
      const scored = (
        await scoreInTransaction(ledger, T1, (ctx) => [
          eventIn(ctx, PV1, 'READING_REJECTED'),
          eventIn(ctx, PV1, 'READINGS_COMPLETE'),
        ])
      ).tx.stub.getTxID();
      await record(ledger, regulatorStaff, T1, { participant: NORTH, eventType: 'VIOLATION' });
      const page = async (pageSize: string, bookmark: string) =>
        parse<{ records: ScoreRecord[]; bookmark: string }>(
          await ledger.evaluate({ caller: tradingOperator, time: T2 }, (ctx) =>
            credit.ListScoreRecords(ctx, 'der', 'pv-001', pageSize, bookmark),
          ),
        );
      const all: ScoreRecord[] = [];
      let bookmark = '';
      let pages = 0;
      do {
        const next = await page('2', bookmark);
        all.push(...next.records);
        bookmark = next.bookmark;
        pages += 1;
      } while (bookmark !== '');
      assert.equal(pages, 3);
      assert.deepEqual(
        all.map((r) => [r.at, r.txId, r.reasonCode, r.indicator, r.valueAfter]),
        [
          [times[0], 'tx-9', 'VIOLATION', 'VIOLATIONS', 800],
          [times[1], 'tx-8', 'VIOLATION', 'VIOLATIONS', 600],
          [times[2], 'tx-7', 'VIOLATION', 'VIOLATIONS', 400],
          [T1, scored, 'READING_REJECTED', 'TELEMETRY_VALIDITY', 680],
          [T1, scored, 'READINGS_COMPLETE', 'TELEMETRY_AVAILABILITY', 705],
        ],
      );
      assert.deepEqual((await page('1000', '')).records, all);
      assert.deepEqual(
        parse<{ records: unknown[] }>(
          await ledger.evaluate({ caller: tradingOperator }, (ctx) =>
            credit.ListScoreRecords(ctx, 'der', 'pv-unknown', '10', ''),
          ),
        ).records,
        [],
      );
      for (const size of ['0', '1001', 'ten', '']) {
        await assert.rejects(page(size, ''), vppError(ErrorCode.INVALID_ARGUMENT), size);
      }
      await assert.rejects(
        ledger.evaluate({ caller: tradingOperator }, (ctx) =>
          credit.ListScoreRecords(ctx, 'site', 'x', '10', ''),
        ),
        vppError(ErrorCode.INVALID_ARGUMENT),
      );
    });
  });

  describe('applyCreditEvents (called by other contracts)', () => {
    it('should write one record per changed indicator under distinct keys, and each participant once', async () => {
      const { ledger } = await fixture([{ derId: 'pv-001' }, { derId: 'pv-002' }]);
      await installDefaultRulebook(ledger, T0);
      const { result, tx } = await scoreInTransaction(ledger, T1, (ctx) => [
        eventIn(ctx, PV1, 'READING_REJECTED', INTERVAL),
        eventIn(ctx, PV1, 'READING_REJECTED', INTERVAL),
        eventIn(ctx, { type: 'der', id: 'pv-002' }, 'READINGS_COMPLETE', INTERVAL),
        eventIn(ctx, NORTH, 'DELIVERY_DEVIATION', INTERVAL),
      ]);
      const txId = tx.stub.getTxID();
      assert.deepEqual(
        result.records.map((r) => [r.participant.id, r.indicator, r.delta, r.valueAfter]),
        [
          ['pv-001', 'TELEMETRY_VALIDITY', -20, 680],
          ['pv-001', 'TELEMETRY_VALIDITY', -20, 660],
          ['pv-002', 'TELEMETRY_AVAILABILITY', 5, 705],
          [VPP_ID, 'DELIVERY_ACCURACY', -30, 670],
        ],
      );
      const recordKeys = [...tx.stub.writes.keys()].filter(
        (key) => splitCompositeKey(key)?.objectType === SCORE_RECORD,
      );
      assert.deepEqual(recordKeys, [
        scoreRecordKey('der', 'pv-001', T1, txId, 0, 'TELEMETRY_VALIDITY'),
        scoreRecordKey('der', 'pv-001', T1, txId, 1, 'TELEMETRY_VALIDITY'),
        scoreRecordKey('der', 'pv-002', T1, txId, 2, 'TELEMETRY_AVAILABILITY'),
        scoreRecordKey('vpp', VPP_ID, T1, txId, 3, 'DELIVERY_ACCURACY'),
      ]);
      assert.equal(new Set(recordKeys).size, 4);
      for (const [i, key] of recordKeys.entries()) {
        assert.deepEqual(parse(ledger.getText(key)!), result.records[i]);
      }
      assert.equal(tx.stub.writes.size, 4 + 3, 'four records and three indicator records');
      assert.deepEqual(tx.stub.events, [], 'the calling contract owns the chaincode event');
      const pv1 = parse<StoredCreditIndicators>(ledger.getText(creditIndicatorsKey('der', 'pv-001'))!);
      assert.deepEqual([pv1.values.TELEMETRY_VALIDITY, pv1.txId, pv1.updatedAt], [660, txId, T1]);
      assert.deepEqual(
        result.changed.map((c) => [c.participant.id, c.values.TELEMETRY_VALIDITY]),
        [
          ['pv-001', 660],
          ['pv-002', 700],
          [VPP_ID, 700],
        ],
      );
    });

    it('should see its own earlier calls in the transaction, as creditStandingOf does', async () => {
      const { ledger } = await fixture();
      await installDefaultRulebook(ledger, T0);
      const { result, tx } = await ledger.submit({ caller: controlOperator, time: T1 }, async (ctx) => {
        const first = await applyCreditEvents(ctx, [eventIn(ctx, NORTH, 'VIOLATION')]);
        const second = await applyCreditEvents(ctx, [eventIn(ctx, NORTH, 'VIOLATION')]);
        const standing = await creditStandingOf(ctx, NORTH, T1);
        const none = await applyCreditEvents(ctx, []);
        return { first, second, standing, none };
      });
      assert.deepEqual(
        [...result.first.records, ...result.second.records].map((r) => r.valueAfter),
        [800, 600],
      );
      assert.equal(result.standing.score, 685);
      assert.deepEqual(result.none, { records: [], changed: [] });
      const txId = tx.stub.getTxID();
      assert.ok(tx.stub.writes.has(scoreRecordKey('vpp', VPP_ID, T1, txId, 0, 'VIOLATIONS')));
      assert.ok(tx.stub.writes.has(scoreRecordKey('vpp', VPP_ID, T1, txId, 1, 'VIOLATIONS')));
      assert.equal(
        parse<StoredCreditIndicators>(ledger.getText(creditIndicatorsKey('vpp', VPP_ID))!).values.VIOLATIONS,
        600,
      );
      assert.equal((await standingOf(ledger, NORTH, T2)).score, 685);
    });

    it('should refuse the whole list, writing nothing, if any event is invalid', async () => {
      const { ledger } = await fixture();
      await installDefaultRulebook(ledger, T0);
      const score = (build: (ctx: Context) => unknown) => (ctx: Context) =>
        applyCreditEvents(ctx, build(ctx) as CreditEvent[]);
      const cases: [(ctx: Context) => unknown, ReturnType<typeof vppError>][] = [
        [
          (ctx) => [
            eventIn(ctx, NORTH, 'VIOLATION'),
            { ...eventIn(ctx, NORTH, 'VIOLATION'), txId: 'tx-other' },
          ],
          vppError(ErrorCode.INVALID_ARGUMENT, /txId/),
        ],
        [
          (ctx) => [eventIn(ctx, NORTH, 'VIOLATION'), { ...eventIn(ctx, NORTH, 'VIOLATION'), at: T2 }],
          vppError(ErrorCode.INVALID_ARGUMENT, /after the transaction time/),
        ],
        [
          (ctx) => [
            eventIn(ctx, NORTH, 'VIOLATION'),
            eventIn(ctx, { type: 'der', id: 'ghost' }, 'VIOLATION'),
          ],
          vppError(ErrorCode.NOT_FOUND),
        ],
        [
          (ctx) => [
            eventIn(ctx, NORTH, 'VIOLATION'),
            { ...eventIn(ctx, NORTH, 'VIOLATION'), at: '2026-01-15T00:00:00.000Z' },
          ],
          vppError(ErrorCode.NOT_FOUND, /rulebook/),
        ],
        [
          (ctx) => [eventIn(ctx, NORTH, 'VIOLATION'), { ...eventIn(ctx, NORTH, 'VIOLATION'), extra: 1 }],
          vppError(ErrorCode.INVALID_ARGUMENT),
        ],
        [() => 'not a list', vppError(ErrorCode.INVALID_ARGUMENT, /list/)],
      ];
      for (const [build, expected] of cases) {
        await expectFailure(ledger, { caller: controlOperator, time: T1 }, score(build), expected);
      }
    });
  });
});
