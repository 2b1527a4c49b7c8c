import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decode,
  encode,
  isJsonObject,
  MAX_DEPTH,
  parseJson,
  parseJsonArgument,
  toCanonicalJson,
} from '../../../../chaincode/src/encoding/canonical-json';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { vppError } from '../../../support/vpp-assert';

const invalid = vppError(ErrorCode.INVALID_ARGUMENT);

describe('encoding/canonical-json', () => {
  describe('#toCanonicalJson', () => {
    it('should sort object keys recursively and keep array order', () => {
      const value = { b: 1, a: { d: [3, 1, { z: true, y: null }], c: 'x' } };
      assert.equal(toCanonicalJson(value), '{"a":{"c":"x","d":[3,1,{"y":null,"z":true}]},"b":1}');
    });

    it('should produce identical text regardless of insertion order', () => {
      const one = { mspId: 'CvppMSP', version: 2, updatedBy: { role: 'admin', mspId: 'CvppMSP' } };
      const two = { updatedBy: { mspId: 'CvppMSP', role: 'admin' }, version: 2, mspId: 'CvppMSP' };
      assert.equal(toCanonicalJson(one), toCanonicalJson(two));
    });

    it('should sort keys by UTF-16 code units', () => {
      assert.equal(
        toCanonicalJson({ b: 1, B: 2, é: 3, '\u{1F600}': 4, '\uFB01': 5 }),
        '{"B":2,"b":1,"é":3,"😀":4,"ﬁ":5}',
      );
    });

    it('should omit undefined members', () => {
      assert.equal(toCanonicalJson({ a: undefined, b: 1 }), '{"b":1}');
    });

    it('should allow non-integers, negative zero as 0, and null-prototype objects', () => {
      const bare = Object.assign(Object.create(null) as Record<string, unknown>, { k: 1.5 });
      assert.equal(toCanonicalJson([1.5, -0, -2, 1e21, bare]), '[1.5,0,-2,1e+21,{"k":1.5}]');
    });

    it('should escape strings as JSON does, including lone surrogates', () => {
      assert.equal(toCanonicalJson('a"b\\c\n\u0000\uD800'), '"a\\"b\\\\c\\n\\u0000\\ud800"');
    });

    it('should reject non-finite numbers', () => {
      for (const bad of [NaN, Infinity, -Infinity]) {
        assert.throws(
          () => toCanonicalJson({ n: bad }),
          vppError(ErrorCode.INVALID_ARGUMENT, /value\.n: non-finite/),
        );
      }
    });

    it('should reject values JSON cannot represent faithfully', () => {
      class Point {
        x = 1;
      }
      const bad: unknown[] = [
        undefined,
        [1, undefined],
        10n,
        () => 1,
        Symbol('s'),
        new Date(0),
        new Map(),
        new Point(),
        { nested: { big: 1n } },
      ];
      for (const value of bad) {
        assert.throws(() => toCanonicalJson(value), invalid);
      }
    });

    it('should reject circular structures but allow shared references', () => {
      const shared = { k: 1 };
      assert.equal(toCanonicalJson({ a: shared, b: shared }), '{"a":{"k":1},"b":{"k":1}}');
      const loop: Record<string, unknown> = {};
      loop.self = loop;
      assert.throws(() => toCanonicalJson(loop), vppError(ErrorCode.INVALID_ARGUMENT, /circular/));
    });

    it('should reject nesting deeper than MAX_DEPTH', () => {
      const nest = (levels: number): unknown => (levels === 0 ? 0 : [nest(levels - 1)]);
      assert.doesNotThrow(() => toCanonicalJson(nest(MAX_DEPTH)));
      assert.throws(
        () => toCanonicalJson(nest(MAX_DEPTH + 1)),
        vppError(ErrorCode.INVALID_ARGUMENT, /deeper/),
      );
    });
  });

  describe('#encode', () => {
    it('should return the UTF-8 bytes of the canonical text', () => {
      const bytes = encode({ name: 'Großhändler ⚡', n: 1 });
      assert.deepEqual(Buffer.from(bytes), Buffer.from('{"n":1,"name":"Großhändler ⚡"}', 'utf8'));
    });
  });

  describe('#decode', () => {
    it('should round-trip encoded values', () => {
      const value = { a: [1, 'two', null, false, { b: 2.5 }] };
      assert.deepEqual(decode(encode(value)), value);
    });

    it('should reject invalid UTF-8', () => {
      assert.throws(
        () => decode(Uint8Array.from([0x22, 0xff, 0x22])),
        vppError(ErrorCode.INVALID_ARGUMENT, /UTF-8/),
      );
    });

    it('should reject malformed JSON and a byte-order mark', () => {
      assert.throws(() => decode(Buffer.from('{"a":')), invalid);
      assert.throws(() => decode(Buffer.from('\uFEFF{}', 'utf8')), invalid);
      assert.throws(() => decode(new Uint8Array()), invalid);
    });
  });

  describe('#parseJsonArgument', () => {
    it('should parse an argument up to its bound and refuse a longer one before parsing it', () => {
      assert.deepEqual(parseJsonArgument('[1,2]', 'listJson', 5), [1, 2]);
      assert.throws(
        () => parseJsonArgument('[1,2,3]', 'listJson', 5),
        vppError(
          ErrorCode.INVALID_ARGUMENT,
          /^INVALID_ARGUMENT: listJson must be JSON text of at most 5 characters$/,
        ),
      );
      assert.throws(
        () => parseJsonArgument('[1', 'listJson', 5),
        vppError(ErrorCode.INVALID_ARGUMENT, /malformed JSON/),
      );
    });
  });

  describe('#parseJson', () => {
    it('should parse text and report syntax errors as INVALID_ARGUMENT', () => {
      assert.deepEqual(parseJson('{"x":[1]}'), { x: [1] });
      assert.throws(
        () => parseJson('not json'),
        vppError(ErrorCode.INVALID_ARGUMENT, /^INVALID_ARGUMENT: malformed JSON/),
      );
    });
  });

  describe('#isJsonObject', () => {
    it('should accept only non-null, non-array objects', () => {
      assert.equal(isJsonObject({}), true);
      assert.equal(isJsonObject([]), false);
      assert.equal(isJsonObject(null), false);
      assert.equal(isJsonObject('x'), false);
      assert.equal(isJsonObject(undefined), false);
    });
  });
});
