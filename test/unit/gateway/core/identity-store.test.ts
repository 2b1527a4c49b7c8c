import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IdentityStore } from '../../../../gateway/src/core/identity-store';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const base = { role: 'operator', serial: 'AB01', certPem: CERT } as const;

const VALID = ['a', 'alice', 'A1', 'op.north', 'user@cvpp.example', 'device.der-1', 'a_b-c', 'x'.repeat(64)];
const INVALID = [
  '',
  'a..b',
  '..',
  '.hidden',
  'trailing.',
  'a/b',
  'a\\b',
  '-lead',
  '@lead',
  'sp ace',
  'x'.repeat(65),
  'é',
  'a\u0000b',
];

describe('gateway/core/identity-store', () => {
  let dir: string;
  let store: IdentityStore;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gw-ids-'));
    store = new IdentityStore(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('.isValidId', () => {
    for (const id of VALID) {
      it(`should accept ${JSON.stringify(id.slice(0, 20))}`, () =>
        assert.equal(IdentityStore.isValidId(id), true));
    }
    for (const id of INVALID) {
      it(`should refuse ${JSON.stringify(id.slice(0, 20))}`, () =>
        assert.equal(IdentityStore.isValidId(id), false));
    }
  });

  describe('reads and removal of an invalid id', () => {
    it('should find nothing, match no secret and remove nothing, without throwing', () => {
      for (const id of INVALID) {
        assert.equal(store.get(id), undefined, id);
        assert.equal(store.checkSecret(id, 'secret'), false, id);
        assert.doesNotThrow(() => store.remove(id), id);
      }
      // `..` resolved against the identities folder would have named the data folder itself.
      assert.equal(existsSync(path.join(dir, 'identities')), true);
    });
  });

  describe('#put', () => {
    it('should keep an identity under a valid id and refuse to write under an invalid one', () => {
      const identity = {
        enrollmentId: 'op.north',
        role: 'operator' as const,
        serial: 'AB',
        certPem: 'C',
        keyPem: 'K',
      };
      store.put(identity, 's3cret');
      assert.deepEqual(store.get('op.north'), identity);
      assert.equal(store.checkSecret('op.north', 's3cret'), true);
      store.remove('op.north');
      assert.equal(store.get('op.north'), undefined);
      assert.throws(
        () => store.put({ ...identity, enrollmentId: 'a..b' }, 's3cret'),
        /invalid enrollment id/,
      );
    });
  });

  describe('key storage', () => {
    it('should keep a file key 0600 and give it back with the certificate', () => {
      const store = new IdentityStore(dir);
      const keyPem = '-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n';
      store.put({ ...base, enrollmentId: 'file-user', keyPem }, 's3cret');
      assert.deepEqual(store.get('file-user'), { ...base, enrollmentId: 'file-user', keyPem });
      const keyFile = path.join(dir, 'identities', 'file-user', 'key.pem');
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      assert.equal(store.checkSecret('file-user', 's3cret'), true);
    });

    it('should keep only the token key id of a key held in the HSM, never a key file', () => {
      const store = new IdentityStore(dir);
      const tokenKeyId = 'ab'.repeat(32);
      store.put({ ...base, enrollmentId: 'hsm-user', tokenKeyId }, 's3cret');
      assert.deepEqual(store.get('hsm-user'), { ...base, enrollmentId: 'hsm-user', tokenKeyId });
      assert.equal(existsSync(path.join(dir, 'identities', 'hsm-user', 'key.pem')), false);
    });
  });
});
