import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  comparePositions,
  EventPositioner,
  formatPosition,
  parsePosition,
  startOfBlock,
} from '../../../../gateway/src/blocks-and-events/checkpoint';

describe('gateway/ledger/checkpoint', () => {
  describe('#formatPosition / #parsePosition', () => {
    it('should round-trip block and index', () => {
      for (const text of ['0:0', '12:3', '5:-1', '18446744073709551615:999999999']) {
        const position = parsePosition(text);
        assert.ok(position, text);
        assert.equal(formatPosition(position), text);
      }
      assert.deepEqual(parsePosition(' 12:3 '), { block: 12n, index: 3 });
    });

    it('should reject anything that is not <block>:<index>', () => {
      const bad = [undefined, '', '12', '12:', ':3', '-1:0', '01:0', '1:01', '1:-2', '1.5:0', 'a:b', '1:2:3'];
      bad.push('18446744073709551616:0', '1:1234567890');
      for (const text of bad) assert.equal(parsePosition(text), undefined, String(text));
    });
  });

  describe('#comparePositions', () => {
    it('should order by block, then by index', () => {
      const sorted = ['2:0', '1:5', '1:-1', '10:0', '1:0']
        .map((t) => parsePosition(t)!)
        .sort(comparePositions);
      assert.deepEqual(sorted.map(formatPosition), ['1:-1', '1:0', '1:5', '2:0', '10:0']);
      assert.equal(comparePositions(parsePosition('3:1')!, parsePosition('3:1')!), 0);
    });
  });

  describe('EventPositioner', () => {
    it('should number events per block from 0 and keep everything after the start of a block', () => {
      const positioner = new EventPositioner(startOfBlock(5n));
      const got = [5n, 5n, 6n, 8n, 8n, 8n].map((b) => positioner.next(b));
      assert.deepEqual(
        got.map((p) => p && formatPosition(p)),
        ['5:0', '5:1', '6:0', '8:0', '8:1', '8:2'],
      );
    });

    it('should drop events at or before the resume position', () => {
      const positioner = new EventPositioner(parsePosition('5:1')!);
      const got = [5n, 5n, 5n, 6n].map((b) => positioner.next(b));
      assert.deepEqual(
        got.map((p) => p && formatPosition(p)),
        [undefined, undefined, '5:2', '6:0'],
      );
    });

    it('should refuse a stream that goes backwards', () => {
      const positioner = new EventPositioner(startOfBlock(0n));
      positioner.next(4n);
      assert.throws(() => positioner.next(3n), /backwards/);
    });
  });
});
