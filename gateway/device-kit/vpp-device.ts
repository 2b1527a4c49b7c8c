#!/usr/bin/env node
// vpp-device: a DER device's command line. The key is made and kept on the device; only the CSR and
// signed readings leave it.
//
//   vpp-device enroll --gateway http://127.0.0.1:7080 --der-id pv-001 --secret <one-time> --out ./pv-001
//   vpp-device sign   --dir ./pv-001 --interval 2026-11-25T10:15:00.000Z --energy 1200 [--sequence 0]
//   vpp-device send   --dir ./pv-001 --gateway http://127.0.0.1:7080 --interval … --energy … [--sequence 0]

import { parseArgs } from 'node:util';
import { intervalIdOf, type SignedReading } from '../../chaincode/src/api';
import { Device } from './device';
import { enrollDevice, postReadings } from './device-api';

const USAGE = `usage:
  vpp-device enroll --gateway URL --der-id ID --secret SECRET --out DIR
  vpp-device sign   --dir DIR --energy WH [--interval ISO | --metering-seconds S] [--sequence N]
  vpp-device send   --dir DIR --gateway URL --energy WH [--interval ISO | --metering-seconds S] [--sequence N]

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

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      gateway: { type: 'string' },
      'der-id': { type: 'string' },
      secret: { type: 'string' },
      out: { type: 'string' },
      dir: { type: 'string' },
      interval: { type: 'string' },
      'metering-seconds': { type: 'string' },
      energy: { type: 'string' },
      sequence: { type: 'string' },
    },
  });
  switch (command) {
    case 'enroll': {
      const device = await enrollDevice(
        required(values, 'gateway'),
        required(values, 'der-id'),
        required(values, 'secret'),
      );
      device.save(required(values, 'out'));
      process.stdout.write(device.credentials.certPem);
      return 0;
    }
    case 'sign':
      process.stdout.write(`${JSON.stringify(readingFrom(values))}\n`);
      return 0;
    case 'send': {
      const answer = await postReadings(required(values, 'gateway'), [readingFrom(values)]);
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
