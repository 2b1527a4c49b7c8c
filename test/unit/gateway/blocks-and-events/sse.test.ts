import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatSseComment,
  formatSseMessage,
  formatSseRetry,
} from '../../../../gateway/src/blocks-and-events/sse';

describe('ledger/sse', () => {
  describe('#formatSseMessage', () => {
    it('should write event, id and data fields and end the message with an empty line', () => {
      assert.equal(
        formatSseMessage({ event: 'OrgProfileUpdated', id: '12:0', data: '{"a":1}' }),
        'event: OrgProfileUpdated\nid: 12:0\ndata: {"a":1}\n\n',
      );
    });

    it('should split multi-line data into one data field per line, whatever the line ending', () => {
      assert.equal(formatSseMessage({ data: 'a\r\nb\nc\rd' }), 'data: a\ndata: b\ndata: c\ndata: d\n\n');
    });

    it('should refuse an id or event name with a line break, which would forge fields', () => {
      assert.throws(
        () => formatSseMessage({ id: '1:0\ndata: forged', data: 'x' }),
        /SSE id must be a single line/,
      );
      assert.throws(() => formatSseMessage({ event: 'a\rb', data: 'x' }), /SSE event must be a single line/);
    });
  });

  describe('#formatSseComment', () => {
    it('should write a comment line that clients ignore', () => {
      assert.equal(formatSseComment('heartbeat'), ': heartbeat\n\n');
    });
  });

  describe('#formatSseRetry', () => {
    it('should write a whole, non-negative number of milliseconds', () => {
      assert.equal(formatSseRetry(1500.7), 'retry: 1500\n\n');
      assert.equal(formatSseRetry(-3), 'retry: 0\n\n');
    });
  });
});
