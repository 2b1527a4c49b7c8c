import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Device } from '../../../../gateway/device-kit/device';
import { main } from '../../../../gateway/device-kit/vpp-device';
import { sendJson, startHttpsServer, type HttpsTestServer } from '../../../support/https-server';
import {
  deviceAttrs,
  newTestCa,
  newTestDevice,
  newTestTlsCa,
  newTestTlsPair,
} from '../../../support/test-pki';

/**
 * Runs the CLI without its printed text. Only strings are dropped: the test runner reports through
 * the same stdout in binary chunks, which must go through.
 */
async function quietly(argv: string[]): Promise<number> {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    typeof chunk === 'string' ? true : write(chunk, ...rest)) as typeof process.stdout.write;
  try {
    return await main(argv);
  } finally {
    process.stdout.write = write;
  }
}

describe('device-kit/vpp-device', () => {
  const tlsCa = newTestTlsCa('cvpp', 'CvppMSP');
  const posted: string[] = [];
  let gateway: HttpsTestServer;
  let dir: string;
  before(async () => {
    gateway = await startHttpsServer(newTestTlsPair(tlsCa, 'gateway.cvpp'), tlsCa.certPem, (req, res) => {
      posted.push(req.url ?? '');
      sendJson(res, { accepted: 1, duplicates: 0, rejected: 0, results: [] });
    });
    dir = mkdtempSync(path.join(os.tmpdir(), 'vpp-device-'));
    const issued = newTestDevice(newTestCa(), { attrs: deviceAttrs('pv-7', 'vpp-1') });
    new Device({ derId: 'pv-7', privateKey: issued.privateKey, certPem: issued.certPem }).save(dir);
  });
  after(async () => {
    await gateway.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const send = (extra: string[] = []) =>
    quietly(['send', '--dir', dir, '--gateway', gateway.origin, '--energy', '5', ...extra]);

  it('should refuse to enroll without --ca-file', async () => {
    await assert.rejects(
      main(['enroll', '--gateway', gateway.origin, '--der-id', 'pv-7', '--secret', 's', '--out', dir]),
      /--ca-file is required/,
    );
  });

  it('should refuse to send without a CA file given or kept in the device folder', async () => {
    await assert.rejects(send(), /--ca-file is required/);
    assert.deepEqual(posted, []);
  });

  it('should refuse a gateway whose certificate does not chain to the CA file', async () => {
    const other = path.join(dir, 'other-ca.pem');
    writeFileSync(other, newTestTlsCa('trading', 'TradingMSP').certPem);
    await assert.rejects(send(['--ca-file', other]), /self-signed certificate in certificate chain/);
    assert.deepEqual(posted, []);
  });

  it('should send to a gateway that verifies against the CA kept in the device folder', async () => {
    writeFileSync(path.join(dir, 'gateway-ca.pem'), tlsCa.certPem);
    assert.equal(await send(), 0);
    assert.deepEqual(posted, ['/v1/readings']);
  });
});
