// Read your writes, and others', across the orgs' gateways on the real network: a write through one
// org's gateway names its block (X-Block-Number); a read through any other org's gateway that sends
// it as X-Min-Block sees the write on the first try, never the past. A block far ahead is refused
// after the bound with 503 BLOCK_NOT_YET_COMMITTED.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { blockOf, call, type HttpResult } from '../../../platform/src/http/gateway-rest';
import { loginMarketUsers, type Org } from '../../support/market-rest';

const stamp = Date.now().toString(36);
const WRITES = 10;
/** The gateways' default bound (VPP_MIN_BLOCK_TIMEOUT_MS). */
const BOUND_MS = 5_000;
type ErrorBody = { error: { code: string; message: string } };

function committedBlock(res: HttpResult<{ txId: string }>, what: string): bigint {
  assert.ok(res.status === 200 || res.status === 201, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
  assert.equal(res.headers['x-transaction-id'], res.body.txId, `${what}: X-Transaction-Id`);
  const block = blockOf(res);
  assert.ok(block !== undefined && block > 0n, `${what}: X-Block-Number ${res.headers['x-block-number']}`);
  return block;
}

describe('read your writes across gateways (real network)', () => {
  let tokens = {} as Record<Org, string>;
  const as = <T>(
    org: Org,
    method: string,
    url: string,
    options: { body?: unknown; minBlock?: bigint } = {},
  ) => call<T>(org, method, url, { token: tokens[org], ...options });

  before(async () => {
    tokens = await loginMarketUsers('ryw', stamp);
  });

  it(`should show a write through one gateway to the other three on the first read, ${WRITES} times`, async () => {
    for (let i = 0; i < WRITES; i++) {
      const vppId = `vpp-ryw-${stamp}-${i}`;
      const created = await as<{ txId: string }>('cvpp', 'POST', '/v1/vpps', {
        body: { vppId, displayName: `RYW ${i}`, feeBps: 100 + i },
      });
      const block = committedBlock(created, `register ${vppId}`);
      const reads = await Promise.all(
        (['trading', 'control', 'regulator'] as const).map(async (org) => {
          const res = await as<{ vppId: string; feeBps: number }>(org, 'GET', `/v1/vpps/${vppId}`, {
            minBlock: block,
          });
          return [org, res.status, res.body.vppId, res.body.feeBps] as const;
        }),
      );
      assert.deepEqual(reads, [
        ['trading', 200, vppId, 100 + i],
        ['control', 200, vppId, 100 + i],
        ['regulator', 200, vppId, 100 + i],
      ]);

      // And the other way round: the regulator writes, the CVPP's gateway reads (minBlock query form).
      const quota = 1_000 * (i + 1);
      const set = await as<{ txId: string }>('regulator', 'PUT', `/v1/market/quotas/${vppId}`, {
        body: { quantity: quota },
      });
      const quotaBlock = committedBlock(set, `quota of ${vppId}`);
      const read = await as<{ quantity: number }>(
        'cvpp',
        'GET',
        `/v1/market/quotas/${vppId}?minBlock=${quotaBlock}`,
      );
      assert.deepEqual([read.status, read.body.quantity], [200, quota], JSON.stringify(read.body));
    }
  });

  it('should refuse a block far ahead with 503 BLOCK_NOT_YET_COMMITTED and Retry-After, after the bound', async () => {
    const started = Date.now();
    const res = await as<ErrorBody>('control', 'GET', '/v1/vpps', { minBlock: 10_000_000n });
    const waited = Date.now() - started;
    assert.equal(res.status, 503, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'BLOCK_NOT_YET_COMMITTED');
    assert.equal(res.headers['retry-after'], '5');
    assert.ok(waited >= BOUND_MS - 200 && waited < BOUND_MS + 5_000, `waited ${waited} ms`);
  });

  it('should refuse a malformed X-Min-Block with 400 INVALID_MIN_BLOCK', async () => {
    const res = await as<ErrorBody>('trading', 'GET', '/v1/vpps?minBlock=latest');
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'INVALID_MIN_BLOCK');
  });
});
