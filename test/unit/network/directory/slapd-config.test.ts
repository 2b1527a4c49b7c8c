import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  foldLdifLine,
  seedLdif,
  slapdConfText,
  sshaPassword,
  vppSchemaText,
} from '../../../../network/src/directory/slapd-config';
import { VPP_SCHEMA_ARC } from '../../../../platform/src/directory-layout';

const BASE = 'dc=vpp-ledger,dc=example';

/** LDIF with folded lines joined back (a line starting with one space continues the previous one). */
const unfold = (ldif: string) => ldif.replace(/\n /g, '');

describe('directory/slapd-config', () => {
  describe('#vppSchemaText', () => {
    it('should define the four identity attributes and the auxiliary class under the UUID arc', () => {
      const schema = vppSchemaText();
      assert.match(VPP_SCHEMA_ARC, /^2\.25\.\d{30,39}$/);
      const names = [...schema.matchAll(/attributetype \( (\S+) NAME '(\w+)'/g)].map((m) => [m[1], m[2]]);
      assert.deepEqual(names, [
        [`${VPP_SCHEMA_ARC}.1.1`, 'vppMspId'],
        [`${VPP_SCHEMA_ARC}.1.2`, 'vppRole'],
        [`${VPP_SCHEMA_ARC}.1.3`, 'vppDerId'],
        [`${VPP_SCHEMA_ARC}.1.4`, 'vppVppId'],
      ]);
      assert.match(
        schema,
        new RegExp(
          `objectclass \\( ${VPP_SCHEMA_ARC.replace(/\./g, '\\.')}\\.2\\.1 NAME 'vppIdentity'[\\s\\S]*AUXILIARY MAY \\( vppMspId \\$ vppRole \\$ vppDerId \\$ vppVppId \\) \\)`,
        ),
      );
    });
  });

  describe('#slapdConfText', () => {
    const conf = slapdConfText({
      baseDn: BASE,
      mspIds: ['CvppMSP', 'TradingMSP'],
      systemSchemaDir: '/etc/ldap/schema',
      vppSchemaFile: 'run/config/directory/vpp.schema',
      modulePath: '/usr/lib/ldap',
      dataDir: 'run/data/directory.regulator',
      pidFile: 'run/data/directory.regulator/slapd.pid',
      argsFile: 'run/data/directory.regulator/slapd.args',
    });
    const lines = conf.split('\n');

    it('should load the three system schemas, then the project schema, and one mdb database for the base DN', () => {
      assert.deepEqual(
        lines.filter((l) => l.startsWith('include ')),
        [
          'include /etc/ldap/schema/core.schema',
          'include /etc/ldap/schema/cosine.schema',
          'include /etc/ldap/schema/inetorgperson.schema',
          'include run/config/directory/vpp.schema',
        ],
      );
      assert.ok(lines.includes('moduleload back_mdb'));
      assert.ok(lines.includes('database mdb'));
      assert.ok(lines.includes(`suffix "${BASE}"`));
      assert.ok(lines.includes('directory run/data/directory.regulator'));
      assert.ok(lines.includes('pidfile run/data/directory.regulator/slapd.pid'));
    });

    it('should have no rootdn: nobody holds an all-powerful password', () => {
      assert.equal(
        lines.some((l) => /^root(dn|pw)\b/.test(l)),
        false,
      );
    });

    it('should let passwords serve binds only, each RA write its own org, and everyone read, in that order', () => {
      const access = conf.slice(conf.indexOf('access to'));
      assert.equal(
        access,
        [
          'access to attrs=userPassword',
          '  by anonymous auth',
          '  by * none',
          `access to dn.subtree="o=CvppMSP,${BASE}"`,
          `  by dn.exact="cn=CvppMSP,ou=ra,${BASE}" write`,
          '  by * read',
          `access to dn.subtree="o=TradingMSP,${BASE}"`,
          `  by dn.exact="cn=TradingMSP,ou=ra,${BASE}" write`,
          '  by * read',
          'access to *',
          '  by * read',
          '',
        ].join('\n'),
      );
    });
  });

  describe('#sshaPassword', () => {
    it('should be {SSHA} of SHA-1 over secret and salt, with the salt appended', () => {
      const salt = Buffer.from('0102030405060708', 'hex');
      const hashed = sshaPassword('s3cret', salt);
      assert.ok(hashed.startsWith('{SSHA}'));
      const bytes = Buffer.from(hashed.slice('{SSHA}'.length), 'base64');
      assert.deepEqual(bytes.subarray(20), salt);
      assert.deepEqual(bytes.subarray(0, 20), createHash('sha1').update('s3cret').update(salt).digest());
    });
  });

  describe('#foldLdifLine', () => {
    it('should leave short lines and fold long ones at 76 characters with one leading space', () => {
      assert.equal(foldLdifLine('a: b'), 'a: b');
      const long = `x:: ${'A'.repeat(200)}`;
      const folded = foldLdifLine(long).split('\n');
      assert.equal(folded[0]!.length, 76);
      assert.ok(folded.slice(1).every((l) => l.startsWith(' ') && l.length <= 76));
      assert.equal(unfold(folded.join('\n')), long);
    });
  });

  describe('#seedLdif', () => {
    const caRootDer = Buffer.from('30820102a0030201', 'hex');
    const ldif = unfold(
      seedLdif({
        baseDn: BASE,
        name: 'vpp-ledger',
        orgs: [
          { mspId: 'CvppMSP', description: 'commercial VPP operator', caRootDer, raPassword: '{SSHA}abc' },
        ],
      }),
    );
    const entries = ldif.trimEnd().split('\n\n');

    it('should seed the base, the RA unit, and per org its RA bind identity and its CA entry', () => {
      assert.deepEqual(
        entries.map((e) => e.split('\n')[0]),
        [`dn: ${BASE}`, `dn: ou=ra,${BASE}`, `dn: cn=CvppMSP,ou=ra,${BASE}`, `dn: o=CvppMSP,${BASE}`],
      );
      assert.match(entries[0]!, /\ndc: vpp-ledger\n/);
    });

    it('should give the RA bind identity its hashed password and the org entry its CA root as DER', () => {
      assert.deepEqual(entries[2]!.split('\n').slice(1), [
        'objectClass: applicationProcess',
        'objectClass: simpleSecurityObject',
        'cn: CvppMSP',
        'description: registration authority of CvppMSP',
        'userPassword: {SSHA}abc',
      ]);
      assert.deepEqual(entries[3]!.split('\n').slice(1), [
        'objectClass: organization',
        'objectClass: pkiCA',
        'o: CvppMSP',
        'description: commercial VPP operator',
        `cACertificate;binary:: ${caRootDer.toString('base64')}`,
      ]);
    });
  });
});
