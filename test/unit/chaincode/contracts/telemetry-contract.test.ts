import '../../../support/quiet-logs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TelemetryContract } from '../../../../chaincode/src/contracts/telemetry-contract';
import { READINGS_RECORDED_EVENT } from '../../../../chaincode/src/types/contracts';
import type { BatchResult } from '../../../../chaincode/src/domain/telemetry/batch';
import { serialOf } from '../../../../chaincode/src/domain/pki/certificate';
import type {
  ReadingPage,
  SignedReading,
  UnsignedReading,
} from '../../../../chaincode/src/domain/telemetry/reading';
import { MAX_PAGE_SIZE } from '../../../../chaincode/src/rules';
import { compositeKey, readingKey, SCORE_RECORD } from '../../../../chaincode/src/encoding/keys';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { expectFailure, snapshot } from '../../../support/contract-harness';
import { installDefaultRulebook } from '../../../support/credit-fixture';
import type { MemoryLedger, TxOptions } from '../../../support/memory-stub';
import {
  cvppAdmin,
  cvppIngest,
  cvppOperator,
  newFixture,
  registry,
  regulator,
  tradingAdmin,
  VPP_ID,
} from '../../../support/registry-fixture';
import { otherS, unpadded, withPadBits } from '../../../support/signature-twins';
import { newTestDevice, deviceAttrs, signReading } from '../../../support/test-pki';
import { vppError } from '../../../support/vpp-assert';

const telemetry = new TelemetryContract();
const INTERVAL = '2026-11-25T10:15:00.000Z';
const AT = '2026-11-25T10:31:00.000Z';
const ingest: TxOptions = { caller: cvppIngest, time: AT };

const unsigned = (derId: string, energyWh: number, sequence = 0): UnsignedReading => ({
  derId,
  intervalId: INTERVAL,
  sequence,
  energyWh,
  timestamp: '2026-11-25T10:30:00.000Z',
  scheme: 'ecdsa-p256-sha256',
});

async function fixture() {
  const f = await newFixture([
    { derId: 'pv-001' },
    { derId: 'bat-002', derType: 'battery', capacityW: 4000 },
  ]);
  const sign = (reading: UnsignedReading) => signReading(reading, f.devices.get(reading.derId)!.privateKey);
  const record = async (batch: unknown[], options: TxOptions = ingest) => {
    const { result, tx } = await f.ledger.submit(options, (ctx) =>
      telemetry.RecordReadings(ctx, JSON.stringify(batch)),
    );
    return { outcome: JSON.parse(result) as BatchResult, tx };
  };
  return { ...f, sign, record };
}

const statuses = (outcome: BatchResult) => outcome.results.map((r) => [r.index, r.status, r.code ?? null]);

describe('contracts/telemetry-contract', () => {
  describe('#RecordReadings', () => {
    it('should verify and store each reading under its own key and report the batch', async () => {
      const { ledger, sign, record, devices } = await fixture();
      const a = sign(unsigned('pv-001', 1500));
      const b = sign(unsigned('bat-002', 900));
      const { outcome, tx } = await record([a, b]);
      assert.deepEqual(
        { accepted: outcome.accepted, duplicates: outcome.duplicates, rejected: outcome.rejected },
        { accepted: 2, duplicates: 0, rejected: 0 },
      );
      assert.deepEqual(statuses(outcome), [
        [0, 'accepted', null],
        [1, 'accepted', null],
      ]);
      const stored = JSON.parse(ledger.getText(readingKey(VPP_ID, INTERVAL, 'pv-001', 0))!) as Record<
        string,
        unknown
      >;
      assert.deepEqual(stored, {
        ...a,
        vppId: VPP_ID,
        certificateSerial: serialOf(devices.get('pv-001')!.certPem),
        recordedAt: AT,
        txId: outcome.txId,
      });
      assert.equal(tx.event?.name, READINGS_RECORDED_EVENT);
      assert.deepEqual(JSON.parse(Buffer.from(tx.event!.payload).toString()), {
        accepted: 2,
        duplicates: 0,
        rejected: 0,
        txId: outcome.txId,
      });
    });

    it('should reject bad readings one by one, with their codes, and still record the good ones', async () => {
      const { ledger, ca, sign, record, devices } = await fixture();
      await ledger.submit({ caller: cvppOperator }, (ctx) =>
        registry.SuspendDer(ctx, 'bat-002', 'inspection'),
      );
      const stranger = newTestDevice(ca, { attrs: deviceAttrs('pv-009', VPP_ID) });
      const batch: unknown[] = [
        sign(unsigned('pv-001', 1000)), // 0 accepted
        { ...sign(unsigned('pv-001', 1000, 1)), energyWh: 1999 }, // 1 figure changed after signing
        signReading(unsigned('pv-009', 10), stranger.privateKey), // 2 never registered
        sign(unsigned('bat-002', 10)), // 3 suspended
        { ...sign(unsigned('pv-001', 2001, 2)) }, // 4 above 8000 W × 15 min = 2000 Wh
        sign({ ...unsigned('pv-001', 10, 3), intervalId: '2026-11-25T10:30:00.000Z' }), // 5 not ended
        sign({ ...unsigned('pv-001', 10, 4), intervalId: '2026-11-25T09:15:00.000Z' }), // 6 window closed at 09:30 + 60 min
        { ...sign(unsigned('pv-001', 10, 5)), energyWh: -5 }, // 7 negative
        'not a reading', // 8
        signReading(unsigned('pv-001', 10, 6), devices.get('bat-002')!.privateKey), // 9 another device's key
        sign(unsigned('pv-001', 700, 7)), // 10 accepted
      ];
      const before = ledger.size;
      const { outcome } = await record(batch);
      assert.deepEqual(statuses(outcome), [
        [0, 'accepted', null],
        [1, 'rejected', 'BAD_SIGNATURE'],
        [2, 'rejected', 'UNKNOWN_DER'],
        [3, 'rejected', 'DER_SUSPENDED'],
        [4, 'rejected', 'ENERGY_ABOVE_CAPACITY'],
        [5, 'rejected', 'OUTSIDE_WINDOW'],
        [6, 'rejected', 'OUTSIDE_WINDOW'],
        [7, 'rejected', 'INVALID_ARGUMENT'],
        [8, 'rejected', 'INVALID_ARGUMENT'],
        [9, 'rejected', 'BAD_SIGNATURE'],
        [10, 'accepted', null],
      ]);
      assert.equal(ledger.size, before + 2);
      assert.deepEqual(outcome.results[2], {
        index: 2,
        status: 'rejected',
        derId: 'pv-009',
        intervalId: INTERVAL,
        sequence: 0,
        code: 'UNKNOWN_DER',
        message: 'der pv-009 is not registered',
      });
    });

    it('should count a retried batch once: duplicates are reported and nothing is written again', async () => {
      const { ledger, sign, record } = await fixture();
      const batch = [sign(unsigned('pv-001', 1500)), sign(unsigned('bat-002', 900))];
      await record(batch);
      const after = snapshot(ledger);
      const { outcome } = await record(batch);
      assert.deepEqual(statuses(outcome), [
        [0, 'duplicate', null],
        [1, 'duplicate', null],
      ]);
      assert.deepEqual([outcome.accepted, outcome.duplicates], [0, 2]);
      assert.deepEqual(snapshot(ledger), after);
    });

    it('should refuse different content under a recorded (DER, interval, sequence) as REPLAY, also within one batch', async () => {
      const { sign, record } = await fixture();
      await record([sign(unsigned('pv-001', 1500))]);
      const { outcome } = await record([sign(unsigned('pv-001', 1800))]);
      assert.deepEqual(statuses(outcome), [[0, 'rejected', 'REPLAY']]);
      // The device is told which of its readings was refused.
      const refused = outcome.results[0];
      assert.deepEqual([refused?.derId, refused?.intervalId, refused?.sequence], ['pv-001', INTERVAL, 0]);
      const first = sign(unsigned('bat-002', 100, 3));
      const { outcome: inBatch } = await record([first, first, sign(unsigned('bat-002', 200, 3))]);
      assert.deepEqual(statuses(inBatch), [
        [0, 'accepted', null],
        [1, 'duplicate', null],
        [2, 'rejected', 'REPLAY'],
      ]);
    });

    it('should refuse readings signed with a revoked certificate from then on', async () => {
      const { ledger, sign, record, devices } = await fixture();
      await record([sign(unsigned('pv-001', 100, 0))]);
      const serial = serialOf(devices.get('pv-001')!.certPem);
      await ledger.submit({ caller: cvppOperator }, (ctx) =>
        registry.RevokeDerCertificate(ctx, 'pv-001', serial, 'keyCompromise'),
      );
      const { outcome } = await record([sign(unsigned('pv-001', 100, 1))]);
      assert.deepEqual(statuses(outcome), [[0, 'rejected', 'CERTIFICATE_REVOKED']]);
    });

    it('should refuse a reading forged by an org admin who signs with a key of its own', async () => {
      const { ca, record } = await fixture();
      // The admin can make a key and even a certificate for the DER, but not the one registered on chain.
      const forger = newTestDevice(ca, { attrs: deviceAttrs('pv-001', VPP_ID) });
      const forged: SignedReading = signReading(unsigned('pv-001', 2000), forger.privateKey);
      const { outcome } = await record([forged], { caller: cvppAdmin, time: AT });
      assert.deepEqual(statuses(outcome), [[0, 'rejected', 'BAD_SIGNATURE']]);
    });

    it('should let only CVPP ingest, operator and admin identities submit, and refuse malformed batches whole', async () => {
      const { ledger, sign } = await fixture();
      const batch = JSON.stringify([sign(unsigned('pv-001', 1))]);
      for (const caller of [
        tradingAdmin,
        regulator,
        { mspId: 'CvppMSP', attributes: { 'vpp.role': 'device' } },
      ]) {
        await expectFailure(
          ledger,
          { caller, time: AT },
          (ctx) => telemetry.RecordReadings(ctx, batch),
          vppError(ErrorCode.FORBIDDEN),
        );
      }
      for (const bad of ['[]', '{}', 'nope', JSON.stringify(new Array(1001).fill(0))]) {
        await expectFailure(
          ledger,
          ingest,
          (ctx) => telemetry.RecordReadings(ctx, bad),
          vppError(ErrorCode.INVALID_ARGUMENT),
        );
      }
    });
  });

  describe('#GetDerReadings / #ListVppReadings', () => {
    it('should return recorded readings by DER and by VPP, in key order', async () => {
      const { ledger, sign, record } = await fixture();
      await record([
        sign(unsigned('pv-001', 300, 1)),
        sign(unsigned('pv-001', 200, 0)),
        sign(unsigned('bat-002', 50)),
      ]);
      const der = JSON.parse(
        await ledger.evaluate({ caller: regulator }, (ctx) =>
          telemetry.GetDerReadings(ctx, 'pv-001', INTERVAL),
        ),
      ) as SignedReading[];
      assert.deepEqual(
        der.map((r) => [r.sequence, r.energyWh]),
        [
          [0, 200],
          [1, 300],
        ],
      );
      const vpp = await vppPage(ledger, '100', '');
      assert.deepEqual(
        vpp.readings.map((r) => [r.derId, r.sequence]),
        [
          ['bat-002', 0],
          ['pv-001', 0],
          ['pv-001', 1],
        ],
      );
      assert.equal(vpp.bookmark, '');
    });
  });

  describe('#ListVppReadings', () => {
    const places = (page: ReadingPage) => page.readings.map((r) => `${r.derId}/${r.sequence}`);

    it('should page through every reading of the interval by DER then sequence, bookmark empty at the end', async () => {
      const { ledger, sign, record } = await fixture();
      await record([
        ...[0, 1, 2, 3, 4].map((sequence) => sign(unsigned('pv-001', 100 + sequence, sequence))),
        sign(unsigned('bat-002', 10, 0)),
        sign(unsigned('bat-002', 11, 1)),
        // Another interval of the same VPP is not part of the list.
        sign({ ...unsigned('pv-001', 5, 0), intervalId: '2026-11-25T10:00:00.000Z' }),
      ]);
      const first = await vppPage(ledger, '3', '');
      assert.deepEqual(places(first), ['bat-002/0', 'bat-002/1', 'pv-001/0']);
      assert.equal(first.bookmark, readingKey(VPP_ID, INTERVAL, 'pv-001', 1));
      const second = await vppPage(ledger, '3', first.bookmark);
      assert.deepEqual(places(second), ['pv-001/1', 'pv-001/2', 'pv-001/3']);
      const last = await vppPage(ledger, '3', second.bookmark);
      assert.deepEqual(places(last), ['pv-001/4']);
      assert.deepEqual(
        last.readings.map((r) => r.energyWh),
        [104],
      );
      assert.equal(last.bookmark, '');
      // A page that ends exactly at the last reading has no next page either.
      const whole = await vppPage(ledger, '7', '');
      assert.equal(whole.readings.length, 7);
      assert.equal(whole.bookmark, '');
    });

    it('should answer an empty last page for an interval without readings', async () => {
      const { ledger } = await fixture();
      assert.deepEqual(await vppPage(ledger, '10', ''), { readings: [], bookmark: '' });
    });

    it('should refuse a page size outside 1..MAX_PAGE_SIZE, a foreign bookmark and a bad interval id', async () => {
      const { ledger, sign, record } = await fixture();
      await record([sign(unsigned('pv-001', 100))]);
      const foreign = readingKey('other-vpp', INTERVAL, 'pv-001', 0);
      const cases: [string, string, string][] = [
        ['0', '', INTERVAL],
        [String(MAX_PAGE_SIZE + 1), '', INTERVAL],
        ['1.5', '', INTERVAL],
        ['ten', '', INTERVAL],
        ['10', foreign, INTERVAL],
        ['10', 'not-a-key', INTERVAL],
        ['10', '', 'yesterday'],
      ];
      for (const [pageSize, bookmark, interval] of cases) {
        await assert.rejects(
          ledger.evaluate({ caller: regulator }, (ctx) =>
            telemetry.ListVppReadings(ctx, VPP_ID, interval, pageSize, bookmark),
          ),
          vppError(ErrorCode.INVALID_ARGUMENT),
          `${pageSize} ${JSON.stringify(bookmark)} ${interval}`,
        );
      }
      assert.equal((await vppPage(ledger, String(MAX_PAGE_SIZE), '')).readings.length, 1);
    });
  });
});

async function vppPage(ledger: MemoryLedger, pageSize: string, bookmark: string): Promise<ReadingPage> {
  return JSON.parse(
    await ledger.evaluate({ caller: regulator }, (ctx) =>
      telemetry.ListVppReadings(ctx, VPP_ID, INTERVAL, pageSize, bookmark),
    ),
  ) as ReadingPage;
}

describe('contracts/telemetry-contract credit effects', () => {
  const scoreKeysOf = (ledger: MemoryLedger, derId: string) =>
    ledger.keys().filter((key) => key.startsWith(compositeKey(SCORE_RECORD, ['der', derId])));

  it('should score READING_REJECTED against a DER whose own device signed a figure above capacity, not for a forged one', async () => {
    const { ledger, ca, sign, record } = await fixture();
    await installDefaultRulebook(ledger, '2026-01-01T00:00:00.000Z');
    const forger = newTestDevice(ca, { attrs: deviceAttrs('bat-002', VPP_ID) });
    const { outcome } = await record([
      sign(unsigned('pv-001', 2001)),
      signReading(unsigned('bat-002', 5000), forger.privateKey),
      sign(unsigned('pv-001', 100, 1)),
    ]);
    assert.deepEqual(statuses(outcome), [
      [0, 'rejected', 'ENERGY_ABOVE_CAPACITY'],
      [1, 'rejected', 'BAD_SIGNATURE'],
      [2, 'accepted', null],
    ]);
    const records = scoreKeysOf(ledger, 'pv-001').map(
      (key) => JSON.parse(ledger.getText(key)!) as Record<string, unknown>,
    );
    assert.deepEqual(
      records.map((r) => [r.reasonCode, r.txId]),
      records.map(() => ['READING_REJECTED', outcome.txId]),
    );
    assert.ok(records.length >= 1);
    assert.deepEqual(scoreKeysOf(ledger, 'bat-002'), [], 'a forger cannot lower another DER’s score');
  });

  /** Signs until the signature's base64 is padded, so that its loose variants exist. */
  const padded = (sign: (reading: UnsignedReading) => SignedReading, reading: UnsignedReading) => {
    for (let i = 0; i < 64; i += 1) {
      const signed = sign(reading);
      if (signed.signature.endsWith('=')) return signed;
    }
    throw new Error('no padded signature in 64 tries');
  };
  const twinOf = (reading: SignedReading): SignedReading => ({
    ...reading,
    signature: otherS(reading.signature),
  });

  it('should take the twin of a recorded reading as a duplicate, refuse loose base64, and score neither', async () => {
    const { ledger, sign, record } = await fixture();
    await installDefaultRulebook(ledger, '2026-01-01T00:00:00.000Z');
    const genuine = padded(sign, unsigned('pv-001', 1500));
    await record([genuine]);
    const after = snapshot(ledger);
    const { outcome } = await record([
      twinOf(genuine),
      { ...genuine, signature: unpadded(genuine.signature) },
      { ...genuine, signature: withPadBits(genuine.signature) },
      ...Array.from({ length: 50 }, () => twinOf(genuine)),
    ]);
    assert.deepEqual(statuses(outcome).slice(0, 4), [
      [0, 'duplicate', null],
      [1, 'rejected', 'NON_CANONICAL_SIGNATURE'],
      [2, 'rejected', 'NON_CANONICAL_SIGNATURE'],
      [3, 'duplicate', null],
    ]);
    assert.deepEqual([outcome.accepted, outcome.duplicates, outcome.rejected], [0, 51, 2]);
    assert.deepEqual(snapshot(ledger), after, 'nothing written, nothing scored');
    assert.deepEqual(scoreKeysOf(ledger, 'pv-001'), []);
  });

  it('should take the genuine reading as a duplicate when its twin came first, and keep it in low-S', async () => {
    const { ledger, sign, record } = await fixture();
    await installDefaultRulebook(ledger, '2026-01-01T00:00:00.000Z');
    const genuine = sign(unsigned('pv-001', 1500));
    const { outcome: first } = await record([twinOf(genuine), twinOf(genuine)]);
    assert.deepEqual(statuses(first), [
      [0, 'accepted', null],
      [1, 'duplicate', null],
    ]);
    const { outcome } = await record([genuine, genuine]);
    assert.deepEqual(statuses(outcome), [
      [0, 'duplicate', null],
      [1, 'duplicate', null],
    ]);
    const stored = JSON.parse(ledger.getText(readingKey(VPP_ID, INTERVAL, 'pv-001', 0))!) as SignedReading;
    assert.equal(stored.signature, genuine.signature);
    assert.deepEqual(scoreKeysOf(ledger, 'pv-001'), []);
  });

  it('should score content its device signed in conflict once per DER per transaction, however many copies', async () => {
    const { ledger, sign, record } = await fixture();
    await installDefaultRulebook(ledger, '2026-01-01T00:00:00.000Z');
    await record([sign(unsigned('pv-001', 1500))]);
    const conflicting = sign(unsigned('pv-001', 1600));
    const copies = [conflicting, twinOf(conflicting), ...Array.from({ length: 48 }, () => conflicting)];
    const { outcome } = await record([...copies, sign(unsigned('pv-001', 2001, 1))]);
    assert.deepEqual(
      new Set(outcome.results.map((r) => r.code)),
      new Set([ErrorCode.REPLAY, ErrorCode.ENERGY_ABOVE_CAPACITY]),
    );
    assert.equal(outcome.rejected, 51);
    const records = scoreKeysOf(ledger, 'pv-001').map(
      (key) => JSON.parse(ledger.getText(key)!) as Record<string, unknown>,
    );
    assert.deepEqual(
      records.map((r) => [r.reasonCode, r.txId, r.points]),
      [['READING_REJECTED', outcome.txId, -20]],
    );
    const { outcome: again } = await record(copies);
    assert.equal(scoreKeysOf(ledger, 'pv-001').length, 2, `one more for transaction ${again.txId}`);
  });

  it('should score nothing before a rulebook is in force', async () => {
    const { ledger, sign, record } = await fixture();
    await record([sign(unsigned('pv-001', 2001))]);
    assert.deepEqual(scoreKeysOf(ledger, 'pv-001'), []);
  });
});
