// An identity whose private key is born in a SoftHSM2 token and never leaves it: the token of a
// temporary folder (its own SOFTHSM2_CONF), whatever the topology selects, enrolled at cvpp's CA with
// a CSR the token signs, then a real write and read through @hyperledger/fabric-gateway's HSM signer.
// Without softhsm2 or a built pkcs11js the test fails with the reason; it is never skipped
// (network/bin/ensure-deps.sh installs softhsm2, npm ci builds pkcs11js).

import assert from 'node:assert/strict';
import { X509Certificate, createPublicKey } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HSMSignerFactory } from '@hyperledger/fabric-gateway';
import FabricCAServices from 'fabric-ca-client';
import { loadConfig } from '../../../../gateway/src/config';
import { call, loginAdmin } from '../../../../platform/src/http/gateway-rest';
import type { SoftToken } from '../../../../platform/src/keys/softhsm';
import { connectWith, creatorOfTransaction, utf8, type Connection } from '../../../support/fabric-client';

const ORG = 'cvpp';
const stamp = Date.now().toString(36);
const ENROLLMENT_ID = `it-hsm-${stamp}`;
const DIR = mkdtempSync(path.join(os.tmpdir(), 'vpp-softhsm-'));

type SoftHsm = typeof import('../../../../platform/src/keys/softhsm');

/** The module loads pkcs11js (a native addon): a missing build is named, not thrown as a stack. */
async function loadSoftHsm(): Promise<SoftHsm> {
  try {
    return await import('../../../../platform/src/keys/softhsm.js');
  } catch (err) {
    throw new Error(
      `pkcs11js is not built (npm ci builds it: allowScripts pkcs11js, .npmrc nodedir): ${(err as Error).message}`,
    );
  }
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

describe('SoftHSM2 signing keys (PKCS#11) on the real network', () => {
  let softhsm: SoftHsm;
  let token: SoftToken;
  let factory: HSMSignerFactory;
  let enrolled: Awaited<ReturnType<SoftHsm['enrollInToken']>>;
  let connection: Connection;

  before(async () => {
    softhsm = await loadSoftHsm();
    token = softhsm.ensureSoftToken(DIR, `it-${ORG}`);
    factory = softhsm.newTokenSignerFactory(token);
    const registered = await call<{ secret: string }>(ORG, 'POST', '/v1/identities', {
      token: await loginAdmin(ORG),
      body: { enrollmentId: ENROLLMENT_ID, role: 'admin' },
    });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const { ca: caConfig } = loadConfig({ VPP_GATEWAY_ORG: ORG });
    const ca = new FabricCAServices(
      caConfig.url,
      { trustedRoots: [readFileSync(caConfig.tlsRootFile, 'utf8')], verify: true },
      caConfig.name,
    );
    enrolled = await softhsm.enrollInToken(factory, token, ENROLLMENT_ID, async (csr) => {
      const enrollment = await ca.enroll({
        enrollmentID: ENROLLMENT_ID,
        enrollmentSecret: registered.body.secret,
        csr,
      });
      return enrollment.certificate;
    });
    connection = connectWith(ORG, enrolled.certPem, enrolled.signer);
  });

  after(() => {
    connection?.close();
    enrolled?.close();
    factory?.dispose();
    rmSync(DIR, { recursive: true, force: true });
  });

  it('should certify the token key: the CA signed the CSR the token made for its public key', () => {
    const cert = new X509Certificate(enrolled.certPem);
    assert.match(cert.subject, new RegExp(`CN=${ENROLLMENT_ID}`));
    const certKey = cert.publicKey.export({ format: 'jwk' });
    const tokenKey = createPublicKey(enrolled.publicKeyPem).export({ format: 'jwk' });
    assert.deepEqual({ x: certKey.x, y: certKey.y }, { x: tokenKey.x, y: tokenKey.y });
  });

  it('should commit a write signed in the token and read it back', async () => {
    const displayName = `CVPP HSM ${stamp}`;
    const outcome = await connection.submit('org', 'PutOrgProfile', [
      JSON.stringify({ displayName, orgRole: 'cvpp', contactEmail: 'ops@cvpp.example' }),
    ]);
    assert.equal(outcome.status.successful, true);
    assert.ok(outcome.status.blockNumber > 0n);
    const profile = JSON.parse(
      utf8(await connection.contract('org').evaluateTransaction('GetOrgProfile', 'CvppMSP')),
    ) as { displayName: string; mspId: string };
    assert.equal(profile.displayName, displayName);
    assert.equal(profile.mspId, 'CvppMSP');
    const creator = await creatorOfTransaction(connection, outcome.txId);
    assert.equal(creator.toString('utf8').trim(), enrolled.certPem.trim());
  });

  it('should keep the private key in the token: sensitive, not extractable, its value refused', () => {
    assert.deepEqual(softhsm.privateKeyProtection(token, enrolled.identifier), {
      extractable: false,
      sensitive: true,
      valueReadable: false,
    });
    const keyFiles = filesUnder(DIR).filter((file) => readFileSync(file).includes('PRIVATE KEY'));
    assert.deepEqual(keyFiles, []);
  });

  it('should keep the PINs and the token folder private (0600 files, 0700 folder)', () => {
    assert.equal(statSync(DIR).mode & 0o777, 0o700);
    for (const who of ['user', 'so'])
      assert.equal(statSync(path.join(DIR, `it-${ORG}.${who}-pin`)).mode & 0o777, 0o600);
  });
});
