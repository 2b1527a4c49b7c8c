#!/usr/bin/env node
// vpp-device: a DER device's command line. The key is made and kept on the device; only the CSR and
// signed readings leave it.
//
//   vpp-device sm2-key --out ./pv-001 [--sm2-key openssl-sm2.pem]   (SM2 devices: prints the public key
//                                                                   the operator registers the device with)
//   vpp-device enroll --gateway https://localhost:7080 --ca-file tls-roots.pem --der-id pv-001 --secret <one-time> --out ./pv-001
//   vpp-device sign   --dir ./pv-001 --interval 2026-11-25T10:15:00.000Z --energy 1200 [--sequence 0]
//   vpp-device send   --dir ./pv-001 --gateway https://localhost:7080 --interval … --energy … [--sequence 0]
//
// The gateway is verified against --ca-file (the org's TLS CA root, or the consortium's bundle that
// the bring-up writes to network/run/crypto/tls-roots.pem). Enrollment keeps a copy in the device's
// folder as gateway-ca.pem, the default of `send`: a device never talks to a gateway it cannot verify.
// A folder holding sm2-key.pem (made by `sm2-key`, or an `openssl genpkey -algorithm SM2` key it
// imported) enrolls with an SM2 proof and signs its readings sm2-sm3; otherwise ecdsa-p256-sha256.

import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { intervalIdOf, type SignedReading } from '../../chaincode/src/api';
import { sm2PublicKeyPem } from '../../chaincode/src/api';
import { Device, SM2_KEY_FILE, writeSecret } from './device';
import { enrollDevice, postReadings, type GatewayTarget } from './device-api';
import { newSm2Key, sm2KeyFromPem, sm2KeyPem, type Sm2KeyPair } from './sm2-key';

const USAGE = `usage:
  vpp-device sm2-key --out DIR [--sm2-key PEM]
  vpp-device enroll --gateway URL --ca-file PEM --der-id ID --secret SECRET --out DIR
  vpp-device sign   --dir DIR --energy WH [--interval ISO | --metering-seconds S] [--sequence N]
  vpp-device send   --dir DIR --gateway URL [--ca-file PEM] --energy WH [--interval ISO | --metering-seconds S] [--sequence N]

--ca-file: the TLS root(s) the gateway's certificate must chain to; send defaults to the copy that
enroll kept in DIR (gateway-ca.pem).

sm2-key: makes an SM2 key in DIR/sm2-key.pem (or imports --sm2-key, e.g. from
\`openssl genpkey -algorithm SM2\`) and prints its public key, which the operator registers the
device with (POST /v1/devices, sm2PublicKey). enroll then proves the device holds it, and sign/send
sign sm2-sm3.

Without --interval the reading is for the metering interval that has just ended; its length is
--metering-seconds (default 900), the meteringIntervalSeconds of GET /v1/market/calendar.`;

function required(values: Record<string, string | undefined>, name: string): string {
  const value = values[name];
  if (value === undefined || value === '') throw new Error(`--${name} is required\n${USAGE}`);
  return value;
}

function readingFrom(values: Record<string, string | undefined>): SignedReading {
  const device = Device.load(required(values, 'dir'));
  const now = new Date();
  // Default: the metering interval that has just ended.
  const seconds = Number(values['metering-seconds'] ?? '900');
  if (!Number.isInteger(seconds) || seconds < 1)
    throw new Error(`--metering-seconds must be a positive integer\n${USAGE}`);
  const interval =
    values.interval ?? intervalIdOf(new Date(now.getTime() - seconds * 1000).toISOString(), seconds);
  const energyWh = Number(required(values, 'energy'));
  const sequence = Number(values.sequence ?? '0');
  return device.sign({ intervalId: interval, sequence, energyWh, timestamp: now.toISOString() });
}

/** The device's copy of the gateway's TLS root(s), kept at enrollment. */
const GATEWAY_CA_FILE = 'gateway-ca.pem';

/** The gateway to dial and the CA file to verify it with: --ca-file, else the one kept in `dir`. */
function gatewayOf(
  values: Record<string, string | undefined>,
  dir?: string,
): GatewayTarget & { caFile: string } {
  const kept = dir === undefined ? undefined : path.join(dir, GATEWAY_CA_FILE);
  const caFile = values['ca-file'] ?? (kept !== undefined && existsSync(kept) ? kept : undefined);
  if (caFile === undefined) throw new Error(`--ca-file is required\n${USAGE}`);
  return { url: required(values, 'gateway'), tls: { ca: readFileSync(caFile) }, caFile };
}

/** The SM2 key kept in the device's folder, if it is an SM2 device. */
function sm2KeyIn(dir: string): Sm2KeyPair | undefined {
  const file = path.join(dir, SM2_KEY_FILE);
  return existsSync(file) ? sm2KeyFromPem(readFileSync(file, 'utf8')) : undefined;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      gateway: { type: 'string' },
      'ca-file': { type: 'string' },
      'der-id': { type: 'string' },
      secret: { type: 'string' },
      out: { type: 'string' },
      dir: { type: 'string' },
      'sm2-key': { type: 'string' },
      interval: { type: 'string' },
      'metering-seconds': { type: 'string' },
      energy: { type: 'string' },
      sequence: { type: 'string' },
    },
  });
  switch (command) {
    case 'sm2-key': {
      const out = required(values, 'out');
      const imported = values['sm2-key'];
      const key = imported === undefined ? newSm2Key() : sm2KeyFromPem(readFileSync(imported, 'utf8'));
      mkdirSync(out, { recursive: true });
      writeSecret(path.join(out, SM2_KEY_FILE), sm2KeyPem(key));
      process.stdout.write(sm2PublicKeyPem(key.publicKeyHex));
      return 0;
    }
    case 'enroll': {
      const gateway = gatewayOf(values);
      const out = required(values, 'out');
      const device = await enrollDevice(
        gateway,
        required(values, 'der-id'),
        required(values, 'secret'),
        sm2KeyIn(out),
      );
      device.save(out);
      copyFileSync(gateway.caFile, path.join(out, GATEWAY_CA_FILE));
      process.stdout.write(device.credentials.certPem);
      return 0;
    }
    case 'sign':
      process.stdout.write(`${JSON.stringify(readingFrom(values))}\n`);
      return 0;
    case 'send': {
      const gateway = gatewayOf(values, required(values, 'dir'));
      const answer = await postReadings(gateway, [readingFrom(values)]);
      process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
      return answer.rejected === 0 ? 0 : 2;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return 64;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`vpp-device: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
