import assert from 'node:assert/strict';
import { DEFAULT_CALENDAR } from '../../../support/market-calendar';
import { describe, it } from 'node:test';
import type { BatchResult } from '../../../../chaincode/src/domain/telemetry/batch';
import type { SignedReading } from '../../../../chaincode/src/domain/telemetry/reading';
import { DerDirectory } from '../../../../gateway/src/telemetry/der-directory';
import { ReadingIngest } from '../../../../gateway/src/telemetry/ingest';
import { otherS } from '../../../support/signature-twins';
import { deviceAttrs, newTestCa, newTestDevice, signReading } from '../../../support/test-pki';

const ca = newTestCa();
const device = newTestDevice(ca, { attrs: deviceAttrs('pv-1', 'vpp-1') });
const storedDer = (status = 'active') =>
  JSON.stringify({
    derId: 'pv-1',
    vppId: 'vpp-1',
    derType: 'pv',
    capacityW: 4000,
    zone: 'z',
    status,
    certificate: { pem: device.certPem, serial: 'AB', notAfter: '2040-01-01T00:00:00.000Z', status: 'valid' },
    registeredAt: '2026-01-01T00:00:00.000Z',
    registeredBy: 'CvppMSP/op',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
  });

const reading = (energyWh: number, sequence = 0): SignedReading =>
  signReading(
    {
      derId: 'pv-1',
      intervalId: '2026-11-25T10:00:00.000Z',
      sequence,
      energyWh,
      timestamp: '2026-11-25T10:15:00.000Z',
      scheme: 'ecdsa-p256-sha256',
    },
    device.privateKey,
  );

function newIngest(lookups: string[], batches: SignedReading[][], der = storedDer()) {
  const directory = new DerDirectory(async (derId) => {
    lookups.push(derId);
    return derId === 'pv-1' ? (JSON.parse(der) as unknown) : undefined;
  }, 60_000);
  return new ReadingIngest({
    directory,
    calendar: async () => DEFAULT_CALENDAR,
    limits: { maxSize: 100, maxDelayMs: 5, maxInFlight: 1 },
    now: () => new Date('2026-11-25T10:16:00.000Z'),
    record: async (readings): Promise<BatchResult> => {
      batches.push(readings);
      return {
        txId: 'tx-9',
        accepted: readings.length,
        duplicates: 0,
        rejected: 0,
        results: readings.map((r, index) => ({
          index,
          status: 'accepted',
          derId: r.derId,
          intervalId: r.intervalId,
          sequence: r.sequence,
        })),
      };
    },
  });
}

describe('gateway/telemetry/ingest', () => {
  it('should reject bad readings at the gateway and send only the good ones to the ledger, keeping order', async () => {
    const lookups: string[] = [];
    const batches: SignedReading[][] = [];
    const ingest = newIngest(lookups, batches);
    const good = reading(500);
    const outcomes = await ingest.ingest([
      { ...reading(500, 1), energyWh: 501 },
      good,
      { ...good, derId: 'pv-unknown' },
      reading(1001, 2), // 4000 W × 15 min = 1000 Wh
      { nonsense: true },
    ]);
    assert.deepEqual(
      outcomes.map((o) => [o.status, o.code ?? null, o.checkedBy ?? null, o.txId ?? null]),
      [
        ['rejected', 'BAD_SIGNATURE', 'gateway', null],
        ['accepted', null, null, 'tx-9'],
        ['rejected', 'UNKNOWN_DER', 'gateway', null],
        ['rejected', 'ENERGY_ABOVE_CAPACITY', 'gateway', null],
        ['rejected', 'INVALID_ARGUMENT', 'gateway', null],
      ],
    );
    assert.deepEqual(batches, [[good]]);
    assert.deepEqual(lookups.sort(), ['pv-1', 'pv-unknown'], 'each DER read once thanks to the directory');
    await ingest.close();
  });

  it('should forward a high-S twin in its low-S form and refuse non-canonical encodings at the gateway', async () => {
    const batches: SignedReading[][] = [];
    const ingest = newIngest([], batches);
    const genuine = reading(500);
    const der = Buffer.from(genuine.signature, 'base64');
    const outcomes = await ingest.ingest([
      { ...genuine, signature: otherS(genuine.signature) },
      { ...genuine, signature: Buffer.concat([der, Buffer.from([0])]).toString('base64') },
    ]);
    assert.deepEqual(
      outcomes.map((o) => [o.status, o.code ?? null, o.checkedBy ?? null]),
      [
        ['accepted', null, null],
        ['rejected', 'NON_CANONICAL_SIGNATURE', 'gateway'],
      ],
    );
    assert.deepEqual(batches, [[genuine]], 'the ledger gets the canonical signature');
    await ingest.close();
  });

  it('should refuse every reading of a suspended DER without a transaction', async () => {
    const batches: SignedReading[][] = [];
    const ingest = newIngest([], batches, storedDer('suspended'));
    const outcomes = await ingest.ingest([reading(1), reading(2, 1)]);
    assert.deepEqual(
      outcomes.map((o) => o.code),
      ['DER_SUSPENDED', 'DER_SUSPENDED'],
    );
    assert.equal(batches.length, 0);
    await ingest.close();
  });
});
