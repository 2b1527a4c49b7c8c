import '../../../support/quiet-logs';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { ProofContract } from '../../../../chaincode/src/contracts/proof-contract';
import { CHECKPOINT_BUCKET_SIZE } from '../../../../chaincode/src/domain/proofs/checkpoint';
import {
  clearingKey,
  compositeKey,
  orgProfileKey,
  readingKey,
} from '../../../../chaincode/src/encoding/keys';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { MemoryLedger, type Caller } from '../../../support/memory-stub';
import { vppError } from '../../../support/vpp-assert';

const proofs = new ProofContract();

const REGULATOR: Caller = { mspId: 'RegulatorMSP', attributes: { 'vpp.role': 'regulator' } };
const REGULATOR_SERVICE: Caller = { mspId: 'RegulatorMSP', attributes: { 'vpp.role': 'ingest' } };
const CVPP_SERVICE: Caller = { mspId: 'CvppMSP', attributes: { 'vpp.role': 'ingest' } };
const TRADER: Caller = { mspId: 'TradingMSP', attributes: { 'vpp.role': 'trading' } };
const DEVICE: Caller = { mspId: 'CvppMSP', attributes: { 'vpp.role': 'device' } };

const hash = (seed: string) => createHash('sha256').update(seed).digest('hex');
const input = (blockNumber: number, configBlockNumber = 0) => ({
  blockNumber,
  blockHash: hash(`block ${blockNumber}`),
  configBlockNumber,
  configBlockHash: hash(`config ${configBlockNumber}`),
});

let txCounter = 0;
async function record(ledger: MemoryLedger, value: unknown, caller: Caller = REGULATOR) {
  txCounter += 1;
  const txId = `tx-cp-${txCounter}`;
  const { result: answer } = await ledger.submit({ caller, txId, time: '2026-12-01T10:00:00.000Z' }, (ctx) =>
    proofs.RecordCheckpoint(ctx, JSON.stringify(value)),
  );
  return { txId, checkpoint: JSON.parse(answer) as Record<string, unknown> };
}

const from = async (ledger: MemoryLedger, blockNumber: number) =>
  JSON.parse(
    await ledger.evaluate({ caller: TRADER }, (ctx) => proofs.GetCheckpointFrom(ctx, String(blockNumber))),
  ) as { blockNumber: number };

describe('contracts/proof-contract', () => {
  it("should be registered under the name 'proofs'", () => {
    assert.equal(proofs.getName(), 'proofs');
  });

  describe('#AttestRecord', () => {
    const key = readingKey('vpp-1', '2026-12-01T10:00:00.000Z', 'der-1', 0);

    it('should answer the key and the SHA-256 of the stored bytes to a person of any member', async () => {
      const ledger = new MemoryLedger();
      ledger.seed(key, '{"energyWh":6}');
      for (const caller of [
        TRADER,
        REGULATOR,
        { mspId: 'ControlMSP', attributes: { 'vpp.role': 'control' } },
      ]) {
        const answer = await ledger.evaluate({ caller }, (ctx) => proofs.AttestRecord(ctx, key));
        assert.deepEqual(JSON.parse(answer), { key, valueSha256: hash('{"energyWh":6}') });
      }
    });

    it('should refuse devices and service identities, which are not people', async () => {
      const ledger = new MemoryLedger();
      ledger.seed(key, '{}');
      for (const caller of [DEVICE, CVPP_SERVICE]) {
        await assert.rejects(
          ledger.evaluate({ caller }, (ctx) => proofs.AttestRecord(ctx, key)),
          vppError(ErrorCode.FORBIDDEN),
        );
      }
    });

    it('should refuse keys of records that are not provable, and keys not in canonical form', async () => {
      const ledger = new MemoryLedger();
      ledger.seed(orgProfileKey('CvppMSP'), '{}');
      for (const bad of [
        orgProfileKey('CvppMSP'),
        'plain-key',
        '',
        `${clearingKey('i-1')}x`,
        'x'.repeat(5000),
      ]) {
        await assert.rejects(
          ledger.evaluate({ caller: TRADER }, (ctx) => proofs.AttestRecord(ctx, bad)),
          vppError(ErrorCode.INVALID_ARGUMENT),
          JSON.stringify(bad.slice(0, 40)),
        );
      }
    });

    it('should answer NOT_FOUND for a provable key with no record', async () => {
      await assert.rejects(
        new MemoryLedger().evaluate({ caller: TRADER }, (ctx) =>
          proofs.AttestRecord(ctx, compositeKey('vpp.clearing', ['i-none'])),
        ),
        vppError(ErrorCode.NOT_FOUND, /no record at vpp\.clearing~i-none~/),
      );
    });
  });

  describe('#RecordCheckpoint', () => {
    it('should store what the regulator vouches for with the channel, its transaction and time', async () => {
      const ledger = new MemoryLedger();
      const { txId, checkpoint } = await record(ledger, input(2650));
      assert.deepEqual(checkpoint, {
        ...input(2650),
        channel: 'vpp', // the memory stub's channel
        txId,
        recordedAt: '2026-12-01T10:00:00.000Z',
      });
      const latest = await ledger.evaluate({ caller: TRADER }, (ctx) => proofs.GetLatestCheckpoint(ctx));
      assert.deepEqual(JSON.parse(latest), checkpoint);
    });

    it("should take the regulator gateway's service identity, and refuse every other org and role", async () => {
      const ledger = new MemoryLedger();
      assert.equal((await record(ledger, input(10), REGULATOR_SERVICE)).checkpoint.blockNumber, 10);
      for (const caller of [
        TRADER,
        CVPP_SERVICE,
        { mspId: 'RegulatorMSP', attributes: { 'vpp.role': 'device' } },
      ]) {
        await assert.rejects(record(ledger, input(20), caller), vppError(ErrorCode.FORBIDDEN));
      }
    });

    it('should only move forward: an older or equal block, or an older config, is refused', async () => {
      const ledger = new MemoryLedger();
      await record(ledger, input(100, 5));
      await assert.rejects(record(ledger, input(100, 5)), vppError(ErrorCode.ALREADY_EXISTS, /not after/));
      await assert.rejects(record(ledger, input(99, 5)), vppError(ErrorCode.ALREADY_EXISTS, /not after/));
      await assert.rejects(record(ledger, input(101, 4)), vppError(ErrorCode.INVALID_ARGUMENT, /older/));
      assert.equal((await from(ledger, 0)).blockNumber, 100);
    });

    it('should refuse malformed checkpoints and change nothing', async () => {
      const ledger = new MemoryLedger();
      const bad = [
        { ...input(5), blockHash: 'ABC' },
        { ...input(5), configBlockHash: hash('x').toUpperCase() },
        { ...input(5), blockNumber: -1 },
        { ...input(5), blockNumber: 1.5 },
        { ...input(5, 6) },
        { ...input(5), extra: true },
        { blockNumber: 5 },
      ];
      for (const value of bad) {
        await assert.rejects(
          record(ledger, value),
          vppError(ErrorCode.INVALID_ARGUMENT),
          JSON.stringify(value),
        );
      }
      await assert.rejects(
        ledger.evaluate({ caller: TRADER }, (ctx) => proofs.GetLatestCheckpoint(ctx)),
        vppError(ErrorCode.NOT_FOUND),
      );
    });
  });

  describe('#GetCheckpointFrom', () => {
    it('should find the first checkpoint at or after a block, across buckets, and NOT_FOUND past the latest', async () => {
      const ledger = new MemoryLedger();
      const numbers = [7, 500, CHECKPOINT_BUCKET_SIZE * 3 + 2, CHECKPOINT_BUCKET_SIZE * 3 + 40];
      for (const n of numbers) await record(ledger, input(n));
      assert.equal((await from(ledger, 0)).blockNumber, 7);
      assert.equal((await from(ledger, 7)).blockNumber, 7);
      assert.equal((await from(ledger, 8)).blockNumber, 500);
      // Buckets 1 and 2 are empty: the search goes on to bucket 3.
      assert.equal((await from(ledger, 501)).blockNumber, CHECKPOINT_BUCKET_SIZE * 3 + 2);
      assert.equal(
        (await from(ledger, CHECKPOINT_BUCKET_SIZE * 3 + 3)).blockNumber,
        CHECKPOINT_BUCKET_SIZE * 3 + 40,
      );
      await assert.rejects(
        from(ledger, CHECKPOINT_BUCKET_SIZE * 3 + 41),
        vppError(ErrorCode.NOT_FOUND, /no checkpoint at or after/),
      );
      await assert.rejects(from(ledger, -1), vppError(ErrorCode.INVALID_ARGUMENT));
    });
  });

  describe('#ListCheckpoints', () => {
    it('should page through every checkpoint oldest first', async () => {
      const ledger = new MemoryLedger();
      const numbers = [3, 1500, 1501, 40_000];
      for (const n of numbers) await record(ledger, input(n));
      const seen: number[] = [];
      let bookmark = '';
      do {
        const page = JSON.parse(
          await ledger.evaluate({ caller: TRADER }, (ctx) => proofs.ListCheckpoints(ctx, '3', bookmark)),
        ) as { checkpoints: { blockNumber: number }[]; bookmark: string };
        seen.push(...page.checkpoints.map((c) => c.blockNumber));
        bookmark = page.bookmark;
      } while (bookmark !== '');
      assert.deepEqual(seen, numbers);
    });
  });
});
