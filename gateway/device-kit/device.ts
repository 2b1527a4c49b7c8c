// A DER's device as a light node: it makes its own P-256 key, asks the CVPP gateway's RA for a
// certificate with a CSR (the private key never leaves it), and signs every reading it sends — with
// that key (ecdsa-p256-sha256), or, when it also holds an SM2 key that its certificate binds, with the
// SM2 key (sm2-sm3).

import { createPrivateKey, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SignatureScheme, SignedReading, UnsignedReading } from '../../chaincode/src/api';
import { newKeyAndCsr } from '../src/core/x509';
import { deviceEnrollmentId } from '../src/telemetry/device-identity';
import { signReading } from './reading-signer';
import { sm2KeyFromPem, sm2KeyPem, type Sm2KeyPair } from './sm2-key';

export interface DeviceCredentials {
  readonly derId: string;
  /** The P-256 key of the device's certificate. */
  readonly privateKey: KeyObject;
  readonly certPem: string;
  /** The SM2 key the certificate binds (vpp.sm2PublicKey), for a device that signs sm2-sm3. */
  readonly sm2Key?: Sm2KeyPair;
}

/** The file an SM2 device keeps its SM2 key in (PKCS#8 PEM, as OpenSSL writes). */
export const SM2_KEY_FILE = 'sm2-key.pem';

/** A key pair and the CSR to enroll it with (CN = the device's enrollment id, as fabric-ca requires). */
export function newDeviceKey(derId: string): { privateKey: KeyObject; keyPem: string; csrPem: string } {
  return newKeyAndCsr(deviceEnrollmentId(derId));
}

export class Device {
  constructor(readonly credentials: DeviceCredentials) {}

  get derId(): string {
    return this.credentials.derId;
  }

  /** The scheme this device signs with: sm2-sm3 when it holds an SM2 key, else ecdsa-p256-sha256. */
  get scheme(): SignatureScheme {
    return this.credentials.sm2Key === undefined ? 'ecdsa-p256-sha256' : 'sm2-sm3';
  }

  /** Signs a reading of this device's DER with its scheme's key. */
  sign(reading: Omit<UnsignedReading, 'derId' | 'scheme'>): SignedReading {
    const { derId, sm2Key, privateKey } = this.credentials;
    return signReading({ ...reading, derId, scheme: this.scheme }, sm2Key ?? privateKey);
  }

  /** Writes key.pem (0600), cert.pem, der-id and for an SM2 device sm2-key.pem (0600) into `dir`. */
  save(dir: string): void {
    mkdirSync(dir, { recursive: true });
    writeSecret(
      path.join(dir, 'key.pem'),
      this.credentials.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    );
    if (this.credentials.sm2Key !== undefined) {
      writeSecret(path.join(dir, SM2_KEY_FILE), sm2KeyPem(this.credentials.sm2Key));
    }
    writeFileSync(path.join(dir, 'cert.pem'), this.credentials.certPem);
    writeFileSync(path.join(dir, 'der-id'), `${this.credentials.derId}\n`);
  }

  static load(dir: string): Device {
    for (const file of ['key.pem', 'cert.pem', 'der-id']) {
      if (!existsSync(path.join(dir, file)))
        throw new Error(`${dir} has no ${file}: enroll the device first`);
    }
    const sm2KeyFile = path.join(dir, SM2_KEY_FILE);
    return new Device({
      derId: readFileSync(path.join(dir, 'der-id'), 'utf8').trim(),
      privateKey: createPrivateKey(readFileSync(path.join(dir, 'key.pem'), 'utf8')),
      certPem: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
      ...(existsSync(sm2KeyFile) ? { sm2Key: sm2KeyFromPem(readFileSync(sm2KeyFile, 'utf8')) } : {}),
    });
  }
}

/** Writes a key file readable by its owner only. */
export function writeSecret(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}
