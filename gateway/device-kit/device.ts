// A DER's device as a light node: it makes its own P-256 key, asks the CVPP gateway's RA for a
// certificate with a CSR (the private key never leaves it), and signs every reading it sends.

import { createPrivateKey, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SignedReading, UnsignedReading } from '../../chaincode/src/api';
import { newKeyAndCsr } from '../src/core/x509';
import { deviceEnrollmentId } from '../src/telemetry/device-identity';
import { signReading } from './reading-signer';

export interface DeviceCredentials {
  readonly derId: string;
  readonly privateKey: KeyObject;
  readonly certPem: string;
}

/** A key pair and the CSR to enroll it with (CN = the device's enrollment id, as fabric-ca requires). */
export function newDeviceKey(derId: string): { privateKey: KeyObject; keyPem: string; csrPem: string } {
  return newKeyAndCsr(deviceEnrollmentId(derId));
}

export class Device {
  constructor(readonly credentials: DeviceCredentials) {}

  get derId(): string {
    return this.credentials.derId;
  }

  /** Signs a reading of this device's DER (scheme ecdsa-p256-sha256). */
  sign(reading: Omit<UnsignedReading, 'derId' | 'scheme'>): SignedReading {
    return signReading(
      { ...reading, derId: this.credentials.derId, scheme: 'ecdsa-p256-sha256' },
      this.credentials.privateKey,
    );
  }

  /** Writes key.pem (0600), cert.pem and der-id into `dir`. */
  save(dir: string): void {
    mkdirSync(dir, { recursive: true });
    const keyFile = path.join(dir, 'key.pem');
    writeFileSync(keyFile, this.credentials.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), {
      mode: 0o600,
    });
    chmodSync(keyFile, 0o600);
    writeFileSync(path.join(dir, 'cert.pem'), this.credentials.certPem);
    writeFileSync(path.join(dir, 'der-id'), `${this.credentials.derId}\n`);
  }

  static load(dir: string): Device {
    for (const file of ['key.pem', 'cert.pem', 'der-id']) {
      if (!existsSync(path.join(dir, file)))
        throw new Error(`${dir} has no ${file}: enroll the device first`);
    }
    return new Device({
      derId: readFileSync(path.join(dir, 'der-id'), 'utf8').trim(),
      privateKey: createPrivateKey(readFileSync(path.join(dir, 'key.pem'), 'utf8')),
      certPem: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    });
  }
}
