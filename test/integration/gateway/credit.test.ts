// Credit rating over REST on the real network: the regulator publishes a rulebook version through its
// own gateway and every organisation reads it through its gateway; a suspension, a recorded violation
// and the resulting standing are seen the same way by every organisation.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { CreditStandingDetails } from '../../../chaincode/src/domain/credit/standing';
import { type RulebookVersion } from '../../../chaincode/src/domain/credit/rulebook';
import { DEFAULT_RULEBOOK } from '../../../chaincode/src/domain/credit/default-rulebook';
import type { ScoreRecord } from '../../../chaincode/src/domain/credit/scoring';
import type { SuspensionRecord } from '../../../chaincode/src/domain/credit/suspension';
import {
  blockOf,
  call,
  loginAdmin,
  registerAndLogin,
  type HttpResult,
  type RestUser,
} from '../../../platform/src/http/gateway-rest';

const ORGS = ['cvpp', 'trading', 'control', 'regulator'] as const;
type Org = (typeof ORGS)[number];
const stamp = Date.now().toString(36);
const VPP_ID = `vpp-credit-${stamp}`;
type ErrorBody = { error: { code: string; message: string } };

/**
 * Each org's peer commits a block in its own time: `read` sends the write's block (X-Min-Block), so
 * `ok` must hold on the first answer; fails naming `what` and the answer if it does not.
 */
async function seen<T>(
  read: () => Promise<HttpResult<T>>,
  ok: (res: HttpResult<T>) => boolean,
  what: string,
): Promise<HttpResult<T>> {
  const res = await read();
  if (!ok(res)) assert.fail(`${what}: answer ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/** The block a write committed in; fails if the answer names none. */
function writtenIn(res: HttpResult): bigint {
  const block = blockOf(res);
  assert.ok(block !== undefined, `no X-Block-Number: ${res.status} ${JSON.stringify(res.body)}`);
  return block;
}

describe('credit: rulebook, standings and suspensions over REST', () => {
  const admins = new Map<Org, string>();
  let regulator: RestUser;
  let operator: RestUser;
  const adminOf = (org: Org): string => {
    const token = admins.get(org);
    assert.ok(token, `admin token of ${org}`);
    return token;
  };
  const standingIn = (org: Org, minBlock?: bigint) =>
    call<CreditStandingDetails>(org, 'GET', `/v1/credit/participants/vpp/${VPP_ID}`, {
      token: adminOf(org),
      minBlock,
    });

  before(async () => {
    for (const org of ORGS) admins.set(org, await loginAdmin(org));
    regulator = await registerAndLogin('regulator', adminOf('regulator'), `credit-reg-${stamp}`, 'regulator');
    operator = await registerAndLogin('cvpp', adminOf('cvpp'), `credit-op-${stamp}`, 'operator');
    const vpp = await call('cvpp', 'POST', '/v1/vpps', {
      token: operator.token,
      body: { vppId: VPP_ID, displayName: 'Credit test VPP', feeBps: 200 },
    });
    assert.equal(vpp.status, 201, JSON.stringify(vpp.body));
  });

  it('should let the regulator publish a rulebook version that every organisation reads', async () => {
    const body = { ...DEFAULT_RULEBOOK, description: `Integration test rulebook ${stamp}` };
    const published = await call<{ record: RulebookVersion; txId: string }>(
      'regulator',
      'POST',
      '/v1/credit/rulebook',
      { token: regulator.token, body },
    );
    assert.equal(published.status, 201, JSON.stringify(published.body));
    const { version, createdBy } = published.body.record;
    assert.deepEqual(createdBy, { mspId: 'RegulatorMSP', role: 'regulator' });
    for (const org of ORGS) {
      const token = adminOf(org);
      const read = await seen(
        () =>
          call<RulebookVersion>(org, 'GET', `/v1/credit/rulebook/versions/${version}`, {
            token,
            minBlock: writtenIn(published),
          }),
        (res) => res.status === 200,
        `version ${version} in ${org}`,
      );
      assert.deepEqual(read.body, published.body.record);
      const inForce = await call<RulebookVersion>(org, 'GET', '/v1/credit/rulebook', { token });
      assert.equal(inForce.status, 200, JSON.stringify(inForce.body));
      assert.ok(inForce.body.version >= version, `${org} sees version ${inForce.body.version} in force`);
      const versions = await call<RulebookVersion[]>(org, 'GET', '/v1/credit/rulebook/versions', { token });
      assert.ok(versions.body.some((v) => v.version === version && v.description === body.description));
    }
  });

  it('should refuse a rulebook from anyone but the regulator, at the gateway or in the chaincode', async () => {
    const body = { ...DEFAULT_RULEBOOK, description: `Not the regulator's ${stamp}` };
    const byOperator = await call<ErrorBody>('cvpp', 'POST', '/v1/credit/rulebook', {
      token: operator.token,
      body,
    });
    assert.equal(byOperator.status, 403);
    for (const org of ['cvpp', 'trading', 'control'] as const) {
      const byAdmin = await call<ErrorBody>(org, 'POST', '/v1/credit/rulebook', {
        token: adminOf(org),
        body,
      });
      // The admin role may publish, but only at the regulator: the other gateways refuse it first
      // (the chaincode's own refusal of these MSPs is held by its unit tests).
      assert.equal(byAdmin.status, 403, `${org}: ${JSON.stringify(byAdmin.body)}`);
      assert.equal(byAdmin.body.error.code, 'ORG_NOT_ALLOWED');
      assert.match(byAdmin.body.error.message, /regulator/);
    }
  });

  it('should show a suspension in the standing that every organisation reads, until it is reinstated', async () => {
    const before = await standingIn('cvpp');
    assert.equal(before.status, 200, JSON.stringify(before.body));
    assert.equal(before.body.suspended, false);
    const suspended = await call<{ record: SuspensionRecord; txId: string }>(
      'regulator',
      'POST',
      `/v1/credit/participants/vpp/${VPP_ID}/suspend`,
      { token: regulator.token, body: { reason: 'integration test suspension' } },
    );
    assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
    assert.deepEqual(
      [suspended.body.record.status, suspended.body.record.reason],
      ['suspended', 'integration test suspension'],
    );
    for (const org of ORGS) {
      const standing = await seen(
        () => standingIn(org, writtenIn(suspended)),
        (res) => res.status === 200 && res.body.suspended,
        `suspension seen by ${org}`,
      );
      assert.deepEqual(
        [standing.body.level, standing.body.bidQuotaWh, standing.body.suspension?.txId],
        ['SUSPENDED', 0, suspended.body.txId],
      );
    }
    const again = await call<ErrorBody>(
      'regulator',
      'POST',
      `/v1/credit/participants/vpp/${VPP_ID}/suspend`,
      {
        token: regulator.token,
        body: { reason: 'twice' },
      },
    );
    assert.deepEqual([again.status, again.body.error.code], [422, 'INVALID_STATE']);
    const reinstated = await call('regulator', 'POST', `/v1/credit/participants/vpp/${VPP_ID}/reinstate`, {
      token: adminOf('regulator'),
      body: { reason: 'integration test over' },
    });
    assert.equal(reinstated.status, 200, JSON.stringify(reinstated.body));
    const after = await seen(
      () => standingIn('trading', writtenIn(reinstated)),
      (res) => res.status === 200 && !res.body.suspended,
      'reinstatement seen by trading',
    );
    assert.notEqual(after.body.level, 'SUSPENDED');
    assert.ok(after.body.bidQuotaWh > 0);
  });

  it("should score a violation the regulator records, in the VPP's records and the ranking", async () => {
    const refused = await call<ErrorBody>('control', 'POST', '/v1/credit/events', {
      token: adminOf('control'),
      body: { participant: { type: 'vpp', id: VPP_ID }, eventType: 'VIOLATION' },
    });
    assert.equal(refused.status, 403);
    const recorded = await call<{
      record: { records: ScoreRecord[]; standing: CreditStandingDetails };
      txId: string;
    }>('regulator', 'POST', '/v1/credit/events', {
      token: regulator.token,
      body: { participant: { type: 'vpp', id: VPP_ID }, eventType: 'VIOLATION' },
    });
    assert.equal(recorded.status, 201, JSON.stringify(recorded.body));
    assert.deepEqual(
      recorded.body.record.records.map((r) => [r.indicator, r.reasonCode, r.txId]),
      [['VIOLATIONS', 'VIOLATION', recorded.body.txId]],
    );
    const records = await seen(
      () =>
        call<{ records: ScoreRecord[]; bookmark: string }>(
          'cvpp',
          'GET',
          `/v1/credit/participants/vpp/${VPP_ID}/records?pageSize=50`,
          { token: operator.token, minBlock: writtenIn(recorded) },
        ),
      (res) => res.status === 200 && res.body.records.some((r) => r.txId === recorded.body.txId),
      'score record seen by cvpp',
    );
    assert.equal(records.body.bookmark, '');
    const ranking = await call<{ ranking: { participant: { id: string }; score: number }[] }>(
      'cvpp',
      'GET',
      '/v1/credit/ranking/vpp',
      { token: operator.token },
    );
    assert.equal(ranking.status, 200);
    assert.equal(
      ranking.body.ranking.find((entry) => entry.participant.id === VPP_ID)?.score,
      recorded.body.record.standing.score,
    );
  });
});
