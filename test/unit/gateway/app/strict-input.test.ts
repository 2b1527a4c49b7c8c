// Caller input the gateway must refuse with a documented 4xx in the one error shape (issue 15,
// findings 2–4): framework refusals, malformed token claims, coerced or unknown body fields, unsafe
// integers and free text the chaincode would refuse.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import {
  ENTITY_ID_PATTERN_SOURCE,
  FREE_TEXT_PATTERN_SOURCE,
  INDICATOR_ID_PATTERN,
  ISO_INSTANT_PATTERN_SOURCE,
  isFreeText,
  LEVEL_NAME_PATTERN,
  MARKET_ID_PATTERN_SOURCE,
  SHA256_HEX_PATTERN_SOURCE,
} from '../../../../chaincode/src/api';
import { requireText } from '../../../../chaincode/src/rules/text';
import { apiErrorOf, buildValidator, type RouteEntry } from '../../../../gateway/src/app';
import { ENROLLMENT_ID_PATTERN } from '../../../../gateway/src/core/identity-store';
import { EmptyBodySchema } from '../../../../gateway/src/schemas/common';
import { FREE_TEXT_CASES } from '../../../support/free-text-cases';
import {
  bearer,
  FakeLedger,
  fakeRaPort,
  openGateway,
  tokenFor,
  type TestGateway,
} from '../../../support/route-harness';

type Schema = Record<string, unknown>;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Arrays whose items are checked one by one elsewhere, so that a bad item is refused alone. */
const ITEMS_CHECKED_ONE_BY_ONE = new Set(['POST /v1/readings /readings', 'POST /v1/readings /samples']);

/** Everything in a body schema that would let a wrong type, an unknown field or an unsafe value through. */
function laxnessOf(schema: Schema | undefined, where: string, problems: string[]): string[] {
  if (schema === undefined) return [...problems, `${where}: no schema`];
  if (schema.enum !== undefined) return problems;
  switch (schema.type) {
    case 'object': {
      const extra = schema.additionalProperties;
      const isMap = typeof extra === 'object' && extra !== null && schema.propertyNames !== undefined;
      if (extra !== false && !isMap) problems.push(`${where}: additionalProperties is not false`);
      if (isMap) laxnessOf(extra as Schema, `${where}/*`, problems);
      for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Schema>))
        laxnessOf(property, `${where}/${name}`, problems);
      return problems;
    }
    case 'array':
      if (schema.maxItems === undefined) problems.push(`${where}: no maxItems`);
      if (schema.items === undefined) {
        if (!ITEMS_CHECKED_ONE_BY_ONE.has(where)) problems.push(`${where}: no items schema`);
        return problems;
      }
      return laxnessOf(schema.items as Schema, `${where}[]`, problems);
    case 'integer': {
      const { minimum, maximum } = schema as { minimum?: number; maximum?: number };
      if (minimum === undefined || minimum < Number.MIN_SAFE_INTEGER)
        problems.push(`${where}: unsafe minimum`);
      if (maximum === undefined || maximum > Number.MAX_SAFE_INTEGER)
        problems.push(`${where}: unsafe maximum`);
      return problems;
    }
    case 'string':
      if (schema.pattern === undefined) problems.push(`${where}: a string without a pattern`);
      if (schema.maxLength === undefined && schema.pattern === FREE_TEXT_PATTERN_SOURCE)
        problems.push(`${where}: free text without maxLength`);
      return problems;
    case 'boolean':
      return problems;
    default:
      return [...problems, `${where}: type ${JSON.stringify(schema.type)} is not allowed in bodies`];
  }
}

/** A value of each pattern the body schemas use (a new pattern needs a sample here). */
const PATTERN_SAMPLES: Record<string, string> = {
  [ENTITY_ID_PATTERN_SOURCE]: 'x1',
  [MARKET_ID_PATTERN_SOURCE]: 'x1',
  [ISO_INSTANT_PATTERN_SOURCE]: '2026-01-01T00:00:00.000Z',
  [SHA256_HEX_PATTERN_SOURCE]: 'a'.repeat(64),
  [FREE_TEXT_PATTERN_SOURCE]: 'some text',
  [ENROLLMENT_ID_PATTERN]: 'user.one',
  [INDICATOR_ID_PATTERN.source]: 'DELIVERY',
  [LEVEL_NAME_PATTERN.source]: 'A',
  '^[A-Z][A-Za-z0-9]*MSP$': 'TradingMSP',
  '^[\\x20-\\x7e\\r\\n]+$': '-----BEGIN CERTIFICATE-----\n',
};

/** A minimal body the schema accepts: required fields only, smallest counts and numbers. */
function sampleOf(schema: Schema | undefined): unknown {
  if (schema === undefined) return {};
  if (Array.isArray(schema.enum)) return schema.enum[0];
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      return Object.fromEntries(
        ((schema.required ?? []) as string[]).map((k) => [k, sampleOf(properties[k])]),
      );
    }
    case 'array':
      return Array.from({ length: (schema.minItems as number | undefined) ?? 0 }, () =>
        sampleOf(schema.items as Schema | undefined),
      );
    case 'integer':
      return schema.minimum;
    case 'boolean':
      return true;
    default: {
      const sample = PATTERN_SAMPLES[schema.pattern as string];
      assert.ok(sample !== undefined, `no sample for pattern ${String(schema.pattern)}`);
      return sample;
    }
  }
}

/** The sample with an unknown field added to each object it holds, one variant per object. */
function withUnknownFields(schema: Schema, value: unknown, where = ''): { where: string; body: unknown }[] {
  if (schema.type === 'object' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const own = { where: where || '/', body: { ...value, unexpected: 1 } };
    const nested = Object.entries(value).flatMap(([key, inner]) => {
      const property = ((schema.properties ?? {}) as Record<string, Schema>)[key];
      if (property === undefined) return [];
      return withUnknownFields(property, inner, `${where}/${key}`).map((v) => ({
        where: v.where,
        body: { ...value, [key]: v.body },
      }));
    });
    return [own, ...nested];
  }
  if (schema.type === 'array' && Array.isArray(value) && value.length > 0 && schema.items !== undefined) {
    return withUnknownFields(schema.items as Schema, value[0], `${where}/0`).map((v) => ({
      where: v.where,
      body: [v.body, ...value.slice(1)],
    }));
  }
  return [];
}

const bodyValidator = (route: RouteEntry) =>
  buildValidator(
    {},
    {},
  )({ schema: route.body as Schema, method: route.method, url: route.url, httpPart: 'body' });

describe('gateway/app strict input', () => {
  let gateway: TestGateway;
  let app: FastifyInstance;
  const ledger = new FakeLedger({ txId: 'tx-strict', answer: {} });
  let bodyRoutes: RouteEntry[];

  before(async () => {
    gateway = await openGateway('regulator', { fabric: ledger.port, ra: fakeRaPort() });
    app = gateway.app;
    bodyRoutes = app.routeTable.filter((r) => BODY_METHODS.has(r.method));
  });
  after(() => gateway.close());
  beforeEach(() => ledger.reset());

  const regulator = () => ({ ...bearer(tokenFor(app, 'regulator', 'RegulatorMSP')) });
  const putQuota = (payload: string) =>
    app.inject({
      method: 'PUT',
      url: '/v1/market/quotas/vpp-north',
      headers: { ...regulator(), 'content-type': 'application/json' },
      payload,
    });

  describe('framework refusals', () => {
    const cases = [
      { url: '/v1/vpps/%E0%A4%A', status: 400, code: 'MALFORMED_URL' },
      { url: `/v1/vpps/${'a'.repeat(101)}`, status: 400, code: 'VALIDATION_FAILED' },
      { url: '/docs/static/%00', status: 404, code: 'NOT_FOUND' },
    ];
    for (const { url, status, code } of cases) {
      it(`should answer GET ${url.slice(0, 24)}… with ${status} ${code} in the documented shape`, async () => {
        const res = await app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, status, res.body);
        const body = res.json();
        assert.deepEqual(Object.keys(body), ['error']);
        assert.equal(body.error.code, code);
        assert.equal(typeof body.error.message, 'string');
        assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      });
    }

    it('should give any other framework 4xx a code of its status, and 403/404 of a plugin NOT_FOUND', () => {
      const fastifyError = (statusCode: number) => Object.assign(new Error('refused'), { statusCode });
      assert.deepEqual(
        [400, 403, 404, 405, 413, 414, 415, 418, 429, 431].map((s) => {
          const api = apiErrorOf(fastifyError(s));
          return `${api.status} ${api.code}`;
        }),
        [
          '400 BAD_REQUEST',
          '404 NOT_FOUND',
          '404 NOT_FOUND',
          '405 METHOD_NOT_ALLOWED',
          '413 BODY_TOO_LARGE',
          '414 URI_TOO_LONG',
          '415 UNSUPPORTED_MEDIA_TYPE',
          '400 BAD_REQUEST',
          '429 RATE_LIMITED',
          '431 HEADERS_TOO_LARGE',
        ],
      );
    });
  });

  describe('tokens', () => {
    it('should answer a well-signed token whose claims are JSON null with 401 TOKEN_INVALID', async () => {
      const body = Buffer.from('null').toString('base64url');
      const mac = createHmac('sha256', app.identities.tokenSecret()).update(`v1.${body}`).digest('base64url');
      const res = await app.inject({
        method: 'GET',
        url: '/v1/auth/me',
        headers: bearer(`v1.${body}.${mac}`),
      });
      assert.equal(res.statusCode, 401, res.body);
      assert.equal(res.json().error.code, 'TOKEN_INVALID');
    });
  });

  describe('body types', () => {
    for (const payload of [
      '{"quantity":null}',
      '{"quantity":true}',
      '{"quantity":"12"}',
      '{"quantity":[7]}',
    ]) {
      it(`should refuse ${payload} with 400 VALIDATION_FAILED, not coerce it`, async () => {
        const res = await putQuota(payload);
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(res.json().error.code, 'VALIDATION_FAILED');
        assert.deepEqual(ledger.calls, []);
      });
    }

    for (const payload of [
      '{"quantity":9007199254740992}',
      '{"quantity":-9007199254740993}',
      '{"quantity":1.5}',
    ]) {
      it(`should refuse the unsafe or fractional ${payload} with 400 VALIDATION_FAILED`, async () => {
        const res = await putQuota(payload);
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(res.json().error.code, 'VALIDATION_FAILED');
        assert.deepEqual(ledger.calls, []);
      });
    }

    it('should pass the largest safe integer through unchanged', async () => {
      const res = await putQuota('{"quantity":9007199254740991}');
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(ledger.calls[0]?.args, ['vpp-north', '9007199254740991']);
    });

    it('should still coerce numbers of querystrings (they arrive as strings)', async () => {
      ledger.answer = { violations: [], bookmark: '' };
      const ok = await app.inject({ method: 'GET', url: '/v1/vpps?pageSize=5', headers: regulator() });
      assert.notEqual(ok.statusCode, 400, ok.body);
      const bad = await app.inject({ method: 'GET', url: '/v1/vpps?pageSize=five', headers: regulator() });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'VALIDATION_FAILED');
    });
  });

  describe('body schemas', () => {
    it('should give every POST, PUT and PATCH route a body schema', () => {
      assert.ok(bodyRoutes.length >= 30, `${bodyRoutes.length} body routes`);
      assert.deepEqual(
        bodyRoutes.filter((r) => r.body === undefined).map((r) => `${r.method} ${r.url}`),
        [],
      );
    });

    it('should refuse unknown fields at every depth, wrong types and unsafe integers, in every body schema', () => {
      const problems = bodyRoutes.flatMap((r) => laxnessOf(r.body as Schema, `${r.method} ${r.url} `, []));
      assert.deepEqual(problems, []);
    });

    it('should accept a minimal body of every schema and refuse it with an unknown field in any object', () => {
      for (const route of bodyRoutes) {
        const validate = bodyValidator(route);
        const schema = route.body as Schema;
        const sample = sampleOf(schema);
        assert.equal(
          validate(sample),
          true,
          `${route.method} ${route.url}: ${JSON.stringify(validate.errors)}`,
        );
        const variants = withUnknownFields(schema, sample);
        assert.ok(variants.length > 0, `${route.method} ${route.url}`);
        for (const { where, body } of variants) {
          assert.equal(validate(body), false, `${route.method} ${route.url} ${where}`);
          assert.equal(
            validate.errors?.[0]?.keyword,
            'additionalProperties',
            `${route.method} ${route.url} ${where}`,
          );
        }
      }
    });

    it('should answer an unknown field on a route without a body with 400 and call nothing', async () => {
      const empty = bodyRoutes.filter((r) => r.body === EmptyBodySchema);
      assert.equal(empty.length, 8, empty.map((r) => r.url).join(', '));
      for (const route of empty) {
        const url = route.url.replace(/:(\w+)/g, 'x1');
        const res = await app.inject({
          method: route.method as 'POST',
          url,
          headers: regulator(),
          payload: { unexpected: true },
        });
        // The role check runs first for routes the regulator may not call: those must still be 403.
        if (res.statusCode === 403) continue;
        assert.equal(res.statusCode, 400, `${route.method} ${url}: ${res.body}`);
        assert.equal(res.json().error.code, 'VALIDATION_FAILED');
      }
      assert.deepEqual(ledger.calls, []);
    });

    it('should refuse a JSON null body with 400 and call nothing, though no body at all is accepted', async () => {
      const empty = bodyRoutes.filter((r) => r.body === EmptyBodySchema);
      let refused = 0;
      for (const route of empty) {
        const url = route.url.replace(/:(\w+)/g, 'x1');
        const res = await app.inject({
          method: route.method as 'POST',
          url,
          headers: { ...regulator(), 'content-type': 'application/json' },
          payload: 'null',
        });
        if (res.statusCode === 403) continue;
        assert.equal(res.statusCode, 400, `${route.method} ${url}: ${res.body}`);
        assert.equal(res.json().error.code, 'VALIDATION_FAILED');
        refused += 1;
      }
      assert.ok(refused > 0, 'the regulator may call at least one route without a body');
      assert.deepEqual(ledger.calls, []);
      // The same routes without any body reach the ledger (the fake one answers for them).
      const served = [];
      for (const route of empty) {
        const res = await app.inject({
          method: route.method as 'POST',
          url: route.url.replace(/:(\w+)/g, 'x1'),
          headers: regulator(),
        });
        if (res.statusCode !== 403) served.push(res.statusCode);
      }
      assert.equal(served.length, refused);
      assert.ok(
        served.every((status) => status !== 400),
        served.join(','),
      );
      ledger.calls.length = 0;
    });
  });

  describe('free text', () => {
    for (const { name, text, accepted } of FREE_TEXT_CASES) {
      it(`should ${accepted ? 'accept' : 'refuse'} a display name with ${name}, as the chaincode does`, async () => {
        let chaincodeAccepts = true;
        try {
          requireText({ displayName: text }, 'displayName', { min: 1, max: 100 });
        } catch {
          chaincodeAccepts = false;
        }
        assert.equal(chaincodeAccepts, accepted);
        assert.equal(isFreeText(text), accepted);
        ledger.answer = {
          mspId: 'RegulatorMSP',
          displayName: text,
          orgRole: 'regulator',
          contactEmail: 'desk@regulator.example',
          updatedAt: '2026-01-01T00:00:00.000Z',
          updatedBy: { mspId: 'RegulatorMSP', role: 'admin' },
          version: 1,
        };
        const res = await app.inject({
          method: 'PUT',
          url: '/v1/orgs/self',
          headers: bearer(tokenFor(app, 'admin', 'RegulatorMSP')),
          payload: { displayName: text, orgRole: 'regulator', contactEmail: 'desk@regulator.example' },
        });
        if (accepted) {
          assert.equal(res.statusCode, 200, res.body);
          assert.equal(ledger.calls.length, 1);
        } else {
          assert.equal(res.statusCode, 400, res.body);
          assert.equal(res.json().error.code, 'VALIDATION_FAILED');
          assert.deepEqual(ledger.calls, []);
        }
      });
    }
  });
});
