/**
 * Where the gateway makes and keeps the private keys it signs with (one per API caller, made at the
 * caller's first login, and its ingest identity's): PEM files in its own folder, or, when the
 * topology selects `keys: { store: softhsm }`, key pairs generated inside the org's SoftHSM2 token,
 * whose CSRs the token signs and whose signatures fabric-gateway's HSM signer asks the token for.
 */
import { createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { signers, type HSMSignerFactory, type Signer } from '@hyperledger/fabric-gateway';
import fp from 'fastify-plugin';
import type { GatewayConfig } from '../../config';
import type { KeyRef } from '../../core/identity-store';
import { newKeyAndCsr } from '../../core/x509';
import { bootstrapSecretFile, caNames, derivedSecret } from '../../../../platform/src/ca-layout';

/** The gateway's keys, whichever store holds them. */
export interface SigningKeys {
  /** A fresh key pair for `enrollmentId` and a CSR for CN=<enrollmentId> signed with it. */
  newKey(enrollmentId: string): Promise<{ csrPem: string; key: KeyRef }>;
  /** A signer for a key made here (one per key, kept until close). */
  signerOf(key: KeyRef): Signer;
  close(): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    signingKeys: SigningKeys;
  }
}

const fileKeys: SigningKeys = {
  newKey: (enrollmentId) => {
    const { keyPem, csrPem } = newKeyAndCsr(enrollmentId);
    return Promise.resolve({ csrPem, key: { keyPem } });
  },
  signerOf(key) {
    if (!('keyPem' in key)) throw new Error('this gateway keeps keys in files, not in an HSM token');
    return signers.newPrivateKeySigner(createPrivateKey(key.keyPem));
  },
  close: () => undefined,
};

/** Keys in the org's SoftHSM2 token: pkcs11js is loaded only when the topology selects it. */
async function tokenKeys(config: GatewayConfig, tokenLabel: string): Promise<SigningKeys> {
  const softhsm = await import('../../../../platform/src/keys/softhsm.js');
  const token = softhsm.ensureSoftToken(config.keys.dir, tokenLabel);
  const factory: HSMSignerFactory = softhsm.newTokenSignerFactory(token);
  const open = new Map<string, { signer: Signer; close: () => void }>();
  const signerOf = (key: KeyRef): Signer => {
    if (!('tokenKeyId' in key)) throw new Error('this gateway keeps keys in its HSM token, not in files');
    let entry = open.get(key.tokenKeyId);
    if (!entry) {
      entry = softhsm.tokenSigner(factory, token, Buffer.from(key.tokenKeyId, 'hex'));
      open.set(key.tokenKeyId, entry);
    }
    return entry.signer;
  };
  return {
    async newKey(enrollmentId) {
      const made = softhsm.generateTokenKey(token, enrollmentId);
      const key = { tokenKeyId: made.identifier.toString('hex') };
      return { csrPem: await softhsm.csrSignedBy(signerOf(key), enrollmentId, made.publicKeyPem), key };
    },
    signerOf,
    close() {
      for (const entry of open.values()) entry.close();
      open.clear();
      factory.dispose();
    },
  };
}

export async function newSigningKeys(config: GatewayConfig): Promise<SigningKeys> {
  const { store } = config.keys;
  return store.kind === 'softhsm' ? tokenKeys(config, store.tokenLabel) : fileKeys;
}

/** The ingest identity's certificate and key as the gateway signs with them. */
export type ServiceIdentity = { certPem: string } & KeyRef;

/**
 * The ingest identity, read when first used. With file keys: the MSP folder the bring-up enrolled.
 * With the HSM token: a key pair made in the token at the gateway's first start and enrolled (CSR
 * signed by the token) under the same enrollment id, its certificate and key id kept in the
 * gateway's folder.
 */
export async function serviceIdentityOf(
  config: GatewayConfig,
  keys: SigningKeys,
  enrollCsr: (enrollmentId: string, secret: string, csrPem: string) => Promise<string>,
): Promise<() => ServiceIdentity> {
  if (config.keys.store.kind === 'file') {
    return () => ({
      certPem: readFileSync(path.join(config.ingest.msp, 'signcerts', 'cert.pem'), 'utf8'),
      keyPem: readFileSync(path.join(config.ingest.msp, 'keystore', 'key.pem'), 'utf8'),
    });
  }
  const dir = path.join(config.dataDir, 'ingest');
  const certFile = path.join(dir, 'cert.pem');
  const keyIdFile = path.join(dir, 'token-key-id');
  if (!existsSync(certFile) || !existsSync(keyIdFile)) {
    const { enrollmentId } = config.ingest;
    const bootstrap = readFileSync(bootstrapSecretFile(config.org.name), 'utf8').trim();
    const secret = derivedSecret(bootstrap, caNames(config.org.name).identity, enrollmentId);
    const { csrPem, key } = await keys.newKey(enrollmentId);
    if (!('tokenKeyId' in key)) throw new Error('the ingest key was not made in the HSM token');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(certFile, await enrollCsr(enrollmentId, secret, csrPem));
    // Written last: its presence means the token key has its certificate.
    writeFileSync(keyIdFile, `${key.tokenKeyId}\n`, { mode: 0o600 });
  }
  const identity = {
    certPem: readFileSync(certFile, 'utf8'),
    tokenKeyId: readFileSync(keyIdFile, 'utf8').trim(),
  };
  return () => identity;
}

export default fp(
  async (app, opts: { config: GatewayConfig }) => {
    const keys = await newSigningKeys(opts.config);
    app.decorate('signingKeys', keys);
    app.addHook('onClose', async () => keys.close());
  },
  { name: 'signing-keys' },
);
