/**
 * Registration authority for people: enrolls callers with a CSR made from a key the gateway
 * generates and keeps, and registers, lists and revokes the org's users with the org admin's
 * identity as registrar. Talks to the org's identity CA with the fabric-ca-client package over HTTPS.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import FabricCAServices from 'fabric-ca-client';
import { User } from 'fabric-common';
import type { FastifyBaseLogger } from 'fastify';
import fp from 'fastify-plugin';
import { X509CRL } from 'jsrsasign';
import { pemOf, ROLE_ATTRIBUTE } from '../../../../chaincode/src/api';
import type { AppPorts } from '../../app';
import { ApiError } from '../../core/api-error';
import type { ApiRole } from '../../core/roles';
import { normalSerial } from '../../core/x509';
import type { KeyRef } from '../../core/identity-store';
import type { GatewayConfig } from '../../config';
import { ldapDirectory } from '../../directory/ldap-directory';
import { publishingRa } from '../../directory/publishing-ra';
import type { SigningKeys } from './signing-keys';

/** A person's API role, or `device` for a DER's light node (which holds its own key). */
export type RegistrableRole = ApiRole | 'device';

export interface RegisteredUser {
  enrollmentId: string;
  role: RegistrableRole;
  /** Shown once: the gateway keeps only a hash of it after the user's first login. */
  secret: string;
}

export interface IdentityInfo {
  enrollmentId: string;
  type: string;
  role: string | null;
  attrs: Record<string, string>;
  revoked: boolean;
}

/** The CA as the gateway uses it (a narrow port so unit tests can replace it). */
export interface RaPort {
  /** Enrollment with a key the gateway makes and keeps (in a file or its HSM token: signing-keys.ts). */
  enroll(enrollmentId: string, secret: string): Promise<{ certPem: string; key: KeyRef }>;
  /** Enrollment with the caller's own CSR (devices): the private key never reaches the gateway. */
  enrollCsr(enrollmentId: string, secret: string, csrPem: string): Promise<string>;
  register(input: {
    enrollmentId: string;
    role: RegistrableRole;
    attrs: Record<string, string>;
  }): Promise<RegisteredUser>;
  list(): Promise<IdentityInfo[]>;
  /** The identity's registered attributes (those its certificates carry), or undefined if there is none. */
  attributesOf(enrollmentId: string): Promise<Record<string, string> | undefined>;
  /** Revokes every certificate of the identity at the CA; returns their serials and the new CRL. */
  revoke(enrollmentId: string, reason: string): Promise<{ serials: string[]; crlPem: string }>;
  caChainPem(): string;
  crlPem(): Promise<string>;
}

declare module 'fastify' {
  interface FastifyInstance {
    ra: RaPort;
  }
}

interface CaFailure {
  errors?: { code?: number; message?: string }[];
  code?: string;
}

/** fabric-ca-client rejects with its server's `errors` array attached, or a socket error's code. */
function caError(err: unknown, action: string): ApiError {
  const failure = err as CaFailure;
  const messages = (failure.errors ?? []).map((e) => e.message ?? '');
  if (messages.some((m) => m.includes('Authentication failure') || m.includes('Authorization failure'))) {
    return new ApiError(401, 'INVALID_CREDENTIALS', 'unknown enrollment id or wrong secret');
  }
  if (messages.some((m) => m.includes('already registered'))) {
    return new ApiError(409, 'IDENTITY_EXISTS', 'an identity with this enrollment id already exists');
  }
  if (messages.some((m) => m.includes('not found') || m.includes('does not exist'))) {
    return new ApiError(404, 'NOT_FOUND', 'no such identity at the CA');
  }
  if (messages.some((m) => m.includes('already revoked'))) {
    return new ApiError(409, 'ALREADY_REVOKED', 'the identity is already revoked');
  }
  if (messages.length > 0)
    return new ApiError(422, 'CA_REFUSED', `the CA refused to ${action}`, { ca: messages });
  return new ApiError(503, 'CA_UNAVAILABLE', `the CA could not be reached to ${action}`);
}

function pemOfCrl(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  const text = bytes.toString('utf8');
  if (text.startsWith('-----BEGIN')) return text;
  return pemOf('X509 CRL', bytes);
}

/** Serials (normalised hex) listed by a PEM CRL. */
export function crlSerials(crlPem: string): string[] {
  const entries = (new X509CRL(crlPem).getRevCertArray() ?? []) as unknown as {
    sn: string | { hex: string };
  }[];
  return entries.map((e) => normalSerial(typeof e.sn === 'string' ? e.sn : e.sn.hex));
}

export function newRa(config: GatewayConfig, keys: SigningKeys): RaPort {
  const ca = new FabricCAServices(
    config.ca.url,
    { trustedRoots: [readFileSync(config.ca.tlsRootFile, 'utf8')], verify: true },
    config.ca.name,
  );
  let registrar: User | undefined;
  const registrarUser = (): User => {
    registrar ??= User.createUser(
      config.registrarId,
      '',
      config.org.mspId,
      readFileSync(path.join(config.registrarMsp, 'signcerts', 'cert.pem'), 'utf8'),
      readFileSync(path.join(config.registrarMsp, 'keystore', 'key.pem'), 'utf8'),
    );
    return registrar;
  };
  const crlCache = path.join(config.dataDir, 'crl.pem');
  async function freshCrl(): Promise<string> {
    let response: unknown;
    try {
      response = await ca.generateCRL({}, registrarUser());
    } catch (err) {
      throw caError(err, 'generate the CRL');
    }
    const pem = pemOfCrl(String(response));
    writeFileSync(crlCache, pem);
    return pem;
  }

  async function enrollCsr(enrollmentId: string, secret: string, csrPem: string): Promise<string> {
    try {
      const enrollment = await ca.enroll({
        enrollmentID: enrollmentId,
        enrollmentSecret: secret,
        csr: csrPem,
      });
      return enrollment.certificate;
    } catch (err) {
      throw caError(err, 'enroll');
    }
  }

  return {
    async enroll(enrollmentId, secret) {
      const { csrPem, key } = await keys.newKey(enrollmentId);
      return { certPem: await enrollCsr(enrollmentId, secret, csrPem), key };
    },
    enrollCsr,
    async register({ enrollmentId, role, attrs }) {
      const secret = randomBytes(18).toString('base64url');
      const attributes = [
        { name: ROLE_ATTRIBUTE, value: role, ecert: true },
        ...Object.entries(attrs).map(([name, value]) => ({ name, value, ecert: true })),
      ];
      try {
        await ca.register(
          {
            enrollmentID: enrollmentId,
            enrollmentSecret: secret,
            role: role === 'admin' ? 'admin' : 'client',
            affiliation: '',
            // The secret enrolls once, through this gateway, which then keeps the key.
            maxEnrollments: 1,
            attrs: attributes,
          },
          registrarUser(),
        );
      } catch (err) {
        throw caError(err, 'register');
      }
      return { enrollmentId, role, secret };
    },
    async list() {
      let response: {
        result?: { identities?: { id: string; type: string; attrs?: { name: string; value: string }[] }[] };
      };
      try {
        response = await ca.newIdentityService().getAll(registrarUser());
      } catch (err) {
        throw caError(err, 'list identities');
      }
      return (response.result?.identities ?? [])
        .map((identity) => {
          const attrs = Object.fromEntries((identity.attrs ?? []).map((a) => [a.name, a.value]));
          return {
            enrollmentId: identity.id,
            type: identity.type,
            role: attrs[ROLE_ATTRIBUTE] ?? null,
            attrs: Object.fromEntries(Object.entries(attrs).filter(([name]) => !name.startsWith('hf.'))),
            revoked: false,
          };
        })
        .sort((a, b) => (a.enrollmentId < b.enrollmentId ? -1 : a.enrollmentId > b.enrollmentId ? 1 : 0));
    },
    async attributesOf(enrollmentId) {
      let response: { result?: { attrs?: { name: string; value: string }[] } };
      try {
        response = (await ca.newIdentityService().getOne(enrollmentId, registrarUser())) as typeof response;
      } catch (err) {
        const failure = caError(err, 'read the identity');
        if (failure.code === 'NOT_FOUND') return undefined;
        throw failure;
      }
      return Object.fromEntries((response.result?.attrs ?? []).map((a) => [a.name, a.value]));
    },
    async revoke(enrollmentId, reason) {
      let response: { result?: { RevokedCerts?: { Serial: string }[] } };
      try {
        response = (await ca.revoke(
          { enrollmentID: enrollmentId, reason },
          registrarUser(),
        )) as typeof response;
      } catch (err) {
        throw caError(err, 'revoke');
      }
      const serials = (response.result?.RevokedCerts ?? []).map((c) => normalSerial(c.Serial));
      return { serials, crlPem: await freshCrl() };
    },
    caChainPem: () => readFileSync(config.caChainFile, 'utf8'),
    async crlPem() {
      try {
        return await freshCrl();
      } catch (err) {
        // The last published CRL still answers while the CA is away.
        if (existsSync(crlCache)) return readFileSync(crlCache, 'utf8');
        throw err;
      }
    },
  };
}

/**
 * The RA publishing in the LDAP directory (directory/publishing-ra.ts): the configured directory
 * with the real RA; with a replaced RA (unit tests, whose certificates are not the CA's) only the
 * directory the test gives.
 */
function withDirectory(
  opts: { config: GatewayConfig; ports: AppPorts },
  ra: RaPort,
  log: FastifyBaseLogger,
): RaPort {
  const { directory } = opts.config;
  const port =
    opts.ports.directory ??
    (opts.ports.ra === undefined && directory ? ldapDirectory(directory, opts.config.org.mspId) : undefined);
  return port ? publishingRa(ra, port, log) : ra;
}

export default fp(
  async (app, opts: { config: GatewayConfig; ports: AppPorts }) => {
    const ra = withDirectory(opts, opts.ports.ra ?? newRa(opts.config, app.signingKeys), app.log);
    app.decorate('ra', ra);
    // Certificates revoked while this gateway was down are in the CA's CRL: consult it on start.
    app.addHook('onReady', async () => {
      try {
        const serials = crlSerials(await ra.crlPem());
        app.identities.revoke(undefined, serials);
        app.log.info({ revokedSerials: serials.length }, 'CRL loaded');
      } catch (err) {
        app.log.warn({ err }, 'could not load the CRL at start; using the revoked set on disk');
      }
    });
  },
  { name: 'ra', dependencies: ['signing-keys'] },
);
