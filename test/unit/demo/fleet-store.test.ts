import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readingSigningBytes } from '../../../chaincode/src/api';
import { Device, newDeviceKey } from '../../../gateway/device-kit/device';
import { deviceOf, loadFleet, saveFleet, storedDer } from '../../../demo/src/fleet-store';

const dir = mkdtempSync(path.join(os.tmpdir(), 'demo-fleet-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('demo/fleet-store', () => {
  it('should keep a device key across save and load, owner-readable only', () => {
    const { privateKey } = newDeviceKey('der-1');
    const device = new Device({ derId: 'der-1', privateKey, certPem: 'CERT' });
    const file = path.join(dir, 'sub', 'fleet.json');
    saveFleet(file, { fleetTag: 't1', vpps: { 'demo-t1-north': [storedDer(device, 'pv', 12_000)] } });
    assert.equal(statSync(file).mode & 0o777, 0o600);

    const loaded = loadFleet(file)!;
    assert.equal(loaded.fleetTag, 't1');
    const der = loaded.vpps['demo-t1-north']![0]!;
    assert.deepEqual([der.derId, der.derType, der.capacityW, der.certPem], ['der-1', 'pv', 12_000, 'CERT']);
    // The reloaded device signs with the same key: its signature verifies with the original public key.
    const reading = deviceOf(der).sign({
      intervalId: '2026-12-05T10:00:00.000Z',
      sequence: 0,
      energyWh: 5,
      timestamp: '2026-12-05T10:00:10.000Z',
    });
    const { signature, ...unsigned } = reading;
    assert.equal(unsigned.derId, 'der-1');
    assert.equal(
      verify(
        'sha256',
        readingSigningBytes(unsigned),
        createPublicKey(privateKey),
        Buffer.from(signature, 'base64'),
      ),
      true,
    );
  });

  it('should treat a missing or foreign file as no fleet', () => {
    assert.equal(loadFleet(path.join(dir, 'none.json')), undefined);
    const junk = path.join(dir, 'junk.json');
    writeFileSync(junk, 'not json');
    assert.equal(loadFleet(junk), undefined);
    writeFileSync(junk, JSON.stringify({ fleetTag: 7, vpps: {} }));
    assert.equal(loadFleet(junk), undefined);
  });
});
