import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { KJUR } from 'jsrsasign';
import {
  crlAttributeOf,
  crlDerOf,
  identityEntryOf,
  USER_CERTIFICATE,
} from '../../../../gateway/src/directory/entries';
import { deviceAttrs, newTestCa, newTestDevice } from '../../../support/test-pki';

const BASE = 'dc=vpp-ledger,dc=example';
const ca = newTestCa();

const valuesOf = (entry: ReturnType<typeof identityEntryOf>) =>
  Object.fromEntries(entry.attributes.map((a) => [a.type, a.values]));

describe('directory/entries', () => {
  describe('#identityEntryOf', () => {
    it("should make a device's entry from its certificate: DER bytes, org, role, DER and VPP ids, serial", () => {
      const { certPem } = newTestDevice(ca, {
        cn: 'device.pv-1',
        attrs: { ...deviceAttrs('pv-1', 'vpp-1'), 'hf.EnrollmentID': 'device.pv-1' },
      });
      const cert = new X509Certificate(certPem);
      const entry = identityEntryOf(BASE, 'CvppMSP', certPem);
      assert.equal(entry.dn, `cn=device.pv-1,o=CvppMSP,${BASE}`);
      assert.deepEqual(entry.objectClasses, ['device', 'pkiUser', 'vppIdentity']);
      assert.deepEqual(entry.naming, { type: 'cn', values: ['device.pv-1'] });
      assert.deepEqual(valuesOf(entry), {
        [USER_CERTIFICATE]: [cert.raw],
        vppMspId: ['CvppMSP'],
        vppRole: ['device'],
        vppDerId: ['pv-1'],
        vppVppId: ['vpp-1'],
        serialNumber: [cert.serialNumber.replace(/^0+/, '')],
      });
    });

    it('should make a person an inetOrgPerson with a surname and no DER or VPP id', () => {
      const { certPem } = newTestDevice(ca, {
        cn: 'alice',
        attrs: { 'vpp.role': 'operator', 'hf.EnrollmentID': 'alice' },
      });
      const entry = identityEntryOf(BASE, 'TradingMSP', certPem);
      assert.equal(entry.dn, `cn=alice,o=TradingMSP,${BASE}`);
      assert.deepEqual(entry.objectClasses, ['inetOrgPerson', 'pkiUser', 'vppIdentity']);
      const values = valuesOf(entry);
      assert.deepEqual(
        [values.vppRole, values.sn, values.vppDerId, values.vppVppId],
        [['operator'], ['alice'], undefined, undefined],
      );
    });

    it('should take the subject CN when the certificate carries no hf.EnrollmentID', () => {
      const { certPem } = newTestDevice(ca, { cn: 'bob', attrs: { 'vpp.role': 'control' } });
      const entry = identityEntryOf(BASE, 'ControlMSP', certPem);
      assert.equal(entry.dn, `cn=bob,o=ControlMSP,${BASE}`);
      assert.deepEqual(entry.naming.values, ['bob']);
    });
  });

  describe('#crlAttributeOf', () => {
    it("should put the CRL's DER on the org's entry", () => {
      // @types/jsrsasign knows only the CRL constructor of old releases (tbsobj, rsaprvkey).
      const crlPem = new KJUR.asn1.x509.CRL({
        version: 2,
        sigalg: 'SHA256withECDSA',
        issuer: { str: ca.subject },
        thisupdate: '20250101000000Z',
        revcert: [{ sn: { hex: '1001' }, date: '20250101000000Z' }],
        cakey: ca.keyPem,
      } as never).getPEM();
      const der = crlDerOf(crlPem);
      assert.equal(der[0], 0x30, 'a DER SEQUENCE');
      assert.equal(der.toString('base64'), crlPem.replace(/-----[A-Z0-9 ]+-----/g, '').replace(/\s+/g, ''));
      assert.deepEqual(crlAttributeOf(BASE, 'CvppMSP', crlPem), {
        dn: `o=CvppMSP,${BASE}`,
        type: 'certificateRevocationList;binary',
        values: [der],
      });
    });

    it('should refuse what is not a PEM CRL', () => {
      assert.throws(
        () => crlDerOf('-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----'),
        /not a PEM CRL/,
      );
    });
  });
});
