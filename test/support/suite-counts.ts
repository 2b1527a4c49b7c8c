/**
 * Counts of leaf tests per suite (the first folder under the compiled test tree: unit,
 * integration), for the closing summary of `npm test`.
 */
import path from 'node:path';

export interface TestEvent {
  type: string;
  data: {
    file?: string;
    /** The test file that ran (`file` is where the test was declared, which may be a shared helper). */
    entryFile?: string;
    nesting?: number;
    message?: string;
    level?: string;
    skip?: unknown;
    todo?: unknown;
    details?: { type?: string };
  };
}

export interface SuiteCount {
  pass: number;
  fail: number;
  skipped: number;
}

/** The suite of a test file: its first folder under the compiled test tree (unit, integration). */
export function suiteOf(file: string, testRoot: string): string {
  const relative = path.relative(testRoot, file);
  return relative.startsWith('..') ? 'other' : (relative.split(path.sep)[0] ?? 'other');
}

const SUITE_LABELS: Record<string, string> = {
  unit: 'unit tests',
  integration: 'integration tests (real network)',
};

/** One summary line per suite, unit first: `unit tests 748 (pass 748, fail 0, skipped 0)`. */
export function suiteSummaryLines(counts: ReadonlyMap<string, SuiteCount>): string[] {
  const order = (suite: string) => {
    const i = Object.keys(SUITE_LABELS).indexOf(suite);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...counts.entries()]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([suite, c]) => {
      const total = c.pass + c.fail + c.skipped;
      return `${SUITE_LABELS[suite] ?? `${suite} tests`} ${total} (pass ${c.pass}, fail ${c.fail}, skipped ${c.skipped})`;
    });
}

/** Counts leaf tests by suite and emits the per-suite lines just before the runner's `tests N` line. */
export function countingSuites(testRoot: string) {
  return async function* (source: AsyncIterable<TestEvent>): AsyncGenerator<TestEvent> {
    const counts = new Map<string, SuiteCount>();
    let summarised = false;
    for await (const event of source) {
      const { type, data } = event;
      const file = data.entryFile ?? data.file;
      if ((type === 'test:pass' || type === 'test:fail') && data.details?.type !== 'suite' && file) {
        const suite = suiteOf(file, testRoot);
        const count = counts.get(suite) ?? { pass: 0, fail: 0, skipped: 0 };
        if (data.skip !== undefined || data.todo !== undefined) count.skipped += 1;
        else if (type === 'test:pass') count.pass += 1;
        else count.fail += 1;
        counts.set(suite, count);
      }
      const isSummaryStart =
        type === 'test:diagnostic' && data.nesting === 0 && /^tests \d+$/.test(data.message ?? '');
      if (isSummaryStart && !summarised) {
        summarised = true;
        for (const message of suiteSummaryLines(counts))
          yield { type: 'test:diagnostic', data: { nesting: 0, message, level: 'info' } };
      }
      yield event;
    }
  };
}
