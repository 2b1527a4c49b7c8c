import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DirectoryPort } from '../../../../gateway/src/directory/ldap-directory';
import { publishingRa } from '../../../../gateway/src/directory/publishing-ra';
import type { RaPort } from '../../../../gateway/src/plugins/app/ra';

/** An RA whose certificates and CRLs are plain strings: the decorator only passes them on. */
function fakeRa(): RaPort & { crl: string } {
  const ra = {
    crl: 'crl-1',
    enroll: async (id: string) => ({ certPem: `cert-of-${id}`, key: { kind: 'file', file: `${id}.pem` } }),
    enrollCsr: async (id: string) => `csr-cert-of-${id}`,
    register: async (input: { enrollmentId: string }) => ({ ...input, role: 'device', secret: 's' }),
    list: async () => [],
    revoke: async () => ({ serials: ['AB'], crlPem: ra.crl }),
    caChainPem: () => 'chain',
    crlPem: async () => ra.crl,
  };
  return ra as unknown as RaPort & { crl: string };
}

/** A directory that records what it was given, and refuses while `down`. */
function fakeDirectory() {
  const published: string[] = [];
  const state = { down: false };
  const port: DirectoryPort = {
    async publishCertificate(certPem) {
      if (state.down) throw new Error('ECONNREFUSED');
      published.push(`cert:${certPem}`);
    },
    async publishCrl(crlPem) {
      if (state.down) throw new Error('ECONNREFUSED');
      published.push(`crl:${crlPem}`);
    },
  };
  return { port, published, state };
}

function warnings() {
  const messages: string[] = [];
  return { log: { warn: (_obj: unknown, message?: string) => void messages.push(message ?? '') }, messages };
}

describe('directory/publishing-ra', () => {
  it("should publish a device's and a person's certificate before answering their enrollment", async () => {
    const directory = fakeDirectory();
    const ra = publishingRa(fakeRa(), directory.port, warnings().log as never);
    assert.equal(await ra.enrollCsr('device.pv-1', 'secret', 'csr'), 'csr-cert-of-device.pv-1');
    assert.equal((await ra.enroll('alice', 'secret')).certPem, 'cert-of-alice');
    assert.deepEqual(directory.published, ['cert:csr-cert-of-device.pv-1', 'cert:cert-of-alice']);
  });

  it('should publish the regenerated CRL before a revocation answers, and a CRL only when it changed', async () => {
    const directory = fakeDirectory();
    const inner = fakeRa();
    const ra = publishingRa(inner, directory.port, warnings().log as never);
    assert.deepEqual(await ra.revoke('device.pv-1', 'keycompromise'), { serials: ['AB'], crlPem: 'crl-1' });
    assert.equal(await ra.crlPem(), 'crl-1');
    inner.crl = 'crl-2';
    await ra.crlPem();
    assert.deepEqual(directory.published, ['crl:crl-1', 'crl:crl-2']);
  });

  it('should still enroll and revoke while the directory is down, warn, and publish what it missed once it is back', async () => {
    const directory = fakeDirectory();
    const { log, messages } = warnings();
    const ra = publishingRa(fakeRa(), directory.port, log as never);
    directory.state.down = true;
    assert.equal(await ra.enrollCsr('device.pv-1', 'secret', 'csr'), 'csr-cert-of-device.pv-1');
    assert.equal((await ra.revoke('device.pv-1', 'keycompromise')).crlPem, 'crl-1');
    assert.equal(messages.length, 2);
    assert.match(messages[0]!, /could not publish a certificate/);
    assert.match(messages[1]!, /could not publish the CRL/);
    assert.deepEqual(directory.published, []);

    directory.state.down = false;
    await ra.crlPem();
    assert.deepEqual(directory.published, ['crl:crl-1', 'cert:csr-cert-of-device.pv-1']);
    await ra.enrollCsr('device.pv-2', 'secret', 'csr');
    assert.deepEqual(directory.published.slice(2), ['cert:csr-cert-of-device.pv-2']);
  });

  it('should revoke and publish one at a time, so the directory ends with the newest CRL', async () => {
    const directory = fakeDirectory();
    const inner = fakeRa();
    let revocations = 0;
    const slowFirst: RaPort = {
      ...inner,
      async revoke() {
        revocations += 1;
        const crlPem = `crl-after-${revocations}`;
        // The first revocation's CA call is slower: unserialised, its older CRL would be published last.
        if (revocations === 1) await new Promise((resolve) => setTimeout(resolve, 20));
        return { serials: [String(revocations)], crlPem };
      },
    };
    const ra = publishingRa(slowFirst, directory.port, warnings().log as never);
    await Promise.all([ra.revoke('a', 'x'), ra.revoke('b', 'x')]);
    assert.deepEqual(directory.published, ['crl:crl-after-1', 'crl:crl-after-2']);
  });

  it('should pass register, list and the CA chain through untouched', async () => {
    const directory = fakeDirectory();
    const ra = publishingRa(fakeRa(), directory.port, warnings().log as never);
    assert.equal(ra.caChainPem(), 'chain');
    assert.deepEqual(await ra.list(), []);
    assert.equal((await ra.register({ enrollmentId: 'x', role: 'device', attrs: {} })).enrollmentId, 'x');
    assert.deepEqual(directory.published, []);
  });
});
