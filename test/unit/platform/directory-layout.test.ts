import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  directoryUrl,
  escapeRdnValue,
  identityDn,
  orgDn,
  raBindDn,
  raUnitDn,
} from '../../../platform/src/directory-layout';

const BASE = 'dc=vpp-ledger,dc=example';

describe('directory-layout', () => {
  it('should name the org entry, its identities and the RA bind identities outside the orgs', () => {
    assert.equal(orgDn(BASE, 'CvppMSP'), `o=CvppMSP,${BASE}`);
    assert.equal(identityDn(BASE, 'CvppMSP', 'device.pv-1'), `cn=device.pv-1,o=CvppMSP,${BASE}`);
    assert.equal(raUnitDn(BASE), `ou=ra,${BASE}`);
    assert.equal(raBindDn(BASE, 'CvppMSP'), `cn=CvppMSP,ou=ra,${BASE}`);
    assert.equal(directoryUrl({ host: 'localhost', port: 10389 }), 'ldap://localhost:10389');
  });

  it('should escape the characters RFC 4514 reserves in an RDN value', () => {
    assert.equal(escapeRdnValue('a,b+c"d\\e<f>g;h=i'), 'a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h\\=i');
    assert.equal(escapeRdnValue('#lead'), '\\#lead');
    assert.equal(escapeRdnValue(' both '), '\\ both\\ ');
    assert.equal(escapeRdnValue('device.pv-1'), 'device.pv-1');
  });
});
