// SM2/SM3 against OpenSSL 3's own SM2: keys and signatures made by the `openssl` command line are read
// and verified here, and ours are verified by it, so the scheme is the standard one, not a private one.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  parseSm2PublicKeyHex,
  sm2PublicKeyFromPem,
  sm2PublicKeyPem,
  verifySm2Sm3,
} from '../../../../../chaincode/src/domain/pki/sm2';
import { canonicalSignature, SM2_ORDER } from '../../../../../chaincode/src/domain/telemetry/signature';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { newSm2Key, signSm2Sm3, sm2KeyFromPem, sm2KeyPem } from '../../../../../gateway/device-kit/sm2-key';
import { vppError } from '../../../../support/vpp-assert';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sm2-'));
const file = (name: string) => path.join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' });

/** An SM2 key made by OpenSSL, its public key as OpenSSL writes it, and a message. */
openssl('genpkey', '-algorithm', 'SM2', '-out', file('key.pem'));
openssl('pkey', '-in', file('key.pem'), '-pubout', '-out', file('pub.pem'));
const MESSAGE = Buffer.from('{"derId":"pv-001","energyWh":1200,"type":"vpp.reading.v1"}', 'utf8');
writeFileSync(file('message'), MESSAGE);

/** OpenSSL's SM2 signature of the message: pkeyutl with the raw input, SM3, the default ID. */
function opensslSign(tool: 'pkeyutl' | 'dgst', message = file('message')): Buffer {
  const out = file(`sig-${tool}`);
  if (tool === 'pkeyutl') {
    openssl(
      'pkeyutl',
      '-sign',
      '-inkey',
      file('key.pem'),
      '-rawin',
      '-digest',
      'sm3',
      '-in',
      message,
      '-out',
      out,
      '-pkeyopt',
      'distid:1234567812345678',
    );
  } else {
    openssl(
      'dgst',
      '-sm3',
      '-sign',
      file('key.pem'),
      '-sigopt',
      'distid:1234567812345678',
      '-out',
      out,
      message,
    );
  }
  return readFileSync(out);
}

describe('domain/pki/sm2', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));
  const opensslKey = sm2PublicKeyFromPem(readFileSync(file('pub.pem'), 'utf8'));

  it("should read OpenSSL's SM2 public key and write it back byte for byte", () => {
    assert.match(opensslKey ?? '', /^04[0-9a-f]{128}$/);
    assert.equal(sm2PublicKeyPem(opensslKey!), readFileSync(file('pub.pem'), 'utf8'));
    const p256 = execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout'], {
      encoding: 'utf8',
    });
    writeFileSync(file('p256.pem'), p256);
    const p256Pub = openssl('pkey', '-in', file('p256.pem'), '-pubout');
    assert.equal(sm2PublicKeyFromPem(p256Pub), undefined, 'a P-256 key is not an SM2 key');
  });

  it('should verify signatures made by openssl pkeyutl and openssl dgst, and refuse one flipped byte', () => {
    for (const tool of ['pkeyutl', 'dgst'] as const) {
      const signature = opensslSign(tool);
      assert.equal(verifySm2Sm3(MESSAGE, signature, opensslKey!), true, tool);
      const flipped = Buffer.from(MESSAGE);
      flipped[10] = (flipped[10] as number) ^ 0x01;
      assert.equal(verifySm2Sm3(flipped, signature, opensslKey!), false, `${tool}: message byte flipped`);
      const badSignature = Buffer.from(signature);
      badSignature[badSignature.length - 1] = (badSignature[badSignature.length - 1] as number) ^ 0x01;
      assert.equal(
        verifySm2Sm3(MESSAGE, badSignature, opensslKey!),
        false,
        `${tool}: signature byte flipped`,
      );
      assert.equal(verifySm2Sm3(MESSAGE, signature, newSm2Key().publicKeyHex), false, `${tool}: another key`);
    }
  });

  it('should sign so that OpenSSL verifies, with a key file OpenSSL reads', () => {
    const key = newSm2Key();
    writeFileSync(file('ours.pem'), sm2KeyPem(key));
    writeFileSync(file('ours-pub.pem'), sm2PublicKeyPem(key.publicKeyHex));
    writeFileSync(file('ours.sig'), signSm2Sm3(MESSAGE, key));
    const verified = openssl(
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      file('ours-pub.pem'),
      '-rawin',
      '-digest',
      'sm3',
      '-in',
      file('message'),
      '-sigfile',
      file('ours.sig'),
      '-pkeyopt',
      'distid:1234567812345678',
    );
    assert.match(verified, /Signature Verified Successfully/);
    // OpenSSL derives the same public key from our key file.
    assert.equal(openssl('pkey', '-in', file('ours.pem'), '-pubout'), sm2PublicKeyPem(key.publicKeyHex));
    // And our reader takes OpenSSL's key file (PKCS#8) and its SEC 1 form alike.
    const fromOpenssl = sm2KeyFromPem(readFileSync(file('key.pem'), 'utf8'));
    assert.equal(fromOpenssl.publicKeyHex, opensslKey);
    const sec1 = execFileSync('openssl', ['ec', '-in', file('key.pem')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    assert.match(sec1, /^-----BEGIN SM2 PRIVATE KEY-----/);
    assert.equal(sm2KeyFromPem(sec1).publicKeyHex, opensslKey);
    assert.equal(verifySm2Sm3(MESSAGE, signSm2Sm3(MESSAGE, fromOpenssl), opensslKey!), true);
    assert.throws(() => sm2KeyFromPem(readFileSync(file('p256.pem'), 'utf8')), /not an SM2 key/);
  });

  it('should accept a public key in one spelling only, on the curve', () => {
    const { publicKeyHex } = newSm2Key();
    assert.equal(parseSm2PublicKeyHex(publicKeyHex), publicKeyHex);
    for (const bad of [
      publicKeyHex.toUpperCase(),
      publicKeyHex.slice(0, -2),
      `02${publicKeyHex.slice(2, 66)}`,
      `04${'11'.repeat(64)}`,
      `04${'00'.repeat(64)}`,
      42,
      undefined,
    ]) {
      assert.equal(parseSm2PublicKeyHex(bad), undefined, String(bad));
    }
  });

  it('should keep an SM2 signature as sent (no low-S twin) and refuse integers outside the SM2 order', () => {
    const signature = opensslSign('pkeyutl').toString('base64');
    assert.equal(canonicalSignature(signature, 'sm2-sm3'), signature);
    const integer = (value: bigint) => {
      let hex = value.toString(16);
      if (hex.length % 2) hex = `0${hex}`;
      if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
      return Buffer.concat([Buffer.from([0x02, hex.length / 2]), Buffer.from(hex, 'hex')]);
    };
    const der = (r: bigint, s: bigint) => {
      const body = Buffer.concat([integer(r), integer(s)]);
      return Buffer.concat([Buffer.from([0x30, body.length]), body]).toString('base64');
    };
    // s above half the order is kept for SM2 (an ECDSA signature would be turned into its twin).
    const highS = der(5n, SM2_ORDER - 5n);
    assert.equal(canonicalSignature(highS, 'sm2-sm3'), highS);
    assert.throws(
      () => canonicalSignature(der(SM2_ORDER, 5n), 'sm2-sm3'),
      vppError(ErrorCode.NON_CANONICAL_SIGNATURE),
    );
    assert.throws(
      () => canonicalSignature(der(0n, 5n), 'sm2-sm3'),
      vppError(ErrorCode.NON_CANONICAL_SIGNATURE),
    );
  });
});
