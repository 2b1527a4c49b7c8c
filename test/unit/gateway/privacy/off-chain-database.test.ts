import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { merkleRoot, verifyMerkleProof } from '../../../../chaincode/src/domain/privacy/merkle';
import { ownerDataHash, type OwnerData } from '../../../../chaincode/src/domain/privacy/owner-data';
import { sampleLeaf, type Sample } from '../../../../chaincode/src/domain/privacy/samples';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { fieldKeyOf } from '../../../../gateway/src/privacy/field-crypto';
import { OffChainStore } from '../../../../gateway/src/privacy/off-chain-database';
import { prng, randomInt } from '../../../support/prng';
import { vppError } from '../../../support/vpp-assert';

const dir = mkdtempSync(path.join(os.tmpdir(), 'off-chain-database-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = () => path.join(dir, `store-${(files += 1)}.sqlite`);

const KEY = fieldKeyOf(Buffer.alloc(32, 1));
const NEW_KEY = fieldKeyOf(Buffer.alloc(32, 2));

const INTERVAL = '2026-11-25T10:15:00.000Z';

/** `n` samples of one DER's interval, every 15 s, with figures from the seeded generator. */
function samples(n: number, derId = 'pv-001', seed = 7, intervalId = INTERVAL): Sample[] {
  const random = prng(seed);
  return Array.from({ length: n }, (_, i) => ({
    derId,
    intervalId,
    sequence: Math.floor(i / 60),
    offsetSeconds: (i % 60) * 15,
    energyWh: randomInt(random, 0, 50),
  }));
}

const OWNER: OwnerData = {
  derId: 'pv-001',
  name: 'Jane Müller',
  address: 'Hauptstraße 1, 10115 Berlin',
  contractId: 'C-2026-0042',
  email: 'jane@example.org',
  salt: 'a1'.repeat(32),
};

/** A second connection to the store's file, as an attacker or an operator with sqlite3 would have. */
function raw(file: string): DatabaseSync {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA busy_timeout = 5000');
  return db;
}

describe('gateway/privacy/off-chain-database', () => {
  describe('batches', () => {
    it('should save a batch and return its root, leaf hashes in input order and sample ids', () => {
      const store = new OffChainStore(':memory:', KEY);
      const batch = samples(10);
      const saved = store.saveBatch('batch-1', batch);
      const leaves = batch.map(sampleLeaf);
      assert.deepEqual(saved.leafHashes, leaves);
      assert.equal(saved.root, merkleRoot(leaves));
      assert.equal(saved.sampleIds.length, 10);
      assert.deepEqual(
        saved.sampleIds,
        saved.sampleIds.map((_, i) => saved.sampleIds[0]! + i),
      );
      saved.sampleIds.forEach((id, i) => {
        assert.deepEqual(store.getSample(id), {
          id,
          batchId: 'batch-1',
          leafIndex: i,
          sample: batch[i],
          leafHash: leaves[i],
        });
      });
      assert.equal(store.getSample(saved.sampleIds[9]! + 1), undefined);
      assert.equal(store.getSample(-1), undefined);
      assert.equal(store.getSample(1.5), undefined);
      store.close();
      store.close(); // closing twice is harmless
    });

    it('should give, for every sample of a batch, a proof that verifies against the root', () => {
      const store = new OffChainStore(':memory:', KEY);
      for (const size of [1, 2, 3, 37, 64, 65]) {
        const batch = samples(size, `der-${size}`, size);
        const saved = store.saveBatch(`batch-${size}`, batch);
        saved.sampleIds.forEach((id, i) => {
          const result = store.proofOf(id)!;
          assert.deepEqual(result.sample, batch[i]);
          assert.equal(result.leafHash, sampleLeaf(batch[i]!));
          assert.equal(result.root, saved.root);
          assert.equal(result.batchId, `batch-${size}`);
          assert.equal(result.txId, null);
          assert.equal(result.proof.index, i);
          assert.equal(result.proof.size, size);
          // What a verifier does: hash the disclosed sample itself, check against the anchored root.
          assert.equal(verifyMerkleProof(sampleLeaf(result.sample), result.proof, saved.root), true);
          const other = batch[(i + 1) % size]!;
          if (size > 1) assert.equal(verifyMerkleProof(sampleLeaf(other), result.proof, saved.root), false);
        });
      }
      assert.equal(store.proofOf(999_999), undefined);
      store.close();
    });

    it('should list the samples of a DER interval by sequence, then offset', () => {
      const store = new OffChainStore(':memory:', KEY);
      const mine = samples(70, 'pv-001');
      const shuffled = [...mine].reverse();
      store.saveBatch('b1', shuffled.slice(0, 30));
      store.saveBatch('b2', [...shuffled.slice(30), ...samples(5, 'pv-002')]);
      store.saveBatch('b3', samples(3, 'pv-001', 1, '2026-11-25T10:30:00.000Z'));
      const listed = store.samplesOf('pv-001', INTERVAL);
      assert.deepEqual(
        listed.map((entry) => entry.sample),
        mine,
      );
      for (const { id, sample } of listed) assert.deepEqual(store.getSample(id)!.sample, sample);
      assert.equal(store.samplesOf('pv-002', INTERVAL).length, 5);
      assert.equal(store.samplesOf('pv-001', '2026-11-25T10:30:00.000Z').length, 3);
      assert.deepEqual(store.samplesOf('pv-003', INTERVAL), []);
      store.close();
    });

    it('should validate the batch id and every sample, naming the bad one', () => {
      const store = new OffChainStore(':memory:', KEY);
      const batch = samples(3);
      assert.throws(
        () => store.saveBatch('', batch),
        vppError(ErrorCode.INVALID_ARGUMENT, /batchId must be/),
      );
      assert.throws(() => store.saveBatch('a/b', batch), vppError(ErrorCode.INVALID_ARGUMENT, /batchId/));
      assert.throws(
        () => store.saveBatch('b', []),
        vppError(ErrorCode.INVALID_ARGUMENT, /1\.\.100000 samples/),
      );
      assert.throws(
        () => store.saveBatch('b', [batch[0]!, { ...batch[1]!, offsetSeconds: 900 }]),
        vppError(ErrorCode.INVALID_ARGUMENT, /sample 1: offsetSeconds must be an integer in 0\.\.899/),
      );
      assert.throws(
        () => store.saveBatch('b', [{ ...batch[0]!, extra: 1 } as Sample]),
        vppError(ErrorCode.INVALID_ARGUMENT, /sample 0: sample has unsupported field\(s\): extra/),
      );
      // Nothing was stored, so the id is still free.
      assert.equal(store.saveBatch('b', batch).sampleIds.length, 3);
      store.close();
    });

    it('should refuse a taken batch id and an already stored sample, storing nothing of the batch', () => {
      const store = new OffChainStore(':memory:', KEY);
      const first = store.saveBatch('batch-1', samples(4));
      assert.throws(
        () => store.saveBatch('batch-1', samples(2, 'pv-009')),
        vppError(ErrorCode.ALREADY_EXISTS, /batch batch-1 already exists/),
      );
      const overlapping = [...samples(2, 'pv-002'), samples(4)[3]!];
      assert.throws(
        () => store.saveBatch('batch-2', overlapping),
        vppError(
          ErrorCode.ALREADY_EXISTS,
          /sample 2: der pv-001 interval .* sequence 0 offset 45s is already stored/,
        ),
      );
      const dup = samples(2, 'pv-003');
      assert.throws(
        () => store.saveBatch('batch-3', [...dup, dup[0]!]),
        vppError(ErrorCode.ALREADY_EXISTS, /sample 2/),
      );
      // The failed batches left no trace: their ids and samples can be stored.
      assert.equal(store.samplesOf('pv-002', INTERVAL).length, 0);
      assert.equal(store.saveBatch('batch-2', samples(2, 'pv-002')).sampleIds[0], first.sampleIds[3]! + 1);
      store.close();
    });

    it('should record the anchoring transaction once', () => {
      const store = new OffChainStore(':memory:', KEY);
      const saved = store.saveBatch('batch-1', samples(3));
      assert.throws(
        () => store.markAnchored('nope', 'tx-1'),
        vppError(ErrorCode.NOT_FOUND, /batch nope does not exist/),
      );
      assert.throws(() => store.markAnchored('batch-1', ''), vppError(ErrorCode.INVALID_ARGUMENT, /txId/));
      store.markAnchored('batch-1', 'tx-1');
      store.markAnchored('batch-1', 'tx-1'); // a retry changes nothing
      assert.throws(
        () => store.markAnchored('batch-1', 'tx-2'),
        vppError(ErrorCode.INVALID_STATE, /already anchored by transaction tx-1/),
      );
      assert.equal(store.proofOf(saved.sampleIds[1]!)!.txId, 'tx-1');
      store.close();
    });

    it('should drop an unanchored batch with its samples, but never an anchored one', () => {
      const store = new OffChainStore(':memory:', KEY);
      const batch = samples(5);
      const failed = store.saveBatch('batch-1', batch);
      assert.equal(store.dropBatch('batch-1'), true);
      assert.equal(store.dropBatch('batch-1'), false);
      assert.equal(store.dropBatch('never-saved'), false);
      for (const id of failed.sampleIds) assert.equal(store.getSample(id), undefined);
      assert.deepEqual(store.samplesOf('pv-001', INTERVAL), []);
      // Stored again (e.g. for a retried transaction): same root, new ids (ids are never reused).
      const retried = store.saveBatch('batch-1', batch);
      assert.equal(retried.root, failed.root);
      assert.ok(retried.sampleIds[0]! > failed.sampleIds[4]!);
      store.markAnchored('batch-1', 'tx-1');
      assert.throws(
        () => store.dropBatch('batch-1'),
        vppError(ErrorCode.INVALID_STATE, /anchored by transaction tx-1 and cannot be dropped/),
      );
      assert.equal(store.samplesOf('pv-001', INTERVAL).length, 5);
      store.close();
    });

    it('should make a sample edited in the database fail verification against the anchored root', () => {
      const file = newFile();
      const store = new OffChainStore(file, KEY);
      const batch = samples(9);
      const saved = store.saveBatch('batch-1', batch);
      store.markAnchored('batch-1', 'tx-1');
      const anchoredRoot = saved.root; // what the ledger holds
      const target = saved.sampleIds[4]!;
      const db = raw(file);
      db.prepare('UPDATE samples SET energy_wh = energy_wh + 1 WHERE id = ?').run(target);

      const tampered = store.proofOf(target)!;
      assert.equal(tampered.sample.energyWh, batch[4]!.energyWh + 1);
      assert.equal(verifyMerkleProof(sampleLeaf(tampered.sample), tampered.proof, anchoredRoot), false);
      assert.equal(verifyMerkleProof(tampered.leafHash, tampered.proof, anchoredRoot), false);
      assert.equal(store.getSample(target)!.leafHash, sampleLeaf(tampered.sample));
      // The other samples still verify: their paths only use stored leaf hashes.
      for (const id of saved.sampleIds.filter((id) => id !== target)) {
        const result = store.proofOf(id)!;
        assert.equal(verifyMerkleProof(sampleLeaf(result.sample), result.proof, anchoredRoot), true);
      }

      // Rewriting the stored leaf hash as well does not help: the sample then fails against the
      // root, and so do the neighbours whose paths cover it.
      db.prepare('UPDATE samples SET leaf_hash = ? WHERE id = ?').run(sampleLeaf(tampered.sample), target);
      const again = store.proofOf(target)!;
      assert.equal(verifyMerkleProof(sampleLeaf(again.sample), again.proof, anchoredRoot), false);
      const neighbour = store.proofOf(saved.sampleIds[5]!)!;
      assert.equal(verifyMerkleProof(sampleLeaf(neighbour.sample), neighbour.proof, anchoredRoot), false);

      // A row edited into something that is not a sample is reported as an inconsistent store.
      db.prepare('UPDATE samples SET offset_seconds = 5000 WHERE id = ?').run(target);
      assert.throws(
        () => store.getSample(target),
        /off-chain store is inconsistent: sample \d+ does not decode/,
      );
      db.prepare('DELETE FROM samples WHERE id = ?').run(saved.sampleIds[0]!);
      assert.throws(() => store.proofOf(saved.sampleIds[1]!), /batch batch-1 should hold leaves 0\.\.8/);
      db.close();
      store.close();
    });

    it('should keep batches across reopening, in a WAL-mode 0600 file', () => {
      const file = newFile();
      const store = new OffChainStore(file, KEY);
      const saved = store.saveBatch('batch-1', samples(6));
      store.markAnchored('batch-1', 'tx-1');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const db = raw(file);
      assert.deepEqual({ ...db.prepare('PRAGMA journal_mode').get() }, { journal_mode: 'wal' });
      db.close();
      store.close();

      const reopened = new OffChainStore(file, KEY);
      const result = reopened.proofOf(saved.sampleIds[2]!)!;
      assert.equal(result.txId, 'tx-1');
      assert.equal(verifyMerkleProof(sampleLeaf(result.sample), result.proof, saved.root), true);
      reopened.close();
    });

    it('property: random batches prove every sample', () => {
      const random = prng(0xba7c);
      const store = new OffChainStore(':memory:', KEY);
      for (let round = 0; round < 20; round += 1) {
        const size = randomInt(random, 1, 120);
        const batch = samples(size, `der-${round}`, round + 100);
        const saved = store.saveBatch(`batch-${round}`, batch);
        const picks = Array.from({ length: 5 }, () => randomInt(random, 0, size - 1));
        for (const i of picks) {
          const result = store.proofOf(saved.sampleIds[i]!)!;
          assert.equal(verifyMerkleProof(sampleLeaf(batch[i]!), result.proof, saved.root), true);
        }
      }
      store.close();
    });
  });

  describe('owner data', () => {
    it('should round-trip owner data and return its hash', () => {
      const store = new OffChainStore(':memory:', KEY);
      assert.deepEqual(store.putOwnerData(OWNER), { sha256: ownerDataHash(OWNER) });
      assert.deepEqual(store.getOwnerData('pv-001'), OWNER);
      assert.equal(store.ownerDataHashOf('pv-001'), ownerDataHash(OWNER));
      const noEmail: OwnerData = {
        derId: 'pv-002',
        name: OWNER.name,
        address: OWNER.address,
        contractId: OWNER.contractId,
        salt: OWNER.salt,
      };
      store.putOwnerData(noEmail);
      const loaded = store.getOwnerData('pv-002')!;
      assert.deepEqual(loaded, noEmail);
      assert.equal('email' in loaded, false);
      assert.equal(store.getOwnerData('pv-003'), undefined);
      assert.equal(store.ownerDataHashOf('pv-003'), undefined);
      // Replacing the data replaces the hash.
      const moved = { ...OWNER, address: 'Nebenweg 2, 10115 Berlin' };
      assert.deepEqual(store.putOwnerData(moved), { sha256: ownerDataHash(moved) });
      assert.deepEqual(store.getOwnerData('pv-001'), moved);
      store.close();
    });

    it('should validate and trim the data before hashing it', () => {
      const store = new OffChainStore(':memory:', KEY);
      const { sha256 } = store.putOwnerData({ ...OWNER, name: '  Jane Müller  ' });
      assert.equal(sha256, ownerDataHash(OWNER));
      assert.deepEqual(store.getOwnerData('pv-001'), OWNER);
      assert.throws(
        () => store.putOwnerData({ ...OWNER, name: '' }),
        vppError(ErrorCode.INVALID_ARGUMENT, /name must be 1\.\.200/),
      );
      assert.throws(
        () => store.putOwnerData({ ...OWNER, iban: 'DE00' } as OwnerData),
        vppError(ErrorCode.INVALID_ARGUMENT, /unsupported field\(s\): iban/),
      );
      store.close();
    });

    it('should keep the personal fields unreadable in the raw table', () => {
      const file = newFile();
      const store = new OffChainStore(file, KEY);
      store.putOwnerData(OWNER);
      const db = raw(file);
      const row = { ...db.prepare('SELECT * FROM owner_data WHERE der_id = ?').get('pv-001') };
      const dump = JSON.stringify(row);
      for (const secret of ['Jane', 'Müller', 'Hauptstraße', 'Berlin', 'C-2026-0042', 'jane@example.org']) {
        assert.equal(dump.includes(secret), false, secret);
      }
      assert.match(String(row.name_sealed), new RegExp(`^v1:${KEY.id}:`));
      assert.match(String(row.email_sealed), /^v1:/);
      assert.equal(row.sha256, ownerDataHash(OWNER));
      // Not in the database file or its write-ahead log either.
      db.close();
      store.close();
      const onDisk = ['', '-wal'].map((suffix) => file + suffix).filter((f) => existsSync(f));
      assert.ok(onDisk.length >= 1);
      for (const f of onDisk) {
        assert.equal(readFileSync(f).includes(Buffer.from('Jane Müller', 'utf8')), false, f);
        assert.equal(readFileSync(f).includes(Buffer.from('Hauptstraße', 'utf8')), false, f);
      }
    });

    it('should refuse to open the data with a wrong key, and open it with a previous key', () => {
      const file = newFile();
      const store = new OffChainStore(file, KEY);
      store.putOwnerData(OWNER);
      store.close();

      const wrong = new OffChainStore(file, NEW_KEY);
      assert.throws(() => wrong.getOwnerData('pv-001'), /no field key with id/);
      assert.equal(wrong.ownerDataHashOf('pv-001'), ownerDataHash(OWNER));
      wrong.close();

      const forged = new OffChainStore(file, { id: KEY.id, key: NEW_KEY.key });
      assert.throws(() => forged.getOwnerData('pv-001'), /authentication failed/);
      forged.close();

      // After a key change the old key opens old rows; rewritten rows use the new key.
      const rotated = new OffChainStore(file, NEW_KEY, [KEY]);
      assert.deepEqual(rotated.getOwnerData('pv-001'), OWNER);
      rotated.putOwnerData(OWNER);
      rotated.close();
      const newOnly = new OffChainStore(file, NEW_KEY);
      assert.deepEqual(newOnly.getOwnerData('pv-001'), OWNER);
      newOnly.close();
    });

    it('should detect a changed hash and sealed fields moved between rows or columns', () => {
      const file = newFile();
      const store = new OffChainStore(file, KEY);
      store.putOwnerData(OWNER);
      store.putOwnerData({ ...OWNER, derId: 'pv-002', name: 'John Doe' });
      const db = raw(file);

      db.prepare('UPDATE owner_data SET sha256 = ? WHERE der_id = ?').run('00'.repeat(32), 'pv-001');
      assert.throws(
        () => store.getOwnerData('pv-001'),
        /owner data of der pv-001 does not match its recorded hash/,
      );
      db.prepare('UPDATE owner_data SET sha256 = ? WHERE der_id = ?').run(ownerDataHash(OWNER), 'pv-001');
      assert.deepEqual(store.getOwnerData('pv-001'), OWNER);

      // Another DER's sealed name, copied over: it does not open in this row.
      db.exec(
        "UPDATE owner_data SET name_sealed = (SELECT name_sealed FROM owner_data WHERE der_id = 'pv-002') WHERE der_id = 'pv-001'",
      );
      assert.throws(() => store.getOwnerData('pv-001'), /authentication failed/);
      store.putOwnerData(OWNER);
      // The address sealed into the name column: it does not open there either.
      db.exec("UPDATE owner_data SET name_sealed = address_sealed WHERE der_id = 'pv-001'");
      assert.throws(() => store.getOwnerData('pv-001'), /authentication failed/);
      db.close();
      store.close();
    });
  });
});
