import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { IdentityStore } from '../../../../gateway/src/core/identity-store';

const DIR = mkdtempSync(path.join(os.tmpdir(), 'vpp-identities-'));
const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const base = { role: 'operator', serial: 'AB01', certPem: CERT } as const;

describe('IdentityStore', () => {
  after(() => rmSync(DIR, { recursive: true, force: true }));

  it('should keep a file key 0600 and give it back with the certificate', () => {
    const store = new IdentityStore(DIR);
    const keyPem = '-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n';
    store.put({ ...base, enrollmentId: 'file-user', keyPem }, 's3cret');
    assert.deepEqual(store.get('file-user'), { ...base, enrollmentId: 'file-user', keyPem });
    const keyFile = path.join(DIR, 'identities', 'file-user', 'key.pem');
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.equal(store.checkSecret('file-user', 's3cret'), true);
  });

  it('should keep only the token key id of a key held in the HSM, never a key file', () => {
    const store = new IdentityStore(DIR);
    const tokenKeyId = 'ab'.repeat(32);
    store.put({ ...base, enrollmentId: 'hsm-user', tokenKeyId }, 's3cret');
    assert.deepEqual(store.get('hsm-user'), { ...base, enrollmentId: 'hsm-user', tokenKeyId });
    assert.equal(existsSync(path.join(DIR, 'identities', 'hsm-user', 'key.pem')), false);
  });
});
