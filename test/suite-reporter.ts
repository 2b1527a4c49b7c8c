/**
 * The `npm test` reporter: node's spec reporter, with one line per suite (unit, integration) put at
 * the head of the runner's closing summary, so the summary says how many tests ran on the real network.
 * `export =`: the runner takes a CommonJS module's exports itself as the reporter. An async generator:
 * the runner would instantiate a plain function as a stream class, and would feed a returned stream
 * the raw events itself, past the counting.
 */
import { Readable } from 'node:stream';
import { spec } from 'node:test/reporters';
import { countingSuites, type TestEvent } from './support/suite-counts';

async function* suiteReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  for await (const chunk of Readable.from(countingSuites(__dirname)(source)).pipe(new spec()))
    yield String(chunk);
}

export = suiteReporter;
