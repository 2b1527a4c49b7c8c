// A throwaway PKI for unit tests: a CA and device certificates shaped like fabric-ca's (the `attrs`
// extension at OID 1.2.3.4.5.6.7.8.1 holding raw JSON), made with jsrsasign and node:crypto.

import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { KJUR } from 'jsrsasign';
export { signReading } from '../../gateway/device-kit/reading-signer';

export interface TestCa {
  readonly name: string;
  /** The distinguished name, jsrsasign style (`/O=…/CN=…`): what its certificates name as issuer. */
  readonly subject: string;
  readonly certPem: string;
  readonly keyPem: string;
}

export interface TestDevice {
  readonly certPem: string;
  readonly privateKey: KeyObject;
}

let nextSerial = 0x1000;

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** `2025-01-01T00:00:00.000Z` → jsrsasign's GeneralizedTime `20250101000000Z`. */
function asn1Time(iso: string): string {
  return iso.replace(/[-:T]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

export function newTestCa(name = 'ca.cvpp', subject = `/CN=${name}`): TestCa {
  const { keyPem, publicPem } = keyPair();
  const certPem = new KJUR.asn1.x509.Certificate({
    version: 3,
    serial: { int: nextSerial++ },
    issuer: { str: subject },
    subject: { str: subject },
    notbefore: '20200101000000Z',
    notafter: '20400101000000Z',
    sbjpubkey: publicPem,
    ext: [{ extname: 'basicConstraints', critical: true, cA: true }],
    sigalg: 'SHA256withECDSA',
    cakey: keyPem,
  }).getPEM();
  return { name, subject, certPem, keyPem };
}

/** An org's TLS CA as fabric-ca makes it (ca/src/ca-server.ts): CN tlsca-<org>, O <MSP id>, OU TLS. */
export function newTestTlsCa(org: string, mspId: string): TestCa {
  return newTestCa(`tlsca-${org}`, `/O=${mspId}/OU=TLS/CN=tlsca-${org}`);
}

export interface TestTlsPair {
  readonly certPem: string;
  readonly keyPem: string;
}

/** A TLS certificate (server and client use) for `cn`, naming `hosts` (DNS names or IPv4) as SANs. */
export function newTestTlsPair(ca: TestCa, cn: string, hosts = ['localhost', '127.0.0.1']): TestTlsPair {
  const { keyPem, publicPem } = keyPair();
  const certPem = new KJUR.asn1.x509.Certificate({
    version: 3,
    serial: { int: nextSerial++ },
    issuer: { str: ca.subject },
    subject: { str: `/CN=${cn}` },
    notbefore: '20200101000000Z',
    notafter: '20400101000000Z',
    sbjpubkey: publicPem,
    ext: [
      {
        extname: 'subjectAltName',
        array: hosts.map((h) => (/^[0-9.]+$/.test(h) ? { ip: h } : { dns: h })),
      },
    ],
    sigalg: 'SHA256withECDSA',
    cakey: ca.keyPem,
  }).getPEM();
  return { certPem, keyPem };
}

export interface DeviceOptions {
  readonly attrs: Readonly<Record<string, string>>;
  readonly cn?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
}

/** A device certificate issued by `ca`, carrying `attrs` as fabric-ca would. */
export function newTestDevice(ca: TestCa, options: DeviceOptions): TestDevice {
  const { privateKey, publicPem } = keyPair();
  const certPem = new KJUR.asn1.x509.Certificate({
    version: 3,
    serial: { int: nextSerial++ },
    issuer: { str: ca.subject },
    subject: { str: `/OU=client/CN=${options.cn ?? options.attrs['vpp.derId'] ?? 'device'}` },
    notbefore: asn1Time(options.notBefore ?? '2020-01-01T00:00:00.000Z'),
    notafter: asn1Time(options.notAfter ?? '2040-01-01T00:00:00.000Z'),
    sbjpubkey: publicPem,
    ext: [
      {
        extname: '1.2.3.4.5.6.7.8.1',
        extn: Buffer.from(JSON.stringify({ attrs: options.attrs })).toString('hex'),
      },
    ],
    sigalg: 'SHA256withECDSA',
    cakey: ca.keyPem,
  }).getPEM();
  return { certPem, privateKey };
}

export function deviceAttrs(derId: string, vppId: string): Record<string, string> {
  return { 'vpp.role': 'device', 'vpp.derId': derId, 'vpp.vppId': vppId };
}

export interface TestIdentity {
  readonly certPem: string;
  readonly privateKey: KeyObject;
}

/**
 * A Fabric-style identity certificate issued by `ca` for `subject` (jsrsasign DN, e.g.
 * `/O=CvppMSP/OU=peer/CN=peer0.cvpp`): the OU is what NodeOUs read as the node's role.
 */
export function newTestIdentity(
  ca: TestCa,
  subject: string,
  validity: { readonly notBefore?: string; readonly notAfter?: string } = {},
): TestIdentity {
  const { privateKey, publicPem } = keyPair();
  const certPem = new KJUR.asn1.x509.Certificate({
    version: 3,
    serial: { int: nextSerial++ },
    issuer: { str: ca.subject },
    subject: { str: subject },
    notbefore: asn1Time(validity.notBefore ?? '2020-01-01T00:00:00.000Z'),
    notafter: asn1Time(validity.notAfter ?? '2040-01-01T00:00:00.000Z'),
    sbjpubkey: publicPem,
    ext: [{ extname: 'basicConstraints', critical: true, cA: false }],
    sigalg: 'SHA256withECDSA',
    cakey: ca.keyPem,
  }).getPEM();
  return { certPem, privateKey };
}
