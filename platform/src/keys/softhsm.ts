/**
 * A SoftHSM2 token reached through PKCS#11 (pkcs11js): its own softhsm2.conf and token folder,
 * P-256 key pairs generated inside the token (private key sensitive and not extractable), CSRs whose
 * signature the token makes, and fabric-gateway's HSM signer over the same keys. A private key kept
 * here never exists as a file or in this process's memory.
 *
 * SoftHSM2 reads SOFTHSM2_CONF once, when a process first initialises the library: every token one
 * process uses shares that one configuration file (so one token folder).
 */
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { signers, type HSMSignerFactory, type Signer } from '@hyperledger/fabric-gateway';
import { KJUR } from 'jsrsasign';
import * as pkcs11js from 'pkcs11js';
import {
  keyIdentifierOf,
  oneAtATime,
  publicJwkOf,
  softhsmConfFile,
  softhsmConfText,
  uncompressedPointOf,
} from './key-store';

/** Where Debian/Ubuntu (either architecture) and a source build put the SoftHSM2 module. */
const LIBRARY_CANDIDATES = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
];
/** DER of the P-256 curve's OID (1.2.840.10045.3.1.7), the CKA_EC_PARAMS of every key made here. */
const P256_PARAMS = Buffer.from('06082a8648ce3d030107', 'hex');
const UTIL_TIMEOUT_MS = 30_000;

export class SoftHsmUnavailableError extends Error {
  constructor(what: string) {
    super(`${what}: install the Debian package softhsm2 (network/bin/ensure-deps.sh does it)`);
    this.name = 'SoftHsmUnavailableError';
  }
}

/** The SoftHSM2 PKCS#11 module; SoftHsmUnavailableError when softhsm2 is not installed. */
export function softhsmLibrary(): string {
  const found = LIBRARY_CANDIDATES.find((file) => existsSync(file));
  if (!found) throw new SoftHsmUnavailableError('libsofthsm2.so not found');
  return found;
}

/** One token and what opens it. */
export interface SoftToken {
  library: string;
  /** This token folder's softhsm2.conf (the process's SOFTHSM2_CONF). */
  confFile: string;
  label: string;
  /** The user PIN, kept 0600 next to the token: a development HSM's habit, not a deployment's. */
  pin: string;
}

const pinFile = (dir: string, label: string, who: 'user' | 'so') => path.join(dir, `${label}.${who}-pin`);

/** The folder's softhsm2.conf (written once) and token folder; returns the conf file. */
export function prepareTokenDir(dir: string): string {
  const tokenDir = path.join(dir, 'tokens');
  mkdirSync(tokenDir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const confFile = softhsmConfFile(dir);
  if (!existsSync(confFile)) writeFileSync(confFile, softhsmConfText(tokenDir), { mode: 0o600 });
  return confFile;
}

/**
 * The token `label` under `dir`, initialised (with fresh random PINs, stored 0600) when it does not
 * exist yet. Uses softhsm2-util, so it runs before (or apart from) this process's own PKCS#11 use.
 */
export function ensureSoftToken(dir: string, label: string): SoftToken {
  const library = softhsmLibrary();
  const confFile = prepareTokenDir(dir);
  const userPin = pinFile(dir, label, 'user');
  if (!existsSync(userPin)) {
    const pin = randomBytes(12).toString('hex');
    const soPin = randomBytes(12).toString('hex');
    try {
      execFileSync(
        'softhsm2-util',
        ['--init-token', '--free', '--label', label, '--so-pin', soPin, '--pin', pin],
        {
          env: { ...process.env, SOFTHSM2_CONF: confFile },
          timeout: UTIL_TIMEOUT_MS,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
    } catch (err) {
      const failure = err as NodeJS.ErrnoException & { stderr?: Buffer };
      if (failure.code === 'ENOENT') throw new SoftHsmUnavailableError('softhsm2-util not found');
      throw new Error(
        `softhsm2-util could not create token ${label}: ${String(failure.stderr ?? failure.message)}`,
      );
    }
    writeFileSync(pinFile(dir, label, 'so'), `${soPin}\n`, { mode: 0o600 });
    writeFileSync(userPin, `${pin}\n`, { mode: 0o600 });
  }
  return { library, confFile, label, pin: readFileSync(userPin, 'utf8').trim() };
}

/** SoftHSM2 takes its configuration from the environment at initialisation: one per process. */
function claimConf(token: SoftToken): void {
  const current = process.env.SOFTHSM2_CONF;
  if (current === undefined) process.env.SOFTHSM2_CONF = token.confFile;
  else if (path.resolve(current) !== path.resolve(token.confFile))
    throw new Error(`this process already uses the SoftHSM2 configuration ${current}, not ${token.confFile}`);
}

/** Runs `work` in a logged-in read-write session on the token, then closes what it opened. */
function inSession<T>(token: SoftToken, work: (p11: pkcs11js.PKCS11, session: Buffer) => T): T {
  claimConf(token);
  const p11 = new pkcs11js.PKCS11();
  p11.load(token.library);
  let initialised = false;
  try {
    p11.C_Initialize();
    initialised = true;
  } catch (err) {
    // The HSM signer factory of this process initialised the module already: share it.
    if ((err as pkcs11js.Pkcs11Error).code !== pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) throw err;
  }
  try {
    const slot = p11
      .C_GetSlotList(true)
      .find((candidate) => p11.C_GetTokenInfo(candidate).label.trim() === token.label);
    if (!slot) throw new Error(`token ${token.label} is not in ${token.confFile}'s token folder`);
    const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    try {
      try {
        p11.C_Login(session, pkcs11js.CKU_USER, token.pin);
      } catch (err) {
        if ((err as pkcs11js.Pkcs11Error).code !== pkcs11js.CKR_USER_ALREADY_LOGGED_IN) throw err;
      }
      return work(p11, session);
    } finally {
      p11.C_CloseSession(session);
    }
  } finally {
    if (initialised) p11.C_Finalize();
  }
}

/** A key pair in a token: CKA_ID (the SHA-256 of the public point) and the public key. */
export interface TokenKey {
  identifier: Buffer;
  publicKeyPem: string;
}

/**
 * Generates a P-256 key pair inside the token. The private key is a token object that signs and
 * nothing else: sensitive, never extractable, so PKCS#11 hands out signatures but not the key.
 */
export function generateTokenKey(token: SoftToken, keyLabel: string): TokenKey {
  return inSession(token, (p11, session) => {
    const keys = p11.C_GenerateKeyPair(
      session,
      { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
      [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
        { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_EC },
        { type: pkcs11js.CKA_TOKEN, value: true },
        { type: pkcs11js.CKA_VERIFY, value: true },
        { type: pkcs11js.CKA_EC_PARAMS, value: P256_PARAMS },
        { type: pkcs11js.CKA_LABEL, value: keyLabel },
      ],
      [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
        { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_EC },
        { type: pkcs11js.CKA_TOKEN, value: true },
        { type: pkcs11js.CKA_PRIVATE, value: true },
        { type: pkcs11js.CKA_SIGN, value: true },
        { type: pkcs11js.CKA_SENSITIVE, value: true },
        { type: pkcs11js.CKA_EXTRACTABLE, value: false },
        { type: pkcs11js.CKA_LABEL, value: keyLabel },
      ],
    );
    const [ecPoint] = p11.C_GetAttributeValue(session, keys.publicKey, [{ type: pkcs11js.CKA_EC_POINT }]);
    const point = uncompressedPointOf(ecPoint?.value as Buffer);
    const identifier = keyIdentifierOf(point);
    for (const handle of [keys.publicKey, keys.privateKey])
      p11.C_SetAttributeValue(session, handle, [{ type: pkcs11js.CKA_ID, value: identifier }]);
    const publicKeyPem = createPublicKey({ key: publicJwkOf(point), format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    return { identifier, publicKeyPem };
  });
}

/** What the token says about a private key's protection, and whether its value can be read. */
export interface KeyProtection {
  extractable: boolean;
  sensitive: boolean;
  /** Whether C_GetAttributeValue(CKA_VALUE) gave the key's value out (it must not). */
  valueReadable: boolean;
}

export function privateKeyProtection(token: SoftToken, identifier: Buffer): KeyProtection {
  return inSession(token, (p11, session) => {
    p11.C_FindObjectsInit(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_ID, value: identifier },
    ]);
    const [handle] = p11.C_FindObjects(session, 1);
    p11.C_FindObjectsFinal(session);
    if (!handle) throw new Error(`no private key with id ${identifier.toString('hex')} in ${token.label}`);
    const [extractable, sensitive] = p11.C_GetAttributeValue(session, handle, [
      { type: pkcs11js.CKA_EXTRACTABLE },
      { type: pkcs11js.CKA_SENSITIVE },
    ]);
    let valueReadable: boolean;
    try {
      const [value] = p11.C_GetAttributeValue(session, handle, [{ type: pkcs11js.CKA_VALUE }]);
      valueReadable = value?.value !== undefined && (value.value as Buffer).length > 0;
    } catch (err) {
      if ((err as pkcs11js.Pkcs11Error).code !== pkcs11js.CKR_ATTRIBUTE_SENSITIVE) throw err;
      valueReadable = false;
    }
    const flag = (attribute: pkcs11js.Attribute | undefined) => (attribute?.value as Buffer)[0] === 1;
    return { extractable: flag(extractable), sensitive: flag(sensitive), valueReadable };
  });
}

/** A PKCS#10 request for CN=<enrollmentId> whose signature `sign` (the token) makes. */
export async function csrSignedBy(sign: Signer, enrollmentId: string, publicKeyPem: string): Promise<string> {
  const subject = { str: `/CN=${enrollmentId}` };
  const info = new KJUR.asn1.csr.CertificationRequestInfo({
    subject,
    sbjpubkey: publicKeyPem,
  }).getEncodedHex();
  const digest = createHash('sha256').update(Buffer.from(info, 'hex')).digest();
  const signature = Buffer.from(await sign(digest)).toString('hex');
  return new KJUR.asn1.csr.CertificationRequest({
    subject,
    sbjpubkey: publicKeyPem,
    sigalg: 'SHA256withECDSA',
    sighex: signature,
  }).getPEM();
}

/**
 * fabric-gateway's HSM signer factory over the token's module. One per process (it initialises the
 * module); dispose() it last.
 */
export function newTokenSignerFactory(token: SoftToken): HSMSignerFactory {
  claimConf(token);
  return signers.newHSMSignerFactory(token.library);
}

/** A signer (and its session's close) for the token key `identifier`. */
export function tokenSigner(
  factory: HSMSignerFactory,
  token: SoftToken,
  identifier: Buffer,
): { signer: Signer; close: () => void } {
  const { signer, close } = factory.newSigner({ label: token.label, pin: token.pin, identifier });
  return { signer: oneAtATime(signer), close };
}

/**
 * An identity whose key is born in the token: generates the key pair there, has the token sign the
 * CSR, and hands it to `enroll` (the org CA) for the certificate.
 */
export async function enrollInToken(
  factory: HSMSignerFactory,
  token: SoftToken,
  enrollmentId: string,
  enroll: (csrPem: string) => Promise<string>,
): Promise<TokenKey & { certPem: string; signer: Signer; close: () => void }> {
  const key = generateTokenKey(token, enrollmentId);
  const { signer, close } = tokenSigner(factory, token, key.identifier);
  try {
    const certPem = await enroll(await csrSignedBy(signer, enrollmentId, key.publicKeyPem));
    return { ...key, certPem, signer, close };
  } catch (err) {
    close();
    throw err;
  }
}
