// Enrollment of one org against a real fabric-ca-server (identity CA + TLS CA in one process),
// in a private run folder and on free ports. Needs the pinned fabric-ca binaries: without them
// the test fails (it is not skipped), since test/integration only runs where the network can run.

import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CaClientError,
  enrollOrg,
  generateCrl,
  identityCaConfigFile,
  prepareCaServer,
  revokeIdentity,
  tlsCaConfigFile,
} from '../../../ca/src';
import {
  bootstrapSecretFile,
  caHome,
  caNames,
  caTlsRootFile,
  enrollmentIdsOf,
} from '../../../platform/src/ca-layout';
import { binaryPath, fabricBinaries, missingBinaries } from '../../../platform/src/fabric-binaries';
import { locateFabricHome } from '../../../platform/src/fabric-home';
import { cryptoPaths, runPaths } from '../../../platform/src/paths';
import { toolsAt } from '../../../network/src/fabric-cli';
import { launchSpecOf } from '../../../network/src/process/launch';
import { startNode, stopNode, type LaunchSpec } from '../../../network/src/process/supervisor';
import { loadTopology, nodeOf, validateTopology, type Topology } from '../../../platform/src/topology';

/** The project's own launcher for the CA node, as `npm start` uses it. */
function caSpec(topology: Topology): LaunchSpec {
  const org = topology.orgs.find((o) => o.name === ORG)!;
  const tools = toolsAt(locateFabricHome(topology.fabric).dir);
  return launchSpecOf(nodeOf(org, 'ca'), { topology, tools });
}
import { caContext, caUrl, clientHome, runCaClient } from '../../../ca/src/ca-client';
import { crlSerials, fabricAttrs, normalSerial } from './x509-support';
import { freePort } from '../../support/free-port';

// runDir() is read lazily, so setting it before the first call keeps every path in this folder.
const RUN_DIR = mkdtempSync(path.join(os.tmpdir(), 'vpp-ca-'));
process.env.VPP_RUN_DIR = RUN_DIR;
const ORG = 'cvpp';

/** The project topology with cvpp's CA moved to free ports, validated like the real one. */
async function testTopology(): Promise<Topology> {
  const copy = structuredClone(loadTopology());
  const cvpp = copy.orgs.find((o) => o.name === ORG)!;
  cvpp.ca = { host: 'localhost', port: await freePort(), operationsPort: await freePort() };
  return validateTopology(copy, 'test topology');
}

const cert = (file: string) => new X509Certificate(readFileSync(file));
const modeOf = (file: string) => statSync(file).mode & 0o777;

/** Every file of the org's crypto tree except the fabric-ca-client homes, with its bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && !path.relative(dir, file).startsWith('.ca-client'))
      files.set(file, readFileSync(file));
  }
  return files;
}

let topology: Topology;
let spec: LaunchSpec | undefined;
let firstRunMs = 0;

before(async () => {
  topology = await testTopology();
  const home = locateFabricHome(topology.fabric).dir;
  const ca = fabricBinaries(topology.fabric).filter((b) => b.name.startsWith('fabric-ca-'));
  const missing = missingBinaries(home, ca).map((b) => binaryPath(home, b));
  assert.deepEqual(
    missing,
    [],
    `fabric-ca binaries missing: run \`npm run install-fabric\` or point VPP_FABRIC_HOME at a Fabric release`,
  );
  spec = caSpec(topology);
  await startNode(spec, 60_000);
  const started = Date.now();
  const result = await enrollOrg(topology, ORG, { timeoutMs: 30_000 });
  firstRunMs = Date.now() - started;
  assert.equal(result.enrolled.length, 9, `first run enrolls every identity: ${result.enrolled.join(', ')}`);
});

after(async () => {
  if (spec) await stopNode(spec, 10_000);
  if (!process.env.VPP_KEEP_RUN_DIR) rmSync(RUN_DIR, { recursive: true, force: true });
});

describe('org CA enrollment', () => {
  const roots = () => ({
    identity: cert(path.join(cryptoPaths.orgMsp(ORG), 'cacerts', 'ca.pem')),
    tls: cert(path.join(cryptoPaths.orgMsp(ORG), 'tlscacerts', 'ca.pem')),
  });

  it('should serve HTTPS with a certificate chaining to the file caTlsRootFile names', () => {
    const root = cert(caTlsRootFile(ORG));
    const server = cert(path.join(caHome(ORG), 'tls-cert.pem'));
    assert.ok(server.checkIssued(root) && server.verify(root.publicKey));
    assert.equal(root.subject.match(/CN=(.*)/)?.[1], caNames(ORG).identity);
    assert.match(server.subjectAltName ?? '', /DNS:localhost/);
    assert.match(server.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
  });

  it('should keep two distinct roots: identity CA ca-cvpp, TLS CA tlsca-cvpp', () => {
    const { identity, tls } = roots();
    assert.equal(identity.subject.match(/CN=(.*)/)?.[1], 'ca-cvpp');
    assert.equal(tls.subject.match(/CN=(.*)/)?.[1], 'tlsca-cvpp');
    assert.ok(identity.ca && tls.ca);
    assert.notEqual(identity.fingerprint256, tls.fingerprint256);
  });

  it('should issue the peer identity with OU peer, signed by the identity root', () => {
    const peer = cert(cryptoPaths.signCert(ORG, 'peer'));
    assert.ok(peer.verify(roots().identity.publicKey));
    assert.match(peer.subject, /^OU=peer$/m);
    assert.match(peer.subject, /^CN=peer\.cvpp$/m);
    assert.match(cert(cryptoPaths.signCert(ORG, 'orderer')).subject, /^OU=orderer$/m);
    const msp = cryptoPaths.nodeMsp(ORG, 'peer');
    assert.deepEqual(readdirSync(msp).sort(), ['cacerts', 'config.yaml', 'keystore', 'signcerts']);
    assert.deepEqual(readdirSync(path.join(msp, 'keystore')), ['key.pem']);
    assert.deepEqual(readdirSync(path.join(msp, 'cacerts')), ['ca.pem']);
  });

  it('should put vpp.role=admin, operator and ingest in the admin, appuser and ingest certificates', () => {
    const admin = cert(path.join(cryptoPaths.userMsp(ORG, 'admin'), 'signcerts', 'cert.pem'));
    assert.match(admin.subject, /^OU=admin$/m);
    assert.equal(fabricAttrs(admin)?.['vpp.role'], 'admin');
    assert.equal(fabricAttrs(admin)?.['hf.EnrollmentID'], enrollmentIdsOf(ORG).admin);
    // Registrar powers are identity attributes, not certificate ones.
    assert.equal(fabricAttrs(admin)?.['hf.Revoker'], undefined);
    const appuser = cert(path.join(cryptoPaths.userMsp(ORG, 'appuser'), 'signcerts', 'cert.pem'));
    assert.match(appuser.subject, /^OU=client$/m);
    assert.equal(fabricAttrs(appuser)?.['vpp.role'], 'operator');
    const ingest = cert(path.join(cryptoPaths.userMsp(ORG, 'ingest'), 'signcerts', 'cert.pem'));
    assert.equal(fabricAttrs(ingest)?.['vpp.role'], 'ingest');
    assert.equal(fabricAttrs(ingest)?.['hf.EnrollmentID'], enrollmentIdsOf(ORG).ingest);
    for (const user of ['admin', 'appuser', 'ingest']) {
      const tlsRoot = readFileSync(path.join(cryptoPaths.userMsp(ORG, user), 'tlscacerts', 'ca.pem'));
      assert.equal(new X509Certificate(tlsRoot).fingerprint256, roots().tls.fingerprint256);
    }
  });

  it('should issue TLS server certificates from the TLS root with every name a client dials', () => {
    const { identity, tls } = roots();
    for (const node of ['peer', 'orderer', 'chaincode', 'gateway'] as const) {
      const server = cert(cryptoPaths.tls(ORG, node, 'server.crt'));
      assert.ok(server.verify(tls.publicKey), `${node} TLS cert signed by the TLS root`);
      assert.equal(
        server.verify(identity.publicKey),
        false,
        `${node} TLS cert not signed by the identity root`,
      );
      const sans = (server.subjectAltName ?? '').split(', ').sort();
      assert.deepEqual(sans, ['DNS:localhost', `DNS:${node}-cvpp`, 'IP Address:127.0.0.1'].sort());
      assert.equal(cert(cryptoPaths.tls(ORG, node, 'ca.crt')).fingerprint256, tls.fingerprint256);
    }
  });

  it('should write every private key and secret with mode 0600', () => {
    const keys = [
      ...(['peer', 'orderer'] as const).map((n) =>
        path.join(cryptoPaths.nodeMsp(ORG, n), 'keystore', 'key.pem'),
      ),
      ...['admin', 'appuser'].map((u) => path.join(cryptoPaths.userMsp(ORG, u), 'keystore', 'key.pem')),
      ...(['peer', 'orderer', 'chaincode', 'gateway'] as const).map((n) =>
        cryptoPaths.tls(ORG, n, 'server.key'),
      ),
      bootstrapSecretFile(ORG),
      identityCaConfigFile(ORG),
      tlsCaConfigFile(ORG),
    ];
    for (const key of keys) assert.equal(modeOf(key).toString(8), '600', key);
  });

  it('should build the channel MSP from both roots with NodeOUs', () => {
    const msp = cryptoPaths.orgMsp(ORG);
    assert.deepEqual(readdirSync(msp).sort(), ['cacerts', 'config.yaml', 'tlscacerts']);
    const config = readFileSync(path.join(msp, 'config.yaml'), 'utf8');
    assert.match(config, /Enable: true/);
    for (const ou of ['client', 'peer', 'admin', 'orderer']) {
      assert.match(config, new RegExp(`OrganizationalUnitIdentifier: ${ou}\\n`));
    }
    assert.equal((config.match(/Certificate: cacerts\/ca\.pem/g) ?? []).length, 4);
  });

  it('should change nothing on a second run, without re-enrolling', async () => {
    const before = snapshot(runPaths.crypto(ORG));
    const again = await enrollOrg(topology, ORG);
    assert.deepEqual(again.enrolled, []);
    assert.equal(again.skipped.length, 9);
    assert.equal(again.channelMspWritten, false);
    const later = snapshot(runPaths.crypto(ORG));
    assert.deepEqual([...later.keys()].sort(), [...before.keys()].sort());
    for (const [file, bytes] of before) assert.ok(later.get(file)!.equals(bytes), `${file} changed`);
    // Preparing the server again reuses the secret and config (the launcher calls it on every start).
    assert.deepEqual(prepareCaServer(topology, ORG).args, spec!.args);
  });

  it('should let the org admin register identities, as the gateway RA will', async () => {
    const org = topology.orgs.find((o) => o.name === ORG)!;
    const out = await runCaClient(caContext(topology, org), 'device-1', [
      'register',
      '-u',
      caUrl(org),
      '-H',
      clientHome(ORG, 'org-admin-check'),
      '-M',
      cryptoPaths.userMsp(ORG, 'admin'),
      '--caname',
      caNames(ORG).identity,
      '--tls.certfiles',
      caTlsRootFile(ORG),
      '--id.name',
      'device-1',
      '--id.type',
      'client',
      '--id.attrs',
      'vpp.role=device:ecert',
    ]);
    assert.match(out, /Password: \S+/);
  });

  it('should leave one copy of each private key: the raw enrollment output is removed', () => {
    const homes = readdirSync(clientHome(ORG)).filter((d) => d !== 'org-admin-check');
    assert.deepEqual(homes.sort(), ['registrar-identity', 'registrar-tls']);
    assert.equal(modeOf(clientHome(ORG)).toString(8), '700');
  });

  it('should come back after a restart from its home, with the same roots and registrars', async () => {
    const roots = [caTlsRootFile(ORG), path.join(path.dirname(tlsCaConfigFile(ORG)), 'ca-cert.pem')];
    const before = roots.map((f) => readFileSync(f));
    await stopNode(spec!, 10_000);
    spec = caSpec(topology);
    assert.equal(await startNode(spec, 60_000), 'started');
    assert.deepEqual(
      roots.map((f) => readFileSync(f)),
      before,
    );
    // The registrar enrolled before the restart still authenticates (the CRL call needs it).
    assert.ok(existsSync(await generateCrl(topology, ORG)));
  });

  it('should list a revoked appuser certificate in the generated CRL', async () => {
    const appuser = cert(path.join(cryptoPaths.userMsp(ORG, 'appuser'), 'signcerts', 'cert.pem'));
    await revokeIdentity(topology, ORG, 'appuser', 'privilegewithdrawn');
    const crl = await generateCrl(topology, ORG);
    assert.match(readFileSync(crl, 'utf8'), /^-----BEGIN X509 CRL-----/);
    assert.deepEqual(crlSerials(crl), [normalSerial(appuser.serialNumber)]);
  });

  it('should keep the bootstrap secret out of the command line and the CA log', () => {
    const secret = readFileSync(bootstrapSecretFile(ORG), 'utf8').trim();
    assert.match(secret, /^[0-9a-f]{48}$/);
    assert.ok(!spec!.args.join(' ').includes(secret));
    assert.ok(!readFileSync(spec!.logFile, 'utf8').includes(secret));
  });

  it('should name the identity and the command, but no secret, when fabric-ca-client fails', async () => {
    const secret = readFileSync(bootstrapSecretFile(ORG), 'utf8').trim();
    await assert.rejects(revokeIdentity(topology, ORG, 'nobody', 'unspecified'), (err: unknown) => {
      assert.ok(err instanceof CaClientError);
      assert.equal(err.identity, 'nobody');
      assert.match(err.message, /fabric-ca-client revoke .*-e nobody/);
      assert.match(err.message, /nobody/);
      assert.ok(!err.message.includes(secret));
      return true;
    });
  });

  it('should enroll a whole org within 20 s', () => {
    console.log(`# enrollOrg(${ORG}) first run: ${firstRunMs} ms`);
    assert.ok(firstRunMs < 20_000);
    assert.ok(existsSync(cryptoPaths.signCert(ORG, 'peer')));
  });
});
