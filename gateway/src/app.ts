/**
 * The gateway's fastify app: external plugins (swagger, metrics) → app plugins (Fabric connection,
 * ledger facades, registration authority, auth, off-chain store, reading ingest) → routes, each tier
 * loaded by @fastify/autoload from its folder; one error handler and one not-found handler for the
 * whole app.
 *
 * ## Route plugin contract (for everyone adding `gateway/src/routes/<area>/index.ts`)
 *
 * A folder `routes/<area>/` with an `index.ts` whose default export is a fastify plugin is picked up
 * with no registration anywhere else. Keep helpers out of `routes/` (autoload loads every file there
 * as a plugin): schemas in `schemas/<area>.ts`, logic in its own module (`gateway/src/<area>/`).
 * URLs are written in full (`/v1/...`): the folder name is not a prefix.
 *
 * ```ts
 * import type { RoutePlugin } from '../../core/schema-types';
 * import { callerOf } from '../../plugins/app/auth';
 * import { ApiError } from '../../core/api-error';
 *
 * const routes: RoutePlugin = async (app) => {
 *   app.put('/v1/orgs/things/:id', {
 *     config: { roles: ['regulator', 'admin'] },   // REQUIRED: roles, or `public: true`
 *     schema: putThingSchema,                     // `as const`: params and body are typed from it
 *   }, async (request) => {
 *     const caller = callerOf(request);            // { enrollmentId, role, serial, mspId }
 *     // Read: a typed facade of app.ledger evaluates as the caller (signed with the caller's own key).
 *     const profile = await app.ledger.org.profile(request, request.params.id);
 *     // Write: endorse + submit + wait for commit; the tx id is logged and counted in /metrics.
 *     const { result, txId } = await app.ledger.org.putOwnProfile(request, request.body);
 *     // Anything else (events, qscc, block reads): the caller's own Network.
 *     const network = app.fabric.network(caller);
 *     if (!found) throw new ApiError(404, 'NOT_FOUND', 'no such thing');
 *   });
 * };
 * export default routes;
 * ```
 *
 * - **Roles.** Every route declares `config.roles` (a non-empty list of `ApiRole`s from
 *   `core/roles.ts`; `ANY_ROLE` for every authenticated user) or `config.public: true`. A route that
 *   declares neither makes the app fail to start. No token → 401, a role not listed → 403, both
 *   before the handler runs; `request.caller` is set for every non-public route. The integration
 *   tests build the 401/403 table from `app.routeTable`, so a new route is covered automatically.
 *   The chaincode checks MSP and `vpp.role` again from the certificate. A route whose transaction
 *   is reserved to some organisations also declares them (`config.orgs`, e.g. `['regulator']`):
 *   on another org's gateway the right role still gets 403 ORG_NOT_ALLOWED before the handler.
 * - **Ledger.** Routes call the facades of `app.ledger` (plugins/app/ledger/, one per business area),
 *   which own the contract and transaction names, argument encoding and result decoding; a route
 *   never names a contract or a transaction (a unit test holds them to it). Under them `app.fabric`
 *   (plugins/app/fabric-connection.ts) owns one gRPC client to the org's peer and a cache of
 *   per-caller Gateways; never build your own connection or sign with another key.
 * - **Types.** Schemas live in `schemas/<area>.ts` as `as const` literals; `RoutePlugin`
 *   (core/schema-types.ts) types each handler's params, querystring, headers and body from them.
 * - **Errors.** Throw `ApiError(status, CODE, message, details?)` for your own failures and let Fabric
 *   errors propagate: the error handler maps them (core/fabric-errors.ts toApiError) to
 *   `{ "error": { "code", "message", "details?", "txId?" } }` with a stable code. Schema failures are
 *   400 VALIDATION_FAILED. fastify's own refusals (a URL that does not decode, an over-long path
 *   parameter, the docs' static files) take the same shape through `frameworkErrors`.
 * - **Bodies.** Every POST/PUT/PATCH route declares `schema.body` (`EmptyBodySchema` when it takes
 *   none), or the app fails to start. Bodies are validated without type coercion (`"12"` is not 12,
 *   `null` not 0) and allow no unknown fields at any depth (write `additionalProperties: false`);
 *   integers are bounded within the safe range, free text uses `freeText` (schemas/common.ts). A unit
 *   test walks every body schema for these rules. Params, querystrings and headers arrive as strings,
 *   so their numbers are still coerced.
 * - **Observability.** Use `request.log` (carries reqId); `app.metrics` has the shared registry.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import https from 'node:https';
import path from 'node:path';
import AjvCompiler from '@fastify/ajv-compiler';
import AutoLoad from '@fastify/autoload';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerFactory,
  type FastifyServerOptions,
  type RouteOptions,
} from 'fastify';
import { ApiError, errorBody } from './core/api-error';
import { toApiError } from './core/fabric-errors';
import { IdentityStore } from './core/identity-store';
import { isApiRole, type ApiRole } from './core/roles';
import { KNOWN_ORG_ROLES, type OrgRole } from '../../chaincode/src/api';
import { ErrorSchema } from './schemas/common';
import type { GatewayConfig } from './config';
import type { HeightSource } from './blocks-and-events/block-height';
import type { FabricPort } from './plugins/app/fabric-connection';
import { documentReadYourWrites } from './plugins/app/read-your-writes';
import type { RaPort } from './plugins/app/ra';
import type { DirectoryPort } from './directory/ldap-directory';

/** One row of the route table: what the auth layer enforces for a method and URL. */
export interface RouteEntry {
  method: string;
  url: string;
  roles: readonly ApiRole[];
  /** The organisations whose gateway serves the route (every one unless the route is org-bound). */
  orgs: readonly OrgRole[];
  public: boolean;
  /** The route's body schema (POST, PUT and PATCH routes all have one). */
  body?: unknown;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed to call the route (see the contract above). */
    roles?: readonly ApiRole[];
    /**
     * Organisations (`OrgRole`s) whose users may call the route, when its chaincode transaction is
     * reserved to them: on any other org's gateway the route answers 403 ORG_NOT_ALLOWED.
     */
    orgs?: readonly OrgRole[];
    /** No authentication at all (health, login, PKI, docs, metrics). */
    public?: boolean;
  }
  interface FastifyInstance {
    config: GatewayConfig;
    identities: IdentityStore;
    routeTable: RouteEntry[];
  }
}

/** Replacements for the ports to the network, for unit tests with `app.inject`. */
export interface AppPorts {
  fabric?: FabricPort;
  ra?: RaPort;
  /** The LDAP certificate directory the RA publishes in (with the real RA: the configured one). */
  directory?: DirectoryPort;
  /** Where the peer's ledger height comes from (read-your-writes waits). */
  heights?: HeightSource;
  /** The clock of the login lockout (milliseconds since the epoch). */
  clock?: () => number;
}

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
  ports?: AppPorts;
  /** Serve HTTPS with these options (server.ts: httpsOptionsOf); without them plain HTTP (app.inject). */
  https?: https.ServerOptions;
}

/** Routes of plugins that cannot declare roles themselves (Swagger UI's and the console's files). */
const PUBLIC_PREFIXES = ['/docs', '/console'];
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * A write's documented answers, plus 504 OUTCOME_UNKNOWN wherever it can reach the ledger (it lists
 * 503): its transaction may have been sent for ordering and not confirmed (core/fabric-errors.ts).
 */
function withOutcomeUnknown(methods: readonly string[], response: unknown): unknown {
  if (!methods.some((m) => WRITE_METHODS.has(m)) || typeof response !== 'object' || response === null)
    return response;
  return '503' in response && !('504' in response) ? { ...response, 504: ErrorSchema } : response;
}

/** A route's `config.orgs`, checked: absent means every organisation (the same list object). */
function orgsOf(value: unknown, route: string): readonly OrgRole[] {
  if (value === undefined) return KNOWN_ORG_ROLES;
  const known = KNOWN_ORG_ROLES as readonly unknown[];
  if (!Array.isArray(value) || value.length === 0 || !value.every((org) => known.includes(org)))
    throw new Error(`route ${route}: config.orgs must be a non-empty list of ${KNOWN_ORG_ROLES.join(', ')}`);
  return value as OrgRole[];
}

function guardRoute(route: RouteOptions, table: RouteEntry[]): void {
  const config = (route.config ?? {}) as { roles?: unknown; orgs?: unknown; public?: unknown };
  const url = route.url;
  const methods = ([] as string[]).concat(route.method);
  const isPublic =
    config.public === true || PUBLIC_PREFIXES.some((p) => url === p || url.startsWith(`${p}/`));
  const roles = Array.isArray(config.roles) ? (config.roles as unknown[]) : undefined;
  if (!isPublic && (!roles || roles.length === 0 || !roles.every(isApiRole))) {
    throw new Error(
      `route ${methods.join(',')} ${url} must declare config.roles (API roles) or config.public`,
    );
  }
  const body = (route.schema as { body?: unknown } | undefined)?.body;
  if (body === undefined && methods.some((m) => BODY_METHODS.has(m))) {
    throw new Error(`route ${methods.join(',')} ${url} must declare schema.body (EmptyBodySchema for none)`);
  }
  const orgs = orgsOf(config.orgs, `${methods.join(',')} ${url}`);
  if (isPublic && orgs !== KNOWN_ORG_ROLES)
    throw new Error(`public route ${methods.join(',')} ${url} cannot be bound to organisations`);
  route.config = { ...(route.config ?? {}), public: isPublic, orgs };
  if (route.schema !== undefined && !(route.schema as { hide?: boolean }).hide)
    route.schema = documentReadYourWrites(methods, route.schema as Record<string, unknown>);
  if (!isPublic) {
    // Shown in the OpenAPI document: the bearer scheme and who may call.
    const schema = (route.schema ?? {}) as Record<string, unknown>;
    route.schema = {
      ...schema,
      ...(schema.response === undefined ? {} : { response: withOutcomeUnknown(methods, schema.response) }),
      security: [{ bearerAuth: [] }],
      description: [
        schema.description,
        `Roles: ${(roles as string[]).join(', ')}.`,
        orgs === KNOWN_ORG_ROLES
          ? undefined
          : `Organisations: ${orgs.join(', ')} (403 ORG_NOT_ALLOWED elsewhere).`,
      ]
        .filter(Boolean)
        .join(' '),
    };
  }
  for (const method of methods) {
    if (method === 'HEAD') continue;
    table.push({
      method,
      url,
      roles: isPublic ? [] : (roles as ApiRole[]),
      orgs,
      public: isPublic,
      ...(body === undefined ? {} : { body }),
    });
  }
}

/** Stable codes for the other refusals of fastify and its plugins, by their status. */
const FRAMEWORK_REFUSAL_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  411: 'LENGTH_REQUIRED',
  413: 'BODY_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  416: 'RANGE_NOT_SATISFIABLE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
};

/** A 4xx of fastify or a plugin, as one of ours: the status and a code that always go together. */
function frameworkRefusal(status: number, message: string): ApiError {
  // @fastify/static (Swagger UI's assets) answers 403 for paths it will not serve, e.g. with a NUL:
  // for the caller that file does not exist, and FORBIDDEN means a role refused here.
  if (status === 403 || status === 404) return new ApiError(404, 'NOT_FOUND', 'no such resource');
  const code = FRAMEWORK_REFUSAL_CODES[status];
  return code === undefined ? new ApiError(400, 'BAD_REQUEST', message) : new ApiError(status, code, message);
}

/** Any error → `{ status, body }`: schema and parser errors are the caller's (4xx), the rest mapped. */
export function apiErrorOf(err: FastifyError | Error): ApiError {
  if (err instanceof ApiError) return err;
  const fe = err as FastifyError;
  if (fe.validation) {
    const details = fe.validation.map((v) => ({
      path: v.instancePath,
      message: v.message,
      params: v.params,
    }));
    return new ApiError(400, 'VALIDATION_FAILED', fe.message, details);
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'BODY_TOO_LARGE', 'request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError(400, 'MALFORMED_BODY', 'the body is not valid JSON');
    case 'FST_ERR_BAD_URL':
      return new ApiError(400, 'MALFORMED_URL', 'the URL is not valid percent-encoded UTF-8');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      // fastify's router stops at 100 characters; every id the API takes is shorter.
      return new ApiError(400, 'VALIDATION_FAILED', 'a path parameter is longer than 100 characters');
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return frameworkRefusal(fe.statusCode, fe.message);
  }
  return toApiError(err);
}

/** Shared by the validators of every request part. */
const AJV_OPTIONS = { useDefaults: true, removeAdditional: false, allErrors: false } as const;

/**
 * Validators by request part: bodies are JSON and are checked as sent, without type coercion (`"12"`
 * is not an integer, `null` not 0, `[7]` not 7); params, querystrings and headers arrive as strings,
 * so their numbers and lists are coerced. Unknown fields are errors everywhere, never dropped.
 */
export const buildValidator: NonNullable<
  NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']
> = (externalSchemas) => {
  const body = AjvCompiler()(externalSchemas, { customOptions: { ...AJV_OPTIONS, coerceTypes: false } });
  const strings = AjvCompiler()(externalSchemas, { customOptions: { ...AJV_OPTIONS, coerceTypes: 'array' } });
  return (route) => (route.httpPart === 'body' ? body(route) : strings(route));
};

/**
 * Fastify's own `https` option would type the app as an https instance everywhere; an https server
 * is driven by fastify exactly like an http one (its requests are http.IncomingMessage too).
 */
function httpsFactoryOf(serverOptions: https.ServerOptions): FastifyServerFactory {
  return (handler) => https.createServer(serverOptions, handler) as unknown as Server;
}

export async function buildApp(config: GatewayConfig, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel, base: { org: config.org.name } },
    bodyLimit: config.bodyLimit,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    schemaController: { compilersFactory: { buildValidator } },
    // The router's own refusals (bad percent-encoding, an over-long parameter) in the one error shape.
    frameworkErrors: (err, request, reply) => refuse(err, request, reply),
    ...(options.https === undefined ? {} : { serverFactory: httpsFactoryOf(options.https) }),
  });
  // Bodies are JSON only: anything else is 415 rather than a string reaching a schema.
  app.removeContentTypeParser('text/plain');
  const table: RouteEntry[] = [];
  app.decorate('config', config);
  app.decorate('routeTable', table);
  app.decorate('identities', new IdentityStore(config.dataDir));
  // Before any plugin: every route, the plugins' own included, passes through the guard.
  app.addHook('onRoute', (route) => guardRoute(route, table));
  // Fastify hands an absent body to the validator as null, so a schema that accepts "no body" would
  // accept a JSON `null` too; no route takes one, so it is refused before validation.
  app.addHook('preValidation', async (request) => {
    if (request.body === null)
      throw new ApiError(400, 'VALIDATION_FAILED', 'body must be an object, not null');
  });

  function refuse(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
    const api = apiErrorOf(err);
    if (api.status >= 500) request.log.error({ err, code: api.code, txId: api.txId }, 'request failed');
    else request.log.info({ code: api.code, txId: api.txId, reason: err.message }, 'request refused');
    app.metrics.errors.inc({ code: api.code });
    void reply.code(api.status).send(errorBody(api));
  }
  app.setErrorHandler(refuse);
  app.setNotFoundHandler((request, reply) => {
    app.metrics.errors.inc({ code: 'NOT_FOUND' });
    void reply
      .code(404)
      .send(
        errorBody(new ApiError(404, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)),
      );
  });

  const pluginOptions = { config, ports: options.ports ?? {} };
  await app.register(AutoLoad, { dir: path.join(__dirname, 'plugins', 'external'), options: pluginOptions });
  await app.register(AutoLoad, { dir: path.join(__dirname, 'plugins', 'app'), options: pluginOptions });
  await app.register(AutoLoad, {
    dir: path.join(__dirname, 'routes'),
    options: pluginOptions,
    dirNameRoutePrefix: false,
  });
  return app;
}
