import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDemoArgs } from '../../../demo/src/cli';

describe('demo/cli', () => {
  it('should run three intervals unless told otherwise', () => {
    assert.deepEqual(parseDemoArgs([]), { intervals: 3 });
    assert.deepEqual(parseDemoArgs(['--intervals', '5']), { intervals: 5 });
    assert.deepEqual(parseDemoArgs(['--intervals=1']), { intervals: 1 });
    assert.equal(parseDemoArgs(['--help']), 'help');
  });

  it('should refuse counts outside 1..6 and unknown arguments, with the reason', () => {
    for (const args of [
      ['--intervals', '0'],
      ['--intervals', '7'],
      ['--intervals', '2.5'],
      ['--intervals'],
    ]) {
      assert.deepEqual(
        parseDemoArgs(args),
        { error: '--intervals takes a whole number from 1 to 6' },
        args.join(' '),
      );
    }
    assert.deepEqual(parseDemoArgs(['--fast']), { error: 'unknown argument --fast' });
  });
});
