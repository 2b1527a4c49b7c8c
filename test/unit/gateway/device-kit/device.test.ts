import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { KJUR } from 'jsrsasign';
import {
  readingSigningBytes,
  verifyReadingSignature,
} from '../../../../chaincode/src/domain/telemetry/reading';
import { deviceKeysOf } from '../../../../chaincode/src/domain/pki/device-keys';
import { main } from '../../../../gateway/device-kit/vpp-device';
import { Device, newDeviceKey, SM2_KEY_FILE } from '../../../../gateway/device-kit/device';
import { sm2KeyFromPem } from '../../../../gateway/device-kit/sm2-key';
import { deviceAttrs, newTestCa, newTestDevice } from '../../../support/test-pki';

/** What `work` writes to stdout, and its result. */
async function captured(work: () => Promise<number>): Promise<{ code: number; output: string }> {
  const printed: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => printed.push(chunk) > 0) as typeof process.stdout.write;
  try {
    const code = await work();
    return { code, output: printed.join('') };
  } finally {
    process.stdout.write = write;
  }
}

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
      assert.equal(verifyReadingSignature(reading, deviceKeysOf(issued.certPem)), true);

      // The CLI's `sign` prints the same kind of reading for the device folder.
      const printed = await captured(() =>
        main(['sign', '--dir', dir, '--energy', '17', '--interval', '2026-11-25T10:15:00.000Z']),
      );
      assert.equal(printed.code, 0);
      const fromCli = JSON.parse(printed.output) as typeof reading;
      assert.deepEqual(
        [fromCli.energyWh, fromCli.intervalId, fromCli.sequence],
        [17, '2026-11-25T10:15:00.000Z', 0],
      );
      assert.equal(verifyReadingSignature(fromCli, deviceKeysOf(issued.certPem)), true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('device-kit/device with an SM2 key', () => {
  it('should import an OpenSSL SM2 key with the CLI, print its public key, and sign sm2-sm3 readings after loading', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'device-sm2-'));
    try {
      const opensslKey = path.join(dir, 'openssl-sm2.pem');
      execFileSync('openssl', ['genpkey', '-algorithm', 'SM2', '-out', opensslKey]);
      const opensslPublic = execFileSync('openssl', ['pkey', '-in', opensslKey, '-pubout'], {
        encoding: 'utf8',
      });
      const printed = await captured(() => main(['sm2-key', '--out', dir, '--sm2-key', opensslKey]));
      assert.equal(printed.code, 0);
      assert.equal(printed.output, opensslPublic, 'the public key the operator registers is OpenSSL’s');
      assert.equal(statSync(path.join(dir, SM2_KEY_FILE)).mode & 0o777, 0o600);

      // Enrollment would give the device a certificate binding that key; save and load it as a device.
      const sm2Key = sm2KeyFromPem(readFileSync(path.join(dir, SM2_KEY_FILE), 'utf8'));
      const issued = newTestDevice(newTestCa(), {
        attrs: { ...deviceAttrs('pv-8', 'vpp-1'), 'vpp.sm2PublicKey': sm2Key.publicKeyHex },
      });
      new Device({ derId: 'pv-8', privateKey: issued.privateKey, certPem: issued.certPem, sm2Key }).save(dir);
      const loaded = Device.load(dir);
      assert.equal(loaded.scheme, 'sm2-sm3');
      const reading = loaded.sign({
        intervalId: '2026-11-25T10:15:00.000Z',
        sequence: 0,
        energyWh: 42,
        timestamp: '2026-11-25T10:30:00.000Z',
      });
      assert.equal(reading.scheme, 'sm2-sm3');
      assert.equal(verifyReadingSignature(reading, deviceKeysOf(issued.certPem)), true);
      // The reading's signature is one OpenSSL verifies with the key it made.
      writeFileSync(path.join(dir, 'msg'), readingSigningBytes(reading));
      writeFileSync(path.join(dir, 'sig'), Buffer.from(reading.signature, 'base64'));
      writeFileSync(path.join(dir, 'pub.pem'), opensslPublic);
      const verified = execFileSync(
        'openssl',
        [
          'pkeyutl',
          '-verify',
          '-pubin',
          '-inkey',
          path.join(dir, 'pub.pem'),
          '-rawin',
          '-digest',
          'sm3',
        ].concat([
          '-in',
          path.join(dir, 'msg'),
          '-sigfile',
          path.join(dir, 'sig'),
          '-pkeyopt',
          'distid:1234567812345678',
        ]),
        { encoding: 'utf8' },
      );
      assert.match(verified, /Signature Verified Successfully/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
