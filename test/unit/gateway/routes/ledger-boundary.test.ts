// Routes reach the ledger through the facades of app.ledger only (gateway/src/plugins/app/ledger/):
// no route file calls the Fabric port's submit or evaluate, as the caller or as the gateway's service
// identity, and none names a transaction of the chaincode API as a string. Read from the sources.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as chaincodeApi from '../../../../chaincode/src/api';
import { REPO_ROOT } from '../../../support/repo';

const ROUTES_DIR = path.join(REPO_ROOT, 'gateway', 'src', 'routes');

/** Every transaction name the chaincode API lists: the values of its `<CONTRACT>_TX` constants. */
const TRANSACTION_NAMES: readonly string[] = Object.entries(chaincodeApi)
  .filter(([name]) => name.endsWith('_TX'))
  .flatMap(([, names]) => Object.values(names as Record<string, string>));

/** `fabric.submit(`, `fabric.evaluate(`, `service.submit(`, `service.evaluate(` (any spacing). */
const RAW_FABRIC_CALL = /\b(?:fabric|service)\s*\.\s*(?:submit|evaluate)\s*\(/g;

/** What a source text must not hold: raw Fabric calls and transaction names as string literals. */
function boundaryViolations(text: string): string[] {
  const calls = [...text.matchAll(RAW_FABRIC_CALL)].map((match) => match[0]);
  const names = TRANSACTION_NAMES.filter((name) => new RegExp(`(['"\`])${name}\\1`).test(text));
  return [...calls, ...names.map((name) => `'${name}'`)];
}

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('gateway/routes', () => {
  describe('ledger boundary', () => {
    it('should know the transactions of every contract the routes reach', () => {
      for (const name of [
        'OpenInterval',
        'RegisterDer',
        'RecordReadings',
        'GetAccessTicket',
        'GetKeyHistory',
      ]) {
        assert.ok(TRANSACTION_NAMES.includes(name), name);
      }
    });

    it('should find raw Fabric calls and transaction names in route code that has them', () => {
      const text = [
        "const { result } = await app.fabric.submit(request, 'market', 'OpenInterval', [body]);",
        'const bytes = await app.fabric .evaluate(request, "registry", "GetDer", [id]);',
        'await app.fabric.service.evaluate(`privacy`, `GetAccessTicket`, [txId]);',
      ].join('\n');
      assert.deepEqual(boundaryViolations(text).sort(), [
        "'GetAccessTicket'",
        "'GetDer'",
        "'OpenInterval'",
        'fabric .evaluate(',
        'fabric.submit(',
        'service.evaluate(',
      ]);
      assert.deepEqual(boundaryViolations('await app.ledger.market.openInterval(request, body);'), []);
    });

    it('should find no raw Fabric call and no transaction name in any route file', () => {
      const files = sourcesUnder(ROUTES_DIR);
      assert.ok(files.length >= 10, `only ${files.length} route files found under ${ROUTES_DIR}`);
      const found = files
        .map((file) => ({
          file: path.relative(REPO_ROOT, file),
          violations: boundaryViolations(readFileSync(file, 'utf8')),
        }))
        .filter((entry) => entry.violations.length > 0);
      assert.deepEqual(found, []);
    });
  });
});
