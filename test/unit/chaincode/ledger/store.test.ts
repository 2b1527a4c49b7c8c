import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isJsonObject, type JsonValue } from '../../../../chaincode/src/encoding/canonical-json';
import { compositeKey, keyPrefix, ORG_PROFILE } from '../../../../chaincode/src/encoding/keys';
import {
  deleteState,
  emitEvent,
  readState,
  requireState,
  requireStates,
  scanPrefix,
  writeState,
} from '../../../../chaincode/src/ledger/store';
import { ErrorCode, VppError } from '../../../../chaincode/src/types/errors';
import { MemoryLedger } from '../../../support/memory-stub';
import { vppError } from '../../../support/vpp-assert';

const CALLER = { mspId: 'CvppMSP' };

/** A decoder that accepts objects with a numeric `n`. */
function decodeN(value: JsonValue): { n: number } {
  if (!isJsonObject(value) || typeof value.n !== 'number') {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, 'expected { n: number }');
  }
  return { n: value.n };
}

const key = (id: string) => compositeKey(ORG_PROFILE, [id]);

describe('ledger/store', () => {
  describe('#readState', () => {
    it('should return undefined for an absent key', async () => {
      const ledger = new MemoryLedger();
      assert.equal(
        await ledger.evaluate({ caller: CALLER }, (ctx) => readState(ctx, key('a'), decodeN)),
        undefined,
      );
    });

    it('should decode a committed value', async () => {
      const ledger = new MemoryLedger();
      ledger.seed(key('a'), '{"n":7}');
      assert.deepEqual(
        await ledger.evaluate({ caller: CALLER }, (ctx) => readState(ctx, key('a'), decodeN)),
        { n: 7 },
      );
    });

    it('should report undecodable stored bytes as INTERNAL with a legible key', async () => {
      const ledger = new MemoryLedger();
      ledger.seed(key('a'), '{"n":"seven"}');
      ledger.seed(key('b'), 'not json');
      for (const id of ['a', 'b']) {
        await assert.rejects(
          ledger.evaluate({ caller: CALLER }, (ctx) => readState(ctx, key(id), decodeN)),
          vppError(ErrorCode.INTERNAL, new RegExp(`stored value at vpp\\.orgProfile~${id}~ is unreadable`)),
        );
      }
    });
  });

  describe('#requireState', () => {
    it('should throw NOT_FOUND naming the object when absent', async () => {
      const ledger = new MemoryLedger();
      await assert.rejects(
        ledger.evaluate({ caller: CALLER }, (ctx) => requireState(ctx, key('a'), decodeN, 'thing a')),
        vppError(ErrorCode.NOT_FOUND, /thing a does not exist/),
      );
    });
  });

  describe('#requireStates', () => {
    it('should decode every key in order, and throw the caller’s error for the first that is absent', async () => {
      const ledger = new MemoryLedger();
      ledger.seed(key('a'), '{"n":1}');
      ledger.seed(key('c'), '{"n":3}');
      const missing = (i: number) => new VppError(ErrorCode.NOT_FOUND, `missing #${i}`);
      assert.deepEqual(
        await ledger.evaluate({ caller: CALLER }, (ctx) =>
          requireStates(ctx, [key('c'), key('a')], decodeN, missing),
        ),
        [{ n: 3 }, { n: 1 }],
      );
      await assert.rejects(
        ledger.evaluate({ caller: CALLER }, (ctx) =>
          requireStates(ctx, [key('a'), key('b'), key('x')], decodeN, missing),
        ),
        vppError(ErrorCode.NOT_FOUND, /: missing #1$/),
      );
    });
  });

  describe('#writeState', () => {
    it('should store canonical bytes, return them, and hide them until commit', async () => {
      const ledger = new MemoryLedger();
      const tx = ledger.begin({ caller: CALLER });
      const bytes = await writeState(tx.ctx, key('a'), { z: 1, n: 2 });
      assert.equal(Buffer.from(bytes).toString(), '{"n":2,"z":1}');
      assert.equal(
        await readState(tx.ctx, key('a'), decodeN),
        undefined,
        'a transaction does not read its own writes',
      );
      assert.equal(ledger.size, 0);
      tx.commit();
      assert.equal(ledger.getText(key('a')), '{"n":2,"z":1}');
    });

    it('should refuse unserialisable values before writing', async () => {
      const ledger = new MemoryLedger();
      const tx = ledger.begin({ caller: CALLER });
      await assert.rejects(writeState(tx.ctx, key('a'), { n: NaN }), vppError(ErrorCode.INVALID_ARGUMENT));
      assert.equal(tx.stub.writes.size, 0);
    });
  });

  describe('#deleteState', () => {
    it('should remove the key on commit', async () => {
      const ledger = new MemoryLedger();
      ledger.seed(key('a'), '{"n":1}');
      await ledger.submit({ caller: CALLER }, (ctx) => deleteState(ctx, key('a')));
      assert.deepEqual(ledger.keys(), []);
    });
  });

  describe('#scanPrefix', () => {
    it('should return only entries under the prefix, in key order, with their attributes', async () => {
      const ledger = new MemoryLedger();
      for (const [id, n] of [
        ['b', 2],
        ['a', 1],
        ['c', 3],
      ] as const) {
        ledger.seed(key(id), JSON.stringify({ n }));
      }
      ledger.seed(compositeKey(ORG_PROFILE, ['a', 'child']), '{"n":9}');
      ledger.seed('plainKey', '{"n":0}');
      const tx = ledger.begin({ caller: CALLER });
      const entries = await scanPrefix(tx.ctx, keyPrefix(ORG_PROFILE), decodeN);
      assert.deepEqual(
        entries.map((e) => [e.attributes, e.value.n]),
        [
          [['a'], 1],
          [['a', 'child'], 9],
          [['b'], 2],
          [['c'], 3],
        ],
      );
      const narrowed = await scanPrefix(tx.ctx, keyPrefix(ORG_PROFILE, ['a']), decodeN);
      assert.deepEqual(
        narrowed.map((e) => e.attributes),
        [['a'], ['a', 'child']],
      );
      assert.equal(tx.stub.openIterators, 0);
    });

    it('should follow the ledger byte order, not JS string order', async () => {
      const ledger = new MemoryLedger();
      // UTF-16 puts U+1F600 (a surrogate pair, 0xD83D...) before U+FB01; UTF-8 bytes order them the other way.
      ledger.seed(key('\u{1F600}'), '{"n":2}');
      ledger.seed(key('\uFB01'), '{"n":1}');
      const entries = await ledger.evaluate({ caller: CALLER }, (ctx) =>
        scanPrefix(ctx, keyPrefix(ORG_PROFILE), decodeN),
      );
      assert.deepEqual(
        entries.map((e) => e.value.n),
        [1, 2],
      );
    });

    it('should close the iterator when decoding fails', async () => {
      const ledger = new MemoryLedger();
      ledger.seed(key('a'), '{"n":1}');
      ledger.seed(key('b'), '{"n":"bad"}');
      const tx = ledger.begin({ caller: CALLER });
      await assert.rejects(scanPrefix(tx.ctx, keyPrefix(ORG_PROFILE), decodeN), vppError(ErrorCode.INTERNAL));
      assert.equal(tx.stub.openIterators, 0);
    });
  });

  describe('#emitEvent', () => {
    it('should set the chaincode event', async () => {
      const ledger = new MemoryLedger();
      const tx = ledger.begin({ caller: CALLER });
      emitEvent(tx.ctx, 'Something', Buffer.from('{}'));
      assert.equal(tx.event?.name, 'Something');
      assert.equal(Buffer.from(tx.event?.payload ?? []).toString(), '{}');
    });
  });
});
