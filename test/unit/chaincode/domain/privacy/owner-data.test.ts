import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  ownerDataBytes,
  ownerDataHash,
  parseOwnerData,
  type OwnerData,
} from '../../../../../chaincode/src/domain/privacy/owner-data';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { vppError } from '../../../../support/vpp-assert';

const DATA: OwnerData = {
  derId: 'pv-001',
  name: 'Jane Müller',
  address: 'Hauptstraße 1, 10115 Berlin',
  contractId: 'C-2026-0042',
  email: 'jane@example.org',
  salt: 'a1'.repeat(32),
};
const NO_EMAIL: OwnerData = {
  derId: DATA.derId,
  name: DATA.name,
  address: DATA.address,
  contractId: DATA.contractId,
  salt: DATA.salt,
};

const invalid = (pattern?: RegExp) => vppError(ErrorCode.INVALID_ARGUMENT, pattern);

describe('domain/privacy/owner-data', () => {
  describe('#parseOwnerData', () => {
    it('should accept owner data with and without e-mail, trimming text', () => {
      assert.deepEqual(parseOwnerData({ ...DATA }), DATA);
      const parsed = parseOwnerData(NO_EMAIL);
      assert.deepEqual(parsed, NO_EMAIL);
      assert.equal('email' in parsed, false);
      assert.deepEqual(parseOwnerData({ ...DATA, name: '  Jane Müller ', email: ' jane@example.org' }), DATA);
    });

    it('should refuse unknown fields, control characters and text outside the limits', () => {
      assert.throws(
        () => parseOwnerData({ ...DATA, phone: '123' }),
        invalid(/unsupported field\(s\): phone/),
      );
      assert.throws(() => parseOwnerData([DATA]), invalid(/owner data must be a JSON object/));
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ derId: 'pv/1' }, /derId must be/],
        [{ name: '' }, /name must be 1\.\.200 characters/],
        [{ name: '   ' }, /name must be 1\.\.200 characters/],
        [{ name: 'x'.repeat(201) }, /name must be 1\.\.200 characters/],
        [{ name: 'Jane\u0000' }, /name must not contain control characters/],
        [{ name: 'Jane\nMüller' }, /name must not contain control characters/],
        [{ name: 42 }, /name must be a string/],
        [{ address: 'x'.repeat(501) }, /address must be 1\.\.500 characters/],
        [{ address: 'Street\u0085 1' }, /address must not contain control characters/],
        [{ contractId: 'c'.repeat(65) }, /contractId must be 1\.\.64 characters/],
        [{ contractId: undefined }, /contractId must be a string/],
        [{ email: 'not-an-address' }, /email must be an e-mail address/],
        [{ email: null }, /email must be a string/],
        [{ salt: 'A1'.repeat(32) }, /salt must be a SHA-256 digest in lowercase hex/],
        [{ salt: undefined }, /salt/],
      ];
      for (const [change, pattern] of cases) {
        assert.throws(() => parseOwnerData({ ...DATA, ...change }), invalid(pattern), JSON.stringify(change));
      }
      // Limits count code points, so 200 non-BMP characters fit.
      assert.equal([...parseOwnerData({ ...DATA, name: '😀'.repeat(200) }).name].length, 200);
    });
  });

  describe('#ownerDataBytes / #ownerDataHash', () => {
    it('should be the canonical JSON of the fields and its SHA-256', () => {
      const text =
        '{"address":"Hauptstraße 1, 10115 Berlin","contractId":"C-2026-0042","derId":"pv-001",' +
        '"email":"jane@example.org","name":"Jane Müller","salt":"' +
        'a1'.repeat(32) +
        '"}';
      assert.equal(ownerDataBytes(DATA).toString('utf8'), text);
      assert.equal(ownerDataHash(DATA), createHash('sha256').update(text, 'utf8').digest('hex'));
      assert.equal(
        ownerDataBytes(NO_EMAIL).toString('utf8'),
        `{"address":"Hauptstraße 1, 10115 Berlin","contractId":"C-2026-0042","derId":"pv-001","name":"Jane Müller","salt":"${'a1'.repeat(32)}"}`,
      );
    });

    it('should ignore extra properties and change with every field', () => {
      assert.equal(ownerDataHash({ ...DATA, note: 'x' } as OwnerData), ownerDataHash(DATA));
      const hashes = new Set([
        ownerDataHash(DATA),
        ownerDataHash({ ...DATA, derId: 'pv-002' }),
        ownerDataHash({ ...DATA, name: 'Jane Mueller' }),
        ownerDataHash({ ...DATA, address: 'Hauptstraße 2, 10115 Berlin' }),
        ownerDataHash({ ...DATA, contractId: 'C-2026-0043' }),
        ownerDataHash({ ...DATA, email: 'jane@example.com' }),
        ownerDataHash({ ...DATA, email: undefined }),
      ]);
      assert.equal(hashes.size, 7);
      assert.match(ownerDataHash(DATA), /^[0-9a-f]{64}$/);
    });
  });
});
