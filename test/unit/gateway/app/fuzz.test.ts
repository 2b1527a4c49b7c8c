// The seeded fuzz suite of the gateway, through app.inject: requests derived from each org gateway's
// route table and OpenAPI document, every one invalid, over the fake ports the route tests use. Every
// answer must be a 4xx in the one error shape (never a 5xx), the route table must hold (401 without a
// valid token, 403 for a role not listed), and nothing may be written for a request that was refused.
// The seed is printed; VPP_FUZZ_SEED=<seed> replays a run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../../gateway/src/core/api-error';
import type { ApiRole } from '../../../../gateway/src/core/roles';
import { loadTopology } from '../../../../platform/src/topology';
import {
  authorizationOf,
  FuzzTally,
  fuzzRequests,
  fuzzSeed,
  type OpenApiDocument,
} from '../../../support/fuzz-requests';
import { prng } from '../../../support/prng';
import { FakeLedger, fakeRaPort, openGateway, tokenFor } from '../../../support/route-harness';

const PER_CATEGORY = 400;
const seed = fuzzSeed();

describe(`gateway fuzz through app.inject (VPP_FUZZ_SEED=${seed})`, () => {
  loadTopology().orgs.forEach((org, index) => {
    it(`should refuse every invalid request to the ${org.name} gateway with a 4xx in the error shape and write nothing`, async (t) => {
      // Nothing the fuzzer names exists: the chaincode would refuse any call that got through.
      const ledger = new FakeLedger({ txId: 'f'.repeat(64) });
      ledger.failure = new ApiError(404, 'NOT_FOUND', 'no such record on the fuzzed ledger');
      const raWrites: string[] = [];
      const unknownIdentity = async (): Promise<never> => {
        throw new ApiError(401, 'INVALID_CREDENTIALS', 'unknown enrollment id or wrong secret');
      };
      const ra = fakeRaPort({
        enroll: unknownIdentity,
        enrollCsr: unknownIdentity,
        register: async (input) => {
          raWrites.push(`register ${input.enrollmentId}`);
          return { enrollmentId: input.enrollmentId, secret: 'fuzz', role: input.role } as never;
        },
        revoke: async (id) => {
          raWrites.push(`revoke ${id}`);
          return { serials: [], crlPem: '' };
        },
      });
      const gateway = await openGateway(org.name, { fabric: ledger.port, ra }, `gw-fuzz-${org.name}-`);
      try {
        const { app } = gateway;
        const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json<OpenApiDocument>();
        const requests = fuzzRequests(app.routeTable, doc, org.mspId, prng(seed + index), {
          perCategory: PER_CATEGORY,
          bodyLimit: app.config.bodyLimit,
          idempotencyKeys: false,
        });
        const tokens = new Map<ApiRole, string>();
        const tokenOf = (role: ApiRole) => {
          if (!tokens.has(role)) tokens.set(role, tokenFor(app, role, org.mspId));
          return tokens.get(role)!;
        };
        const secret = app.identities.tokenSecret();
        const tally = new FuzzTally();
        for (const request of requests) {
          const writesBefore = ledger.calls.filter((c) => c.kind === 'submit').length + raWrites.length;
          const res = await app.inject({
            method: request.method as 'GET',
            url: request.path,
            headers: {
              ...authorizationOf(request.auth, tokenOf, secret),
              ...request.headers,
              ...(request.contentType === undefined ? {} : { 'content-type': request.contentType }),
            },
            ...(request.body === undefined ? {} : { payload: request.body }),
          });
          // Only `a..b` ids fit the schemas; every other request must be refused before any write.
          const wrote =
            ledger.calls.filter((c) => c.kind === 'submit').length + raWrites.length > writesBefore;
          const extra =
            wrote && request.expect !== 'any-4xx-or-2xx'
              ? ['invalid input reached a write (ledger or CA)']
              : [];
          tally.record(request, { status: res.statusCode, headers: res.headers, text: res.body }, extra);
        }
        for (const line of tally.countLines()) t.diagnostic(`${org.name} ${line}`);
        assert.equal(requests.length, PER_CATEGORY * 5);
        assert.equal(tally.failures.length, 0, tally.failureSummary());
      } finally {
        await gateway.close();
      }
    });
  });
});
