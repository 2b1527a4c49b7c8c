// The console's files: public, served from dist/console (built by npm run build) with a content
// security policy that allows nothing from elsewhere; nothing outside that folder is reachable.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { CONSOLE_CSP, CONSOLE_DIR } from '../../../../../gateway/src/plugins/external/console';
import { FakeLedger, openGateway, type TestGateway } from '../../../../support/route-harness';

describe('plugins/external/console', () => {
  let gateway: TestGateway;
  let app: FastifyInstance;

  before(async () => {
    assert.ok(existsSync(CONSOLE_DIR), `the console is built (npm run build) into ${CONSOLE_DIR}`);
    gateway = await openGateway('trading', { fabric: new FakeLedger({ txId: 'tx' }).port });
    app = gateway.app;
  });
  after(() => gateway.close());

  it('should serve the page, its script and styles without a token, under a strict policy', async () => {
    const redirect = await app.inject({ method: 'GET', url: '/console' });
    assert.deepEqual([redirect.statusCode, redirect.headers.location], [301, '/console/']);
    const page = await app.inject({ method: 'GET', url: '/console/' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.body, /<script src="console\.js" defer><\/script>/);
    assert.equal(page.headers['content-security-policy'], CONSOLE_CSP);
    assert.match(CONSOLE_CSP, /script-src 'self'(;|$)/);
    assert.match(CONSOLE_CSP, /connect-src 'self'/);
    const script = await app.inject({ method: 'GET', url: '/console/console.js' });
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /javascript/);
    assert.ok(script.body.length > 10_000, 'the bundle carries its libraries');
    const styles = await app.inject({ method: 'GET', url: '/console/console.css' });
    assert.equal(styles.statusCode, 200);
  });

  it('should answer anything else under /console/ with the API’s 404, never a file outside it', async () => {
    for (const url of ['/console/nothing.js', '/console/../package.json', '/console/%2e%2e/package.json']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
      assert.equal((res.json() as { error: { code: string } }).error.code, 'NOT_FOUND', url);
    }
  });
});
