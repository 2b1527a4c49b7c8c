import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  decryptField,
  encryptField,
  fieldKeyOf,
  loadOrCreateFieldKey,
} from '../../../../gateway/src/privacy/field-crypto';

const dir = mkdtempSync(path.join(os.tmpdir(), 'field-crypto-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const KEY = fieldKeyOf(Buffer.alloc(32, 7));
const OTHER = fieldKeyOf(Buffer.alloc(32, 8));

/** Replaces part `index` (0-based, of the five) of a sealed field. */
function withPart(sealed: string, index: number, value: string): string {
  const parts = sealed.split(':');
  parts[index] = value;
  return parts.join(':');
}

/** Flips one bit of a base64url part. */
function flipBit(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  return bytes.toString('base64url');
}

describe('gateway/privacy/field-crypto', () => {
  describe('#fieldKeyOf', () => {
    it('should name a key by the first 16 hex characters of its SHA-256', () => {
      const key = Buffer.alloc(32, 7);
      assert.equal(KEY.id, createHash('sha256').update(key).digest('hex').slice(0, 16));
      assert.deepEqual(KEY.key, key);
      assert.notEqual(KEY.id, OTHER.id);
      assert.throws(() => fieldKeyOf(Buffer.alloc(16)), /a field key must be 32 bytes/);
    });
  });

  describe('#loadOrCreateFieldKey', () => {
    it('should create a random 0600 key once and load the same key afterwards', () => {
      const file = path.join(dir, 'nested', 'field.key');
      const created = loadOrCreateFieldKey(file);
      assert.equal(created.key.length, 32);
      assert.match(created.id, /^[0-9a-f]{16}$/);
      assert.equal(created.id, createHash('sha256').update(created.key).digest('hex').slice(0, 16));
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(readFileSync(file, 'utf8'), `${created.key.toString('hex')}\n`);
      const loaded = loadOrCreateFieldKey(file);
      assert.deepEqual(loaded, created);
      // No temporary files are left behind.
      assert.deepEqual(readdirSync(path.dirname(file)), ['field.key']);
      const another = loadOrCreateFieldKey(path.join(dir, 'another.key'));
      assert.notDeepEqual(another.key, created.key);
    });

    it('should load a key file written by hand, without a trailing newline', () => {
      const file = path.join(dir, 'hand.key');
      const key = randomBytes(32);
      writeFileSync(file, key.toString('hex'), { mode: 0o600 });
      assert.deepEqual(loadOrCreateFieldKey(file), fieldKeyOf(key));
    });

    it('should refuse, and never overwrite, a file that does not hold a key', () => {
      const file = path.join(dir, 'broken.key');
      for (const content of [
        '',
        'not hex\n',
        'ab'.repeat(16),
        `${'ab'.repeat(32)}\nextra`,
        'AB'.repeat(32),
      ]) {
        writeFileSync(file, content);
        assert.throws(() => loadOrCreateFieldKey(file), /does not hold a 32-byte key in hex/);
        assert.equal(readFileSync(file, 'utf8'), content);
      }
      assert.equal(existsSync(path.join(dir, 'missing', 'never-created')), false);
    });
  });

  describe('#encryptField / #decryptField', () => {
    it('should round-trip text, including empty and non-ASCII text', () => {
      for (const text of ['Jane Müller', '', 'Hauptstraße 1, 10115 Berlin', '😀'.repeat(100), 'a:b:c']) {
        const sealed = encryptField(KEY, text);
        assert.equal(decryptField(KEY, sealed), text);
        assert.equal(decryptField([OTHER, KEY], sealed), text);
      }
    });

    it('should produce v1:<keyId>:<iv>:<tag>:<ciphertext> with a fresh 12-byte IV each time', () => {
      const sealed = encryptField(KEY, 'Jane Müller');
      const [version, keyId, iv, tag, ciphertext] = sealed.split(':');
      assert.equal(version, 'v1');
      assert.equal(keyId, KEY.id);
      assert.equal(Buffer.from(iv!, 'base64url').length, 12);
      assert.equal(Buffer.from(tag!, 'base64url').length, 16);
      assert.equal(Buffer.from(ciphertext!, 'base64url').length, Buffer.byteLength('Jane Müller'));
      assert.match(sealed, /^v1:[0-9a-f]{16}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
      assert.equal(sealed.includes('Jane'), false);
      const again = encryptField(KEY, 'Jane Müller');
      assert.notEqual(again, sealed);
      assert.notEqual(again.split(':')[2], iv);
    });

    it('should refuse a tampered IV, tag, ciphertext, key id or version with a clear message', () => {
      const sealed = encryptField(KEY, 'Jane Müller');
      const parts = sealed.split(':');
      for (const index of [2, 3, 4]) {
        assert.throws(
          () => decryptField(KEY, withPart(sealed, index, flipBit(parts[index]!))),
          /sealed field: authentication failed/,
          `part ${index}`,
        );
      }
      assert.throws(() => decryptField(KEY, withPart(sealed, 0, 'v2')), /sealed field: expected v1:/);
      assert.throws(() => decryptField(KEY, withPart(sealed, 1, OTHER.id)), /no field key with id/);
      // A key that claims the sealing key's id but holds other bytes cannot open it.
      assert.throws(
        () => decryptField({ id: KEY.id, key: OTHER.key }, sealed),
        /sealed field: authentication failed with key/,
      );
      // Truncated ciphertext, or tag of the wrong length.
      assert.throws(
        () => decryptField(KEY, withPart(sealed, 4, parts[4]!.slice(0, 4))),
        /authentication failed/,
      );
      assert.throws(
        () => decryptField(KEY, withPart(sealed, 3, parts[3]!.slice(0, 8))),
        /the tag is malformed/,
      );
      assert.throws(() => decryptField(KEY, withPart(sealed, 2, parts[2]! + 'AA')), /the IV is malformed/);
      assert.throws(() => decryptField(KEY, withPart(sealed, 4, '+/+/')), /the ciphertext is not base64url/);
      assert.throws(() => decryptField(KEY, withPart(sealed, 1, 'XYZ')), /the key id is malformed/);
      assert.throws(() => decryptField(KEY, `${sealed}:extra`), /sealed field: expected/);
      assert.throws(() => decryptField(KEY, 'Jane Müller'), /sealed field: expected/);
      assert.throws(() => decryptField(KEY, 42 as unknown as string), /sealed field: not a string/);
    });

    it('should refuse a wrong key and never put the plaintext into an error', () => {
      const sealed = encryptField(KEY, 'Jane Müller');
      assert.throws(
        () => decryptField(OTHER, sealed),
        (err: Error) => {
          assert.match(err.message, new RegExp(`no field key with id ${KEY.id}`));
          assert.equal(err.message.includes('Jane'), false);
          return true;
        },
      );
      assert.throws(() => decryptField([], sealed), /no field key with id/);
    });

    it('should bind the context: a field opens only in the context it was sealed for', () => {
      const sealed = encryptField(KEY, 'Jane Müller', 'owner-data:pv-001:name');
      assert.equal(decryptField(KEY, sealed, 'owner-data:pv-001:name'), 'Jane Müller');
      for (const context of ['', 'owner-data:pv-002:name', 'owner-data:pv-001:address']) {
        assert.throws(() => decryptField(KEY, sealed, context), /authentication failed/, context);
      }
      assert.throws(() => decryptField(KEY, encryptField(KEY, 'x'), 'ctx'), /authentication failed/);
    });
  });
});
