import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { KJUR } from 'jsrsasign';
import { verifyReadingSignature } from '../../../../chaincode/src/domain/telemetry/reading';
import { main } from '../../../../gateway/device-kit/vpp-device';
import { Device, newDeviceKey } from '../../../../gateway/device-kit/device';
import { deviceAttrs, newTestCa, newTestDevice } from '../../../support/test-pki';

describe('device-kit/device', () => {
  it('should make a CSR whose subject is the device enrollment id and whose key is the device key', () => {
    const { privateKey, csrPem } = newDeviceKey('pv-7');
    const csr = KJUR.asn1.csr.CSRUtil.getParam(csrPem);
    assert.equal(csr.subject.str, '/CN=device.pv-7');
    const fromCsr = createPublicKey(String(csr.sbjpubkey));
    assert.equal(
      fromCsr.export({ type: 'spki', format: 'pem' }),
      createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }),
    );
  });

  it('should save the key with mode 0600, load it back, and sign readings that verify with its certificate', async () => {
    const ca = newTestCa();
    const issued = newTestDevice(ca, { attrs: deviceAttrs('pv-7', 'vpp-1') });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'device-'));
    try {
      new Device({ derId: 'pv-7', privateKey: issued.privateKey, certPem: issued.certPem }).save(dir);
      assert.equal(statSync(path.join(dir, 'key.pem')).mode & 0o777, 0o600);
      const loaded = Device.load(dir);
      const reading = loaded.sign({
        intervalId: '2026-11-25T10:15:00.000Z',
        sequence: 0,
        energyWh: 42,
        timestamp: '2026-11-25T10:30:00.000Z',
      });
      assert.deepEqual([reading.derId, reading.scheme], ['pv-7', 'ecdsa-p256-sha256']);
      assert.equal(verifyReadingSignature(reading, createPublicKey(issued.certPem)), true);

      // The CLI's `sign` prints the same kind of reading for the device folder.
      const printed: string[] = [];
      const write = process.stdout.write.bind(process.stdout);
      process.stdout.write = ((chunk: string) => printed.push(chunk) > 0) as typeof process.stdout.write;
      try {
        assert.equal(
          await main(['sign', '--dir', dir, '--energy', '17', '--interval', '2026-11-25T10:15:00.000Z']),
          0,
        );
      } finally {
        process.stdout.write = write;
      }
      const fromCli = JSON.parse(printed.join('')) as typeof reading;
      assert.deepEqual(
        [fromCli.energyWh, fromCli.intervalId, fromCli.sequence],
        [17, '2026-11-25T10:15:00.000Z', 0],
      );
      assert.equal(verifyReadingSignature(fromCli, createPublicKey(issued.certPem)), true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
