/**
 * Who is at the other end of a mutual-TLS connection: the gateway of which consortium org. The
 * server asks every client for a certificate but lets those without one in (ordinary clients have
 * none and log in with tokens); a route that needs a gateway calls `gatewayOrgOf`, which takes only
 * a certificate that the TLS handshake verified against the consortium's TLS roots, issued by an
 * org's TLS CA to that org's gateway (CN `gateway.<org>`, as ca/ enrolls it).
 */
import { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { enrollmentIdsOf } from '../../../platform/src/ca-layout';
import type { Org } from '../../../platform/src/topology';
import { ApiError } from './api-error';

/** One TLS CA root of the consortium: the org it belongs to (its subject's O) and its fingerprint. */
export interface TlsRoot {
  readonly mspId: string;
  readonly fingerprint256: string;
}

/** What the TLS layer tells about the client: whether its chain verified, and its certificate chain. */
export interface ClientCertificate {
  readonly authorized: boolean;
  /** Undefined when the client sent none (or the connection is not TLS). */
  readonly certificate: PeerCertificate | undefined;
  /** The certificate that issued it, as the verified chain names it. */
  readonly issuer: PeerCertificate | undefined;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The roots of a PEM bundle (such as the consortium's tls-roots.pem). */
export function tlsRootsOf(bundlePem: string): TlsRoot[] {
  return (bundlePem.match(PEM_BLOCK) ?? []).map((pem) => {
    const cert = new X509Certificate(pem);
    const org = /^O=(.*)$/m.exec(cert.subject)?.[1] ?? '';
    return { mspId: org, fingerprint256: cert.fingerprint256 };
  });
}

/** The client side of a connection; not TLS (app.inject, plain HTTP) means no certificate. */
export function clientCertificateOf(socket: Socket): ClientCertificate {
  const tls = socket as Partial<TLSSocket>;
  if (typeof tls.getPeerCertificate !== 'function') {
    return { authorized: false, certificate: undefined, issuer: undefined };
  }
  const detailed = tls.getPeerCertificate(true);
  // Node answers an empty object when the client sent no certificate.
  const sent = detailed && Object.keys(detailed).length > 0;
  return {
    authorized: tls.authorized === true,
    certificate: sent ? detailed : undefined,
    issuer: sent ? detailed.issuerCertificate : undefined,
  };
}

const commonNameOf = (cert: PeerCertificate): string | undefined => {
  const cn = cert.subject?.CN as string | string[] | undefined;
  return Array.isArray(cn) ? undefined : cn;
};

/**
 * The MSP id of the consortium gateway that presented `client`: 401 without a certificate or with
 * one that does not chain to a consortium TLS root, 403 for a consortium certificate that is not its
 * org's gateway's (a peer's, a chaincode server's).
 */
export function gatewayOrgOf(
  client: ClientCertificate,
  roots: readonly TlsRoot[],
  orgs: readonly Pick<Org, 'name' | 'mspId'>[],
): string {
  if (!client.certificate)
    throw new ApiError(
      401,
      'CLIENT_CERT_REQUIRED',
      'this route needs a gateway client certificate (mutual TLS)',
    );
  const root = roots.find((r) => r.fingerprint256 === client.issuer?.fingerprint256);
  if (!client.authorized || !root)
    throw new ApiError(
      401,
      'CLIENT_CERT_REJECTED',
      'the client certificate does not chain to a consortium TLS CA',
    );
  const org = orgs.find((o) => o.mspId === root.mspId);
  if (!org || commonNameOf(client.certificate) !== enrollmentIdsOf(org.name).gateway)
    throw new ApiError(403, 'FORBIDDEN', 'the client certificate is not a consortium gateway certificate');
  return org.mspId;
}
