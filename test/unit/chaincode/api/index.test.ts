// The curated API is what clients load; it must not drag the chaincode's Fabric libraries into a
// gateway or device process. Checked in a fresh Node process, on the compiled module the clients run.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../../support/repo';

/** The compiled module next to this compiled test: dist/chaincode/src/<module>.js. */
const compiled = (module: string) => path.resolve(__dirname, '../../../../chaincode/src', `${module}.js`);

const MARKER = 'api-test-result:';

/** Loads `file` in a fresh process; returns its export names and the Fabric packages it loaded. */
async function load(file: string): Promise<{ exports: string[]; fabric: string[] }> {
  // Fabric's libraries log to stdout when they load; the answer is the line after the marker.
  const script = `
    const MARKER = ${JSON.stringify(MARKER)};
    const loaded = require(${JSON.stringify(file)});
    const fabric = Object.keys(require.cache)
      .map((key) => /[\\\\/]node_modules[\\\\/](fabric-contract-api|fabric-shim)[\\\\/]/.exec(key)?.[1])
      .filter((name) => name !== undefined);
    process.stdout.write('\\n' + MARKER + JSON.stringify({ exports: Object.keys(loaded), fabric: [...new Set(fabric)].sort() }) + '\\n');
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    cwd: REPO_ROOT,
    timeout: 30_000,
  });
  const line = stdout.split('\n').find((text) => text.startsWith(MARKER));
  assert.ok(line !== undefined, `no answer from the child process:\n${stdout}`);
  return JSON.parse(line.slice(MARKER.length)) as { exports: string[]; fabric: string[] };
}

describe('api', () => {
  it('should load without fabric-contract-api or fabric-shim', async () => {
    const { exports, fabric } = await load(compiled('api/index'));
    assert.deepEqual(fabric, []);
    for (const name of ['MARKET_TX', 'ErrorCode', 'parseVppErrorMessage', 'ENTITY_ID_PATTERN_SOURCE']) {
      assert.ok(exports.includes(name), `the API exports ${name}`);
    }
  });

  it('should tell the chaincode entry point, which does load Fabric, apart', async () => {
    const { exports, fabric } = await load(compiled('index'));
    assert.deepEqual(exports, ['contracts']);
    // fabric-shim: ledger/state-batching.ts wraps its handler when the entry point loads.
    assert.deepEqual(fabric, ['fabric-contract-api', 'fabric-shim']);
  });
});
