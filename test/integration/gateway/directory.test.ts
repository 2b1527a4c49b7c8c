// The LDAP certificate directory on the real network: what the registration authority publishes
// there (a device's and a person's certificate, the CRL after a revocation), read back anonymously
// with an LDAP client, and the directory's access rules.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import {
  Attribute,
  Change,
  Client,
  InsufficientAccessError,
  StrongAuthRequiredError,
  type Entry,
} from 'ldapts';
import { serialOf } from '../../../chaincode/src/domain/pki/certificate';
import type { Device } from '../../../gateway/device-kit/device';
import { enrollDevice } from '../../../gateway/device-kit/device-api';
import { crlSerials } from '../../../gateway/src/plugins/app/ra';
import {
  directoryPaths,
  directoryUrl,
  identityDn,
  orgDn,
  raBindDn,
  raUnitDn,
} from '../../../platform/src/directory-layout';
import {
  call,
  gatewayTarget,
  loginAdmin,
  registerAndLogin,
  type RestUser,
} from '../../../platform/src/http/gateway-rest';
import { orgByName } from '../../../platform/src/topology';
import { topology } from '../../support/fabric-client';

const ORG = 'cvpp';
const stamp = Date.now().toString(36);
const VPP_ID = `vpp-dir-${stamp}`;
const DER_ID = `pv-dir-${stamp}`;
const CERTIFICATE = 'userCertificate;binary';
const CRL = 'certificateRevocationList;binary';

const directory = topology.directory!;
const url = directoryUrl(directory);
const mspId = orgByName(topology, ORG).mspId;

/** Whether a missing ldapsearch fails the run (as CI's VPP_REQUIRE_BROWSER does for Chromium) rather than skipping. */
const ldapUtilsRequired = () =>
  process.env.VPP_REQUIRE_LDAP_UTILS === '1' || process.env.VPP_REQUIRE_BROWSER === '1';
const ldapsearchMissing = spawnSync('ldapsearch', ['-VV'], { encoding: 'utf8' }).error !== undefined;

/** One entry read anonymously (binary attributes as Buffers); undefined when there is none. */
async function readEntry(dn: string, attributes: string[] = ['*']): Promise<Entry | undefined> {
  const client = new Client({ url, timeout: 5_000, connectTimeout: 5_000 });
  try {
    const { searchEntries } = await client.search(dn, {
      scope: 'base',
      attributes,
      explicitBufferAttributes: [CERTIFICATE, CRL],
    });
    return searchEntries[0];
  } finally {
    await client.unbind();
  }
}

const single = (value: Entry[string] | undefined): Buffer => {
  const first = Array.isArray(value) ? value[0] : value;
  assert.ok(Buffer.isBuffer(first), 'a binary value');
  return first;
};

/** A write as `bindDn` (anonymous without one); the error the directory answers, if any. */
async function tryWrite(bindDn: string | undefined, secret: string, dn: string): Promise<unknown> {
  const client = new Client({ url, timeout: 5_000, connectTimeout: 5_000 });
  try {
    if (bindDn) await client.bind(bindDn, secret);
    await client.modify(
      dn,
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'description', values: ['x'] }),
      }),
    );
    return undefined;
  } catch (err) {
    return err;
  } finally {
    await client.unbind();
  }
}

describe('LDAP certificate directory', () => {
  let adminToken: string;
  let operator: RestUser;
  let device: Device;

  before(async () => {
    adminToken = await loginAdmin(ORG);
    operator = await registerAndLogin(ORG, adminToken, `dir-operator-${stamp}`, 'operator');
    const vpp = await call(ORG, 'POST', '/v1/vpps', {
      token: operator.token,
      body: { vppId: VPP_ID, displayName: 'Directory test VPP', feeBps: 250 },
    });
    assert.equal(vpp.status, 201, JSON.stringify(vpp.body));
    const registered = await call<{ secret: string }>(ORG, 'POST', '/v1/devices', {
      token: operator.token,
      body: { derId: DER_ID, vppId: VPP_ID },
    });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    device = await enrollDevice(gatewayTarget(ORG), DER_ID, registered.body.secret);
    const der = await call(ORG, 'POST', '/v1/ders', {
      token: operator.token,
      body: {
        derId: DER_ID,
        vppId: VPP_ID,
        derType: 'pv',
        capacityW: 8000,
        zone: 'zone-a',
        certificatePem: device.credentials.certPem,
      },
    });
    assert.equal(der.status, 201, JSON.stringify(der.body));
  });

  it('should hold a device enrolled through the RA with its certificate byte for byte, org, role and ids', async () => {
    const entry = await readEntry(identityDn(directory.baseDn, mspId, `device.${DER_ID}`));
    assert.ok(entry, 'the device has an entry');
    assert.deepEqual(single(entry[CERTIFICATE]), new X509Certificate(device.credentials.certPem).raw);
    assert.deepEqual(
      [entry.vppMspId, entry.vppRole, entry.vppDerId, entry.vppVppId, entry.serialNumber],
      [mspId, 'device', DER_ID, VPP_ID, serialOf(device.credentials.certPem)],
    );
    assert.deepEqual(entry.objectClass, ['device', 'pkiUser', 'vppIdentity']);
  });

  it("should hold a person's certificate once the gateway enrolled it at the first login", async () => {
    const me = await call<{ serial: string }>(ORG, 'GET', '/v1/auth/me', { token: operator.token });
    const entry = await readEntry(identityDn(directory.baseDn, mspId, operator.enrollmentId));
    assert.ok(entry, 'the person has an entry');
    assert.equal(serialOf(new X509Certificate(single(entry[CERTIFICATE])).toString()), me.body.serial);
    assert.deepEqual(
      [entry.vppRole, entry.objectClass],
      ['operator', ['inetOrgPerson', 'pkiUser', 'vppIdentity']],
    );
  });

  it("should hold each org's CA root on its entry", async () => {
    const entry = await readEntry(orgDn(directory.baseDn, mspId), ['cACertificate;binary']);
    const root = new X509Certificate(single(entry?.['cACertificate;binary']));
    const chain = await call<string>(ORG, 'GET', '/v1/pki/ca-chain');
    assert.deepEqual(root.raw, new X509Certificate(chain.body).raw);
  });

  it('should list a revoked device in the CRL on its org entry by the time the revoke request answers', async () => {
    const serial = serialOf(device.credentials.certPem);
    const revoked = await call<{ revokedSerials: string[] }>(ORG, 'POST', `/v1/devices/${DER_ID}/revoke`, {
      token: operator.token,
      body: { reason: 'keyCompromise' },
    });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    const entry = await readEntry(orgDn(directory.baseDn, mspId), [CRL]);
    assert.ok(
      // jsrsasign's X509CRL reads a CRL's DER as hex as well as PEM.
      crlSerials(single(entry?.[CRL]).toString('hex')).includes(serial),
      'the CRL in LDAP lists the device',
    );
  });

  it('should refuse anonymous writes', async () => {
    // slapd answers strongAuthRequired (8) to any anonymous modification, before its access rules.
    const err = await tryWrite(undefined, '', identityDn(directory.baseDn, mspId, `device.${DER_ID}`));
    assert.ok(err instanceof StrongAuthRequiredError, String(err));
  });

  it("should refuse one org's RA a write in another org's subtree, and allow it in its own", async () => {
    const trading = orgByName(topology, 'trading');
    const bindDn = raBindDn(directory.baseDn, trading.mspId);
    const secret = readFileSync(directoryPaths.raSecret(trading.name), 'utf8').trim();
    const foreign = await tryWrite(bindDn, secret, orgDn(directory.baseDn, mspId));
    assert.ok(foreign instanceof InsufficientAccessError, String(foreign));
    assert.equal(await tryWrite(bindDn, secret, orgDn(directory.baseDn, trading.mspId)), undefined);
  });

  it("should never show an RA's password, to anyone", async () => {
    const entry = await readEntry(raBindDn(directory.baseDn, mspId), ['userPassword', 'cn']);
    // ldapts lists a requested attribute the server did not return as [].
    assert.deepEqual([entry?.cn, entry?.userPassword], [mspId, []]);
    const client = new Client({ url, timeout: 5_000 });
    const cvppSecret = readFileSync(directoryPaths.raSecret(ORG), 'utf8').trim();
    await client.bind(raBindDn(directory.baseDn, mspId), cvppSecret);
    const { searchEntries } = await client.search(raUnitDn(directory.baseDn), {
      attributes: ['userPassword'],
    });
    await client.unbind();
    assert.ok(searchEntries.length >= topology.orgs.length);
    assert.deepEqual(
      searchEntries.map((e) => e.userPassword),
      searchEntries.map(() => []),
    );
  });

  it(
    "should answer the README's ldapsearch for a device's certificate",
    {
      skip:
        ldapsearchMissing && !ldapUtilsRequired() ? 'ldapsearch is not installed (Debian ldap-utils)' : false,
    },
    () => {
      const search = spawnSync(
        'ldapsearch',
        [
          '-x',
          '-LLL',
          '-o',
          'ldif-wrap=no',
          '-H',
          url,
          '-b',
          directory.baseDn,
          `(vppDerId=${DER_ID})`,
          CERTIFICATE,
        ],
        { encoding: 'utf8', timeout: 10_000 },
      );
      assert.equal(search.status, 0, search.stderr);
      const base64 = new X509Certificate(device.credentials.certPem).raw.toString('base64');
      assert.deepEqual(search.stdout.trim().split('\n'), [
        `dn: ${identityDn(directory.baseDn, mspId, `device.${DER_ID}`)}`,
        `${CERTIFICATE}:: ${base64}`,
      ]);
    },
  );
});
