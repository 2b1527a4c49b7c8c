import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProofBundle } from '../../../verifier/src/bundle';
import { peer } from '@hyperledger/fabric-protos';
import {
  FAILURE_REASONS,
  verifyBundle,
  type CheckpointPin,
  type FailureReason,
} from '../../../verifier/src/verify';
import {
  buildBundle,
  CHECKPOINT_BLOCK_NUMBER,
  mutableCopy,
  newPki,
  proposalResponsePayload,
  READING_KEY,
  READING_VALUE,
  SAMPLE_KEY,
  serializedIdentity,
  signerOf,
  TX_BLOCK_NUMBER,
  TX_ID,
  TX_INDEX,
  toHighS,
  type DeepMutable,
} from '../../support/proof-bundle-fixture';
import { newTestIdentity } from '../../support/test-pki';

const pki = newPki();
const reading = buildBundle(pki);
const sample = buildBundle(pki, { kind: 'sample' });

function reasonOf(bundle: unknown, pins: readonly CheckpointPin[] = [reading.pin]): string {
  const result = verifyBundle(bundle, pins);
  return result.ok ? 'OK' : result.reason;
}

function failureOf(
  bundle: unknown,
  pins: readonly CheckpointPin[],
): { reason: FailureReason; message: string } {
  const result = verifyBundle(bundle, pins);
  assert.ok(!result.ok, 'expected a failure');
  return { reason: result.reason, message: result.message };
}

/** The bundle with one change made to a copy of it. */
function tampered(
  bundle: ProofBundle,
  change: (copy: DeepMutable<ProofBundle>) => void,
): DeepMutable<ProofBundle> {
  const copy = mutableCopy(bundle);
  change(copy);
  return copy;
}

const flipLastByte = (signature: Uint8Array): Uint8Array => {
  const copy = Uint8Array.from(signature);
  copy[copy.length - 1]! ^= 0x01;
  return copy;
};

/** The hash with its first byte changed: what an endorser signs when the proposal was another. */
const otherHash = (hash: Buffer): Buffer => {
  const copy = Buffer.from(hash);
  copy[0]! ^= 0x01;
  return copy;
};

const flipBase64Byte = (base64: string, at: number): string => {
  const bytes = Buffer.from(base64, 'base64');
  bytes[at]! ^= 0x01;
  return bytes.toString('base64');
};

describe('verifier/verify', () => {
  describe('#verifyBundle on valid bundles', () => {
    it('should prove a reading, naming who created, endorsed and attested it', () => {
      const result = verifyBundle(reading.bundle, [reading.pin]);
      assert.ok(result.ok);
      assert.deepEqual(result.proved, {
        kind: 'reading',
        channel: 'vppchannel',
        chaincode: 'vpp',
        key: '~vpp.reading~pv-001~2026-11-25T10:15:00.000Z~0~',
        keyParts: ['vpp.reading', 'pv-001', '2026-11-25T10:15:00.000Z', '0'],
        value: JSON.parse(READING_VALUE),
        txId: TX_ID,
        blockNumber: TX_BLOCK_NUMBER,
        index: TX_INDEX,
        timestamp: '2026-11-25T10:13:20.500Z',
        creatorMsp: 'CvppMSP',
        endorsingMsps: ['CvppMSP', 'ControlMSP', 'RegulatorMSP'],
        attestingMsps: ['CvppMSP', 'TradingMSP', 'ControlMSP', 'RegulatorMSP'],
        attestedAt: '2026-11-25T11:23:20.250Z',
        policy: 'MAJORITY Endorsement of ControlMSP, CvppMSP, RegulatorMSP, TradingMSP',
        checkpoint: {
          blockNumber: CHECKPOINT_BLOCK_NUMBER,
          blockHash: reading.pin.blockHash,
          configBlockNumber: reading.pin.configBlockNumber,
          configBlockHash: reading.pin.configBlockHash,
        },
      });
    });

    it('should prove a sample with its place in the anchored tree', () => {
      const result = verifyBundle(sample.bundle, [sample.pin]);
      assert.ok(result.ok);
      assert.equal(result.proved.kind, 'sample');
      assert.deepEqual(result.proved.keyParts, ['vpp.sampleAnchor', 'anchor-0001']);
      assert.deepEqual(result.proved.sample, { leaf: JSON.parse(sample.sampleLeaf!), index: 2, size: 5 });
    });

    it('should list its failure reasons in the order it checks them', () => {
      assert.deepEqual(FAILURE_REASONS, [
        'MALFORMED_BUNDLE',
        'CHECKPOINT_NOT_PINNED',
        'CONFIG_INVALID',
        'CONFIG_HASH_MISMATCH',
        'BLOCK_DATA_HASH_MISMATCH',
        'HEADER_CHAIN_BROKEN',
        'CHECKPOINT_MISMATCH',
        'TRANSACTION_NOT_FOUND',
        'TRANSACTION_MARKED_INVALID',
        'CERTIFICATE_UNTRUSTED',
        'CREATOR_SIGNATURE_INVALID',
        'NON_CANONICAL_SIGNATURE',
        'ENDORSEMENT_SIGNATURE_INVALID',
        'PROPOSAL_HASH_MISMATCH',
        'ENDORSEMENT_POLICY_NOT_SATISFIED',
        'VALUE_NOT_IN_WRITE_SET',
        'WRONG_KIND',
        'ATTESTATION_NOT_FOR_CLAIM',
        'ATTESTATION_SIGNATURE_INVALID',
        'ATTESTATION_POLICY_NOT_SATISFIED',
        'ATTESTATION_VERSION_MISMATCH',
        'MERKLE_PATH_INVALID',
      ]);
    });

    it('should accept the pin among others, with upper-case hex', () => {
      const other = { ...reading.pin, blockNumber: 99 };
      const upper = { ...reading.pin, blockHash: reading.pin.blockHash.toUpperCase() };
      assert.equal(reasonOf(reading.bundle, [other, upper]), 'OK');
    });

    it('should accept a transaction that is itself the checkpoint block (no headers)', () => {
      // The first header's previous_hash is the transaction block's hash.
      const txBlockHash = reading.bundle.headers[0]!.previousHash;
      const noHeaders = tampered(reading.bundle, (b) => {
        b.headers = [];
        b.checkpoint.blockNumber = TX_BLOCK_NUMBER;
        b.checkpoint.blockHash = txBlockHash;
      });
      const pin = { ...reading.pin, blockNumber: TX_BLOCK_NUMBER, blockHash: noHeaders.checkpoint.blockHash };
      assert.equal(reasonOf(noHeaders, [pin]), 'OK');
    });
  });

  describe('#verifyBundle on malformed bundles', () => {
    it('should refuse what is not the format', () => {
      assert.equal(reasonOf(null), 'MALFORMED_BUNDLE');
      assert.equal(reasonOf('text'), 'MALFORMED_BUNDLE');
      assert.equal(
        reasonOf(tampered(reading.bundle, (b) => ((b as { format: string }).format = 'other/1'))),
        'MALFORMED_BUNDLE',
      );
      assert.equal(
        reasonOf(tampered(reading.bundle, (b) => ((b as { kind: string }).kind = 'bogus'))),
        'MALFORMED_BUNDLE',
      );
      assert.equal(
        reasonOf(tampered(reading.bundle, (b) => ((b.transaction as { index: unknown }).index = '1'))),
        'MALFORMED_BUNDLE',
      );
      assert.equal(
        reasonOf(tampered(reading.bundle, (b) => (b.checkpoint.blockHash = 'AB'.repeat(32)))),
        'MALFORMED_BUNDLE',
      );
    });

    it('should refuse bad base64 and undecodable protobuf', () => {
      assert.equal(reasonOf(tampered(reading.bundle, (b) => (b.block = 'not*base64'))), 'MALFORMED_BUNDLE');
      assert.equal(reasonOf(tampered(reading.bundle, (b) => (b.block = 'CgA'))), 'MALFORMED_BUNDLE');
      const truncated = tampered(
        reading.bundle,
        (b) => (b.block = Buffer.from(b.block, 'base64').subarray(0, 100).toString('base64')),
      );
      assert.equal(reasonOf(truncated), 'MALFORMED_BUNDLE');
    });

    it('should refuse an attestation in the former format, or whose payload is not base64', () => {
      const former = tampered(reading.bundle, (b) => {
        (b as { attestation: unknown }).attestation = { proposalResponsePayload: 'AAAA', endorsements: [] };
      });
      const failure = failureOf(former, [reading.pin]);
      assert.equal(failure.reason, 'MALFORMED_BUNDLE');
      assert.equal(failure.message, 'attestation.payload must be base64');
      assert.equal(
        reasonOf(tampered(reading.bundle, (b) => (b.attestation.payload = 'not*base64'))),
        'MALFORMED_BUNDLE',
      );
    });

    it('should refuse a sample bundle without its Merkle proof', () => {
      assert.equal(
        reasonOf(
          tampered(sample.bundle, (b) => delete b.merkle),
          [sample.pin],
        ),
        'MALFORMED_BUNDLE',
      );
    });
  });

  describe('#verifyBundle on the checkpoint and hash chain', () => {
    it('should refuse with no pin, or a pin that differs in any field', () => {
      assert.equal(reasonOf(reading.bundle, []), 'CHECKPOINT_NOT_PINNED');
      for (const change of [
        { channel: 'otherchannel' },
        { blockNumber: CHECKPOINT_BLOCK_NUMBER + 1 },
        { blockHash: '0'.repeat(64) },
        { configBlockNumber: 3 },
        { configBlockHash: '0'.repeat(64) },
      ]) {
        assert.equal(
          reasonOf(reading.bundle, [{ ...reading.pin, ...change }]),
          'CHECKPOINT_NOT_PINNED',
          JSON.stringify(change),
        );
      }
    });

    it("should refuse a changed checkpoint hash: unpinned, or pinned but not the chain's", () => {
      const changed = tampered(reading.bundle, (b) => (b.checkpoint.blockHash = '1'.repeat(64)));
      assert.equal(reasonOf(changed), 'CHECKPOINT_NOT_PINNED');
      const failure = failureOf(changed, [{ ...reading.pin, blockHash: '1'.repeat(64) }]);
      assert.equal(failure.reason, 'CHECKPOINT_MISMATCH');
      assert.match(failure.message, /block 13 hashes to/);
    });

    it("should name the block where a header's data hash or previous hash breaks the chain", () => {
      const dataHash = failureOf(
        tampered(reading.bundle, (b) => (b.headers[0]!.dataHash = '2'.repeat(64))),
        [reading.pin],
      );
      assert.equal(dataHash.reason, 'HEADER_CHAIN_BROKEN');
      assert.match(dataHash.message, /^block 12: previous_hash/);
      const previous = failureOf(
        tampered(reading.bundle, (b) => (b.headers[1]!.previousHash = '3'.repeat(64))),
        [reading.pin],
      );
      assert.equal(previous.reason, 'HEADER_CHAIN_BROKEN');
      assert.match(previous.message, /^block 12: previous_hash 3{64} is not block 11's hash/);
      const lastData = tampered(reading.bundle, (b) => (b.headers[2]!.dataHash = '4'.repeat(64)));
      assert.equal(reasonOf(lastData), 'CHECKPOINT_MISMATCH');
    });

    it('should refuse a missing header, and a block that is not the transaction block', () => {
      assert.equal(reasonOf(tampered(reading.bundle, (b) => b.headers.splice(1, 1))), 'HEADER_CHAIN_BROKEN');
      assert.equal(reasonOf(tampered(reading.bundle, (b) => b.headers.pop())), 'CHECKPOINT_MISMATCH');
      assert.equal(
        reasonOf(tampered(reading.bundle, (b) => (b.transaction.blockNumber = 9))),
        'HEADER_CHAIN_BROKEN',
      );
    });

    it("should refuse a block whose data is not its header's data hash", () => {
      // Change a byte of the transaction envelope inside the block (its last bytes are the data's end).
      const block = Buffer.from(reading.bundle.block, 'base64');
      const at = block.indexOf(Buffer.from(TX_ID)) + 1;
      block[at] = 'b'.charCodeAt(0);
      const failure = failureOf(
        tampered(reading.bundle, (b) => (b.block = block.toString('base64'))),
        [reading.pin],
      );
      assert.equal(failure.reason, 'BLOCK_DATA_HASH_MISMATCH');
      assert.match(failure.message, /^block 10: header data_hash/);
    });
  });

  describe('#verifyBundle on the config', () => {
    const otherRoot = buildBundle(pki, { config: { rootCerts: { CvppMSP: pki.rogueCa.certPem } } });

    it('should refuse a config block that is not the pinned one', () => {
      const swapped = tampered(reading.bundle, (b) => (b.config = otherRoot.bundle.config));
      assert.equal(reasonOf(swapped), 'CONFIG_HASH_MISMATCH');
      const flipped = tampered(reading.bundle, (b) => (b.config = flipBase64Byte(b.config, 200)));
      assert.equal(reasonOf(flipped), 'BLOCK_DATA_HASH_MISMATCH');
    });

    it("should distrust CvppMSP's certificates under a config with another root, even pinned", () => {
      const failure = failureOf(otherRoot.bundle, [otherRoot.pin]);
      assert.equal(failure.reason, 'CERTIFICATE_UNTRUSTED');
      assert.match(
        failure.message,
        /^the creator: CvppMSP identity .* does not chain to a root certificate of CvppMSP/,
      );
    });

    it('should refuse a config block of another number', () => {
      const renumbered = tampered(reading.bundle, (b) => (b.checkpoint.configBlockNumber = 5));
      assert.equal(reasonOf(renumbered, [{ ...reading.pin, configBlockNumber: 5 }]), 'CONFIG_INVALID');
    });
  });

  describe('#verifyBundle on the transaction', () => {
    it('should refuse another transaction id or index', () => {
      assert.equal(
        reasonOf(tampered(reading.bundle, (b) => (b.transaction.txId = 'e'.repeat(64)))),
        'TRANSACTION_NOT_FOUND',
      );
      assert.equal(
        reasonOf(tampered(reading.bundle, (b) => (b.transaction.index = 0))),
        'TRANSACTION_NOT_FOUND',
      );
      assert.equal(
        reasonOf(tampered(reading.bundle, (b) => (b.transaction.index = 2))),
        'TRANSACTION_NOT_FOUND',
      );
    });

    it("should refuse a transaction the block's validation flags mark invalid, saying the flag is a claim", () => {
      const mvccConflict = buildBundle(pki, { filterByte: 11 });
      const failure = failureOf(mvccConflict.bundle, [mvccConflict.pin]);
      assert.equal(failure.reason, 'TRANSACTION_MARKED_INVALID');
      assert.match(failure.message, /validation code 11/);
      assert.match(failure.message, /committing peer's claim/);
    });
  });

  describe('#verifyBundle on identities and signatures', () => {
    it('should refuse a byte changed in the creator signature', () => {
      const built = buildBundle(pki, { creatorSignature: flipLastByte });
      assert.equal(reasonOf(built.bundle, [built.pin]), 'CREATOR_SIGNATURE_INVALID');
    });

    it('should refuse a byte changed in an endorsement signature', () => {
      const built = buildBundle(pki, {
        endorsements: (list) =>
          list.map((e, i) => (i === 1 ? { ...e, signature: flipLastByte(e.signature) } : e)),
      });
      const failure = failureOf(built.bundle, [built.pin]);
      assert.equal(failure.reason, 'ENDORSEMENT_SIGNATURE_INVALID');
      assert.match(failure.message, /^endorsement 1 \(ControlMSP/);
    });

    it('should refuse high-S signatures of the creator and of an endorser', () => {
      const creator = buildBundle(pki, { creatorSignature: toHighS });
      assert.equal(reasonOf(creator.bundle, [creator.pin]), 'NON_CANONICAL_SIGNATURE');
      const endorser = buildBundle(pki, {
        endorsements: (list) => list.map((e, i) => (i === 2 ? { ...e, signature: toHighS(e.signature) } : e)),
      });
      const failure = failureOf(endorser.bundle, [endorser.pin]);
      assert.equal(failure.reason, 'NON_CANONICAL_SIGNATURE');
      assert.match(failure.message, /^endorser 2's signature has S above n\/2/);
    });

    it("should refuse endorsements of another proposal than the transaction's (its proposal_hash)", () => {
      const built = buildBundle(pki, { txProposalHash: otherHash });
      const failure = failureOf(built.bundle, [built.pin]);
      assert.equal(failure.reason, 'PROPOSAL_HASH_MISMATCH');
      assert.match(
        failure.message,
        /^the transaction's endorsed proposal_hash [0-9a-f]{64} is not the SHA-256 of its channel header, signature header and chaincode proposal payload \([0-9a-f]{64}\): the endorsements are not of this transaction$/,
      );
    });

    it('should check the proposal hash after the endorsement signatures and before the policy', () => {
      const badSignature = buildBundle(pki, {
        txProposalHash: otherHash,
        endorsements: (list) =>
          list.map((e, i) => (i === 0 ? { ...e, signature: flipLastByte(e.signature) } : e)),
      });
      assert.equal(reasonOf(badSignature.bundle, [badSignature.pin]), 'ENDORSEMENT_SIGNATURE_INVALID');
      const oneOrg = buildBundle(pki, { txProposalHash: otherHash, endorsers: [signerOf(pki, 'CvppMSP')] });
      assert.equal(reasonOf(oneOrg.bundle, [oneOrg.pin]), 'PROPOSAL_HASH_MISMATCH');
    });

    it('should refuse an endorsement by a certificate no MSP of the channel issued', () => {
      const rogue = { mspId: 'CvppMSP', identity: pki.roguePeer };
      const built = buildBundle(pki, {
        endorsers: [rogue, signerOf(pki, 'ControlMSP'), signerOf(pki, 'TradingMSP')],
      });
      const failure = failureOf(built.bundle, [built.pin]);
      assert.equal(failure.reason, 'CERTIFICATE_UNTRUSTED');
      assert.match(failure.message, /^endorser 0: CvppMSP identity/);
    });

    it('should refuse an identity of an MSP that is not an org of the channel', () => {
      const built = buildBundle(pki, {
        endorsements: (list) => [
          ...list,
          { endorser: serializedIdentity('OtherMSP', pki.roguePeer), signature: list[0]!.signature },
        ],
      });
      const failure = failureOf(built.bundle, [built.pin]);
      assert.equal(failure.reason, 'CERTIFICATE_UNTRUSTED');
      assert.match(failure.message, /MSP 'OtherMSP' is not an application org/);
    });

    it("should refuse a creator whose certificate had expired at the transaction's time", () => {
      const expired = newTestIdentity(pki.orgs.get('CvppMSP')!.ca, '/O=CvppMSP/OU=client/CN=old', {
        notAfter: '2025-01-01T00:00:00.000Z',
      });
      const built = buildBundle(pki, { creator: expired });
      const failure = failureOf(built.bundle, [built.pin]);
      assert.equal(failure.reason, 'CERTIFICATE_UNTRUSTED');
      assert.match(failure.message, /is not valid at 2026-11-25T10:13:20.500Z/);
    });
  });

  describe('#verifyBundle on the endorsement policy', () => {
    it("should refuse one org's endorsement, listing the orgs that endorsed", () => {
      const built = buildBundle(pki, { endorsers: [signerOf(pki, 'CvppMSP')] });
      const failure = failureOf(built.bundle, [built.pin]);
      assert.equal(failure.reason, 'ENDORSEMENT_POLICY_NOT_SATISFIED');
      assert.match(
        failure.message,
        /^the transaction is endorsed by CvppMSP \(satisfying the sub-policy of CvppMSP\)/,
      );
      assert.match(failure.message, /MAJORITY Endorsement of ControlMSP, CvppMSP, RegulatorMSP, TradingMSP$/);
    });

    it('should count two peers of one org, or one endorsement twice, as one org', () => {
      const twoPeers = buildBundle(pki, {
        endorsers: [signerOf(pki, 'CvppMSP', 0), signerOf(pki, 'CvppMSP', 1), signerOf(pki, 'ControlMSP')],
      });
      assert.equal(reasonOf(twoPeers.bundle, [twoPeers.pin]), 'ENDORSEMENT_POLICY_NOT_SATISFIED');
      const duplicated = buildBundle(pki, {
        endorsers: [signerOf(pki, 'CvppMSP'), signerOf(pki, 'ControlMSP')],
        endorsements: (list) => [...list, list[0]!],
      });
      assert.equal(reasonOf(duplicated.bundle, [duplicated.pin]), 'ENDORSEMENT_POLICY_NOT_SATISFIED');
    });

    it("should not count a client's signature toward an org's OR('<Msp>.peer')", () => {
      const client = { mspId: 'CvppMSP', identity: pki.client };
      const built = buildBundle(pki, {
        endorsers: [client, signerOf(pki, 'ControlMSP'), signerOf(pki, 'TradingMSP')],
      });
      const failure = failureOf(built.bundle, [built.pin]);
      assert.equal(failure.reason, 'ENDORSEMENT_POLICY_NOT_SATISFIED');
      assert.match(failure.message, /satisfying the sub-policy of ControlMSP, TradingMSP\)/);
    });

    it('should accept any three orgs of four', () => {
      const built = buildBundle(pki, {
        endorsers: [signerOf(pki, 'TradingMSP'), signerOf(pki, 'ControlMSP'), signerOf(pki, 'RegulatorMSP')],
      });
      const result = verifyBundle(built.bundle, [built.pin]);
      assert.ok(result.ok);
      assert.deepEqual(result.proved.endorsingMsps, ['TradingMSP', 'ControlMSP', 'RegulatorMSP']);
    });
  });

  describe('#verifyBundle on the claim', () => {
    it('should refuse a value changed by one character', () => {
      const changed = tampered(
        reading.bundle,
        (b) => (b.claim.value = b.claim.value.replace('1234', '1235')),
      );
      assert.equal(reasonOf(changed), 'VALUE_NOT_IN_WRITE_SET');
    });

    it('should refuse another key', () => {
      const changed = tampered(
        reading.bundle,
        (b) => (b.claim.key = b.claim.key.replace('pv-001', 'pv-002')),
      );
      const failure = failureOf(changed, [reading.pin]);
      assert.equal(failure.reason, 'VALUE_NOT_IN_WRITE_SET');
      assert.match(failure.message, /writes no key '~vpp.reading~pv-002~/);
    });

    it('should refuse another chaincode', () => {
      assert.equal(
        reasonOf(tampered(reading.bundle, (b) => (b.chaincode = 'other'))),
        'VALUE_NOT_IN_WRITE_SET',
      );
    });

    it("should refuse a kind whose object type is not the key's", () => {
      const failure = failureOf(
        tampered(reading.bundle, (b) => (b.kind = 'clearing')),
        [reading.pin],
      );
      assert.equal(failure.reason, 'WRONG_KIND');
      assert.match(failure.message, /not a composite key of object type 'vpp.clearing'/);
    });
  });

  describe('#verifyBundle on the attestation', () => {
    it('should refuse an attestation of another version of the key', () => {
      const built = buildBundle(pki, { attestedVersion: { blockNum: TX_BLOCK_NUMBER, txNum: TX_INDEX + 1 } });
      const failure = failureOf(built.bundle, [built.pin]);
      assert.equal(failure.reason, 'ATTESTATION_VERSION_MISMATCH');
      assert.match(failure.message, /at \{block 10, tx 2\}, not at the transaction's \{block 10, tx 1\}/);
    });

    it('should refuse a byte changed in an attestation signature', () => {
      const built = buildBundle(pki, {
        attestation: {
          endorsements: (list) =>
            list.map((e, i) => (i === 3 ? { ...e, signature: flipLastByte(e.signature) } : e)),
        },
      });
      const failure = failureOf(built.bundle, [built.pin]);
      assert.equal(failure.reason, 'ATTESTATION_SIGNATURE_INVALID');
      assert.match(failure.message, /^attestation endorsement 3 \(RegulatorMSP/);
    });

    it('should refuse an attestation response changed after signing', () => {
      // Another version read, under the same proposal hash: not what the attesters signed.
      const built = buildBundle(pki, {
        attestation: {
          responsePayload: (prp) =>
            proposalResponsePayload(
              { reads: [{ key: READING_KEY, blockNum: 9, txNum: 0 }] },
              peer.ProposalResponsePayload.deserializeBinary(prp).getProposalHash_asU8(),
            ),
        },
      });
      assert.equal(reasonOf(built.bundle, [built.pin]), 'ATTESTATION_SIGNATURE_INVALID');
    });

    it('should refuse an attestation endorsed on another channel of the same orgs', () => {
      const built = buildBundle(pki, { attestation: { channel: 'otherchannel' } });
      const failure = failureOf(built.bundle, [built.pin]);
      assert.equal(failure.reason, 'ATTESTATION_NOT_FOR_CLAIM');
      assert.equal(
        failure.message,
        "the attestation is a transaction of type 3 on channel 'otherchannel', not an endorser transaction on 'vppchannel'",
      );
    });

    it("should refuse another channel's attestation relabelled with this channel: its proposal hash", () => {
      // 'otherchan1' has the length of 'vppchannel', so only the channel header's bytes change.
      const built = buildBundle(pki, { attestation: { channel: 'otherchan1' } });
      const relabelled = tampered(built.bundle, (b) => {
        const payload = Buffer.from(b.attestation.payload, 'base64');
        const at = payload.indexOf('otherchan1');
        payload.write('vppchannel', at);
        assert.equal(payload.indexOf('otherchan1'), -1);
        b.attestation.payload = payload.toString('base64');
      });
      const failure = failureOf(relabelled, [built.pin]);
      assert.equal(failure.reason, 'PROPOSAL_HASH_MISMATCH');
      assert.match(
        failure.message,
        /^the attestation's endorsed proposal_hash [0-9a-f]{64} is not the SHA-256/,
      );
      assert.match(failure.message, /the endorsements are not of this attestation$/);
    });

    it('should refuse an attestation of another chaincode', () => {
      const built = buildBundle(pki, { attestation: { chaincode: 'other' } });
      const failure = failureOf(built.bundle, [built.pin]);
      assert.equal(failure.reason, 'ATTESTATION_NOT_FOR_CLAIM');
      assert.equal(failure.message, "the attestation calls chaincode 'other', not 'vpp'");
    });

    it('should refuse an attestation of another key, even one that reads this key', () => {
      const otherKey = READING_KEY.replace('pv-001', 'pv-002');
      const built = buildBundle(pki, { attestation: { key: otherKey } });
      const failure = failureOf(built.bundle, [built.pin]);
      assert.equal(failure.reason, 'ATTESTATION_NOT_FOR_CLAIM');
      assert.equal(
        failure.message,
        "the attestation's last argument is '~vpp.reading~pv-002~2026-11-25T10:15:00.000Z~0~', not the key '~vpp.reading~pv-001~2026-11-25T10:15:00.000Z~0~'",
      );
    });

    it("should refuse another record's genuine attestation", () => {
      const borrowed = tampered(reading.bundle, (b) => (b.attestation = { ...sample.bundle.attestation }));
      const failure = failureOf(borrowed, [reading.pin]);
      assert.equal(failure.reason, 'ATTESTATION_NOT_FOR_CLAIM');
      assert.match(failure.message, new RegExp(`last argument is '${SAMPLE_KEY.replaceAll('\u0000', '~')}'`));
    });

    it("should refuse an attestation whose endorsers signed another proposal's hash", () => {
      const built = buildBundle(pki, { attestation: { proposalHash: otherHash } });
      const failure = failureOf(built.bundle, [built.pin]);
      assert.equal(failure.reason, 'PROPOSAL_HASH_MISMATCH');
      assert.match(failure.message, /^the attestation's endorsed proposal_hash /);
    });

    it("should check the attestation's claim first, then signatures, proposal hash and policy", () => {
      const elsewhereUnsigned = buildBundle(pki, {
        attestation: { channel: 'otherchannel', endorsements: () => [] },
      });
      assert.equal(reasonOf(elsewhereUnsigned.bundle, [elsewhereUnsigned.pin]), 'ATTESTATION_NOT_FOR_CLAIM');
      const badSignature = buildBundle(pki, {
        attestation: {
          proposalHash: otherHash,
          endorsements: (list) =>
            list.map((e, i) => (i === 0 ? { ...e, signature: flipLastByte(e.signature) } : e)),
        },
      });
      assert.equal(reasonOf(badSignature.bundle, [badSignature.pin]), 'ATTESTATION_SIGNATURE_INVALID');
      const twoOrgs = buildBundle(pki, {
        attesters: [signerOf(pki, 'CvppMSP', 1), signerOf(pki, 'TradingMSP', 1)],
        attestation: { proposalHash: otherHash },
      });
      assert.equal(reasonOf(twoOrgs.bundle, [twoOrgs.pin]), 'PROPOSAL_HASH_MISMATCH');
    });

    it("should check attesters' certificates at the attestation's time, not the transaction's", () => {
      // A peer certificate renewed between the transaction (10:13) and the attestation (11:23).
      const renewedPeer = (
        mspId: 'CvppMSP' | 'TradingMSP',
        validity: { notBefore?: string; notAfter?: string },
      ) => ({
        mspId,
        identity: newTestIdentity(pki.orgs.get(mspId)!.ca, `/O=${mspId}/OU=peer/CN=renewed`, validity),
      });
      const renewed = buildBundle(pki, {
        attesters: [
          renewedPeer('CvppMSP', { notBefore: '2026-11-25T11:00:00.000Z' }),
          signerOf(pki, 'ControlMSP', 1),
          signerOf(pki, 'RegulatorMSP', 1),
        ],
      });
      assert.equal(reasonOf(renewed.bundle, [renewed.pin]), 'OK');
      const expired = buildBundle(pki, {
        attesters: [
          renewedPeer('TradingMSP', { notAfter: '2026-11-25T11:00:00.000Z' }),
          signerOf(pki, 'ControlMSP', 1),
          signerOf(pki, 'RegulatorMSP', 1),
        ],
      });
      const failure = failureOf(expired.bundle, [expired.pin]);
      assert.equal(failure.reason, 'CERTIFICATE_UNTRUSTED');
      assert.match(failure.message, /is not valid at 2026-11-25T11:23:20.250Z/);
    });

    it('should refuse an attestation by fewer orgs than the policy needs', () => {
      const built = buildBundle(pki, {
        attesters: [signerOf(pki, 'CvppMSP', 1), signerOf(pki, 'TradingMSP', 1)],
      });
      const failure = failureOf(built.bundle, [built.pin]);
      assert.equal(failure.reason, 'ATTESTATION_POLICY_NOT_SATISFIED');
      assert.match(failure.message, /^the attestation is signed by CvppMSP, TradingMSP/);
      const none = buildBundle(pki, { attestation: { endorsements: () => [] } });
      assert.equal(reasonOf(none.bundle, [none.pin]), 'ATTESTATION_POLICY_NOT_SATISFIED');
    });
  });

  describe('#verifyBundle on the Merkle proof', () => {
    it('should refuse a changed path element', () => {
      const changed = tampered(sample.bundle, (b) => (b.merkle!.path[0] = '5'.repeat(64)));
      assert.equal(reasonOf(changed, [sample.pin]), 'MERKLE_PATH_INVALID');
    });

    it("should refuse a size that is not the anchor's count, and a changed index", () => {
      const size = failureOf(
        tampered(sample.bundle, (b) => (b.merkle!.size = 6)),
        [sample.pin],
      );
      assert.equal(size.reason, 'MERKLE_PATH_INVALID');
      assert.match(size.message, /tree of 6 leaves, the anchor has 5/);
      assert.equal(
        reasonOf(
          tampered(sample.bundle, (b) => (b.merkle!.index = 1)),
          [sample.pin],
        ),
        'MERKLE_PATH_INVALID',
      );
    });

    it('should refuse a changed leaf, and a leaf that is not a sample', () => {
      const changed = tampered(
        sample.bundle,
        (b) => (b.merkle!.leaf = b.merkle!.leaf.replace('"energyWh":12', '"energyWh":13')),
      );
      assert.equal(reasonOf(changed, [sample.pin]), 'MERKLE_PATH_INVALID');
      const notSample = tampered(sample.bundle, (b) => (b.merkle!.leaf = '{"type":"other"}'));
      const failure = failureOf(notSample, [sample.pin]);
      assert.equal(failure.reason, 'MERKLE_PATH_INVALID');
      assert.match(failure.message, /not a JSON object of type 'vpp.sample.v1'/);
    });
  });
});
