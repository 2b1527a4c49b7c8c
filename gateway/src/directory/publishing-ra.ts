/**
 * The registration authority with the LDAP certificate directory behind it: every certificate it
 * issues (a person's at login, a device's at enrollment) and every CRL it regenerates (at a
 * revocation) is published before the request answers.
 *
 * The CA and the ledger are the authorities; the directory is a copy for LDAP clients. So a directory
 * that is down or refuses fails no request: the certificate is still issued and the revocation still
 * done, a warning says what was not published, and it is published again at the next publication
 * (certificates kept in memory until then, in the order they were issued, so an identity's newest
 * ends up in its entry; the CRL whenever a CRL is next read: every gateway start reads it).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { RaPort } from '../plugins/app/ra';
import type { DirectoryPort } from './ldap-directory';

/** Unpublished certificates kept at most; beyond, the oldest are dropped (a directory down for long). */
export const MAX_PENDING_CERTIFICATES = 10_000;

export function publishingRa(
  ra: RaPort,
  directory: DirectoryPort,
  log: Pick<FastifyBaseLogger, 'warn'>,
): RaPort {
  /** Certificates not yet published, by PEM (a set: the same certificate is published once). */
  const pendingCertificates = new Set<string>();
  let publishedCrl: string | undefined;
  let last: Promise<unknown> = Promise.resolve();
  /**
   * One publication at a time, in order. A CRL is generated and published in one step, so two
   * revocations at once cannot leave the older CRL (without the later serial) in the directory.
   */
  function serially<T>(task: () => Promise<T>): Promise<T> {
    const run = last.then(task, task);
    last = run.catch(() => undefined);
    return run;
  }

  async function publishCertificate(certPem: string): Promise<void> {
    pendingCertificates.add(certPem);
    for (const oldest of pendingCertificates) {
      if (pendingCertificates.size <= MAX_PENDING_CERTIFICATES) break;
      pendingCertificates.delete(oldest);
    }
    for (const pem of [...pendingCertificates]) {
      try {
        await directory.publishCertificate(pem);
        pendingCertificates.delete(pem);
      } catch (err) {
        log.warn(
          { err, pending: pendingCertificates.size },
          'could not publish a certificate in the LDAP directory; it is retried at the next publication',
        );
        return;
      }
    }
  }

  async function publishCrl(crlPem: string): Promise<void> {
    if (crlPem === publishedCrl) return;
    try {
      await directory.publishCrl(crlPem);
      publishedCrl = crlPem;
    } catch (err) {
      log.warn(
        { err },
        'could not publish the CRL in the LDAP directory; it is retried when the CRL is next read',
      );
      return;
    }
    // The directory answers again: what it missed meanwhile goes now.
    const [first] = pendingCertificates;
    if (first !== undefined) await publishCertificate(first);
  }

  return {
    async enroll(enrollmentId, secret) {
      const enrolled = await ra.enroll(enrollmentId, secret);
      await serially(() => publishCertificate(enrolled.certPem));
      return enrolled;
    },
    async enrollCsr(enrollmentId, secret, csrPem) {
      const certPem = await ra.enrollCsr(enrollmentId, secret, csrPem);
      await serially(() => publishCertificate(certPem));
      return certPem;
    },
    register: (input) => ra.register(input),
    list: () => ra.list(),
    attributesOf: (enrollmentId) => ra.attributesOf(enrollmentId),
    revoke: (enrollmentId, reason) =>
      serially(async () => {
        const revoked = await ra.revoke(enrollmentId, reason);
        await publishCrl(revoked.crlPem);
        return revoked;
      }),
    caChainPem: () => ra.caChainPem(),
    crlPem: () =>
      serially(async () => {
        const crlPem = await ra.crlPem();
        await publishCrl(crlPem);
        return crlPem;
      }),
  };
}
