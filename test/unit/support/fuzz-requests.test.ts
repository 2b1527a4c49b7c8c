import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RouteEntry } from '../../../gateway/src/app';
import {
  FUZZ_CATEGORIES,
  FuzzTally,
  fuzzRequests,
  problemsOf,
  sampleOf,
  type FuzzRequest,
  type OpenApiDocument,
} from '../../support/fuzz-requests';
import { prng } from '../../support/prng';

const EVERY_ORG = ['cvpp', 'trading', 'control', 'regulator'] as const;
const routes: RouteEntry[] = [
  { method: 'GET', url: '/v1/things/:id', roles: ['operator'], orgs: EVERY_ORG, public: false },
  // Bound to the regulator: on the CVPP gateway an admin gets ORG_NOT_ALLOWED.
  { method: 'PUT', url: '/v1/things/:id', roles: ['admin'], orgs: ['regulator'], public: false },
  { method: 'GET', url: '/healthz', roles: [], orgs: EVERY_ORG, public: true },
];
const idParam = {
  in: 'path',
  name: 'id',
  required: true,
  schema: { type: 'string', pattern: '^[a-z0-9]{1,8}$' },
};
const doc: OpenApiDocument = {
  paths: {
    '/v1/things/{id}': {
      get: {
        parameters: [
          idParam,
          { in: 'query', name: 'pageSize', schema: { type: 'integer', minimum: 1, maximum: 10 } },
        ],
      },
      put: {
        parameters: [idParam],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['quantity', 'label'],
                additionalProperties: false,
                properties: {
                  quantity: { type: 'integer', minimum: 1 },
                  label: { type: 'string', maxLength: 8 },
                },
              },
            },
          },
        },
      },
    },
    '/healthz': { get: {} },
  },
};
const options = { perCategory: 40, bodyLimit: 1024, idempotencyKeys: false };
const refused: FuzzRequest = {
  category: 'body',
  label: 'body:null',
  method: 'PUT',
  path: '/v1/things/a',
  auth: { kind: 'role', role: 'admin' },
  headers: {},
  expect: 'refused',
  route: 'PUT /v1/things/:id',
};
const json = { 'content-type': 'application/json; charset=utf-8' };

describe('fuzz requests', () => {
  it('should draw the same requests from the same seed and others from another', () => {
    const first = fuzzRequests(routes, doc, 'CvppMSP', prng(7), options);
    assert.deepEqual(
      fuzzRequests(routes, doc, 'CvppMSP', prng(7), options).map((r) => [r.label, r.path, r.body]),
      first.map((r) => [r.label, r.path, r.body]),
    );
    assert.notDeepEqual(
      fuzzRequests(routes, doc, 'CvppMSP', prng(8), options).map((r) => r.path),
      first.map((r) => r.path),
    );
  });

  it('should make perCategory requests of every category, each labelled with its category', () => {
    const requests = fuzzRequests(routes, doc, 'CvppMSP', prng(1), options);
    for (const category of FUZZ_CATEGORIES) {
      const mine = requests.filter((r) => r.category === category);
      assert.equal(mine.length, 40, category);
      assert.ok(mine.every((r) => r.label.startsWith(`${category}:`)));
    }
  });

  it('should expect 401 for bad tokens and 403 for roles the route does not list', () => {
    const headers = fuzzRequests(routes, doc, 'CvppMSP', prng(3), options).filter(
      (r) => r.category === 'header',
    );
    const forbidden = headers.filter((r) => r.expect === 'forbidden');
    assert.ok(forbidden.length > 0);
    for (const r of forbidden) {
      assert.equal(r.auth.kind, 'role');
      const listed = routes.find((route) => `${route.method} ${route.url}` === r.route)!.roles;
      assert.ok(r.auth.kind === 'role' && !listed.includes(r.auth.role), r.route);
    }
    assert.ok(headers.some((r) => r.expect === 'unauthenticated' && r.auth.kind === 'signed'));
  });

  it("should expect 403 ORG_NOT_ALLOWED for a listed role on a route bound to other orgs than the gateway's", () => {
    const onCvpp = fuzzRequests(routes, doc, 'CvppMSP', prng(3), options).filter(
      (r) => r.expect === 'org-not-allowed',
    );
    assert.ok(onCvpp.length > 0);
    assert.ok(
      onCvpp.every(
        (r) => r.route === 'PUT /v1/things/:id' && r.auth.kind === 'role' && r.auth.role === 'admin',
      ),
    );
    // On the regulator's own gateway the route is served: no request expects the refusal.
    const onRegulator = fuzzRequests(routes, doc, 'RegulatorMSP', prng(3), options);
    assert.equal(onRegulator.filter((r) => r.expect === 'org-not-allowed').length, 0);
  });

  it('should never send a method another route pattern serves for the same path', () => {
    const withSelf: RouteEntry[] = [
      ...routes,
      { method: 'PUT', url: '/v1/things/self', roles: ['admin'], orgs: EVERY_ORG, public: false },
    ];
    const docWithSelf: OpenApiDocument = {
      paths: { ...doc.paths, '/v1/things/self': { put: doc.paths['/v1/things/{id}']!.put! } },
    };
    const methods = fuzzRequests(withSelf, docWithSelf, 'CvppMSP', prng(11), { ...options, perCategory: 200 })
      .filter((r) => r.category === 'method' && r.path === '/v1/things/self')
      .map((r) => r.method);
    assert.ok(methods.length > 0);
    // GET /v1/things/self is GET /v1/things/:id, a route of its own.
    assert.ok(!methods.includes('GET') && !methods.includes('PUT'), methods.join(','));
  });

  it('should change exactly one field of a valid sample body', () => {
    const body = sampleOf(
      doc.paths['/v1/things/{id}']!.put!.requestBody!.content!['application/json']!.schema,
      doc,
      prng(1),
    );
    // The first candidate that fits: the id-like ones are longer than maxLength 8.
    assert.deepEqual(body, { quantity: 1, label: '7' });
    const bodies = fuzzRequests(routes, doc, 'CvppMSP', prng(5), { ...options, perCategory: 400 })
      .filter((r) => r.label === 'body:coercible-string')
      .map((r) => JSON.parse(r.body!) as Record<string, unknown>);
    assert.ok(bodies.length > 0);
    assert.ok(bodies.every((b) => b.quantity === '1' && typeof b.label === 'string'));
  });
});

describe('fuzz answer rules', () => {
  it('should accept a 4xx in the error shape for a refused request', () => {
    const text = JSON.stringify({ error: { code: 'VALIDATION_FAILED', message: 'no' } });
    assert.deepEqual(problemsOf(refused, { status: 400, headers: json, text }), []);
  });

  it('should flag a 5xx, a foreign error shape, a mismatched code and an accepted invalid request', () => {
    const internal = JSON.stringify({ error: { code: 'INTERNAL', message: 'internal error' } });
    assert.deepEqual(problemsOf(refused, { status: 500, headers: json, text: internal }), [
      'server error 500',
    ]);
    const fastify = JSON.stringify({
      error: 'Bad Request',
      code: 'FST_ERR_BAD_URL',
      message: 'x',
      statusCode: 400,
    });
    assert.match(problemsOf(refused, { status: 400, headers: json, text: fastify })[0]!, /error body not/);
    const misnamed = JSON.stringify({ error: { code: 'BAD_REQUEST', message: 'Forbidden' } });
    assert.deepEqual(problemsOf(refused, { status: 403, headers: json, text: misnamed }), [
      'code BAD_REQUEST with status 403',
    ]);
    assert.deepEqual(problemsOf(refused, { status: 200, headers: json, text: '{}' }), [
      'invalid request accepted with 200',
    ]);
  });

  it('should hold the route table: 401 and 403 exactly', () => {
    const text = JSON.stringify({ error: { code: 'FORBIDDEN', message: 'no' } });
    const anonymous = { ...refused, expect: 'unauthenticated' as const };
    assert.deepEqual(problemsOf(anonymous, { status: 403, headers: json, text }), [
      'expected 401 (route table), got 403',
    ]);
    const wrongRole = { ...refused, expect: 'forbidden' as const };
    assert.deepEqual(problemsOf(wrongRole, { status: 403, headers: json, text }), []);
    const wrongOrg = { ...refused, expect: 'org-not-allowed' as const };
    assert.deepEqual(problemsOf(wrongOrg, { status: 403, headers: json, text }), [
      'expected 403 ORG_NOT_ALLOWED (route table), got 403',
    ]);
    const orgText = JSON.stringify({ error: { code: 'ORG_NOT_ALLOWED', message: 'no' } });
    assert.deepEqual(problemsOf(wrongOrg, { status: 403, headers: json, text: orgText }), []);
  });

  it('should accept a 429 only with Retry-After', () => {
    const text = JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'slow down' } });
    assert.deepEqual(
      problemsOf(refused, { status: 429, headers: { ...json, 'retry-after': '1' }, text }),
      [],
    );
    assert.deepEqual(problemsOf(refused, { status: 429, headers: json, text }), ['429 without Retry-After']);
  });

  it('should count requests per category and group failures by class', () => {
    const tally = new FuzzTally();
    tally.record(refused, { status: 500, headers: json, text: '{}' });
    tally.record(refused, { status: 500, headers: json, text: '{}' });
    tally.record(
      { ...refused, category: 'path', label: 'path:empty' },
      {
        status: 400,
        headers: json,
        text: JSON.stringify({ error: { code: 'VALIDATION_FAILED', message: 'no' } }),
      },
    );
    assert.deepEqual(tally.countLines(), ['requests: 3', 'body: 2', 'path: 1']);
    assert.equal(tally.failures.length, 2);
    assert.match(
      tally.failureSummary(),
      /^2 failing requests in 1 classes:\n2× body:null → 500 server error 500/,
    );
  });
});
