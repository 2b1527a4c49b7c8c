// Shared pieces of the gateway unit tests that drive routes with app.inject: a fake ledger that
// records what reaches the chaincode, a fake RA, a gateway app of one organisation, tokens, and the
// checks every route case gets.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../gateway/src/app';
import type { HeightSource } from '../../gateway/src/blocks-and-events/block-height';
import { loadConfig } from '../../gateway/src/config';
import { API_ROLES, type ApiRole } from '../../gateway/src/core/roles';
import { issueToken } from '../../gateway/src/core/token';
import type { FabricPort } from '../../gateway/src/plugins/app/fabric-connection';
import type { RaPort } from '../../gateway/src/plugins/app/ra';

/** One call that reached the chaincode through the Fabric port. */
export interface FabricCall {
  kind: 'evaluate' | 'submit';
  contract: string;
  tx: string;
  args: string[];
}

/** Stands in for a port method the tests never reach. */
export const notUsed = async (): Promise<never> => {
  throw new Error('not used');
};

/** A Fabric port with no network: `calls` answers the caller's evaluate and submit. */
export function fakeFabricPort(calls: Pick<FabricPort, 'evaluate' | 'submit'>): FabricPort {
  return {
    ready: async () => true,
    network: () => {
      throw new Error('no network in unit tests');
    },
    contract: () => {
      throw new Error('no network in unit tests');
    },
    evaluate: calls.evaluate,
    submit: calls.submit,
    service: {
      evaluate: notUsed,
      submit: notUsed,
      network: () => {
        throw new Error('no network in unit tests');
      },
    },
    forget: () => undefined,
    close: () => undefined,
  };
}

/** A ledger that records every call and answers with `answer` (or throws `failure`). */
export class FakeLedger {
  calls: FabricCall[] = [];
  answer: unknown;
  failure: Error | undefined;
  /** The transaction id every submit commits with. */
  readonly txId: string;
  /** The block every submit commits in. */
  blockNumber = 41n;
  readonly port: FabricPort = fakeFabricPort({
    evaluate: async (_request, contract, tx, args) => this.#call({ kind: 'evaluate', contract, tx, args }),
    submit: async (_request, contract, tx, args) => ({
      result: await this.#call({ kind: 'submit', contract, tx, args }),
      txId: this.txId,
      blockNumber: this.blockNumber,
    }),
  });

  constructor(options: { txId: string; answer?: unknown }) {
    this.txId = options.txId;
    this.answer = options.answer ?? {};
  }

  /** Forgets the recorded calls and the failure (between tests). */
  reset(): void {
    this.calls = [];
    this.failure = undefined;
  }

  async #call(call: FabricCall): Promise<Uint8Array> {
    this.calls.push(call);
    if (this.failure) throw this.failure;
    return Buffer.from(JSON.stringify(this.answer));
  }
}

/** An RA that lists no identities and refuses all else; `overrides` answer what a test needs. */
export function fakeRaPort(overrides: Partial<RaPort> = {}): RaPort {
  return {
    enroll: notUsed,
    enrollCsr: notUsed,
    register: notUsed,
    list: async () => [],
    attributesOf: async () => undefined,
    revoke: notUsed,
    caChainPem: () => '',
    crlPem: async () => '',
    ...overrides,
  };
}

/** A ready gateway app of one organisation, its data in a temporary folder of its own. */
export interface TestGateway {
  app: FastifyInstance;
  /** The gateway's data folder. */
  dir: string;
  /** Closes the app and removes its data folder. */
  close(): Promise<void>;
}

/**
 * Builds the gateway of `org` over fake ports (no logger) and waits until it is ready; `env` adds
 * settings (VPP_…) to its configuration.
 */
export async function openGateway(
  org: string,
  ports: { fabric: FabricPort; ra?: RaPort; heights?: HeightSource; clock?: () => number },
  dirPrefix = `gw-${org}-`,
  env: Record<string, string> = {},
): Promise<TestGateway> {
  const dir = mkdtempSync(path.join(os.tmpdir(), dirPrefix));
  const config = loadConfig({
    ...env,
    VPP_GATEWAY_ORG: org,
    VPP_GATEWAY_DATA: dir,
    // No scheduled checkpoints against the harness's fake ledger.
    VPP_CHECKPOINT_INTERVAL_SECONDS: '0',
  });
  const app = await buildApp(config, {
    logger: false,
    ports: {
      fabric: ports.fabric,
      ra: ports.ra ?? fakeRaPort(),
      ...(ports.heights === undefined ? {} : { heights: ports.heights }),
      ...(ports.clock === undefined ? {} : { clock: ports.clock }),
    },
  });
  await app.ready();
  return {
    app,
    dir,
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A token the app accepts for user `sub` (by default `<role>1`) of `mspId` with `role`. */
export function tokenFor(app: FastifyInstance, role: ApiRole, mspId: string, sub = `${role}1`): string {
  return issueToken({ sub, role, serial: 'AB', mspId }, app.identities.tokenSecret(), 60).token;
}

/** The authorization header carrying `token`. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** What one route case expects of a request that passes, and what it must refuse before Fabric. */
export interface RouteChecks<Malformed> {
  ledger: FakeLedger;
  /** The roles the route declares; every other role of API_ROLES must get 403. */
  roles: readonly ApiRole[];
  /** The roles that must get through (by default all that the route declares). */
  passing?: readonly ApiRole[];
  status: number;
  /** The call that must reach the chaincode. */
  call: FabricCall;
  /** The ledger's answer, and the response the route must make of it. */
  answer: unknown;
  response: unknown;
  /** Sends the route's request as `role`, or a malformed variant of it. */
  send: (role: ApiRole, malformed?: Malformed) => Promise<LightMyRequestResponse>;
  /** Malformed variants the schema must refuse with 400 before any ledger call. */
  refused?: readonly Malformed[];
}

/**
 * The tests every route case gets (call inside its `describe`): each passing role reaches the
 * chaincode with `call` and gets `response`; the other roles get 403 and malformed requests 400,
 * with no ledger call.
 */
export function routeCaseTests<Malformed>(checks: RouteChecks<Malformed>): void {
  const { ledger, send } = checks;
  const passing = checks.passing ?? checks.roles;
  it('should pass the arguments to the chaincode as the caller and return what the ledger returned', async () => {
    for (const role of passing) {
      ledger.calls = [];
      ledger.answer = checks.answer;
      const res = await send(role);
      assert.equal(res.statusCode, checks.status, `${role}: ${res.body}`);
      assert.deepEqual(res.json(), checks.response);
      assert.deepEqual(ledger.calls, [checks.call]);
    }
  });

  const forbidden = API_ROLES.filter((role) => !checks.roles.includes(role));
  if (forbidden.length > 0) {
    it(`should refuse ${forbidden.join(', ')} with 403 before the ledger is called`, async () => {
      for (const role of forbidden) {
        const res = await send(role);
        assert.equal(res.statusCode, 403, role);
        assert.equal(res.json().error.code, 'FORBIDDEN');
      }
      assert.deepEqual(ledger.calls, []);
    });
  }

  const refused = checks.refused;
  if (refused) {
    it('should refuse malformed requests with 400 VALIDATION_FAILED before the ledger is called', async () => {
      for (const malformed of refused) {
        const res = await send(passing[0]!, malformed);
        assert.equal(
          res.statusCode,
          400,
          typeof malformed === 'string' ? malformed : JSON.stringify(malformed),
        );
        assert.equal(res.json().error.code, 'VALIDATION_FAILED');
      }
      assert.deepEqual(ledger.calls, []);
    });
  }
}

/**
 * A gateway of `org` over `ledger` for the current `describe` (opened before, closed after, the ledger
 * reset before each test), and `get(role, url)` as a user of `mspId` with that role.
 */
export function gatewayForGets(
  org: string,
  mspId: string,
  ledger: FakeLedger,
): { app: () => FastifyInstance; get: (role: ApiRole, url: string) => Promise<LightMyRequestResponse> } {
  let gateway: TestGateway | undefined;
  const app = () => {
    assert.ok(gateway, 'gateway opened');
    return gateway.app;
  };
  before(async () => {
    gateway = await openGateway(org, { fabric: ledger.port }, `gw-${org}-gets-`);
  });
  after(async () => gateway?.close());
  beforeEach(() => ledger.reset());
  return {
    app,
    get: (role, url) => app().inject({ method: 'GET', url, headers: bearer(tokenFor(app(), role, mspId)) }),
  };
}
