// The demo's devices outlive a run: their keys and certificates are kept in one file under the
// network's runtime folder (gitignored, deleted by `npm run reset` together with the ledger they
// belong to), so a second run signs with the devices the first one enrolled instead of registering
// a new fleet each time.

import { createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DerType } from '../../chaincode/src/api';
import { Device } from '../../gateway/device-kit/device';

export interface StoredDer {
  readonly derId: string;
  readonly derType: DerType;
  readonly capacityW: number;
  readonly keyPem: string;
  readonly certPem: string;
}

export interface StoredFleet {
  /** Part of every VPP and DER id of this fleet. */
  readonly fleetTag: string;
  /** DERs by VPP id. */
  readonly vpps: Readonly<Record<string, readonly StoredDer[]>>;
}

/** Reads the stored fleet; undefined when there is none or the file is not one (it is then replaced). */
export function loadFleet(file: string): StoredFleet | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredFleet>;
    if (typeof parsed.fleetTag !== 'string' || typeof parsed.vpps !== 'object' || parsed.vpps === null)
      return undefined;
    return parsed as StoredFleet;
  } catch {
    return undefined;
  }
}

/** Writes the fleet readable by its owner only: it holds the devices' private keys. */
export function saveFleet(file: string, fleet: StoredFleet): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(fleet, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function storedDer(device: Device, derType: DerType, capacityW: number): StoredDer {
  return {
    derId: device.derId,
    derType,
    capacityW,
    keyPem: device.credentials.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certPem: device.credentials.certPem,
  };
}

export function deviceOf(der: StoredDer): Device {
  return new Device({ derId: der.derId, privateKey: createPrivateKey(der.keyPem), certPem: der.certPem });
}
