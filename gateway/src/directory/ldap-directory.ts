/**
 * The LDAP certificate directory as the org's registration authority writes it, with ldapts: each
 * publication binds as the org's RA (the only identity the directory lets write under o=<mspId>),
 * writes, and unbinds. Publications are rare (an enrollment, a revocation), so no connection is kept.
 */
import { readFileSync } from 'node:fs';
import { AlreadyExistsError, Attribute, Change, Client } from 'ldapts';
import type { GatewayConfig } from '../config';
import { crlAttributeOf, identityEntryOf, type DirectoryAttribute } from './entries';

/** Where the RA publishes (a narrow port so unit tests can replace it). */
export interface DirectoryPort {
  /** Adds or replaces the entry of the identity the certificate was issued to. */
  publishCertificate(certPem: string): Promise<void>;
  /** Replaces the CRL on the org's entry. */
  publishCrl(crlPem: string): Promise<void>;
}

/** A directory that is down must not hold up an enrollment or a revocation for long. */
const TIMEOUT_MS = 3_000;

const attributeOf = ({ type, values }: DirectoryAttribute) => new Attribute({ type, values });

export function ldapDirectory(
  directory: NonNullable<GatewayConfig['directory']>,
  mspId: string,
): DirectoryPort {
  async function asRa(write: (client: Client) => Promise<void>): Promise<void> {
    const client = new Client({ url: directory.url, timeout: TIMEOUT_MS, connectTimeout: TIMEOUT_MS });
    try {
      await client.bind(directory.bindDn, readFileSync(directory.secretFile, 'utf8').trim());
      await write(client);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
  return {
    publishCertificate: (certPem) =>
      asRa(async (client) => {
        const entry = identityEntryOf(directory.baseDn, mspId, certPem);
        try {
          await client.add(entry.dn, [
            new Attribute({ type: 'objectClass', values: entry.objectClasses }),
            attributeOf(entry.naming),
            ...entry.attributes.map(attributeOf),
          ]);
        } catch (err) {
          if (!(err instanceof AlreadyExistsError)) throw err;
          // Enrolled again (a person's renewed certificate): the entry keeps its classes, gets the new facts.
          await client.modify(
            entry.dn,
            entry.attributes.map((a) => new Change({ operation: 'replace', modification: attributeOf(a) })),
          );
        }
      }),
    publishCrl: (crlPem) =>
      asRa(async (client) => {
        const { dn, ...crl } = crlAttributeOf(directory.baseDn, mspId, crlPem);
        await client.modify(dn, new Change({ operation: 'replace', modification: attributeOf(crl) }));
      }),
  };
}
