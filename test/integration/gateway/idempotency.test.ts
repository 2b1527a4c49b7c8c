// Idempotency keys on the real network: a write retried under the same Idempotency-Key commits once
// and every retry answers with the first outcome, whether the retries come after the first answer or
// race it; a key reused for a different request is refused.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { call, loginAdmin, registerAndLogin, type RestUser } from '../../../platform/src/http/gateway-rest';

const ORG = 'cvpp';
const stamp = Date.now().toString(36);
type Created = { record: { vppId: string; displayName: string }; txId: string };
type ErrorBody = { error: { code: string; message: string; txId?: string } };

describe('idempotency keys', () => {
  let operator: RestUser;
  const registerVpp = <T>(vppId: string, key: string | undefined, displayName = `Idempotent ${vppId}`) =>
    call<T>(ORG, 'POST', '/v1/vpps', {
      token: operator.token,
      body: { vppId, displayName, feeBps: 150 },
      ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
    });

  before(async () => {
    operator = await registerAndLogin(ORG, await loginAdmin(ORG), `idem-operator-${stamp}`, 'operator');
  });

  it('should answer a retry under the same key with the first outcome, from the one transaction', async () => {
    const vppId = `vpp-idem-${stamp}`;
    const key = `register-${vppId}`;
    const first = await registerVpp<Created>(vppId, key);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.headers['idempotent-replayed'], undefined);
    const again = await registerVpp<Created>(vppId, key);
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.body, first.body);
    // Without the key the same request is a new write, refused because the VPP exists.
    const unkeyed = await registerVpp<ErrorBody>(vppId, undefined);
    assert.deepEqual([unkeyed.status, unkeyed.body.error.code], [409, 'ALREADY_EXISTS']);
  });

  it('should commit once when retries under one key race each other', async () => {
    const vppId = `vpp-idem-race-${stamp}`;
    const key = `register-${vppId}`;
    const answers = await Promise.all([1, 2, 3].map(() => registerVpp<Created>(vppId, key)));
    assert.deepEqual(
      answers.map((a) => a.status),
      [201, 201, 201],
      JSON.stringify(answers.map((a) => a.body)),
    );
    // Every answer is the committed copy's result, whichever copy each request sent.
    for (const answer of answers) assert.deepEqual(answer.body, answers[0]!.body);
    const txIds = new Set(answers.map((a) => a.body.txId));
    assert.equal(txIds.size, 1);
    const [txId] = txIds;
    const status = await call<{ status: string; validationCode: string }>(
      ORG,
      'GET',
      `/v1/transactions/${txId}/status`,
      { token: operator.token },
    );
    assert.deepEqual([status.body.status, status.body.validationCode], ['committed', 'VALID']);
    const vpp = await call<{ vppId: string }>(ORG, 'GET', `/v1/vpps/${vppId}`, { token: operator.token });
    assert.equal(vpp.body.vppId, vppId);
  });

  it('should refuse a key reused for a different request with 422 IDEMPOTENCY_KEY_REUSED, writing nothing', async () => {
    const vppId = `vpp-idem-reuse-${stamp}`;
    const key = `register-${vppId}`;
    const first = await registerVpp<Created>(vppId, key);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const other = await registerVpp<ErrorBody>(`${vppId}-b`, key);
    assert.deepEqual([other.status, other.body.error.code], [422, 'IDEMPOTENCY_KEY_REUSED']);
    assert.equal(other.body.error.txId, first.body.txId);
    const absent = await call(ORG, 'GET', `/v1/vpps/${vppId}-b`, { token: operator.token });
    assert.equal(absent.status, 404);
  });

  it('should refuse a malformed key with 400 INVALID_IDEMPOTENCY_KEY before writing', async () => {
    const vppId = `vpp-idem-bad-${stamp}`;
    const answer = await registerVpp<ErrorBody>(vppId, 'two words');
    assert.deepEqual([answer.status, answer.body.error.code], [400, 'INVALID_IDEMPOTENCY_KEY']);
    assert.equal((await call(ORG, 'GET', `/v1/vpps/${vppId}`, { token: operator.token })).status, 404);
  });
});
