/**
 * Route handlers get their request types (params, querystring, headers, body) from the route's JSON
 * schemas themselves, through json-schema-to-ts as @fastify/type-provider-json-schema-to-ts derives
 * them: one schema is validation, OpenAPI and types, and nothing hand-written can drift from it.
 *
 * Replies are not typed from the response schemas. Routes answer with the chaincode's records as
 * stored, documented loosely (`additionalProperties: true`, so new fields are never stripped); the
 * chaincode API types them as interfaces with readonly arrays, which TypeScript will not assign to
 * the index-signature types such loose schemas produce. Checking them would take a cast per route and
 * prove nothing the route unit tests do not.
 */
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyPluginAsync, FastifyTypeProvider, RawServerDefault } from 'fastify';

/** What @fastify/type-provider-json-schema-to-ts makes of schema `S` for a request part. */
type RequestTypeOf<S> = (JsonSchemaToTsProvider & { readonly schema: S })['validator'];

export interface SchemaTypeProvider extends FastifyTypeProvider {
  readonly validator: RequestTypeOf<this['schema']>;
  readonly serializer: unknown;
}

/** A route plugin whose handlers are typed from their schemas. */
export type RoutePlugin = FastifyPluginAsync<Record<never, never>, RawServerDefault, SchemaTypeProvider>;
