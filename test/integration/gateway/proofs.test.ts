// Proof bundles on the real network (README, "Proof bundles"): a reading and a raw sample of a device
// are proved offline by vpp-verify, run as an outsider would (a separate process, given only the
// bundle and the checkpoints it fetched from another organisation's public route); every field an
// attacker could change is changed, one at a time, and each must fail with its named reason; and a
// forged bundle of a real transaction that one organisation alone endorsed (committed invalid, its
// validity byte flipped to VALID, which no hash covers) fails the endorsement policy.
//
// The day's clearing, settlement line and credit record are proved in vpp-day.test.ts, where they exist.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { common, ledger, peer } from '@hyperledger/fabric-protos';
import { intervalIdOf } from '../../../chaincode/src/domain/telemetry/reading';
import type { Device } from '../../../gateway/device-kit/device';
import { postReadings } from '../../../gateway/device-kit/device-api';
import { blockHeaderOf } from '../../../gateway/src/proofs/ledger-records';
import { call, gatewayTarget, marketCalendarNow } from '../../../platform/src/http/gateway-rest';
import type { Checkpoint, ProofBundle } from '../../../verifier/src/bundle';
import { verifyBundle } from '../../../verifier/src/verify';
import { bundleOf, publicCheckpoints } from '../../support/proof-bundles';
import { connectAs, topology, utf8 } from '../../support/fabric-client';
import {
  expectRefusal,
  expectStatus,
  loginMarketUsers,
  registerVppWithDers,
  requestsAs,
  type ErrorBody,
  type Org,
} from '../../support/market-rest';

const stamp = Date.now().toString(36);
const VPP = `vpp-prf-${stamp}`;
const DER = `pv-prf-${stamp}`;
const CLI = path.join(__dirname, '..', '..', '..', 'verifier', 'src', 'cli.js');
const channel = topology.channel.name;

/** Runs vpp-verify as a separate process on a bundle written to a file, as an outsider would. */
function runVerifier(
  bundle: unknown,
  args: string[] = [],
): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vpp-proof-'));
  const file = path.join(dir, 'bundle.json');
  writeFileSync(file, JSON.stringify(bundle));
  const run = spawnSync(process.execPath, [CLI, file, ...args], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function pinsFile(checkpoints: readonly Checkpoint[]): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'vpp-pins-')), 'checkpoints.json');
  writeFileSync(file, JSON.stringify({ checkpoints }));
  return file;
}

/** A bundle whose fields a test (playing the forger) may replace. */
type Editable = { -readonly [K in keyof ProofBundle]: ProofBundle[K] };
const clone = (bundle: ProofBundle): Editable => JSON.parse(JSON.stringify(bundle)) as Editable;

/** The reason verifyBundle gives for `bundle` against `pins`, or 'OK'. */
function reasonOf(bundle: unknown, pins: readonly Checkpoint[]): string {
  const result = verifyBundle(bundle, pins);
  return result.ok ? 'OK' : result.reason;
}

/** Flips one byte of `needle` where it occurs inside the base64 `field`. */
function flipInside(field: string, needle: Uint8Array, at = 10): string {
  const bytes = Buffer.from(field, 'base64');
  const offset = bytes.indexOf(Buffer.from(needle));
  assert.ok(offset >= 0, 'the bytes to tamper with are in the field');
  bytes[offset + at] ^= 0x01;
  return bytes.toString('base64');
}

function flipByte(b64: string, at: number): string {
  const bytes = Buffer.from(b64, 'base64');
  bytes[at] ^= 0x01;
  return bytes.toString('base64');
}

/** The endorsements of the bundle's transaction, as they sit inside its block. */
function blockEndorsements(bundle: ProofBundle): peer.Endorsement[] {
  const block = common.Block.deserializeBinary(Buffer.from(bundle.block, 'base64'));
  const envelope = common.Envelope.deserializeBinary(
    block.getData()!.getDataList_asU8()[bundle.transaction.index]!,
  );
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const action = peer.ChaincodeActionPayload.deserializeBinary(tx.getActionsList()[0]!.getPayload_asU8());
  return action.getAction()!.getEndorsementsList();
}

describe('proof bundles (real network)', () => {
  const tokens = {} as Record<Org, string>;
  const as = requestsAs(tokens);
  let device: Device;
  let readingIntervalId = '';
  let sampleIds: number[] = [];
  let readingTxId = '';

  before(async () => {
    Object.assign(tokens, await loginMarketUsers('prf', stamp));
    const devices = await registerVppWithDers(
      as,
      { vppId: VPP, displayName: `Proofs ${stamp}` },
      [[DER, 'pv', 8000]],
      10_000,
    );
    device = devices.get(DER)!;
    const { meteringIntervalSeconds: seconds } = await marketCalendarNow('cvpp', tokens.cvpp);
    readingIntervalId = intervalIdOf(new Date(Date.now() - seconds * 1000).toISOString(), seconds);
    const reading = device.sign({
      intervalId: readingIntervalId,
      sequence: 0,
      energyWh: 6,
      timestamp: new Date().toISOString(),
    });
    const samples = [0, 1, 2].map((i) => ({
      derId: DER,
      intervalId: readingIntervalId,
      sequence: 0,
      offsetSeconds: Math.floor((i * seconds) / 3),
      energyWh: 2,
    }));
    const answer = await postReadings(gatewayTarget('cvpp'), [reading], samples);
    assert.equal(answer.results[0]?.status, 'accepted', JSON.stringify(answer.results));
    sampleIds = answer.results[0]?.sampleIds ?? [];
    readingTxId = answer.results[0]?.txId ?? '';
    assert.equal(sampleIds.length, 3);
  });

  const readingUrl = () =>
    `/v1/proofs/reading?key=${VPP}&key=${encodeURIComponent(readingIntervalId)}&key=${DER}&key=0000`;

  it("should publish the regulator's checkpoints to anyone, let only the regulator record one, and match every peer", async () => {
    expectRefusal(
      await as('trading', 'POST', '/v1/proofs/checkpoints'),
      403,
      'FORBIDDEN',
      'a trader records a checkpoint',
    );
    expectRefusal(
      await as('cvpp', 'POST', '/v1/proofs/checkpoints'),
      403,
      'FORBIDDEN',
      'an operator records a checkpoint',
    );
    const recorded = await as<{ checkpoint: Checkpoint; txId: string }>(
      'regulator',
      'POST',
      '/v1/proofs/checkpoints',
    );
    expectStatus(recorded, 201, 'the regulator records a checkpoint');
    const { checkpoint } = recorded.body;
    assert.equal(checkpoint.channel, channel);
    assert.equal(checkpoint.txId, recorded.body.txId);
    assert.match(checkpoint.blockHash, /^[0-9a-f]{64}$/);
    // Nothing committed since: a second one at once has nothing new to vouch for... unless another
    // suite's write landed in between, which then makes a later checkpoint, never an equal one.
    const again = await as<{ checkpoint: Checkpoint } | ErrorBody>(
      'regulator',
      'POST',
      '/v1/proofs/checkpoints',
    );
    if (again.status === 201) {
      assert.ok((again.body as { checkpoint: Checkpoint }).checkpoint.blockNumber > checkpoint.blockNumber);
    } else {
      expectRefusal(again, 409, 'NOTHING_TO_CHECKPOINT', 'a checkpoint with nothing new');
    }

    // Anyone reads them, with no account, from any org's gateway; and every org's own peer has the same
    // hashes at those blocks (a block's hash is the next block's previous hash).
    const listed = await call<{ checkpoints: Checkpoint[] }>(
      'control',
      'GET',
      '/v1/proofs/checkpoints?pageSize=1000',
      {},
    );
    expectStatus(listed, 200, 'list checkpoints without a token');
    assert.ok(listed.body.checkpoints.some((c) => c.txId === checkpoint.txId));
    for (const org of ['cvpp', 'trading', 'control']) {
      const connection = connectAs(org, 'admin');
      try {
        const qscc = connection.network.getContract('qscc');
        const next = async (n: number) =>
          blockHeaderOf(await qscc.evaluateTransaction('GetBlockByNumber', channel, String(n + 1)));
        assert.equal(
          (await next(checkpoint.blockNumber)).previousHash,
          checkpoint.blockHash,
          `${org}'s peer`,
        );
        assert.equal((await next(checkpoint.configBlockNumber)).previousHash, checkpoint.configBlockHash);
      } finally {
        connection.close();
      }
    }
  });

  it('should give any org a reading bundle that vpp-verify proves offline against a pinned checkpoint', async () => {
    const bundle = await bundleOf(as, 'control', readingUrl());
    assert.equal(bundle.kind, 'reading');
    assert.equal(bundle.transaction.txId, readingTxId);
    const value = JSON.parse(bundle.claim.value) as { derId: string; energyWh: number; signature: string };
    assert.deepEqual([value.derId, value.energyWh], [DER, 6]);
    assert.ok(bundle.checkpoint.blockNumber >= bundle.transaction.blockNumber);
    assert.equal(bundle.headers.length, bundle.checkpoint.blockNumber - bundle.transaction.blockNumber);

    const pins = pinsFile(await publicCheckpoints());
    const run = runVerifier(bundle, ['--checkpoints', pins, '--json']);
    assert.equal(run.status, 0, run.stderr);
    const proved = (JSON.parse(run.stdout) as { proved: Record<string, unknown> }).proved;
    assert.equal(proved.txId, readingTxId);
    assert.equal(proved.blockNumber, bundle.transaction.blockNumber);
    assert.deepEqual((proved.value as { energyWh: number }).energyWh, 6);
    // MAJORITY of four: the endorsements of the write and of the attestation come from three orgs or more.
    assert.ok((proved.endorsingMsps as string[]).length >= 3, JSON.stringify(proved.endorsingMsps));
    assert.ok((proved.attestingMsps as string[]).length >= 3, JSON.stringify(proved.attestingMsps));
    // The attestation was asked for when the bundle was made, after the reading committed.
    assert.ok(Date.parse(proved.attestedAt as string) >= Date.parse(proved.timestamp as string));

    const readable = runVerifier(bundle, ['--checkpoints', pins]);
    assert.equal(readable.status, 0, readable.stderr);
    assert.match(readable.stdout, new RegExp(readingTxId));
    // The same bundle with no pin is not proved: the roots inside it would be the forger's word.
    const unpinned = runVerifier(bundle);
    assert.equal(unpinned.status, 1);
    assert.match(unpinned.stderr, /^FAILED CHECKPOINT_NOT_PINNED/m);
    const missing = spawnSync(process.execPath, [CLI, path.join(os.tmpdir(), `no-such-${stamp}.json`)], {
      encoding: 'utf8',
    });
    assert.equal(missing.status, 2);
  });

  it('should prove a raw sample through the Merkle root its batch anchored', async () => {
    const bundle = await bundleOf(as, 'cvpp', `/v1/proofs/samples/${sampleIds[1]}`);
    assert.equal(bundle.kind, 'sample');
    assert.deepEqual([bundle.merkle?.index, bundle.merkle?.size], [1, 3]);
    const pins = await publicCheckpoints();
    const result = verifyBundle(bundle, pins);
    assert.ok(result.ok, JSON.stringify(result));
    const anchor = JSON.parse(bundle.claim.value) as { root: string; count: number; txId: string };
    assert.equal(anchor.count, 3);
    assert.equal(anchor.txId, readingTxId, 'the samples were anchored by their reading batch');

    const changedSample = clone(bundle);
    changedSample.merkle = {
      ...bundle.merkle!,
      leaf: bundle.merkle!.leaf.replace('"energyWh":2', '"energyWh":3'),
    };
    assert.equal(reasonOf(changedSample, pins), 'MERKLE_PATH_INVALID');
    const changedPath = clone(bundle);
    changedPath.merkle = { ...bundle.merkle!, path: [...bundle.merkle!.path].reverse() };
    assert.equal(reasonOf(changedPath, pins), 'MERKLE_PATH_INVALID');
    const changedSize = clone(bundle);
    changedSize.merkle = { ...bundle.merkle!, size: 4 };
    assert.equal(reasonOf(changedSize, pins), 'MERKLE_PATH_INVALID');
    // Only the CVPP's gateway holds raw samples.
    expectRefusal(
      await as('trading', 'GET', `/v1/proofs/samples/${sampleIds[1]}`),
      404,
      'NOT_FOUND',
      'sample elsewhere',
    );
  });

  it('should fail a bundle with any one field changed, naming what failed', async () => {
    const bundle = await bundleOf(as, 'regulator', readingUrl());
    const pins = await publicCheckpoints();
    assert.equal(reasonOf(bundle, pins), 'OK');
    const [endorsement] = blockEndorsements(bundle);
    const tampered: [string, (b: Editable) => void, string][] = [
      [
        'the value',
        (b) => void (b.claim = { ...b.claim, value: b.claim.value.replace('"energyWh":6', '"energyWh":7') }),
        'VALUE_NOT_IN_WRITE_SET',
      ],
      [
        'the key',
        (b) => void (b.claim = { ...b.claim, key: b.claim.key.replace(DER, `${DER}x`) }),
        'VALUE_NOT_IN_WRITE_SET',
      ],
      ['the kind', (b) => void (b.kind = 'clearing'), 'WRONG_KIND'],
      [
        'an endorsement signature in the block',
        (b) => void (b.block = flipInside(b.block, endorsement!.getSignature_asU8())),
        'BLOCK_DATA_HASH_MISMATCH',
      ],
      [
        'the validity byte',
        (b) => void (b.block = withFilterByte(b.block, b.transaction.index, 11)),
        'TRANSACTION_MARKED_INVALID',
      ],
      [
        'the transaction position',
        (b) => void (b.transaction = { ...b.transaction, txId: 'f'.repeat(64) }),
        'TRANSACTION_NOT_FOUND',
      ],
      [
        'a header',
        (b) =>
          void (b.headers = b.headers.map((h, i) =>
            i === 0 ? { ...h, dataHash: h.dataHash.replace(/^./, (c) => (c === '0' ? '1' : '0')) } : h,
          )),
        bundle.headers.length > 0 ? 'HEADER_CHAIN_BROKEN' : 'SKIP',
      ],
      [
        'the checkpoint hash',
        (b) => void (b.checkpoint = { ...b.checkpoint, blockHash: '0'.repeat(64) }),
        'CHECKPOINT_NOT_PINNED',
      ],
      ['the config block', (b) => void (b.config = flipByte(b.config, 200)), 'BLOCK_DATA_HASH_MISMATCH'],
      [
        'an attestation signature',
        (b) =>
          void (b.attestation = {
            payload: editAttestation(b.attestation.payload, (endorsed) => {
              const [first] = endorsed.getEndorsementsList();
              const signature = Uint8Array.from(first!.getSignature_asU8());
              signature[12] ^= 0x01;
              first!.setSignature(signature);
            }),
          }),
        'ATTESTATION_SIGNATURE_INVALID',
      ],
      [
        'the attestation down to one org',
        (b) =>
          void (b.attestation = {
            payload: editAttestation(b.attestation.payload, (endorsed) =>
              endorsed.setEndorsementsList(endorsed.getEndorsementsList().slice(0, 1)),
            ),
          }),
        'ATTESTATION_POLICY_NOT_SATISFIED',
      ],
      [
        'the attested version',
        (b) =>
          void (b.attestation = {
            payload: editAttestation(b.attestation.payload, (endorsed) =>
              endorsed.setProposalResponsePayload(
                withReadVersion(endorsed.getProposalResponsePayload_asU8(), b.claim.key, b.chaincode),
              ),
            ),
          }),
        'ATTESTATION_SIGNATURE_INVALID',
      ],
    ];
    for (const [what, change, reason] of tampered) {
      if (reason === 'SKIP') continue;
      const copy = clone(bundle);
      change(copy);
      assert.equal(reasonOf(copy, pins), reason, `tampered: ${what}`);
    }
    // A genuine attestation, of another record: it attests a read of another key.
    const sampleBundle = await bundleOf(as, 'cvpp', `/v1/proofs/samples/${sampleIds[0]}`);
    const borrowed = clone(bundle);
    borrowed.attestation = sampleBundle.attestation;
    assert.equal(reasonOf(borrowed, pins), 'ATTESTATION_NOT_FOR_CLAIM');
    // A checkpoint the user pinned that the bundle does not chain to.
    assert.equal(
      reasonOf(
        bundle,
        pins.map((p) => ({ ...p, blockHash: '0'.repeat(64) })),
      ),
      'CHECKPOINT_NOT_PINNED',
    );
    // Through the CLI too: the reason is printed.
    const copy = clone(bundle);
    copy.claim = { ...copy.claim, value: copy.claim.value.replace('"energyWh":6', '"energyWh":60') };
    const run = runVerifier(copy, ['--checkpoints', pinsFile(pins)]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^FAILED VALUE_NOT_IN_WRITE_SET/m);
  });

  it('should refuse a forged bundle of a transaction that one org alone endorsed, even marked valid', async () => {
    const connection = connectAs('cvpp', 'admin');
    let txId = '';
    try {
      const input = {
        displayName: `lonely proof ${stamp}`,
        orgRole: 'cvpp',
        contactEmail: 'ops@cvpp.example',
      };
      const proposal = connection.contract('org').newProposal('PutOrgProfile', {
        arguments: [JSON.stringify(input)],
        endorsingOrganizations: ['CvppMSP'],
      });
      const transaction = await proposal.endorse();
      txId = transaction.getTransactionId();
      const status = await (await transaction.submit()).getStatus();
      assert.equal(status.code, peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
      // The forger builds the bundle from the real block, chained to a real checkpoint after it.
      const genuine = await bundleOf(as, 'regulator', readingUrl());
      const qscc = connection.network.getContract('qscc');
      const blockBytes = await qscc.evaluateTransaction('GetBlockByTxID', channel, txId);
      const block = common.Block.deserializeBinary(blockBytes);
      const blockNumber = block.getHeader()!.getNumber();
      const index = block
        .getData()!
        .getDataList_asU8()
        .findIndex((envelope) => txIdOf(envelope) === txId);
      let checkpoint: Checkpoint | undefined;
      for (let attempt = 0; checkpoint === undefined; attempt++) {
        assert.ok(attempt < 10, 'a checkpoint after the forged transaction');
        await as('regulator', 'POST', '/v1/proofs/checkpoints');
        checkpoint = (await publicCheckpoints()).find((c) => c.blockNumber >= blockNumber);
      }
      const headers = [];
      for (let n = blockNumber + 1; n <= checkpoint.blockNumber; n++) {
        headers.push(blockHeaderOf(await qscc.evaluateTransaction('GetBlockByNumber', channel, String(n))));
      }
      const written = writeOf(block.getData()!.getDataList_asU8()[index]!, genuine.chaincode);
      const forged: ProofBundle = {
        ...genuine,
        claim: written,
        transaction: { txId, blockNumber, index },
        block: Buffer.from(blockBytes).toString('base64'),
        headers,
        checkpoint,
      };
      const pins = await publicCheckpoints();
      assert.equal(reasonOf(forged, pins), 'TRANSACTION_MARKED_INVALID', 'as the peer marked it');
      const markedValid = {
        ...forged,
        block: withFilterByte(forged.block, index, peer.TxValidationCode.VALID),
      };
      const result = verifyBundle(markedValid, pins);
      assert.equal(result.ok ? 'OK' : result.reason, 'ENDORSEMENT_POLICY_NOT_SATISFIED');
      assert.match(result.ok ? '' : result.message, /CvppMSP/);
    } finally {
      connection.close();
    }
  });

  it('should answer bad proof requests with clear codes', async () => {
    expectRefusal(
      await as('cvpp', 'GET', '/v1/proofs/receipt?key=x'),
      400,
      'VALIDATION_FAILED',
      'unknown kind',
    );
    expectRefusal(await as('cvpp', 'GET', '/v1/proofs/reading'), 400, 'VALIDATION_FAILED', 'no key');
    expectRefusal(
      await as(
        'cvpp',
        'GET',
        `/v1/proofs/reading?key=${VPP}&key=${encodeURIComponent(readingIntervalId)}&key=${DER}&key=0001`,
      ),
      404,
      'NOT_FOUND',
      'a reading never sent',
    );
    expectRefusal(
      await as('cvpp', 'GET', `${readingUrl()}&checkpoint=0`),
      400,
      'CHECKPOINT_TOO_EARLY',
      'a checkpoint before the record',
    );
    const anonymous = await call<ErrorBody>('cvpp', 'GET', readingUrl(), {});
    assert.equal(anonymous.status, 401);
  });
});

function txIdOf(envelopeBytes: Uint8Array): string {
  const payload = common.Payload.deserializeBinary(
    common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8(),
  );
  return common.ChannelHeader.deserializeBinary(payload.getHeader()!.getChannelHeader_asU8()).getTxId();
}

/** The first write of the transaction in `namespace`, as a claim. */
function writeOf(envelopeBytes: Uint8Array, namespace: string): { key: string; value: string } {
  const payload = common.Payload.deserializeBinary(
    common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8(),
  );
  const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const action = peer.ChaincodeActionPayload.deserializeBinary(
    tx.getActionsList()[0]!.getPayload_asU8(),
  ).getAction()!;
  const extension = peer.ProposalResponsePayload.deserializeBinary(
    action.getProposalResponsePayload_asU8(),
  ).getExtension_asU8();
  const rwSet = ledger.rwset.TxReadWriteSet.deserializeBinary(
    peer.ChaincodeAction.deserializeBinary(extension).getResults_asU8(),
  );
  const ns = rwSet.getNsRwsetList().find((candidate) => candidate.getNamespace() === namespace)!;
  const write = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8()).getWritesList()[0]!;
  return { key: write.getKey(), value: utf8(write.getValue_asU8()) };
}

/** The block with transaction `index`'s validity byte (TRANSACTIONS_FILTER metadata) set to `code`. */
function withFilterByte(blockB64: string, index: number, code: number): string {
  const block = common.Block.deserializeBinary(Buffer.from(blockB64, 'base64'));
  const metadata = block.getMetadata()!;
  const entries = metadata.getMetadataList_asU8().map((entry) => Uint8Array.from(entry));
  const filter = entries[common.BlockMetadataIndex.TRANSACTIONS_FILTER]!;
  filter[index] = code;
  metadata.setMetadataList(entries);
  return Buffer.from(block.serializeBinary()).toString('base64');
}

/** The attestation (a common.Payload, base64) with its endorsed action changed by `edit`. */
function editAttestation(payloadB64: string, edit: (endorsed: peer.ChaincodeEndorsedAction) => void): string {
  const payload = common.Payload.deserializeBinary(Buffer.from(payloadB64, 'base64'));
  const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const [action] = tx.getActionsList();
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action!.getPayload_asU8());
  const endorsed = actionPayload.getAction()!;
  edit(endorsed);
  actionPayload.setAction(endorsed);
  action!.setPayload(actionPayload.serializeBinary());
  payload.setData(tx.serializeBinary());
  return Buffer.from(payload.serializeBinary()).toString('base64');
}

/** A proposal response payload with the read of `key` moved to another transaction of the same block. */
function withReadVersion(prpBytes: Uint8Array, key: string, namespace: string): Uint8Array {
  const prp = peer.ProposalResponsePayload.deserializeBinary(prpBytes);
  const action = peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8());
  const rwSet = ledger.rwset.TxReadWriteSet.deserializeBinary(action.getResults_asU8());
  const ns = rwSet.getNsRwsetList().find((candidate) => candidate.getNamespace() === namespace)!;
  const kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
  const read = kv.getReadsList().find((candidate) => candidate.getKey() === key)!;
  read.getVersion()!.setTxNum(read.getVersion()!.getTxNum() + 1);
  ns.setRwset(kv.serializeBinary());
  action.setResults(rwSet.serializeBinary());
  prp.setExtension$(action.serializeBinary());
  return prp.serializeBinary();
}
