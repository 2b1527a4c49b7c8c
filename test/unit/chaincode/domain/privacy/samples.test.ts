import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  merkleProof,
  merkleRoot,
  verifyMerkleProof,
} from '../../../../../chaincode/src/domain/privacy/merkle';
import {
  buildSampleAnchor,
  MAX_ANCHOR_SAMPLES,
  MAX_OFFSET_SECONDS,
  parseSample,
  parseSampleAnchorInput,
  parseStoredSampleAnchor,
  sampleBytes,
  sampleLeaf,
  type Sample,
} from '../../../../../chaincode/src/domain/privacy/samples';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { NARROWED_TX_IDS, TX_IDS } from '../../../../support/id-kinds';
import { vppError } from '../../../../support/vpp-assert';

const SAMPLE: Sample = {
  derId: 'pv-001',
  intervalId: '2026-11-25T10:15:00.000Z',
  sequence: 0,
  offsetSeconds: 30,
  energyWh: 12,
};
const ROOT = 'ab'.repeat(32);
const AT = '2026-11-25T10:31:00.000Z';
const TX = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

/** A copy of `value` without `key`. */
const without = (value: object, key: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(value).filter(([k]) => k !== key));

describe('domain/privacy/samples', () => {
  describe('#parseSample', () => {
    it('should accept a well-formed sample and return exactly its five fields', () => {
      assert.deepEqual(parseSample({ ...SAMPLE }), SAMPLE);
      assert.deepEqual(parseSample({ ...SAMPLE, offsetSeconds: 0, energyWh: 0 }), {
        ...SAMPLE,
        offsetSeconds: 0,
        energyWh: 0,
      });
      assert.equal(MAX_OFFSET_SECONDS, 899);
      assert.equal(parseSample({ ...SAMPLE, offsetSeconds: 899 }).offsetSeconds, 899);
      assert.equal(parseSample({ ...SAMPLE, sequence: 59 }).sequence, 59);
      assert.equal(parseSample({ ...SAMPLE, derId: 'a'.repeat(64) }).derId, 'a'.repeat(64));
    });

    it('should refuse non-objects and unknown fields', () => {
      for (const value of [null, 'x', 42, [SAMPLE]]) {
        assert.throws(() => parseSample(value), invalid(/sample must be a JSON object/));
      }
      assert.throws(
        () => parseSample({ ...SAMPLE, signature: 'x', vppId: 'v' }),
        invalid(/unsupported field\(s\): signature, vppId/),
      );
    });

    it('should refuse bad figures with the field named', () => {
      const cases: [Partial<Record<keyof Sample, unknown>>, RegExp][] = [
        [{ derId: '' }, /derId must be 1\.\.64 characters/],
        [{ derId: '-pv' }, /derId must be/],
        [{ derId: 'pv 1' }, /derId must be/],
        [{ derId: 'a'.repeat(65) }, /derId must be/],
        [{ intervalId: '2026-11-25T10:15:00Z' }, /intervalId must be an ISO-8601 UTC timestamp/],
        [{ intervalId: '2026-02-30T10:15:00.000Z' }, /intervalId must be an ISO-8601 UTC timestamp/],
        [{ sequence: -1 }, /sequence must be an integer in 0\.\.59/],
        [{ sequence: 60 }, /sequence must be an integer in 0\.\.59/],
        [{ offsetSeconds: 900 }, /offsetSeconds must be an integer in 0\.\.899/],
        [{ offsetSeconds: -1 }, /offsetSeconds must be an integer in 0\.\.899/],
        [{ offsetSeconds: 1.5 }, /offsetSeconds must be an integer/],
        [{ energyWh: -1 }, /energyWh must be a non-negative integer/],
        [{ energyWh: 0.5 }, /energyWh must be a non-negative integer/],
        [{ energyWh: '12' }, /energyWh must be a non-negative integer/],
        [{ energyWh: 2 ** 53 }, /energyWh must be a non-negative integer/],
      ];
      for (const [change, pattern] of cases) {
        assert.throws(() => parseSample({ ...SAMPLE, ...change }), invalid(pattern), JSON.stringify(change));
      }
      for (const field of ['derId', 'intervalId', 'sequence', 'offsetSeconds', 'energyWh'] as const) {
        assert.throws(() => parseSample(without(SAMPLE, field)), invalid(new RegExp(field)), field);
      }
    });
  });

  describe('#sampleBytes / #sampleLeaf', () => {
    it('should be the documented canonical JSON with the format type', () => {
      const text =
        '{"derId":"pv-001","energyWh":12,"intervalId":"2026-11-25T10:15:00.000Z",' +
        '"offsetSeconds":30,"sequence":0,"type":"vpp.sample.v1"}';
      assert.equal(sampleBytes(SAMPLE).toString('utf8'), text);
      assert.equal(
        sampleLeaf(SAMPLE),
        createHash('sha256')
          .update(Buffer.concat([Buffer.from([0]), Buffer.from(text, 'utf8')]))
          .digest('hex'),
      );
    });

    it('should ignore extra properties and change with every field', () => {
      const extended = { ...SAMPLE, note: 'ignored' } as Sample;
      assert.deepEqual(sampleBytes(extended), sampleBytes(SAMPLE));
      const changes: Partial<Sample>[] = [
        { derId: 'pv-002' },
        { intervalId: '2026-11-25T10:30:00.000Z' },
        { sequence: 1 },
        { offsetSeconds: 31 },
        { energyWh: 13 },
      ];
      const leaves = new Set(changes.map((change) => sampleLeaf({ ...SAMPLE, ...change })));
      leaves.add(sampleLeaf(SAMPLE));
      assert.equal(leaves.size, changes.length + 1);
    });

    it('should give leaves that prove membership of a batch', () => {
      const batch = Array.from({ length: 7 }, (_, i) => ({ ...SAMPLE, offsetSeconds: i * 120 }));
      const leaves = batch.map(sampleLeaf);
      const root = merkleRoot(leaves);
      batch.forEach((sample, i) => {
        assert.equal(verifyMerkleProof(sampleLeaf(sample), merkleProof(leaves, i), root), true);
      });
      const forged = { ...batch[3]!, energyWh: batch[3]!.energyWh + 1 };
      assert.equal(verifyMerkleProof(sampleLeaf(forged), merkleProof(leaves, 3), root), false);
    });
  });

  describe('#buildSampleAnchor', () => {
    it('should record the root and count under the transaction id', () => {
      assert.deepEqual(buildSampleAnchor({ root: ROOT, count: 7, at: AT, txId: TX }), {
        anchorId: TX,
        root: ROOT,
        count: 7,
        recordedAt: AT,
        txId: TX,
      });
      assert.equal(
        buildSampleAnchor({ root: ROOT, count: MAX_ANCHOR_SAMPLES, at: AT, txId: TX }).count,
        100_000,
      );
    });

    it('should refuse a malformed root, count, time or transaction id', () => {
      const base = { root: ROOT, count: 7, at: AT, txId: TX };
      const cases: [Partial<typeof base> | Record<string, unknown>, RegExp][] = [
        [{ root: ROOT.toUpperCase() }, /root must be a SHA-256 digest in lowercase hex/],
        [{ root: ROOT.slice(2) }, /root must be a SHA-256 digest/],
        [{ root: 42 }, /root must be a SHA-256 digest/],
        [{ count: 0 }, /count must be an integer in 1\.\.100000/],
        [{ count: 100_001 }, /count must be an integer in 1\.\.100000/],
        [{ count: 2.5 }, /count must be an integer/],
        [{ at: '2026-11-25 10:31' }, /at must be an ISO-8601 UTC timestamp/],
        [{ txId: '' }, /txId must be 1\.\.128 printable ASCII characters/],
        [{ txId: ' tx' }, /txId must be 1\.\.128 printable ASCII characters/],
      ];
      for (const [change, pattern] of cases) {
        assert.throws(
          () => buildSampleAnchor({ ...base, ...change } as typeof base),
          invalid(pattern),
          JSON.stringify(change),
        );
      }
    });
  });

  describe('anchor ids', () => {
    it('should anchor under Fabric transaction ids only', () => {
      for (const txId of TX_IDS) {
        assert.equal(buildSampleAnchor({ root: ROOT, count: 1, at: AT, txId }).anchorId, txId);
      }
      for (const txId of NARROWED_TX_IDS) {
        assert.throws(
          () => buildSampleAnchor({ root: ROOT, count: 1, at: AT, txId }),
          invalid(/^INVALID_ARGUMENT: txId must be 1\.\.128 printable ASCII/),
        );
      }
    });
  });

  describe('#parseSampleAnchorInput', () => {
    it('should accept exactly { root, count }', () => {
      assert.deepEqual(parseSampleAnchorInput({ root: ROOT, count: 3 }), { root: ROOT, count: 3 });
      assert.throws(
        () => parseSampleAnchorInput({ root: ROOT, count: 3, txId: TX }),
        invalid(/unsupported field\(s\): txId/),
      );
      assert.throws(() => parseSampleAnchorInput({ root: ROOT }), invalid(/count must be/));
    });
  });

  describe('#parseStoredSampleAnchor', () => {
    it('should round-trip a built anchor through JSON', () => {
      const anchor = buildSampleAnchor({ root: ROOT, count: 7, at: AT, txId: TX });
      assert.deepEqual(parseStoredSampleAnchor(JSON.parse(JSON.stringify(anchor))), anchor);
    });

    it('should refuse stored anchors that are not well-formed', () => {
      const anchor = buildSampleAnchor({ root: ROOT, count: 7, at: AT, txId: TX });
      assert.throws(
        () => parseStoredSampleAnchor({ ...anchor, anchorId: 'other' }),
        invalid(/anchorId must equal txId/),
      );
      assert.throws(
        () => parseStoredSampleAnchor({ ...anchor, extra: 1 }),
        invalid(/unsupported field\(s\): extra/),
      );
      assert.throws(() => parseStoredSampleAnchor({ ...anchor, count: 0 }), invalid(/count must be/));
      assert.throws(() => parseStoredSampleAnchor({ ...anchor, root: 'x' }), invalid(/root must be/));
      assert.throws(
        () => parseStoredSampleAnchor({ ...anchor, recordedAt: 'now' }),
        invalid(/recordedAt must be/),
      );
      assert.throws(
        () => parseStoredSampleAnchor(without(anchor, 'txId')),
        invalid(/txId must be 1\.\.128 printable ASCII characters/),
      );
      assert.throws(() => parseStoredSampleAnchor('anchor'), invalid(/must be a JSON object/));
    });
  });
});
