// The regulator's ledger views over real HTTP: an in-process gateway of the regulator org (own data
// folder, port 0) on the real network. Callers log in through POST /v1/auth/token with identities
// the enrollment already produced (network/run/crypto/regulator/users), so no CA round trip is needed.
import '../../support/quiet-logs';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startRegulatorGateway, type Harness } from '../../support/regulator-gateway';
import { cryptoPaths } from '../../../platform/src/paths';
import { connectAs, topology, utf8, type Connection } from '../../support/fabric-client';
import { endorseInStep } from '../../../platform/src/fabric/bft-submit';

describe('gateway ledger views (regulator, real network)', () => {
  let gw: Harness;
  let cvpp: Connection;
  /** A GET as `as`; with `minBlock`, answered once the regulator's peer has that block (X-Min-Block). */
  const get = async (urlPath: string, as: 'regulator' | 'admin' = 'regulator', minBlock?: bigint) => {
    const res = await fetch(`${gw.url}${urlPath}`, {
      headers: {
        authorization: `Bearer ${gw.tokens[as]}`,
        ...(minBlock === undefined ? {} : { 'x-min-block': String(minBlock) }),
      },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  before(async () => {
    gw = await startRegulatorGateway();
    cvpp = connectAs('cvpp', 'admin');
  });
  after(async () => {
    cvpp?.close();
    await gw?.close();
  });

  it('should find a transaction submitted in the test by id, VALID, with the endorsing MSPs of MAJORITY', async () => {
    const profile = {
      displayName: `audited ${Date.now()}`,
      orgRole: 'cvpp',
      contactEmail: 'ops@cvpp.example',
    };
    const proposal = cvpp
      .contract('org')
      .newProposal('PutOrgProfile', { arguments: [JSON.stringify(profile)] });
    const txId = proposal.getTransactionId();
    const commit = await (await endorseInStep(proposal)).submit();
    const status = await commit.getStatus();
    assert.equal(status.successful, true);

    // Committed on the CVPP's peer: the regulator's is asked to have the block first.
    const { status: code, body } = await get(
      `/v1/ledger/transactions/${txId}`,
      'regulator',
      status.blockNumber,
    );
    assert.equal(code, 200, JSON.stringify(body));
    assert.equal(body.txId, txId);
    assert.equal(body.validationCode, 'VALID');
    assert.equal(body.type, 'ENDORSER_TRANSACTION');
    assert.equal(body.creatorMspId, 'CvppMSP');
    assert.equal(body.chaincode, topology.chaincode.name);
    assert.equal(body.blockNumber, Number(status.blockNumber));
    const endorsers = body.endorsers as string[];
    const mspIds = topology.orgs.map((o) => o.mspId);
    assert.ok(endorsers.length >= Math.floor(mspIds.length / 2) + 1, `MAJORITY: ${endorsers.join(',')}`);
    assert.ok(endorsers.every((m) => mspIds.includes(m)));
    assert.deepEqual(endorsers, [...new Set(endorsers)].sort());

    // The block that holds it lists it with the same decoding.
    const block = await get(`/v1/ledger/blocks/${status.blockNumber}`);
    assert.equal(block.status, 200);
    assert.equal(block.body.number, Number(status.blockNumber));
    const inBlock = (
      block.body.transactions as { txId: string; validationCode: string; endorsers: string[] }[]
    ).find((t) => t.txId === txId);
    assert.deepEqual(inBlock && [inBlock.validationCode, inBlock.endorsers], ['VALID', endorsers]);
  });

  it("should return block N with header number N, chained to block N-1's hash", async () => {
    const info = await get('/v1/ledger/info');
    assert.equal(info.status, 200);
    assert.equal(info.body.channel, topology.channel.name);
    const height = info.body.height as number;
    assert.ok(height > 2);
    const n = height - 1;
    const [block, previous, genesis] = await Promise.all([
      get(`/v1/ledger/blocks/${n}`),
      get(`/v1/ledger/blocks/${n - 1}`),
      get('/v1/ledger/blocks/0'),
    ]);
    assert.equal(block.body.number, n);
    assert.equal(previous.body.number, n - 1);
    assert.equal(genesis.body.number, 0);
    assert.equal(genesis.body.previousHash, '');
    assert.deepEqual(
      (genesis.body.transactions as { type: string }[]).map((t) => t.type),
      ['CONFIG'],
    );
    assert.match(block.body.previousHash as string, /^[0-9a-f]{64}$/);
  });

  it('should answer 404 for a block beyond the height and an unknown transaction, 400 for a malformed one', async () => {
    const missingBlock = await get('/v1/ledger/blocks/99999999');
    assert.equal(missingBlock.status, 404);
    assert.equal((missingBlock.body.error as { code: string }).code, 'NOT_FOUND');
    const missingTx = await get(`/v1/ledger/transactions/${'0'.repeat(64)}`);
    assert.equal(missingTx.status, 404);
    assert.equal((missingTx.body.error as { code: string }).code, 'NOT_FOUND');
    assert.equal((await get('/v1/ledger/transactions/not-a-tx-id')).status, 400);
    assert.equal((await get('/v1/ledger/blocks/-1')).status, 400);
  });

  it('should list the history of a key, newest first, ending with the latest write', async () => {
    const displayName = `history ${Date.now()}`;
    const profile = { displayName, orgRole: 'cvpp', contactEmail: 'ops@cvpp.example' };
    const proposal = cvpp
      .contract('org')
      .newProposal('PutOrgProfile', { arguments: [JSON.stringify(profile)] });
    const txId = proposal.getTransactionId();
    const submitted = await (await endorseInStep(proposal)).submit();
    const committed = await submitted.getStatus();
    assert.equal(committed.successful, true);
    const written = utf8(submitted.getResult());

    // Committed on the CVPP's peer: the regulator's is asked to have the block first.
    const { status, body } = await get(
      '/v1/ledger/history?objectType=vpp.orgProfile&attr=CvppMSP',
      'regulator',
      committed.blockNumber,
    );
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.objectType, 'vpp.orgProfile');
    assert.deepEqual(body.attributes, ['CvppMSP']);
    const entries = body.entries as { txId: string; timestamp: string; isDelete: boolean; value: string }[];
    assert.ok(entries.length >= 1);
    assert.deepEqual(entries[0] && [entries[0].txId, entries[0].isDelete, entries[0].value], [
      txId,
      false,
      written,
    ]);
    const versions = entries.map((e) => (JSON.parse(e.value) as { version: number }).version);
    assert.deepEqual(
      versions,
      [...versions].sort((a, b) => b - a),
      'newest first',
    );
    assert.equal(new Date(entries[0]!.timestamp).toISOString(), entries[0]!.timestamp);
    if (body.bookmark === '') return;
    // More than a page (100 by default): the next page goes on from the bookmark, older entries only.
    const next = await get(
      `/v1/ledger/history?objectType=vpp.orgProfile&attr=CvppMSP&bookmark=${encodeURIComponent(body.bookmark as string)}`,
    );
    assert.equal(next.status, 200, JSON.stringify(next.body));
    const older = next.body.entries as { txId: string }[];
    assert.equal(older[0]?.txId, body.bookmark);
    assert.ok(older.every((e) => !entries.some((seen) => seen.txId === e.txId)));
  });

  it('should page a key history: pageSize 1 answers the newest write and a bookmark, above the maximum is 400', async () => {
    const first = await get('/v1/ledger/history?objectType=vpp.orgProfile&attr=CvppMSP&pageSize=1');
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal((first.body.entries as unknown[]).length, 1);
    const all = await get('/v1/ledger/history?objectType=vpp.orgProfile&attr=CvppMSP&pageSize=100');
    const txIds = (all.body.entries as { txId: string }[]).map((e) => e.txId);
    assert.equal((first.body.entries as { txId: string }[])[0]!.txId, txIds[0]);
    assert.equal(first.body.bookmark, txIds[1] ?? '');
    const tooBig = await get('/v1/ledger/history?objectType=vpp.orgProfile&attr=CvppMSP&pageSize=101');
    assert.equal(tooBig.status, 400);
    assert.equal((tooBig.body.error as { code: string }).code, 'VALIDATION_FAILED');
  });

  it('should reject a history query for an unknown object type with the chaincode error', async () => {
    const { status, body } = await get('/v1/ledger/history?objectType=nope&attr=x');
    assert.equal(status, 422);
    assert.equal((body.error as { code: string }).code, 'INVALID_ARGUMENT');
  });

  it('should list the certificate directory: all four MSPs with root certs equal to the enrolled CA certs', async () => {
    const { status, body } = await get('/v1/ledger/channel/orgs');
    assert.equal(status, 200, JSON.stringify(body));
    const orgs = body.orgs as {
      mspId: string;
      rootCerts: string[];
      tlsRootCerts: string[];
      groups: string[];
    }[];
    assert.deepEqual(
      orgs.map((o) => o.mspId),
      topology.orgs.map((o) => o.mspId).sort(),
    );
    for (const org of topology.orgs) {
      const listed = orgs.find((o) => o.mspId === org.mspId)!;
      const caPem = readFileSync(path.join(cryptoPaths.orgMsp(org.name), 'cacerts', 'ca.pem'), 'utf8');
      assert.deepEqual(
        listed.rootCerts.map((c) => c.trim()),
        [caPem.trim()],
        org.mspId,
      );
      assert.equal(listed.tlsRootCerts.length, 1);
      assert.match(listed.tlsRootCerts[0]!, /BEGIN CERTIFICATE/);
      assert.deepEqual(listed.groups, ['Application', 'Orderer']);
    }
  });

  it('should refuse every ledger view to a non-regulator (the org admin) with 403, in the gateway', async () => {
    for (const urlPath of [
      '/v1/ledger/info',
      '/v1/ledger/blocks/0',
      `/v1/ledger/transactions/${'0'.repeat(64)}`,
      '/v1/ledger/history?objectType=vpp.orgProfile&attr=CvppMSP',
      '/v1/ledger/channel/orgs',
    ]) {
      const { status, body } = await get(urlPath, 'admin');
      assert.equal(status, 403, urlPath);
      assert.equal((body.error as { code: string }).code, 'FORBIDDEN', urlPath);
    }
  });
});
