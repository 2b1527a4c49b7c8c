import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { countingSuites, suiteOf, suiteSummaryLines, type TestEvent } from '../../support/suite-counts';

const ROOT = '/repo/dist/test';

const leaf = (
  type: 'test:pass' | 'test:fail',
  file: string,
  extra: Partial<TestEvent['data']> = {},
): TestEvent => ({
  type,
  data: { file: path.join(ROOT, file), nesting: 1, details: { type: 'test' }, ...extra },
});
const diagnostic = (message: string): TestEvent => ({
  type: 'test:diagnostic',
  data: { nesting: 0, message },
});

async function collect(events: TestEvent[]): Promise<TestEvent[]> {
  const out: TestEvent[] = [];
  for await (const e of countingSuites(ROOT)(
    (async function* () {
      yield* events;
    })(),
  ))
    out.push(e);
  return out;
}

describe('suite-counts', () => {
  describe('#suiteOf', () => {
    it('should name the first folder under the test root, and "other" outside it', () => {
      assert.equal(suiteOf(`${ROOT}/unit/network/topology.test.js`, ROOT), 'unit');
      assert.equal(suiteOf(`${ROOT}/integration/ca/enroll.test.js`, ROOT), 'integration');
      assert.equal(suiteOf('/tmp/x.test.js', ROOT), 'other');
    });
  });

  describe('#countingSuites', () => {
    it('should count leaf tests per suite and put one line per suite just before the runner summary', async () => {
      const events = [
        leaf('test:pass', 'unit/a.test.js'),
        leaf('test:pass', 'unit/a.test.js'),
        leaf('test:fail', 'unit/b.test.js'),
        {
          type: 'test:pass',
          data: { file: `${ROOT}/unit/a.test.js`, nesting: 0, details: { type: 'suite' } },
        },
        leaf('test:pass', 'integration/c.test.js'),
        // Declared in a shared helper, run by an integration test file.
        leaf('test:pass', 'support/market-rest.js', { entryFile: `${ROOT}/integration/d.test.js` }),
        leaf('test:pass', 'integration/c.test.js', { skip: true }),
        leaf('test:pass', 'integration/c.test.js', { todo: 'later' }),
        diagnostic('tests 7'),
        diagnostic('pass 4'),
      ];
      const out = await collect(events);
      assert.deepEqual(
        out.map((e) => (e.type === 'test:diagnostic' ? e.data.message : e.type)),
        [
          'test:pass',
          'test:pass',
          'test:fail',
          'test:pass',
          'test:pass',
          'test:pass',
          'test:pass',
          'test:pass',
          'unit tests 3 (pass 2, fail 1, skipped 0)',
          'integration tests (real network) 4 (pass 2, fail 0, skipped 2)',
          'tests 7',
          'pass 4',
        ],
      );
    });

    it('should leave nested diagnostics of a test file alone', async () => {
      const nested: TestEvent = { type: 'test:diagnostic', data: { nesting: 1, message: 'tests 3' } };
      const out = await collect([leaf('test:pass', 'unit/a.test.js'), nested]);
      assert.deepEqual(out, [leaf('test:pass', 'unit/a.test.js'), nested]);
    });
  });

  describe('#suiteSummaryLines', () => {
    it('should put unit before integration and any other suite after them', () => {
      const counts = new Map([
        ['other', { pass: 1, fail: 0, skipped: 0 }],
        ['integration', { pass: 2, fail: 0, skipped: 0 }],
        ['unit', { pass: 3, fail: 0, skipped: 0 }],
      ]);
      assert.deepEqual(suiteSummaryLines(counts), [
        'unit tests 3 (pass 3, fail 0, skipped 0)',
        'integration tests (real network) 2 (pass 2, fail 0, skipped 0)',
        'other tests 1 (pass 1, fail 0, skipped 0)',
      ]);
    });
  });

  describe('suite-reporter', () => {
    it("should print node's spec output with the suite lines heading the closing summary, which ends the run", () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'reporter-'));
      mkdirSync(path.join(dir, 'case'));
      const file = path.join(dir, 'case', 'sample.test.js');
      writeFileSync(
        file,
        "const { it } = require('node:test');\nit('passes', () => {});\nit('passes too', () => {});\n" +
          "it('waits', { skip: 'not here' }, () => {});\n",
      );
      const reporter = path.resolve(__dirname, '..', '..', 'suite-reporter.js');
      const run = spawnSync(
        process.execPath,
        ['--test', `--test-reporter=${reporter}`, '--test-reporter-destination=stdout', file],
        // Without the runner's marker, which would make the child skip its files as a nested run.
        { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_TEST_CONTEXT: undefined } },
      );
      assert.equal(run.status, 0, run.stdout + run.stderr);
      const lines = run.stdout.trimEnd().split('\n');
      const summary = lines.findIndex((l) => l.startsWith('ℹ tests '));
      assert.ok(summary > 0, run.stdout);
      assert.equal(lines[summary], 'ℹ tests 3');
      assert.equal(lines[summary - 1], 'ℹ other tests 3 (pass 2, fail 0, skipped 1)');
      assert.ok(lines.some((l) => l.includes('✔ passes')));
      assert.match(lines.at(-1)!, /^ℹ duration_ms \d/);
    });
  });
});
