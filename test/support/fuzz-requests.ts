/**
 * A seeded fuzzer of the gateway's REST API for the fuzz suites (unit through `app.inject`,
 * integration through real sockets): requests derived from the gateway's own route table and its
 * OpenAPI document, every one of them invalid in one way, and the rules every answer must keep.
 * Each request names its category and class, so a failure says what was sent and can be replayed
 * from the printed seed (VPP_FUZZ_SEED).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { RouteEntry } from '../../gateway/src/app';
import { ORG_ROLE_BY_MSP, type MspId } from '../../chaincode/src/types/consortium';
import { API_ROLES, type ApiRole } from '../../gateway/src/core/roles';
import { randomInt, type Random } from './prng';

export const FUZZ_CATEGORIES = ['path', 'query', 'header', 'body', 'method'] as const;
export type FuzzCategory = (typeof FUZZ_CATEGORIES)[number];

/** How a request authenticates; the runner turns it into an Authorization header. */
export type FuzzAuth =
  | { kind: 'none' }
  /** An Authorization header sent as it is. */
  | { kind: 'raw'; header: string }
  /** A valid token of a real user with this role. */
  | { kind: 'role'; role: ApiRole }
  /** A token carrying these claims (any JSON), signed with the gateway's own secret. */
  | { kind: 'signed'; claims: unknown };

/** What the route table says must happen, whatever else is wrong with the request. */
export type FuzzExpectation =
  'unauthenticated' | 'forbidden' | 'org-not-allowed' | 'refused' | 'not-found' | 'any-4xx-or-2xx';

export interface FuzzRequest {
  category: FuzzCategory;
  /** The kind of invalid input, e.g. `path:bad-percent` (the classes the report counts). */
  label: string;
  method: string;
  /** Path and query, sent as they are (already percent-encoded, or deliberately not). */
  path: string;
  auth: FuzzAuth;
  headers: Record<string, string>;
  /** Raw body text and its content type. */
  body?: string;
  contentType?: string;
  expect: FuzzExpectation;
  /** The route the request was derived from (pattern URL), for the report. */
  route: string;
}

/** The part of an OpenAPI 3 document the fuzzer reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation | undefined>>;
  components?: { schemas?: Record<string, JsonSchema> };
}
interface OpenApiOperation {
  parameters?: { in: string; name: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
}

export interface FuzzOptions {
  /** Requests per category (the method category may produce fewer). */
  perCategory: number;
  /** The body limit of the gateway: an over-limit body is one byte more. */
  bodyLimit: number;
  /** Malformed Idempotency-Key headers on writes that carry a valid sample body (real network only). */
  idempotencyKeys: boolean;
}

// ---- values -------------------------------------------------------------------------------------

const pick = <T>(random: Random, items: readonly T[]): T => items[randomInt(random, 0, items.length - 1)]!;
const hex = (random: Random, length: number) =>
  Array.from({ length }, () => '0123456789abcdef'[randomInt(random, 0, 15)]).join('');

/** Strings that a pattern of this API may accept; the first one that fits is a field's sample. */
function stringCandidates(random: Random): string[] {
  const id = `fz${hex(random, 8)}`;
  return [id, '2026-01-01T00:00:00.000Z', hex(random, 64), '7', 'CvppMSP', '2026-01', 'fuzz@example.org'];
}

function resolve(schema: JsonSchema | undefined, doc: OpenApiDocument): JsonSchema {
  if (!schema) return {};
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? '';
    return resolve(doc.components?.schemas?.[name], doc);
  }
  const branch = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (branch) return resolve(branch, doc);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => resolve(s, doc))) as JsonSchema;
  return schema;
}

const typeOf = (schema: JsonSchema): string | undefined =>
  Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;

/** A value the schema accepts (best effort: patterns are matched against a few candidates). */
export function sampleOf(schema: JsonSchema | undefined, doc: OpenApiDocument, random: Random): unknown {
  const s = resolve(schema, doc);
  if (s.enum && s.enum.length > 0) return s.enum[0];
  switch (typeOf(s) ?? (s.properties ? 'object' : undefined)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) out[key] = sampleOf(s.properties?.[key], doc, random);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sampleOf(s.items, doc, random));
    case 'integer':
    case 'number':
      return Math.min(Math.max(s.minimum ?? 1, 1), s.maximum ?? Number.MAX_SAFE_INTEGER);
    case 'boolean':
      return true;
    case 'string': {
      const fits = (v: string) =>
        (s.pattern === undefined || new RegExp(s.pattern, 'u').test(v)) &&
        v.length >= (s.minLength ?? 0) &&
        v.length <= (s.maxLength ?? Infinity);
      const found = stringCandidates(random).find(fits);
      return found ?? 'x'.repeat(Math.max(1, s.minLength ?? 1));
    }
    default:
      return 'x';
  }
}

/** Path values no route of this API accepts (every path parameter has a pattern or an enum). */
const BAD_PATH_VALUES: readonly [string, string][] = [
  ['bad-percent', '%E0%A4%A'],
  ['bad-percent', '%'],
  ['bad-percent', '%zz'],
  ['over-long', 'a'.repeat(101)],
  ['over-long', 'a'.repeat(65)],
  ['traversal', '..'],
  ['traversal', '..%2F..%2Fetc%2Fpasswd'],
  ['traversal', '%2e%2e'],
  ['unicode', encodeURIComponent('vpp-ü')],
  ['unicode', encodeURIComponent('\u202Eevil')],
  ['unicode', '%ED%A0%80'],
  ['control', '%00'],
  ['control', 'a%0Ab'],
  ['control', 'a%07b'],
  ['empty', ''],
];

/** Header values of X-Min-Block that are not block numbers (never a far-future one: it would wait). */
const BAD_MIN_BLOCKS = ['abc', '-1', '1.5', '1e3', '0x10', '18446744073709551616', '1,2'];
const BAD_IDEMPOTENCY_KEYS = ['x'.repeat(129), 'a b', 'a/b', '<script>', 'ä'];

/** Body values a field of `schema` must refuse. */
function badValuesFor(schema: JsonSchema, freeText: boolean): [string, unknown][] {
  const type = typeOf(schema);
  const out: [string, unknown][] = [
    ['null', null],
    ['deep-nesting', JSON.parse(`${'['.repeat(64)}${']'.repeat(64)}`)],
    ['wrong-type', {}],
  ];
  if (type === 'integer' || type === 'number') {
    out.push(['coercible-string', '12'], ['coercible-bool', true], ['coercible-array', [7]]);
    out.push(['unsafe-integer', 2 ** 53 + 2], ['unsafe-integer', 1e300], ['wrong-type', 'many']);
    if (type === 'integer') out.push(['wrong-type', 1.5]);
    if ((schema.minimum ?? -Infinity) >= 0) out.push(['negative', -1]);
  } else if (type === 'string') {
    out.push(['wrong-type', 12], ['wrong-type', true], ['coercible-array', ['x']]);
    out.push(['long-string', 'x'.repeat((schema.maxLength ?? 60_000) + 1)]);
    if (freeText || schema.pattern) {
      out.push(['bidi', 'ab\u202Ecd'], ['control', 'ab\u0007cd'], ['lone-surrogate', 'ab\uD800cd']);
    }
    if (schema.enum) out.push(['not-in-enum', 'fuzz-none']);
  } else if (type === 'array') {
    out.push(['wrong-type', 'x']);
  } else if (type === 'boolean') {
    out.push(['coercible-string', 'true'], ['coercible-number', 1]);
  }
  return out;
}

// ---- tokens -------------------------------------------------------------------------------------

const b64url = (text: string | Buffer) => Buffer.from(text).toString('base64url');

/** A token in the gateway's format, signed with `secret` (v1.<claims>.<HMAC>). */
export function signedToken(claims: unknown, secret: Buffer): string {
  const body = b64url(JSON.stringify(claims));
  return `v1.${body}.${b64url(createHmac('sha256', secret).update(`v1.${body}`).digest())}`;
}

/** Claims that no gateway may accept, though their signature is valid. */
function badClaims(mspId: string): [string, unknown][] {
  const now = Math.floor(Date.now() / 1000);
  const good = { sub: 'admin1', role: 'admin', serial: 'AB', mspId, iat: now, exp: now + 600 };
  const noRole: Partial<typeof good> = { ...good };
  delete noRole.role;
  return [
    ['claims-null', null],
    ['claims-array', [good]],
    ['claims-number', 7],
    ['claims-string', 'admin'],
    ['claims-missing-role', noRole],
    ['claims-empty', {}],
    ['claims-unknown-role', { ...good, role: 'root' }],
    ['claims-role-array', { ...good, role: ['admin'] }],
    ['claims-exp-string', { ...good, exp: String(now + 600) }],
    ['claims-sub-null', { ...good, sub: null }],
    ['expired', { ...good, iat: now - 1200, exp: now - 600 }],
    ['other-org', { ...good, mspId: 'OtherMSP' }],
  ];
}

/** Authorization headers that are no valid token of this gateway. */
function badAuthHeaders(random: Random, mspId: string): [string, string][] {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: 'admin1', role: 'admin', serial: 'AB', mspId, iat: now, exp: now + 600 };
  const forged = signedToken(claims, randomBytes(32));
  const [, body = ''] = forged.split('.');
  return [
    ['basic-auth', 'Basic YWRtaW46YWRtaW4='],
    ['bearer-empty', 'Bearer '],
    ['bearer-garbage', 'Bearer v1.x.y'],
    ['bearer-two-parts', `Bearer v1.${body}`],
    ['bearer-wrong-version', `Bearer v2.${body}.AAAA`],
    ['bearer-lowercase', `bearer ${forged}`],
    ['bearer-long', `Bearer v1.${'A'.repeat(4096)}.${'B'.repeat(43)}`],
    ['forged-hmac', `Bearer ${forged}`],
    ['forged-hmac-short', `Bearer v1.${body}.${hex(random, 8)}`],
    ['bearer-no-signature', `Bearer v1.${body}.`],
  ];
}

// ---- routes -------------------------------------------------------------------------------------

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
/** The paths a route URL matches (a parameter is one non-empty segment, `*` anything). */
const patternOf = (url: string) =>
  new RegExp(
    `^${url
      .split(/(:[A-Za-z0-9_]+|\*)/)
      .map((part) =>
        part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('')}$`,
  );
const paramsOf = (url: string) => [...url.matchAll(/:([A-Za-z0-9_]+)|\*/g)].map((m) => m[1] ?? '*');

interface RouteView {
  route: RouteEntry;
  op: OpenApiOperation | undefined;
  /** Path parameter → its schema. */
  params: Map<string, JsonSchema>;
  query: NonNullable<OpenApiOperation['parameters']>;
  body: JsonSchema | undefined;
}

function viewOf(route: RouteEntry, doc: OpenApiDocument): RouteView {
  const op = doc.paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
  const parameters = op?.parameters ?? [];
  const params = new Map<string, JsonSchema>();
  for (const name of paramsOf(route.url)) {
    params.set(name, parameters.find((p) => p.in === 'path' && p.name === name)?.schema ?? {});
  }
  return {
    route,
    op,
    params,
    query: parameters.filter((p) => p.in === 'query'),
    body: op?.requestBody?.content?.['application/json']?.schema,
  };
}

/** The route's path with sample values, one parameter replaced by `raw` (sent as it is). */
function concretePath(
  view: RouteView,
  doc: OpenApiDocument,
  random: Random,
  override?: { name: string; raw: string },
): string {
  return view.route.url.replace(/:([A-Za-z0-9_]+)|\*/g, (_match, name: string | undefined) => {
    const key = name ?? '*';
    if (override?.name === key) return override.raw;
    if (key === '*') return 'index.html';
    return encodeURIComponent(String(sampleOf(view.params.get(key), doc, random)));
  });
}

/** Query values the property must refuse, percent-encoded (a value list repeats the key). */
function badQueryValues(schema: JsonSchema, sample: unknown): [string, string[]][] {
  const type = typeOf(schema);
  const repeated: [string, string[]] = ['repeated-key', [String(sample), String(sample)]];
  const out: [string, string[]][] = [];
  if (type === 'integer' || type === 'number') {
    out.push(['wrong-type', ['abc']], ['wrong-type', ['1.5x']], ['empty', ['']]);
    out.push(['huge', ['99999999999999999999']], ['huge', [String(2 ** 53 + 2)]], repeated);
    if ((schema.minimum ?? -Infinity) >= 0) out.push(['negative', ['-1']]);
    if (schema.maximum !== undefined) out.push(['above-maximum', [String(schema.maximum + 1)]]);
  } else if (type === 'array') {
    const items = resolveItems(schema);
    out.push(['too-many', Array.from({ length: (schema.maxItems ?? 64) + 1 }, () => 'a')]);
    if (items.maxLength !== undefined) out.push(['long-string', ['x'.repeat(items.maxLength + 1)]]);
  } else {
    out.push(repeated);
    if (schema.maxLength !== undefined) out.push(['long-string', ['x'.repeat(schema.maxLength + 1)]]);
    if (schema.enum) out.push(['not-in-enum', ['fuzz-none']]);
    if (schema.pattern) {
      out.push(['control', ['a%00b']], ['traversal', ['..%2F..']], ['unicode', [encodeURIComponent('ü')]]);
      out.push(['bidi', [encodeURIComponent('2026\u202E')]]);
    }
  }
  return out;
}
const resolveItems = (schema: JsonSchema): JsonSchema => schema.items ?? {};

/** Every field of a body schema (nested objects included), with its schema. */
function fieldsOf(schema: JsonSchema, doc: OpenApiDocument, prefix: string[] = [], depth = 0): FieldRef[] {
  const s = resolve(schema, doc);
  if (depth > 3 || !s.properties) return [];
  return Object.entries(s.properties).flatMap(([name, child]) => {
    const path = [...prefix, name];
    const resolved = resolve(child, doc);
    return [{ path, schema: resolved }, ...fieldsOf(resolved, doc, path, depth + 1)];
  });
}
interface FieldRef {
  path: string[];
  schema: JsonSchema;
}

/** `body` with the field at `path` set to `value`, the objects on the way created as needed. */
function withField(body: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node[key] = typeof next === 'object' && next !== null && !Array.isArray(next) ? next : {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
  return copy;
}

const isFreeText = (schema: JsonSchema) =>
  typeOf(schema) === 'string' && !schema.pattern && !schema.enum && !schema.format;

// ---- the generator ------------------------------------------------------------------------------

/**
 * `perCategory` requests of each category for the routes of one gateway of `mspId`, all drawn from
 * `random` (the same seed gives the same requests). Every request is invalid: the gateway must
 * refuse each with a 4xx in the one error shape, before anything is written.
 */
export function fuzzRequests(
  routes: readonly RouteEntry[],
  doc: OpenApiDocument,
  mspId: string,
  random: Random,
  options: FuzzOptions,
): FuzzRequest[] {
  const views = routes.map((route) => viewOf(route, doc));
  const allowed = (view: RouteView): FuzzAuth =>
    view.route.public ? { kind: 'none' } : { kind: 'role', role: pick(random, view.route.roles) };
  const base = (view: RouteView, category: FuzzCategory, label: string) => ({
    category,
    label: `${category}:${label}`,
    method: view.route.method,
    route: `${view.route.method} ${view.route.url}`,
    headers: {} as Record<string, string>,
  });
  const sampleBody = (view: RouteView) =>
    WRITE_METHODS.has(view.route.method)
      ? {
          body: JSON.stringify(view.body ? sampleOf(view.body, doc, random) : {}),
          contentType: 'application/json',
        }
      : {};

  const withParams = views.filter((v) => v.params.size > 0);
  const withQuery = views.filter((v) => v.query.length > 0);
  const documentedGets = views.filter((v) => v.op !== undefined && v.route.method === 'GET');
  const guarded = views.filter((v) => !v.route.public && v.op !== undefined);
  const partial = guarded.filter((v) => v.route.roles.length < API_ROLES.length);
  // Routes bound to other organisations than this gateway's: a listed role still gets 403.
  const orgRole = ORG_ROLE_BY_MSP[mspId as MspId];
  const otherOrgs = guarded.filter((v) => !v.route.orgs.includes(orgRole));
  const writes = views.filter((v) => WRITE_METHODS.has(v.route.method) && v.op !== undefined);
  const bodilessWrites = writes.filter((v) => !v.route.public && v.params.size > 0 && !v.body);
  const claims = badClaims(mspId);
  const authHeaders = badAuthHeaders(random, mspId);

  const byCategory: Record<FuzzCategory, () => FuzzRequest> = {
    path: () => {
      const view = pick(random, withParams);
      const name = pick(random, [...view.params.keys()]);
      const dotted = random() < 0.1;
      const [label, raw] = dotted ? ['dot-segment', 'a..b'] : pick(random, BAD_PATH_VALUES);
      // The static files' folder itself, and `..` inside it, are the Swagger UI page, not an id.
      const staticRoot = name === '*' && ['', '..', '%2e%2e'].includes(raw);
      return {
        ...base(view, 'path', label),
        // A write to an id that fits the patterns carries an empty body: it must not commit.
        ...(dotted && WRITE_METHODS.has(view.route.method)
          ? { body: '{}', contentType: 'application/json' }
          : sampleBody(view)),
        path: concretePath(view, doc, random, { name, raw }),
        auth: allowed(view),
        // `a..b` fits the id patterns: the chaincode may answer 404, but never a 5xx.
        expect: dotted || staticRoot ? 'any-4xx-or-2xx' : 'refused',
      };
    },
    query: () => {
      if (random() < 0.2) {
        const view = pick(random, documentedGets);
        const value = pick(random, BAD_MIN_BLOCKS);
        return {
          ...base(view, 'query', 'min-block'),
          path: `${concretePath(view, doc, random)}?minBlock=${encodeURIComponent(value)}`,
          auth: allowed(view),
          expect: 'refused',
        };
      }
      const view = pick(random, withQuery);
      const target = pick(random, view.query);
      const schema = resolve(target.schema, doc);
      const [label, values] = pick(random, badQueryValues(schema, sampleOf(schema, doc, random)));
      const pairs = view.query
        .filter((q) => q.required && q.name !== target.name)
        .map((q) => `${q.name}=${encodeURIComponent(String(sampleOf(q.schema, doc, random)))}`);
      pairs.push(...values.map((v) => `${target.name}=${v}`));
      return {
        ...base(view, 'query', label),
        path: `${concretePath(view, doc, random)}?${pairs.join('&')}`,
        auth: allowed(view),
        expect: 'refused',
      };
    },
    header: (): FuzzRequest => {
      const roll = random();
      if (roll < 0.45) {
        const view = pick(random, guarded);
        const kind = random();
        const [label, auth]: [string, FuzzAuth] =
          kind < 0.1
            ? ['no-token', { kind: 'none' }]
            : kind < 0.55
              ? (([l, header]) => [l, { kind: 'raw', header }] as [string, FuzzAuth])(
                  pick(random, authHeaders),
                )
              : (([l, c]) => [l, { kind: 'signed', claims: c }] as [string, FuzzAuth])(pick(random, claims));
        return {
          ...base(view, 'header', label),
          path: concretePath(view, doc, random),
          auth,
          expect: 'unauthenticated',
        };
      }
      if (roll < 0.7 && partial.length > 0) {
        const view = pick(random, partial);
        const role = pick(
          random,
          API_ROLES.filter((r) => !view.route.roles.includes(r)),
        );
        return {
          ...base(view, 'header', 'role-not-listed'),
          path: concretePath(view, doc, random),
          auth: { kind: 'role', role },
          expect: 'forbidden',
        };
      }
      if (roll < 0.8 && otherOrgs.length > 0) {
        const view = pick(random, otherOrgs);
        return {
          ...base(view, 'header', 'org-not-allowed'),
          ...sampleBody(view),
          path: concretePath(view, doc, random),
          auth: allowed(view),
          expect: 'org-not-allowed',
        };
      }
      if (roll < 0.9 || !options.idempotencyKeys || bodilessWrites.length === 0) {
        const view = pick(random, documentedGets);
        return {
          ...base(view, 'header', 'min-block'),
          path: concretePath(view, doc, random),
          auth: allowed(view),
          headers: { 'x-min-block': pick(random, BAD_MIN_BLOCKS) },
          expect: 'refused',
        };
      }
      // A write of unknown ids (the chaincode would refuse it too) with a key no retry may carry.
      const view = pick(random, bodilessWrites);
      return {
        ...base(view, 'header', 'idempotency-key'),
        path: concretePath(view, doc, random),
        auth: allowed(view),
        headers: { 'idempotency-key': pick(random, BAD_IDEMPOTENCY_KEYS) },
        expect: 'refused',
      };
    },
    body: () => {
      const view = pick(random, writes);
      const path = concretePath(view, doc, random);
      const sample = view.body ? sampleOf(view.body, doc, random) : {};
      const fields = view.body ? fieldsOf(view.body, doc) : [];
      const roll = random();
      const json = (label: string, value: unknown) => ({
        ...base(view, 'body', label),
        path,
        auth: allowed(view),
        body: JSON.stringify(value),
        contentType: 'application/json',
        expect: 'refused' as const,
      });
      const raw = (label: string, body: string, contentType: string) => ({
        ...json(label, null),
        body,
        contentType,
      });
      if (roll < 0.55 && fields.length > 0) {
        const free = fields.filter((f) => isFreeText(f.schema));
        const field = free.length > 0 && random() < 0.3 ? pick(random, free) : pick(random, fields);
        const current = field.path.reduce<unknown>(
          (node, key) => (node as Record<string, unknown> | undefined)?.[key],
          sample,
        );
        const value = current ?? sampleOf(field.schema, doc, random);
        const bad = badValuesFor(field.schema, isFreeText(field.schema)).map(([l, v]): [string, unknown] =>
          l === 'coercible-string' && typeof value !== 'string'
            ? [l, String(value)]
            : l === 'coercible-array'
              ? [l, [value]]
              : [l, v],
        );
        if (typeOf(field.schema) === 'object') bad.splice(2, 1, ['wrong-type', 'x']);
        const [label, badValue] = pick(random, bad);
        return { ...json(label, withField(sample, field.path, badValue)), label: `body:${label}` };
      }
      if (roll < 0.7) return json('extra-field', { ...(sample as object), fuzzExtra: 1 });
      if (roll < 0.8) return json('top-level', pick(random, [null, [], 'x', 7, true, [sample]]));
      if (roll < 0.88)
        return raw(
          'malformed-json',
          pick(random, ['{"a":', '{', '{"a":1}}', '', '\u0000']),
          'application/json',
        );
      if (roll < 0.96) {
        const [type, text] = pick(random, [
          ['text/plain', JSON.stringify(sample)],
          ['application/x-www-form-urlencoded', 'a=1&b=2'],
          ['application/xml', '<a>1</a>'],
          ['multipart/form-data; boundary=x', '--x\r\n\r\n1\r\n--x--'],
          ['application/octet-stream', JSON.stringify(sample)],
        ] as const);
        return raw('content-type', text, type);
      }
      return json('over-limit', { ...(sample as object), fuzzPad: 'x'.repeat(options.bodyLimit) });
    },
    method: () => {
      const view = pick(
        random,
        views.filter((v) => v.op !== undefined),
      );
      const path = concretePath(view, doc, random);
      // A method is free when no route of it matches the path (GET /v1/orgs/self is GET /v1/orgs/:mspId).
      const taken = new Set(
        views.filter((v) => patternOf(v.route.url).test(path)).map((v) => v.route.method),
      );
      const free = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].filter((m) => !taken.has(m));
      const method = pick(random, free);
      return {
        ...base(view, 'method', method.toLowerCase()),
        method,
        route: `${method} ${view.route.url}`,
        path,
        auth: allowed(view),
        expect: 'not-found',
      };
    },
  };
  return FUZZ_CATEGORIES.flatMap((category) =>
    Array.from({ length: options.perCategory }, () => byCategory[category]()),
  );
}

// ---- the rules every answer keeps ---------------------------------------------------------------

export interface FuzzAnswer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
}

const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;
/** Generic codes and the one status each belongs to. */
const STATUS_OF_CODE: Record<string, number> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  MALFORMED_BODY: 400,
  MALFORMED_URL: 400,
  UNAUTHENTICATED: 401,
  TOKEN_INVALID: 401,
  TOKEN_EXPIRED: 401,
  CLIENT_CERT_REQUIRED: 401,
  CLIENT_CERT_REJECTED: 401,
  FORBIDDEN: 403,
  ORG_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  LOGIN_LOCKED: 429,
};

/** What is wrong with the answer to `request` (nothing: an empty list). */
export function problemsOf(request: FuzzRequest, answer: FuzzAnswer): string[] {
  const problems: string[] = [];
  const { status } = answer;
  if (status >= 500) problems.push(`server error ${status}`);
  if (status === 429) {
    if (answer.headers['retry-after'] === undefined) problems.push('429 without Retry-After');
    return problems;
  }
  if (status >= 400 && status < 500) {
    let code: unknown;
    let message: unknown;
    try {
      const body = JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown } };
      code = body.error?.code;
      message = body.error?.message;
    } catch {
      problems.push('error body is not JSON');
    }
    if (typeof code !== 'string' || !UPPER_SNAKE.test(code) || typeof message !== 'string') {
      problems.push(`error body not { error: { code, message } }: ${answer.text.slice(0, 120)}`);
    } else if (STATUS_OF_CODE[code] !== undefined && STATUS_OF_CODE[code] !== status) {
      problems.push(`code ${code} with status ${status}`);
    }
    if (!String(answer.headers['content-type'] ?? '').includes('application/json')) {
      problems.push(`error content-type ${String(answer.headers['content-type'])}`);
    }
  }
  // A batch route (readings) answers 200 with each item's result: nothing accepted is a refusal.
  const accepted = status < 400 && !/"accepted":0,/.test(answer.text);
  switch (request.expect) {
    case 'unauthenticated':
      if (status !== 401) problems.push(`expected 401 (route table), got ${status}`);
      break;
    case 'forbidden':
      if (status !== 403 || !answer.text.includes('"FORBIDDEN"'))
        problems.push(`expected 403 FORBIDDEN (route table), got ${status}`);
      break;
    case 'org-not-allowed':
      if (status !== 403 || !answer.text.includes('"ORG_NOT_ALLOWED"'))
        problems.push(`expected 403 ORG_NOT_ALLOWED (route table), got ${status}`);
      break;
    case 'not-found':
      if (status !== 404 && status !== 405) problems.push(`expected 404/405 for the method, got ${status}`);
      break;
    case 'refused':
      if (accepted) problems.push(`invalid request accepted with ${status}`);
      break;
    case 'any-4xx-or-2xx':
      break;
  }
  return problems;
}

/** The Authorization header of `auth`: role tokens from `tokenOf`, signed claims with `secret`. */
export function authorizationOf(
  auth: FuzzAuth,
  tokenOf: (role: ApiRole) => string,
  secret: Buffer,
): Record<string, string> {
  switch (auth.kind) {
    case 'none':
      return {};
    case 'raw':
      return { authorization: auth.header };
    case 'role':
      return { authorization: `Bearer ${tokenOf(auth.role)}` };
    case 'signed':
      return { authorization: `Bearer ${signedToken(auth.claims, secret)}` };
  }
}

/** One failing request, short enough for a report line. */
export interface FuzzFailure {
  request: FuzzRequest;
  status: number;
  problems: string[];
  answer: string;
}

/** Request counts per category and per class, and the failures, of one fuzz run. */
export class FuzzTally {
  readonly perCategory = new Map<string, number>();
  readonly perLabel = new Map<string, number>();
  readonly failures: FuzzFailure[] = [];

  record(request: FuzzRequest, answer: FuzzAnswer, extraProblems: string[] = []): void {
    this.perCategory.set(request.category, (this.perCategory.get(request.category) ?? 0) + 1);
    this.perLabel.set(request.label, (this.perLabel.get(request.label) ?? 0) + 1);
    const problems = [...problemsOf(request, answer), ...extraProblems];
    if (problems.length > 0) {
      this.failures.push({ request, status: answer.status, problems, answer: answer.text.slice(0, 160) });
    }
  }

  /** `category: n` lines for t.diagnostic. */
  countLines(): string[] {
    const total = [...this.perCategory.values()].reduce((a, b) => a + b, 0);
    return [`requests: ${total}`, ...[...this.perCategory].map(([category, n]) => `${category}: ${n}`)];
  }

  /** One line per failing class (class, status, kind of problem): its count and one example request. */
  failureSummary(): string {
    const classes = new Map<string, { count: number; example: FuzzFailure }>();
    for (const f of this.failures) {
      const key = `${f.request.label} → ${f.status} ${f.problems.map((p) => p.split(':')[0]).join('; ')}`;
      const seen = classes.get(key);
      if (seen) seen.count += 1;
      else classes.set(key, { count: 1, example: f });
    }
    const lines = [...classes].map(([key, { count, example }]) => {
      const r = example.request;
      const body = r.body === undefined ? '' : ` ${r.contentType ?? ''} body=${r.body.slice(0, 100)}`;
      const headers = Object.keys(r.headers).length === 0 ? '' : ` headers=${JSON.stringify(r.headers)}`;
      return (
        `${count}× ${key}
    e.g. ${r.method} ${r.path.slice(0, 140)}${body}${headers}` +
        ` auth=${JSON.stringify(r.auth).slice(0, 100)}
    answer: ${example.answer}`
      );
    });
    return `${this.failures.length} failing requests in ${classes.size} classes:\n${lines.join('\n')}`;
  }
}

/** The seed of a run: VPP_FUZZ_SEED when set (to replay), otherwise a fresh one. */
export function fuzzSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.VPP_FUZZ_SEED;
  if (given !== undefined && /^[0-9]+$/.test(given)) return Number(given) >>> 0;
  return randomBytes(4).readUInt32BE(0);
}
