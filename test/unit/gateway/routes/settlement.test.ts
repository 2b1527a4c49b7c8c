// The settlement routes with app.inject and a fake ledger: who may call, what reaches the chaincode
// (contract, transaction, arguments), what comes back, and what is refused before Fabric.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../../gateway/src/app';
import { loadConfig } from '../../../../gateway/src/config';
import { ApiError } from '../../../../gateway/src/core/api-error';
import { API_ROLES, type ApiRole } from '../../../../gateway/src/core/roles';
import { issueToken } from '../../../../gateway/src/core/token';
import type { FabricPort } from '../../../../gateway/src/plugins/app/fabric-connection';
import type { RaPort } from '../../../../gateway/src/plugins/app/ra';

interface FabricCall {
  kind: 'evaluate' | 'submit';
  contract: string;
  tx: string;
  args: string[];
}

const unused = async (): Promise<never> => {
  throw new Error('not used');
};

/** A ledger that records every call and answers with `answer` (or throws `failure`). */
class FakeLedger {
  calls: FabricCall[] = [];
  answer: unknown = {};
  failure: Error | undefined;

  readonly port: FabricPort = {
    ready: async () => true,
    network: () => {
      throw new Error('no network in unit tests');
    },
    contract: () => {
      throw new Error('no network in unit tests');
    },
    evaluate: async (_request, contract, tx, args) => this.#call({ kind: 'evaluate', contract, tx, args }),
    submit: async (_request, contract, tx, args) => ({
      result: await this.#call({ kind: 'submit', contract, tx, args }),
      txId: 'tx-settle-1',
    }),
    service: { evaluate: unused, submit: unused },
    forget: () => undefined,
    close: () => undefined,
  };

  async #call(call: FabricCall): Promise<Uint8Array> {
    this.calls.push(call);
    if (this.failure) throw this.failure;
    return Buffer.from(JSON.stringify(this.answer));
  }
}

const fakeRa: RaPort = {
  enroll: unused,
  enrollCsr: unused,
  register: unused,
  list: async () => [],
  revoke: unused,
  caChainPem: () => '',
  crlPem: async () => '',
};

const IID = 'i-20260102-1200-up';
const VPP = 'vpp-north';
const DER = 'pv-001';
const ANY = API_ROLES;
const SETTLERS: readonly ApiRole[] = ['trading', 'operator', 'regulator', 'admin'];

// Ledger answers shaped as the chaincode returns them (fields abbreviated; the schemas keep extras).
const VPP_LINE = {
  intervalId: IID,
  intervalStart: '2026-01-02T12:00:00.000Z',
  vppId: VPP,
  awardId: 'tx-clear',
  awardedWh: 2000,
  clearingPrice: 300_000,
  deliveredWh: 1900,
  netToDersMinor: 542,
  ruleVersion: 1,
  inputsHash: 'ab'.repeat(32),
  someFutureField: { kept: true },
};
const DER_LINE = { intervalId: IID, vppId: VPP, derId: DER, deliveredWh: 1500, amountMinor: 428 };
const SETTLEMENT = { vppLine: VPP_LINE, derLines: [DER_LINE] };
const DER_TOTALS = { intervalCount: 1, readingCount: 2, deliveredWh: 1500, amountMinor: 428 };

interface RouteCase {
  method: 'GET' | 'POST';
  url: string;
  /** The registered route pattern. */
  pattern: string;
  roles: readonly ApiRole[];
  status: number;
  call: FabricCall;
  answer: unknown;
  /** The response for the ledger's answer. */
  response: unknown;
  /** URLs the schema must refuse with 400 before any ledger call. */
  refused?: string[];
}

const SETTLE_ANSWER = {
  ...SETTLEMENT,
  creditEvent: { eventType: 'DELIVERY_WITHIN_TOLERANCE' },
  scoreRecords: [{ indicator: 'DELIVERY_ACCURACY', delta: 10 }],
  standing: { level: 'A', penaltyFactorPermille: 1200 },
};
const DER_STATEMENT = {
  derId: DER,
  period: '2026-01',
  unit: 'month',
  periods: [{ period: '2026-01', ...DER_TOTALS }],
  total: DER_TOTALS,
  lines: [DER_LINE],
};
const VPP_STATEMENT = {
  vppId: VPP,
  period: '2026-01-02',
  unit: 'day',
  periods: [],
  total: { intervalCount: 0, readingCount: 0, deliveredWh: 0 },
  lines: [],
};

const CASES: RouteCase[] = [
  {
    method: 'POST',
    url: `/v1/settlement/${IID}/${VPP}`,
    pattern: '/v1/settlement/:intervalId/:vppId',
    roles: SETTLERS,
    status: 201,
    call: { kind: 'submit', contract: 'settlement', tx: 'SettleInterval', args: [IID, VPP] },
    answer: SETTLE_ANSWER,
    response: { ...SETTLE_ANSWER, txId: 'tx-settle-1' },
    refused: [`/v1/settlement/${IID}/-vpp`, `/v1/settlement/bad%20id/${VPP}`, `/v1/settlement/${IID}/a:b`],
  },
  {
    method: 'GET',
    url: `/v1/settlement/${IID}/${VPP}`,
    pattern: '/v1/settlement/:intervalId/:vppId',
    roles: ANY,
    status: 200,
    call: { kind: 'evaluate', contract: 'settlement', tx: 'GetVppSettlement', args: [IID, VPP] },
    answer: SETTLEMENT,
    response: SETTLEMENT,
    refused: [`/v1/settlement/${IID}/vpp%20north`],
  },
  {
    method: 'GET',
    url: `/v1/settlement/${IID}/${VPP}/verify`,
    pattern: '/v1/settlement/:intervalId/:vppId/verify',
    roles: ANY,
    status: 200,
    call: { kind: 'evaluate', contract: 'settlement', tx: 'VerifySettlement', args: [IID, VPP] },
    answer: { matches: false, stored: SETTLEMENT, recomputed: SETTLEMENT, differences: ['vppLine.feeMinor'] },
    response: {
      matches: false,
      stored: SETTLEMENT,
      recomputed: SETTLEMENT,
      differences: ['vppLine.feeMinor'],
    },
  },
  {
    method: 'GET',
    url: `/v1/ders/${DER}/statement?period=2026-01&unit=month`,
    pattern: '/v1/ders/:derId/statement',
    roles: ANY,
    status: 200,
    call: {
      kind: 'evaluate',
      contract: 'settlement',
      tx: 'GetDerStatement',
      args: [DER, '2026-01', 'month'],
    },
    answer: DER_STATEMENT,
    response: DER_STATEMENT,
    refused: [
      `/v1/ders/${DER}/statement`,
      `/v1/ders/${DER}/statement?period=2026-13`,
      `/v1/ders/${DER}/statement?period=2026-1-02`,
      `/v1/ders/${DER}/statement?period=2026-01&unit=week`,
      `/v1/ders/${DER}/statement?period=2026-01&extra=1`,
      `/v1/ders/-der/statement?period=2026-01`,
    ],
  },
  {
    method: 'GET',
    url: `/v1/vpps/${VPP}/statement?period=2026-01-02`,
    pattern: '/v1/vpps/:vppId/statement',
    roles: ANY,
    status: 200,
    call: {
      kind: 'evaluate',
      contract: 'settlement',
      tx: 'GetVppStatement',
      args: [VPP, '2026-01-02', 'day'],
    },
    answer: VPP_STATEMENT,
    response: VPP_STATEMENT,
    refused: [`/v1/vpps/${VPP}/statement?period=January`, `/v1/vpps/${VPP}/statement?unit=day`],
  },
];

describe('gateway/routes settlement', () => {
  let dir: string;
  let app: FastifyInstance;
  const ledger = new FakeLedger();
  const tokenFor = (role: ApiRole) =>
    issueToken({ sub: `${role}1`, role, serial: 'AB', mspId: 'TradingMSP' }, app.identities.tokenSecret(), 60)
      .token;
  const send = (route: RouteCase, role: ApiRole, url = route.url) =>
    app.inject({ method: route.method, url, headers: { authorization: `Bearer ${tokenFor(role)}` } });

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gw-settlement-'));
    const config = loadConfig({ VPP_GATEWAY_ORG: 'trading', VPP_GATEWAY_DATA: dir });
    app = await buildApp(config, { logger: false, ports: { fabric: ledger.port, ra: fakeRa } });
    await app.ready();
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    ledger.calls = [];
    ledger.failure = undefined;
  });

  it('should declare exactly the documented roles on every settlement route', () => {
    const table = app.routeTable.filter(
      (r) => r.url.startsWith('/v1/settlement/') || r.url.endsWith('/statement'),
    );
    assert.equal(table.length, CASES.length);
    for (const route of CASES) {
      const entry = table.find((r) => r.method === route.method && r.url === route.pattern);
      assert.ok(entry, `${route.method} ${route.pattern} is registered`);
      assert.deepEqual([...entry.roles].sort(), [...route.roles].sort(), `${route.method} ${route.pattern}`);
    }
  });

  for (const route of CASES) {
    describe(`${route.method} ${route.url}`, () => {
      it('should pass the arguments to the chaincode as the caller and return what the ledger returned', async () => {
        for (const role of route.roles) {
          ledger.calls = [];
          ledger.answer = route.answer;
          const res = await send(route, role);
          assert.equal(res.statusCode, route.status, `${role}: ${res.body}`);
          assert.deepEqual(res.json(), route.response);
          assert.deepEqual(ledger.calls, [route.call]);
        }
      });

      const forbidden = API_ROLES.filter((role) => !route.roles.includes(role));
      if (forbidden.length > 0) {
        it(`should refuse ${forbidden.join(', ')} with 403 before the ledger is called`, async () => {
          for (const role of forbidden) {
            const res = await send(route, role);
            assert.equal(res.statusCode, 403, role);
            assert.equal(res.json().error.code, 'FORBIDDEN');
          }
          assert.deepEqual(ledger.calls, []);
        });
      }

      if (route.refused) {
        it('should refuse malformed requests with 400 VALIDATION_FAILED before the ledger is called', async () => {
          for (const url of route.refused!) {
            const res = await send(route, route.roles[0]!, url);
            assert.equal(res.statusCode, 400, url);
            assert.equal(res.json().error.code, 'VALIDATION_FAILED');
          }
          assert.deepEqual(ledger.calls, []);
        });
      }
    });
  }

  it('should answer 401 without a token', async () => {
    const res = await app.inject({ method: 'POST', url: `/v1/settlement/${IID}/${VPP}` });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(ledger.calls, []);
  });

  it('should pass chaincode refusals through with their status and code', async () => {
    const settle = CASES[0]!;
    for (const [status, code] of [
      [422, 'INVALID_STATE'],
      [409, 'ALREADY_SETTLED'],
      [404, 'NOT_FOUND'],
    ] as const) {
      ledger.failure = new ApiError(status, code, `refused: ${code}`, undefined, 'tx-9');
      const res = await send(settle, 'trading');
      assert.equal(res.statusCode, status);
      assert.deepEqual(res.json(), { error: { code, message: `refused: ${code}`, txId: 'tx-9' } });
    }
  });

  it('should document every route in OpenAPI under the settlement tag', () => {
    const spec = app.swagger() as {
      paths: Record<string, Record<string, { tags?: string[]; parameters?: { name: string; in: string }[] }>>;
    };
    for (const route of CASES) {
      const pattern = route.pattern.replace(/:(\w+)/g, '{$1}');
      const operation = spec.paths[pattern]?.[route.method.toLowerCase()];
      assert.ok(operation, `${route.method} ${pattern} documented`);
      assert.deepEqual(operation.tags, ['settlement']);
    }
    const statement = spec.paths['/v1/ders/{derId}/statement']!.get!;
    assert.deepEqual(
      statement.parameters!.filter((p) => p.in === 'query').map((p) => p.name),
      ['period', 'unit'],
    );
  });
});
