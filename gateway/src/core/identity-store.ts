/**
 * The gateway's own files (under runPaths.data('gateway.<org>')): the token secret, one folder per
 * enrolled caller (private key mode 0600 in a 0700 folder, or the id of its key in the org's HSM
 * token; certificate; scrypt hash of the login secret) and the revoked set. Keys never leave this
 * folder (or the token); only the gateway process reads it.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiRole } from './roles';

/**
 * The one rule for an enrollment id, at login, registration and revocation alike. Ids are folder
 * names here and CNs (and `hf.EnrollmentID`) at the CA, so: 1..64 characters of A-Z, a-z, 0-9, '.',
 * '_', '@' or '-', starting with a letter or digit, never ending with a dot nor holding two dots in a
 * row (no '..' path segment, no name a file system or fabric-ca would read differently), and no path
 * separator at all. An id the CA would register but this store could never keep is refused before
 * any CA call.
 */
export const ENROLLMENT_ID_PATTERN = '^[A-Za-z0-9](?:[A-Za-z0-9_@-]|\\.(?=[A-Za-z0-9_@-])){0,63}$';
const ENROLLMENT_ID = new RegExp(ENROLLMENT_ID_PATTERN, 'u');

/** A caller's private key: a PEM file key, or the CKA_ID (hex) of a key kept in the HSM token. */
export type KeyRef = { keyPem: string } | { tokenKeyId: string };

export type StoredIdentity = {
  enrollmentId: string;
  role: ApiRole;
  serial: string;
  certPem: string;
} & KeyRef;

interface IdentityRecord {
  enrollmentId: string;
  role: ApiRole;
  serial: string;
  /** `scrypt$<salt hex>$<hash hex>` of the login secret. */
  secretHash: string;
  enrolledAt: string;
}

interface RevokedFile {
  enrollmentIds: string[];
  serials: string[];
}

function writePrivate(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

function hashSecret(secret: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('hex')}$${scryptSync(secret, salt, 32).toString('hex')}`;
}

function secretMatches(secret: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'hex');
  const actual = scryptSync(secret, Buffer.from(salt, 'hex'), expected.length);
  return timingSafeEqual(actual, expected);
}

export class IdentityStore {
  private readonly revokedIds = new Set<string>();
  private readonly revokedSerials = new Set<string>();

  constructor(readonly dir: string) {
    mkdirSync(path.join(dir, 'identities'), { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const revoked = this.readRevoked();
    revoked.enrollmentIds.forEach((id) => this.revokedIds.add(id));
    revoked.serials.forEach((serial) => this.revokedSerials.add(serial));
  }

  static isValidId(enrollmentId: string): boolean {
    return ENROLLMENT_ID.test(enrollmentId);
  }

  /** The HMAC key for tokens: 32 random bytes, created once, mode 0600. */
  tokenSecret(): Buffer {
    const file = path.join(this.dir, 'token-secret');
    if (existsSync(file)) {
      const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
      if (secret.length >= 32) return secret;
    }
    const secret = randomBytes(32);
    writePrivate(file, `${secret.toString('hex')}\n`);
    return secret;
  }

  /** The identity's folder; undefined for an id that cannot name one (no such identity, then). */
  private folder(enrollmentId: string): string | undefined {
    return IdentityStore.isValidId(enrollmentId)
      ? path.join(this.dir, 'identities', enrollmentId)
      : undefined;
  }

  get(enrollmentId: string): StoredIdentity | undefined {
    const folder = this.folder(enrollmentId);
    if (folder === undefined) return undefined;
    const recordFile = path.join(folder, 'record.json');
    if (!existsSync(recordFile)) return undefined;
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as IdentityRecord;
    const keyFile = path.join(folder, 'key.pem');
    return {
      enrollmentId: record.enrollmentId,
      role: record.role,
      serial: record.serial,
      certPem: readFileSync(path.join(folder, 'cert.pem'), 'utf8'),
      ...(existsSync(keyFile)
        ? { keyPem: readFileSync(keyFile, 'utf8') }
        : { tokenKeyId: readFileSync(path.join(folder, 'token-key-id'), 'utf8').trim() }),
    };
  }

  /** Whether `secret` is the one the identity logged in with when it was enrolled here. */
  checkSecret(enrollmentId: string, secret: string): boolean {
    const folder = this.folder(enrollmentId);
    if (folder === undefined) return false;
    const recordFile = path.join(folder, 'record.json');
    if (!existsSync(recordFile)) return false;
    return secretMatches(secret, (JSON.parse(readFileSync(recordFile, 'utf8')) as IdentityRecord).secretHash);
  }

  put(identity: StoredIdentity, secret: string): void {
    const folder = this.folder(identity.enrollmentId);
    // Only ids that passed the rule reach here (login and registration check it first).
    if (folder === undefined) throw new Error(`invalid enrollment id ${identity.enrollmentId}`);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    if ('keyPem' in identity) writePrivate(path.join(folder, 'key.pem'), identity.keyPem);
    else writePrivate(path.join(folder, 'token-key-id'), `${identity.tokenKeyId}\n`);
    writeFileSync(path.join(folder, 'cert.pem'), identity.certPem);
    const record: IdentityRecord = {
      enrollmentId: identity.enrollmentId,
      role: identity.role,
      serial: identity.serial,
      secretHash: hashSecret(secret),
      enrolledAt: new Date().toISOString(),
    };
    // Written last: its presence means the identity is complete.
    writePrivate(path.join(folder, 'record.json'), `${JSON.stringify(record, null, 2)}\n`);
  }

  /** Drops the identity's key and certificate (after revocation they are of no use). */
  remove(enrollmentId: string): void {
    const folder = this.folder(enrollmentId);
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  }

  isRevoked(enrollmentId: string, serial?: string): boolean {
    return this.revokedIds.has(enrollmentId) || (serial !== undefined && this.revokedSerials.has(serial));
  }

  /** Marks an identity (and any certificate serials) revoked, in memory and on disk. */
  revoke(enrollmentId: string | undefined, serials: readonly string[]): void {
    if (enrollmentId !== undefined) this.revokedIds.add(enrollmentId);
    serials.forEach((serial) => this.revokedSerials.add(serial));
    this.writeRevoked();
  }

  private readRevoked(): RevokedFile {
    const file = path.join(this.dir, 'revoked.json');
    if (!existsSync(file)) return { enrollmentIds: [], serials: [] };
    return JSON.parse(readFileSync(file, 'utf8')) as RevokedFile;
  }

  private writeRevoked(): void {
    const data: RevokedFile = {
      enrollmentIds: [...this.revokedIds].sort(),
      serials: [...this.revokedSerials].sort(),
    };
    writePrivate(path.join(this.dir, 'revoked.json'), `${JSON.stringify(data, null, 2)}\n`);
  }
}
