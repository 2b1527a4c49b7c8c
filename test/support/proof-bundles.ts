// Proof bundles as the integration tests fetch and check them: the bundle from an org's gateway (the
// regulator recording a checkpoint when the record is newer than the latest one, as its schedule
// would), the checkpoints an outsider reads without an account, and vpp-verify's verdict on both.
import assert from 'node:assert/strict';
import { call } from '../../platform/src/http/gateway-rest';
import type { Checkpoint, ProofBundle } from '../../verifier/src/bundle';
import { verifyBundle, type Proved } from '../../verifier/src/verify';
import { expectRefusal, expectStatus, type AsOrg, type ErrorBody, type Org } from './market-rest';

interface CheckpointList {
  checkpoints: Checkpoint[];
  bookmark: string;
}

/** Every checkpoint, read with no account from the trading centre's gateway (any org's would do). */
export async function publicCheckpoints(): Promise<Checkpoint[]> {
  const all: Checkpoint[] = [];
  let bookmark = '';
  do {
    const url = `/v1/proofs/checkpoints?pageSize=1000&bookmark=${encodeURIComponent(bookmark)}`;
    const page = await call<CheckpointList>('trading', 'GET', url, {});
    expectStatus(page, 200, 'read the public checkpoints');
    all.push(...page.body.checkpoints);
    bookmark = page.body.bookmark;
  } while (bookmark !== '');
  return all;
}

/**
 * The bundle at `url`, asked of `org`'s gateway. A record committed a moment ago may not be covered by
 * a checkpoint yet (409 CHECKPOINT_PENDING): the regulator then records one, as its schedule would.
 */
export async function bundleOf(as: AsOrg, org: Org, url: string): Promise<ProofBundle> {
  for (let attempt = 1; ; attempt++) {
    const res = await as<ProofBundle | ErrorBody>(org, 'GET', url);
    if (res.status === 200) return res.body as ProofBundle;
    expectRefusal(res, 409, 'CHECKPOINT_PENDING', `bundle ${url}`);
    assert.ok(attempt < 10, `${url} stays without a checkpoint`);
    const recorded = await as('regulator', 'POST', '/v1/proofs/checkpoints');
    assert.ok([201, 409].includes(recorded.status), JSON.stringify(recorded.body));
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** What the bundle at `url` proves, checked against the public checkpoints; fails the test otherwise. */
export async function provedBy(as: AsOrg, org: Org, url: string): Promise<Proved> {
  const bundle = await bundleOf(as, org, url);
  const result = verifyBundle(bundle, await publicCheckpoints());
  if (!result.ok) assert.fail(`${url}: ${result.reason}: ${result.message}`);
  return result.proved;
}
