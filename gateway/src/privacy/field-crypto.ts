/**
 * Encryption at rest of single personal fields (names, addresses, e-mail) with AES-256-GCM.
 *
 * A sealed field is one line of text: `v1:<keyId>:<iv>:<tag>:<ciphertext>`, the last three base64url
 * without padding. keyId (16 hex) names the key so that old fields stay readable after a new key is
 * introduced; the IV is 12 random bytes per field. The version and key id are authenticated with the
 * ciphertext (as additional data), together with an optional caller-chosen context (for instance the
 * row and column), so a sealed value cannot be moved to another place, key id or format unnoticed.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface FieldKey {
  /** First 16 hex characters of SHA-256 of the key. */
  readonly id: string;
  /** 32 bytes. */
  readonly key: Buffer;
}

const FORMAT = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[0-9a-f]{16}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const KEY_FILE_TEXT = /^([0-9a-f]{64})\n?$/;

/** The FieldKey of 32 key bytes (its id derived from them). */
export function fieldKeyOf(key: Buffer): FieldKey {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new Error(`a field key must be ${KEY_BYTES} bytes`);
  }
  return {
    id: createHash('sha256').update(key).digest('hex').slice(0, 16),
    key: Buffer.from(key),
  };
}

/**
 * Reads the key (64 hex characters) from `file`, or creates it with a random key, mode 0600, if the
 * file does not exist. A file that exists but does not hold a key is an error, never overwritten:
 * replacing the key would make every sealed field unreadable.
 */
export function loadOrCreateFieldKey(file: string): FieldKey {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, `${randomBytes(KEY_BYTES).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      // link() fails if the file appeared meanwhile, so a concurrent creator's key is never replaced
      // and the file is never seen half-written.
      linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  const match = KEY_FILE_TEXT.exec(readFileSync(file, 'utf8'));
  if (match === null) {
    throw new Error(`the field key file ${file} does not hold a 32-byte key in hex`);
  }
  return fieldKeyOf(Buffer.from(match[1] as string, 'hex'));
}

function additionalData(keyId: string, context: string): Buffer {
  return Buffer.from(`${FORMAT}:${keyId}:${context}`, 'utf8');
}

/**
 * Seals `plaintext` (UTF-8) under `key`. `context` (default empty) is authenticated, not stored: the
 * same context must be given to decryptField.
 */
export function encryptField(key: FieldKey, plaintext: string, context = ''): string {
  if (typeof plaintext !== 'string') throw new Error('only text fields can be encrypted');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(key.id, context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [FORMAT, key.id, iv, tag, ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join(':');
}

function decodePart(text: string, what: string, bytes?: number): Buffer {
  if (!BASE64URL.test(text)) throw new Error(`sealed field: the ${what} is not base64url`);
  const decoded = Buffer.from(text, 'base64url');
  if (decoded.toString('base64url') !== text || (bytes !== undefined && decoded.length !== bytes)) {
    throw new Error(`sealed field: the ${what} is malformed`);
  }
  return decoded;
}

/**
 * Opens a field sealed by encryptField with whichever of `keys` it names. Throws an Error when the
 * text is not a sealed field, no key has its id, or authentication fails (tampered text, wrong key or
 * wrong context); the error never contains the plaintext.
 */
export function decryptField(keys: FieldKey | readonly FieldKey[], sealed: string, context = ''): string {
  if (typeof sealed !== 'string') throw new Error('sealed field: not a string');
  const parts = sealed.split(':');
  if (parts.length !== 5 || parts[0] !== FORMAT) {
    throw new Error(`sealed field: expected ${FORMAT}:<keyId>:<iv>:<tag>:<ciphertext>`);
  }
  const [, keyId, ivText, tagText, ciphertextText] = parts as [string, string, string, string, string];
  if (!KEY_ID.test(keyId)) throw new Error('sealed field: the key id is malformed');
  const key = (Array.isArray(keys) ? (keys as readonly FieldKey[]) : [keys as FieldKey]).find(
    (candidate) => candidate.id === keyId,
  );
  if (key === undefined) {
    throw new Error(`sealed field: no field key with id ${keyId} is loaded`);
  }
  const iv = decodePart(ivText, 'IV', IV_BYTES);
  const tag = decodePart(tagText, 'tag', TAG_BYTES);
  const ciphertext = decodePart(ciphertextText, 'ciphertext');
  const decipher = createDecipheriv(ALGORITHM, key.key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(keyId, context));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(
      `sealed field: authentication failed with key ${keyId} (the field was altered, the key is not the one that sealed it, or the context differs)`,
    );
  }
}
